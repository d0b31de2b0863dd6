"""The changes bench.traffic makes while it measures, each in a process of its own, as a curator's would be.

    python -m bench.churn edits --population FILE [--every 2] [--seconds 40] [--seed 1935]
    python -m bench.churn import [--rows 20000] [--seed 1936]
    python -m bench.churn undo BATCH

edits: every `every` seconds an editor (bench-editor, in the Editor group, as curation.roles defines it) edits
the title of a published source through curation.services.edit_record, with the version they loaded, the source
chosen per Zipf among the population (the file of source paths bench.traffic loads, most requested first). It
prints "ready" before the first save. The title gains or loses TITLE_MARK, so the collection keeps its titles
give or take that mark. Prints one JSON line at the end.

import: `rows` new published sources as a CSV, referring to the collection's own units, agents, places, subjects
and events, through the import pipeline (curation.transfer.importer.run_import, as bench/import_bench.py drives
it). Prints "ready" when the file is written, just before the import starts, then one JSON line with the batch.

undo: the import pipeline's undo of that batch (curation.transfer.undo.undo_batch): the sources go again. Then
VACUUM (ANALYZE) of the tables they were in, so that the next run finds the collection as it was: 20,000 rows
deleted stay in the indexes as dead entries until a vacuum, below autovacuum's threshold at a million sources
(20 % of a table), and every index step over the file they were in (a page's neighbours) walks them.
"""

import argparse
import csv
import io
import json
import os
import random
import sys
import time
from pathlib import Path

from bench.zipf import zipf_sequence

TITLE_MARK = " (rev.)"
EDITOR = "bench-editor"
ROLES = ["creator", "recipient", "signatory", "mentioned"]
DOCUMENT_TYPES = ["conversation", "telegram", "report", "resolution", "minutes"]


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def editor():
    """The account that edits and imports: an Editor (publish and import rights), not a superuser."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from curation.roles import EDITOR as ROLE
    from curation.roles import setup_roles

    if not Group.objects.filter(name=ROLE).exists():
        setup_roles()
    user, _ = get_user_model().objects.get_or_create(username=EDITOR, defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name=ROLE))
    return get_user_model().objects.get(pk=user.pk)


def toggled(title: str) -> str:
    return title.removesuffix(TITLE_MARK) if title.endswith(TITLE_MARK) else title + TITLE_MARK


def edits(population: list[str], *, every: float, seconds: float, seed: int) -> dict:
    from archive.models import Source
    from curation.services import edit_record

    user = editor()
    slugs = [path.strip("/").rsplit("/", 1)[-1] for path in population]
    targets = zipf_sequence(slugs, length=max(1, int(seconds / every) + 1), seed=seed)
    timings, failures = [], []
    print("ready", flush=True)
    started = time.monotonic()
    for n, slug in enumerate(targets):
        time.sleep(max(0.0, started + n * every - time.monotonic()))
        if time.monotonic() - started > seconds:
            break
        before = time.perf_counter()
        try:
            source = Source.objects.get(slug=slug)
            edit_record(
                instance=source,
                user=user,
                values={"title": toggled(source.title)},
                expected_version=source.version,
                reason="bench.traffic",
            )
        except Exception as error:  # reported, not raised: the run goes on as a curator would
            failures.append(f"{slug}: {type(error).__name__}: {error}"[:200])
        timings.append((time.perf_counter() - before) * 1000)
    ordered = sorted(timings) or [0.0]
    return {
        "edits": len(timings) - len(failures),
        "failures": failures,
        "median_ms": ordered[len(ordered) // 2],
        "max_ms": ordered[-1],
    }


def import_csv(rows: int, *, seed: int) -> bytes:
    """New published sources in the native CSV format, citing a sample of the collection's own records."""
    from archive.models import Agent, Event, Level, Place, Subject, Unit
    from bench.import_bench import SUMMARY, TITLES_EN, TITLES_RU
    from curation.transfer.formats import SOURCES

    rng = random.Random(seed)
    files = list(
        Unit.objects.filter(level=Level.FILE, parent__level=Level.SERIES)
        .order_by("pk")
        .values_list("repository__code", "parent__parent__number", "parent__number", "number")[:2000]
    )
    agents, places, subjects, events = (
        list(model.objects.order_by("pk").values_list("identifier", flat=True)[:2000])
        for model in (Agent, Place, Subject, Event)
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(SOURCES.header)
    for i in range(rows):
        k = rng.randrange(len(TITLES_RU))
        day = f"19{rng.randint(31, 39)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        repository, fond, opis, delo = rng.choice(files)
        cells = {
            "identifier": f"TRAFFIC-{seed}-{i}",
            "slug": f"traffic-{seed}-{i}",
            "title": f"{TITLES_EN[k]} No. {i}",
            "title_original": f"{TITLES_RU[k]} № {i}",
            "document_type": rng.choice(DOCUMENT_TYPES),
            "repository": repository,
            "fond": fond,
            "opis": opis,
            "delo": delo,
            "folios": f"{rng.randint(1, 200)}-{rng.randint(201, 300)}",
            "date_text": f"{day[8:]}.{day[5:7]}.{day[:4]}",
            "date_edtf": day,
            "languages": "ru|mn" if rng.random() < 0.3 else "ru",
            "script": "Cyrl",
            "summary": SUMMARY,
            "agents": "|".join(sorted({f"{rng.choice(agents)}:{rng.choice(ROLES)}" for _ in range(rng.randint(1, 3))})),
            "places": "|".join(sorted({rng.choice(places) for _ in range(rng.randint(0, 2))})),
            "subjects": "|".join(sorted({rng.choice(subjects) for _ in range(rng.randint(1, 3))})),
            "events": rng.choice(events),
            "status": "published",
        }
        writer.writerow([cells.get(name, "") for name in SOURCES.header])
    return out.getvalue().encode()


def run_import(rows: int, *, seed: int) -> dict:
    from curation.transfer.importer import run_import as pipeline

    user = editor()
    data = import_csv(rows, seed=seed)
    print("ready", flush=True)
    started = time.perf_counter()
    result = pipeline("sources", io.BytesIO(data), user=user, file_name=f"bench-traffic-{seed}.csv")
    seconds = time.perf_counter() - started
    if result.errors:
        raise SystemExit(f"bench.churn: import failed: {result.errors[:3]}")
    return {"batch": result.batch.pk, "created": result.batch.created, "seconds": seconds}


def undo(batch: int) -> dict:
    from django.db import connection

    from archive.models import Source, SourceAgent
    from curation.models import ImportBatch
    from curation.transfer.undo import undo_batch

    started = time.perf_counter()
    counts = undo_batch(batch=ImportBatch.objects.get(pk=batch), user=editor())
    seconds = time.perf_counter() - started
    vacuumed = [
        Source._meta.db_table,
        *(field.remote_field.through._meta.db_table for field in Source._meta.many_to_many),
    ]
    vacuumed = list(dict.fromkeys([*vacuumed, SourceAgent._meta.db_table]))
    with connection.cursor() as cursor:  # outside a transaction: the command runs in autocommit
        cursor.execute(f"VACUUM (ANALYZE) {', '.join(vacuumed)}")  # noqa: S608 (table names from the models)
    return {**counts, "seconds": seconds}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    edit = commands.add_parser("edits")
    edit.add_argument("--population", required=True, type=Path)
    edit.add_argument("--every", type=float, default=2.0)
    edit.add_argument("--seconds", type=float, default=40.0)
    edit.add_argument("--seed", type=int, default=1935)
    load = commands.add_parser("import")
    load.add_argument("--rows", type=int, default=20000)
    load.add_argument("--seed", type=int, default=1936)
    back = commands.add_parser("undo")
    back.add_argument("batch", type=int)
    args = parser.parse_args(argv)
    setup()
    if args.command == "edits":
        population = args.population.read_text().split()
        result = edits(population, every=args.every, seconds=args.seconds, seed=args.seed)
    elif args.command == "import":
        result = run_import(args.rows, seed=args.seed)
    else:
        result = undo(args.batch)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
