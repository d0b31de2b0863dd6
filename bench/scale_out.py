"""Throughput of two app servers against one, in the scale-out topology (tests/ops/topology.py), same run.

    .venv/bin/python -m bench.scale_out [--sources 20000] [--duration 20] [--connections 16]

Starts the topology (primary, streaming replica, Redis, two gunicorn servers with WEB_CONCURRENCY workers each,
the task worker), fills the primary with bench.generate's collection (the replica follows), and runs wrk over
distinct published source pages chosen at random, with the page cache off so every request renders from the
replica: first against server A alone, then against A and B at once (two wrk, half the connections each, as a
load balancer would split them), and reports req/s, p50 and p99 of each. Everything it started is stopped.
On one machine both servers share its cores: the figure shows what a second server costs and adds here, not
what a second machine adds.
"""

import argparse
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from bench.serving import write_paths, wrk
from tests.ops.topology import ROOT, Topology


def _paths(topology: Topology, count: int) -> list[str]:
    import psycopg

    with psycopg.connect(topology.primary.url) as connection:
        rows = connection.execute(
            "SELECT slug FROM archive_source WHERE status = 'published' AND published_at <= now() "
            "ORDER BY random() LIMIT %s",
            [count],
        ).fetchall()
    return [f"/sources/{slug}/" for (slug,) in rows]


def _both(urls: list[str], seconds: int, connections: int, paths_file: str) -> dict:
    with ThreadPoolExecutor(len(urls)) as pool:
        results = list(pool.map(lambda url: wrk(url, seconds, connections // len(urls), paths_file=paths_file), urls))
    return {
        "rps": sum(r["rps"] for r in results),
        "requests": sum(r["requests"] for r in results),
        "errors": sum(r["errors"] for r in results),
        "p50": "/".join(f"{r['p50']:.1f}ms" for r in results),
        "p99": "/".join(f"{r['p99']:.1f}ms" for r in results),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=20000)
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args(argv)
    # bench.generate empties the archive tables, so it asks for a database named for the bench.
    topology = Topology(ROOT / "var" / "scale" / f"bench-{time.strftime('%Y%m%d-%H%M%S')}", database="opis_bench")
    workers = os.environ.get("WEB_CONCURRENCY", "2")
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"# bench.scale_out  command: python -m bench.scale_out {' '.join(argv or sys.argv[1:])}  load {load}")
    print(
        f"# {args.sources} sources; {workers} gunicorn workers per server; page cache off (every request renders "
        f"from the replica); wrk -c{args.connections} -d{args.duration}s; {os.cpu_count()} cores shared by all"
    )
    try:
        topology.start()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.generate",
                "--sources",
                str(args.sources),
                "--database-url",
                topology.primary.url,
            ],
            cwd=ROOT,
            check=True,
        )
        # Servers restarted on the filled database, with no page cache: each request renders.
        for server in list(topology.servers.values()):
            topology.kill(server)
        uncached = {"PUBLIC_CACHE_SECONDS": "0", "WEB_CONCURRENCY": workers}
        a, b = topology.start_app_server("a", **uncached), topology.start_app_server("b", **uncached)
        pages = _paths(topology, args.pages)
        paths_file = write_paths(pages)
        one = wrk(a.url, args.duration, args.connections, paths_file=paths_file)
        one |= {"p50": f"{one['p50']:.1f}ms", "p99": f"{one['p99']:.1f}ms"}
        two = _both([a.url, b.url], args.duration, args.connections, paths_file)
        os.unlink(paths_file)
    finally:
        topology.stop()
    for name, result in (("one server (A)", one), ("two servers (A+B)", two)):
        print(
            f"{name:<18} {result['rps']:>8.1f} req/s  {result['requests']:>7} requests  "
            f"p50 {result['p50']:>12}  p99 {result['p99']:>12}  errors {result['errors']}"
        )
    print(f"two / one = {two['rps'] / one['rps']:.2f}")
    return 0 if one["errors"] == 0 and two["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
