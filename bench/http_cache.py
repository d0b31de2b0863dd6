"""What a revalidation costs the app: a page cache hit answered in full, the same answered 304, and the ETag's hash.

Run:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/opis_bench .venv/bin/python bench/http_cache.py [SOURCES]
It builds a throw-away test database (test_<name>) with SOURCES sources (default 2000, as bench/public_site.py
builds them), puts production's page cache into the middleware and prints, for a few public pages, their size
and the median in-process time (Django's test client, no network) of each. Not a test: nothing asserts.
"""

import hashlib
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_databases, setup_test_environment, teardown_databases  # noqa: E402

from archive.settings.production_parts import with_page_cache  # noqa: E402
from bench.public_site import build  # noqa: E402

RUNS = 200


def median_ms(call) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(client: Client, url: str) -> str:
    first = client.get(url)  # renders and stores the page
    assert first.status_code == 200 and "ETag" in first, url
    tag, body = first["ETag"], first.content
    full = median_ms(lambda: client.get(url))
    not_modified = median_ms(lambda: client.get(url, headers={"If-None-Match": tag}))
    assert client.get(url, headers={"If-None-Match": tag}).status_code == 304, url
    digest = median_ms(lambda: hashlib.md5(body, usedforsecurity=False).hexdigest())
    return (
        f"{url:<40} {len(body) / 1024:6.1f} KiB  hit 200 {full:6.2f} ms  hit 304 {not_modified:6.2f} ms"
        f"  md5 {digest * 1000:6.1f} µs"
    )


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        build(count)
        print(f"{count} sources; median of {RUNS} in-process requests each; command: {' '.join(sys.argv)}")
        with override_settings(
            MIDDLEWARE=with_page_cache(settings.MIDDLEWARE),
            PUBLIC_CACHE_SECONDS=300,
            PUBLIC_HTTP_MAX_AGE=60,
            PUBLIC_HTTP_S_MAXAGE=300,
        ):
            client = Client()
            for url in ["/", "/sources/", "/sources/source-1001/", "/events/"]:
                print(measure(client, url))
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
