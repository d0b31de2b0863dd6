"""What checking a cached page costs: the statement of a hit (archive/public/changes.py STALE) against the plain
generation read it replaces, with archive_publictag holding a tag for many records.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opis_bench .venv/bin/python -m bench.invalidation
    options: --tags 300000 (stamped tags in the table)  --page-tags 40 (tags of the page checked)  --runs 2000

Everything it writes is rolled back at the end. Prints the median and the 95th percentile of each statement in
microseconds, measured in this process (a round trip to PostgreSQL included). Not a test: nothing asserts.
"""

import argparse
import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from archive.public.changes import read_stale  # noqa: E402
from archive.public.generation import CHANGED_TAGS, read  # noqa: E402


class Rollback(Exception):
    pass


def timed(function, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1e6)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tags", type=int, default=300_000)
    parser.add_argument("--page-tags", type=int, default=40)
    parser.add_argument("--runs", type=int, default=2000)
    options = parser.parse_args()
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO archive_publictag (tag, changed)"
                    " SELECT 'source:' || n, n FROM generate_series(1, %s) n ON CONFLICT DO NOTHING",
                    [options.tags],
                )
                cursor.execute("ANALYZE archive_publictag")
                cursor.execute(CHANGED_TAGS, [["event:1"]])  # one change not folded: the table is not empty
            built = read()
            page = [f"source:{n}" for n in range(options.tags - options.page_tags, options.tags)]
            for name, function in (
                ("generation read (READ)", lambda: read()),
                (f"hit check, {options.page_tags} tags (STALE)", lambda: read_stale(page, built, built.unfolded)),
                ("hit check, a page of everything", lambda: read_stale(["*"], built, built.unfolded)),
            ):
                median, p95 = timed(function, options.runs)
                print(f"{name}: median {median:.0f} µs, p95 {p95:.0f} µs")
            raise Rollback
    except Rollback:
        pass
    print(f"{options.tags} stamped tags, {options.runs} runs each")


if __name__ == "__main__":
    main()
