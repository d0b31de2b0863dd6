"""Benchmark of the public site on a large collection: search, the faceted list, a source page.

Run:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/opis_bench .venv/bin/python bench/public_site.py [SOURCES]
It builds a throw-away test database (test_<name>), fills it with SOURCES published sources (default
20000) and prints median and 95th-percentile times and query counts. Not a test: nothing asserts.
"""

import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from django.utils import timezone  # noqa: E402

from archive.models import Event, Language, Level, Repository, Source, Status, Unit  # noqa: E402

WORDS_RU = "переговоры протокол взаимопомощи армия граница делегация договор войска совещание приказ доклад".split()
WORDS_EN = "negotiations protocol assistance army border delegation treaty troops meeting order report".split()
TYPES = ["protocol", "letter", "telegram", "report", "directive", "minutes"]


def build(count: int) -> None:
    rng = random.Random(1939)
    repository = Repository.objects.create(code="RGASPI", abbreviation_original="РГАСПИ", name="RGASPI")
    russian = Language.objects.create(code="ru", name="Russian")
    now = timezone.now()
    events = Event.objects.bulk_create(
        Event(identifier=f"EV-{i}", slug=f"event-{i}", name=f"Event {i}", status=Status.PUBLISHED, published_at=now)
        for i in range(200)
    )
    Event.objects.create(
        identifier="EV-KG", slug="khalkhin-gol", name="Battles of Khalkhin Gol", name_original="Бои на Халхин-Голе",
        status=Status.PUBLISHED, published_at=now,
    )  # fmt: skip
    files = _files(repository, count, now)
    batch = []
    for i in range(count):
        day = date(1931, 1, 1) + timedelta(days=rng.randrange(3300))
        batch.append(
            Source(
                identifier=f"S-{i}",
                slug=f"source-{i}",
                repository=repository,
                title=" ".join(rng.choices(WORDS_EN, k=6)),
                title_original=" ".join(rng.choices(WORDS_RU, k=6)),
                summary=" ".join(rng.choices(WORDS_EN, k=40)),
                transcription=" ".join(rng.choices(WORDS_RU, k=200)),
                document_type=rng.choice(TYPES),
                unit=files[i // 20],
                fonds_id=files[i // 20].fonds_id,  # bulk_create skips the save() that derives it
                date_edtf=day.isoformat(),
                date_start=day,
                date_end=day,
                status=Status.PUBLISHED if i % 10 else Status.DRAFT,
                published_at=now,
            )  # fmt: skip
        )
    sources = Source.objects.bulk_create(batch, batch_size=2000)
    Source.languages.through.objects.bulk_create(
        Source.languages.through(source_id=s.pk, language_id=russian.pk) for s in sources
    )
    Source.events.through.objects.bulk_create(
        Source.events.through(source_id=s.pk, event_id=rng.choice(events).pk) for s in sources
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _files(repository, count: int, now) -> list[Unit]:
    """Files of 20 sources each, in inventory 1 of fonds 17, 495 or 558 (published, as their slugs rgaspi-NNN)."""
    rng = random.Random(1936)
    published = {"status": Status.PUBLISHED, "published_at": now, "repository": repository}
    inventories = []
    for number in ("17", "495", "558"):
        fonds = Unit.objects.create(
            identifier=f"RGASPI-{number}", slug=f"rgaspi-{number}", level=Level.FONDS, number=number,
            title=f"Fonds {number}", **published,
        )  # fmt: skip
        inventories.append(Unit.objects.create(
            identifier=f"RGASPI-{number}-1", slug=f"rgaspi-{number}-1", level=Level.SERIES, number="1",
            parent=fonds, title="Inventory 1", **published,
        ))  # fmt: skip
    files = []
    for n in range(count // 20 + 1):
        inventory = rng.choice(inventories)
        files.append(Unit(
            identifier=f"{inventory.identifier}-{n}", slug=f"{inventory.slug}-{n}", level=Level.FILE, number=str(n),
            parent=inventory, fonds_id=inventory.fonds_id, title=f"File {n}", **published,
        ))  # fmt: skip
    return Unit.objects.bulk_create(files, batch_size=2000)


def measure(client: Client, url: str, runs: int = 15) -> str:
    client.get(url)  # warm caches
    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
        queries = len(captured)
    times.sort()
    p95 = times[max(int(len(times) * 0.95) - 1, 0)]
    return f"{url:<60} median {statistics.median(times):7.1f} ms  p95 {p95:7.1f} ms  {queries:3d} queries"


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        started = time.perf_counter()
        build(count)
        print(f"built {count} sources in {time.perf_counter() - started:.1f} s")
        client = Client()
        for url in [
            "/search/?q=Khalkhin",
            "/search/?q=договор+армия",
            "/search/?q=Khalkin",
            "/sources/",
            "/sources/?document_type=report&fond=rgaspi-558&per_page=100",
            "/sources/?q=delegation&date_from=1936&date_to=1938",
            "/sources/source-1001/",
            "/events/",
        ]:
            print(measure(client, url))
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
