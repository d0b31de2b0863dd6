"""Requests per second of the source detail page under gunicorn and wrk, next to Django's floor.

    .venv/bin/python -m bench.throughput [--duration 30] [--connections 32] [--page-cache on|off|both]

Starts gunicorn with the repository's gunicorn.conf.py and bench.settings (the production settings plus a
minimal view at /bench/floor/), waits for /healthz, then runs wrk against the floor and against source detail
pages picked at random among published sources, in the same run, and reports both with the ratio. Any
non-2xx response or socket error is a failure. Needs Debian's wrk (apt-get install -y wrk); the gunicorn and wrk
helpers are bench.serving's.

Twice by default: with the page cache off (every request renders: for comparison) and on, as deployed, after
one unmeasured request to each page (the cache then holds them until the next change to a record). The 40 %
budget applies to the deployed configuration. Redis at 127.0.0.1:6379 (database 3) is used when present.
"""

import argparse
import os
import sys
import time

from bench.serving import (
    collectstatic,
    flush_redis,
    local_redis,
    require_wrk,
    server_env,
    start_gunicorn,
    stop,
    warm_up,
    workers_label,
    write_paths,
    wrk,
)

FLOOR_SHARE = 0.40


def published_paths(limit: int) -> list[str]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from archive.models import Source

    slugs = Source.objects.published().order_by("?").values_list("slug", flat=True)[:limit]
    return [f"/sources/{slug}/" for slug in slugs]


def run(page_cache: bool, args, paths_file: str, paths: list[str]) -> bool:
    env = server_env(page_cache_seconds=300 if page_cache else 0, redis_url=args.redis_url)
    flush_redis(args.redis_url)  # bench's own database: start from an empty cache
    process = start_gunicorn(args.port, env)
    try:
        base = f"http://127.0.0.1:{args.port}"
        if page_cache:  # the cache as it is in service: every page rendered once, then served until a change
            started = time.monotonic()
            statuses = warm_up(base, paths)
            print(f"(warm-up, not measured: {len(paths)} pages in {time.monotonic() - started:.0f} s, {statuses})")
        floor = wrk(f"{base}/bench/floor/", args.duration, args.connections)
        detail = wrk(base, args.duration, args.connections, paths_file=paths_file)
    finally:
        stop(process)
    share = detail["rps"] / floor["rps"]
    no_errors = floor["errors"] == 0 and detail["errors"] == 0
    label = "page cache on " if page_cache else "page cache off"
    for name, result in (("floor (minimal view)", floor), ("source-detail (random)", detail)):
        print(
            f"{label}  {name:<24} {result['rps']:>9.1f} req/s  {result['requests']:>8} requests  "
            f"p50 {result['p50']:>6.1f} ms  p99 {result['p99']:>6.1f} ms  errors {result['errors']}"
        )
    if page_cache:  # the budget applies to the site as deployed, with its page cache
        ok = share >= FLOOR_SHARE and no_errors
        verdict = "PASS" if ok else "FAIL"
    else:  # every request rendered: reported for comparison, errors still fail
        ok = no_errors
        verdict = "(uncached, for comparison)" + ("" if ok else " FAIL: errors")
    print(f"{label}  source-detail / floor = {share:.0%} (budget >= {FLOOR_SHARE:.0%})  {verdict}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--pages", type=int, default=200, help="distinct source pages to pick from at random")
    parser.add_argument("--page-cache", choices=["on", "off", "both"], default="both")
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL") or local_redis())
    args = parser.parse_args(argv)
    require_wrk()
    collectstatic()
    workers = workers_label()
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"# bench.throughput  command: python -m bench.throughput {' '.join(argv or sys.argv[1:])}  load {load}")
    print(
        f"# gunicorn sync workers: {workers}; wrk -t2 -c{args.connections} -d{args.duration}s on the same "
        f"{os.cpu_count()}-core machine; cache: {'Redis ' + args.redis_url if args.redis_url else 'per-process memory'}"
    )
    pages = published_paths(args.pages)
    paths_file = write_paths(pages)
    modes = {"on": [True], "off": [False], "both": [False, True]}[args.page_cache]
    results = [run(mode, args, paths_file, pages) for mode in modes]
    os.unlink(paths_file)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
