"""Where the time of a source or event page goes: rendered in-process, page cache off, over many distinct records.

    .venv/bin/python -m bench.detail_profile [--pages 300] [--kind source|event|both] [--top 25] [--sort tottime]

Uses bench.settings (the production settings; DATABASE_URL defaults to opis_bench) with PUBLIC_CACHE_SECONDS=0,
the Django test Client (the whole middleware stack, no HTTP server) and cProfile. Picks --pages published records
at random (fixed seed), renders each once unmeasured (templates compiled, connections open), then again under the
profiler. Prints the mean time and query count per page, then the profile's top entries by own time and by
cumulative time. Nothing asserts: the figures are for docs/performance.md.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ["PUBLIC_CACHE_SECONDS"] = "0"


def paths(kind: str, count: int) -> list[str]:
    from archive.models import Event, Source

    model = Source if kind == "source" else Event
    # A repeatable random sample: ORDER BY md5(id || seed) picks the same records on every run against one database.
    from django.db.models import CharField, Value
    from django.db.models.functions import MD5, Cast, Concat

    key = MD5(Concat(Cast("pk", CharField()), Value("1934")))
    slugs = model.objects.published().order_by(key).values_list("slug", flat=True)[:count]
    prefix = "/sources/" if kind == "source" else "/events/"
    return [f"{prefix}{slug}/" for slug in slugs]


def measure(kind: str, pages: list[str], args) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for path in pages:  # unmeasured: compiles the templates, opens the connection, warms PostgreSQL's buffers
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        for path in pages:
            client.get(path)
    queries = len(captured.captured_queries) / len(pages)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for path in pages:
        client.get(path)
    profiler.disable()
    profiled = time.perf_counter() - started
    started = time.perf_counter()
    for path in pages:
        client.get(path)
    plain = time.perf_counter() - started
    print(
        f"\n## {kind} detail: {len(pages)} distinct pages, {plain / len(pages) * 1000:.2f} ms a page "
        f"({profiled / len(pages) * 1000:.2f} ms under the profiler), {queries:.2f} queries a page"
    )
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(args.top)
        lines = out.getvalue().splitlines()
        start = next(i for i, line in enumerate(lines) if "ncalls" in line)
        print(f"\n### top {args.top} by {order}\n")
        print("\n".join(lines[start:]).rstrip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--kind", choices=["source", "event", "both"], default="both")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # the hashed names the pages link to
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    database = django.conf.settings.DATABASES["default"]["NAME"]
    print(f"# bench.detail_profile  command: python -m bench.detail_profile {' '.join(argv or sys.argv[1:])}")
    print(f"# database {database}, load {load}")
    for kind in ("source", "event") if args.kind == "both" else (args.kind,):
        measure(kind, paths(kind, args.pages), args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
