"""Benchmarks at scale: a data generator, budgets measured in-process, throughput under gunicorn. Not tests."""
