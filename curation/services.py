"""Writes and state changes. Keyword-only, typed, atomic; views and admin call these."""
