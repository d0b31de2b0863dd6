"""Import/export benchmark (not a test). Needs PostgreSQL and a database of its own: it empties the records.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opis_i4_bench .venv/bin/python bench/import_bench.py --rows 20000

Generates N realistic sources (Cyrillic and Latin text, relations, multi-valued cells) and times, each in
a fresh child process so that peak memory is its own: a raw psycopg COPY of the rows into the sources
table (the ceiling); our import of N new rows; the same N as AtoM's ISAD(G) CSV through the atom profile
(units generated to match, 1,006 rows a fonds) and undo of that batch; undo of the native batch; our
re-import of the same N rows with changed values (updates); undo of that update batch; stock
django-import-export with its bulk options on the same file. (A second, untimed import of the new rows
sits between the two undos.) COPY, our import of new rows and the AtoM import run --repeat times (3),
alternately; the median run counts. Every timed phase starts after a CHECKPOINT. Prints rows per second,
peak memory growth, the ratio to COPY, and the AtoM profile's ratio to the native import.
"""

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings.dev")
os.environ["DEBUG"] = "false"  # the debug cursor would log every query

TITLES_RU = [
    "Запись беседы с делегацией МНР",
    "Телеграмма из Улан-Батора",
    "Доклад о состоянии монгольской армии",
    "Постановление Политбюро ЦК ВКП(б)",
    "Протокол заседания комиссии",
    "Письмо Генерального секретаря",
]
TITLES_EN = [
    "Record of a conversation with the MPR delegation",
    "Telegram from Ulan Bator",
    "Report on the state of the Mongolian army",
    "Resolution of the Politburo",
    "Minutes of the commission",
    "Letter of the General Secretary",
]
INVENTORIES, FILES = 11, 200  # of fonds 558, as the rows cite them
SUMMARY = (
    "Обсуждение вопросов военного сотрудничества, поставок вооружения и подготовки кадров "
    "монгольской народно-революционной армии. Discussion of military cooperation, arms deliveries and "
    "the training of officers of the Mongolian People's Revolutionary Army."
)


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    # VmHWM, not ru_maxrss: on Linux ru_maxrss survives fork+exec and would report the parent's size.
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM")) / 1024


def reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # resets VmHWM to the current resident size


def setup():
    import django

    django.setup()


# -- data --------------------------------------------------------------------------------------


def prepare_database(authorities: int) -> None:
    from django.core.management import call_command

    from archive.models import Agent, Event, Language, Level, Place, Repository, Subject, Unit

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    rgaspi = Repository.objects.create(code="RGASPI", name="Russian State Archive of Socio-Political History")
    # The units the rows' fond, opis and delo name: fonds 558, its inventories and their files.
    tree = {"repository": rgaspi, "title": "Bench unit"}
    fonds = Unit.objects.create(identifier="RGASPI-558", slug="rgaspi-558", level=Level.FONDS, number="558", **tree)
    inventories = Unit.objects.bulk_create(
        Unit(identifier=f"RGASPI-558-{k}", slug=f"rgaspi-558-{k}", level=Level.SERIES, number=str(k), parent=fonds,
             fonds=fonds, **tree)
        for k in range(1, INVENTORIES + 1)
    )  # fmt: skip
    Unit.objects.bulk_create(
        Unit(identifier=f"{i.identifier}-{d}", slug=f"{i.slug}-{d}", level=Level.FILE, number=str(d), parent=i,
             fonds=fonds, **tree)
        for i in inventories
        for d in range(1, FILES + 1)
    )  # fmt: skip
    Language.objects.bulk_create([Language(code=c, name=n) for c, n in [("ru", "Russian"), ("mn", "Mongolian")]])
    Agent.objects.bulk_create(
        Agent(identifier=f"agent-{i}", slug=f"agent-{i}", name=f"Агент {i} / Agent {i}") for i in range(authorities)
    )
    Place.objects.bulk_create(Place(identifier=f"place-{i}", slug=f"place-{i}", name=f"Place {i}") for i in range(200))
    Subject.objects.bulk_create(
        Subject(identifier=f"subject-{i}", slug=f"subject-{i}", term=f"Subject {i}") for i in range(100)
    )
    Event.objects.bulk_create(
        Event(identifier=f"EV-{i}", slug=f"ev-{i}", name=f"Event {i}", date_edtf="", date_text="") for i in range(300)
    )
    from django.contrib.auth.models import Permission, User

    user = User.objects.create(username="bench", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="archive"))


def generate(path: Path, rows: int, *, authorities: int, variant: str, seed: int = 1934) -> None:
    from curation.transfer.formats import SOURCES

    rng = random.Random(seed)
    roles = ["creator", "recipient", "signatory", "mentioned"]
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(SOURCES.header)
        for i in range(rows):
            k = rng.randrange(len(TITLES_RU))
            day = f"19{rng.randint(31, 39)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            agents = {f"agent-{rng.randrange(authorities)}:{rng.choice(roles)}" for _ in range(rng.randint(1, 3))}
            cells = {
                "identifier": f"RGASPI-B-{i}",
                "slug": f"bench-{i}",
                "title": f"{TITLES_EN[k]} No. {i}" + (" (revised)" if variant == "update" else ""),
                "title_original": f"{TITLES_RU[k]} № {i}",
                "document_type": rng.choice(["conversation", "telegram", "report", "resolution", "minutes"]),
                "repository": "RGASPI",
                "fond": "558",
                "opis": str(rng.randint(1, INVENTORIES)),
                "delo": str(rng.randint(1, FILES)),
                "folios": f"{rng.randint(1, 200)}-{rng.randint(201, 300)} об.",
                "date_text": day[8:] + "." + day[5:7] + "." + day[:4],
                "date_edtf": day,
                "languages": "ru|mn" if rng.random() < 0.3 else "ru",
                "script": "Cyrl",
                "access_marking": "Совершенно секретно" if rng.random() < 0.5 else "",
                "summary": SUMMARY + (" Уточнено." if variant == "update" else ""),
                "agents": "|".join(sorted(agents)),
                "places": "|".join(sorted({f"place-{rng.randrange(200)}" for _ in range(rng.randint(0, 2))})),
                "subjects": "|".join(sorted({f"subject-{rng.randrange(100)}" for _ in range(rng.randint(1, 3))})),
                "events": f"EV-{rng.randrange(300)}",
                "status": "draft",
            }
            writer.writerow([cells.get(name, "") for name in SOURCES.header])


def generate_atom(path: Path, rows: int, *, authorities: int, seed: int = 1936) -> None:
    """The same sources as AtoM's ISAD(G) CSV would give them, with units to match: each fonds holds 5 series of
    20 files of 9 items (1,006 rows), parents before children as AtoM exports them."""
    from curation.transfer.atom.columns import ISAD

    header = [column.name for column in ISAD]
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        written = 0

        def row(legacy, parent, level, number, title, **cells):
            nonlocal written
            base = {"legacyId": legacy, "parentId": parent, "identifier": number, "title": title}
            base |= {"levelOfDescription": level, "culture": "en", "publicationStatus": "Draft"}
            writer.writerow([(base | cells).get(name, "") for name in header])
            written += 1

        fonds = 0
        while written < rows:
            fonds += 1
            row(f"f{fonds}", "", "Fonds", str(fonds), f"Fonds {fonds}", repository="RGASPI", generalNote="NULL")
            for s in range(1, 6):
                row(f"f{fonds}s{s}", f"f{fonds}", "Series", str(s), f"Inventory {s}")
                for d in range(1, 21):
                    row(f"f{fonds}s{s}d{d}", f"f{fonds}s{s}", "File", str(d), f"File {d}")
                    for i in range(1, 10):
                        if written >= rows:
                            return
                        k = rng.randrange(len(TITLES_RU))
                        day = f"19{rng.randint(31, 39)}-{rng.randint(1, 12):02d}-00"
                        numbers = {rng.randrange(authorities) for _ in range(rng.randint(1, 2))}
                        actors = sorted(f"Агент {n} / Agent {n}" for n in numbers)
                        row(
                            f"f{fonds}s{s}d{d}i{i}",
                            f"f{fonds}s{s}d{d}",
                            "Item",
                            f"{i}",
                            f"{TITLES_EN[k]} No. {written}",
                            scopeAndContent=SUMMARY,
                            language="ru|mn" if rng.random() < 0.3 else "ru",
                            script="Cyrl",
                            eventDates=day[:7],
                            eventTypes="Creation",
                            eventStartDates=day,
                            eventEndDates=day,
                            eventActors="|".join(actors),
                            eventActorHistories="|".join("NULL" for _ in actors),
                            subjectAccessPoints="|".join(sorted({f"Subject {rng.randrange(100)}" for _ in range(2)})),
                            placeAccessPoints=f"Place {rng.randrange(200)}",
                            generalNote="Листы пронумерованы." if rng.random() < 0.5 else "",
                        )


def empty_sources() -> None:
    """Between phases, untimed: TRUNCATE, since an ORM delete records each row's deletion one by one."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE archive_source, archive_unit CASCADE")


def median(runs: list[dict]) -> dict:
    """The run of median speed, with the others' seconds and the highest peak memory of all."""
    ordered = sorted(runs, key=lambda run: run["seconds"])
    return ordered[len(ordered) // 2] | {
        "all_seconds": [run["seconds"] for run in runs],
        "peak_growth_mb": max(run["peak_growth_mb"] for run in runs),
    }


# -- phases (each run in a child process) ------------------------------------------------------


def phase_copy(path: str) -> int:
    """The ceiling: the same rows straight into the sources table, no validation, no relations."""
    from datetime import date

    from django.db import connection
    from django.utils import timezone

    from archive.models import Repository, Unit

    repository = dict(Repository.objects.values_list("code", "pk"))
    files = Unit.objects.filter(level="file")
    unit = {
        (fond, opis, delo): (pk, fonds)
        for fond, opis, delo, pk, fonds in files.values_list(
            "parent__parent__number", "parent__number", "number", "pk", "fonds_id"
        )
    }
    columns = [
        "identifier",
        "slug",
        "title",
        "title_original",
        "document_type",
        "repository_id",
        "unit_id",
        "fonds_id",
        "folios",
        "publication",
        "publication_url",
        "date_text",
        "date_edtf",
        "date_start",
        "date_end",
        "script",
        "originality",
        "form",
        "access_marking",
        "summary",
        "transcription",
        "translation",
        "physical_description",
        "provenance",
        "rights",
        "status",
        "version",
        "created_at",
        "updated_at",
    ]
    now = timezone.now()
    count = 0
    with open(path, encoding="utf-8", newline="") as f, connection.cursor() as cursor:
        reader = csv.DictReader(f)
        with cursor.cursor.copy(f"COPY archive_source ({', '.join(columns)}) FROM STDIN") as copy:
            for row in reader:
                day = date.fromisoformat(row["date_edtf"])
                row |= {"repository_id": repository[row["repository"]], "date_start": day, "date_end": day}
                row["unit_id"], row["fonds_id"] = unit[row["fond"], row["opis"], row["delo"]]
                row |= {"version": 1, "created_at": now, "updated_at": now}
                copy.write_row([row.get(c, "") for c in columns])
                count += 1
    return count


def phase_import(path: str) -> int:
    from django.contrib.auth.models import User

    from curation.transfer.importer import run_import

    with open(path, "rb") as f:
        result = run_import("sources", f, user=User.objects.get(username="bench"), file_name=Path(path).name)
    if result.errors:
        raise SystemExit(f"import failed: {result.errors[:3]}")
    print(json.dumps({"batch": result.batch.pk}), file=sys.stderr)
    return result.batch.created + result.batch.updated


def phase_atom(path: str) -> int:
    from django.contrib.auth.models import User

    from curation.transfer.importer import run_import

    with open(path, "rb") as f:
        result = run_import("atom", f, user=User.objects.get(username="bench"), file_name=Path(path).name)
    if result.errors:
        raise SystemExit(f"AtoM import failed: {result.errors[:3]}")
    print(json.dumps({"batch": result.batch.pk}), file=sys.stderr)
    return result.batch.rows


def phase_undo(batch: str) -> int:
    from django.contrib.auth.models import User

    from curation.models import ImportBatch
    from curation.transfer.undo import undo_batch

    counts = undo_batch(batch=ImportBatch.objects.get(pk=int(batch)), user=User.objects.get(username="bench"))
    return counts["deleted"] + counts["restored"]


def phase_stock(path: str) -> int:
    """Stock django-import-export, bulk options on; it needs the whole file as a tablib Dataset."""
    import tablib
    from import_export import fields, resources, widgets

    from archive.models import Event, Language, Place, Repository, Source, Subject

    class StockSourceResource(resources.ModelResource):
        repository = fields.Field("repository", "repository", widgets.ForeignKeyWidget(Repository, "code"))
        languages = fields.Field("languages", "languages", widgets.ManyToManyWidget(Language, "|", "code"))
        places = fields.Field("places", "places", widgets.ManyToManyWidget(Place, "|", "identifier"))
        subjects = fields.Field("subjects", "subjects", widgets.ManyToManyWidget(Subject, "|", "identifier"))
        events = fields.Field("events", "events", widgets.ManyToManyWidget(Event, "|", "identifier"))

        class Meta:
            model = Source
            import_id_fields = ["identifier"]
            exclude = ["id", "agents", "published_at", "created_at", "updated_at", "created_by", "updated_by"]
            use_bulk = True
            batch_size = 1000
            skip_diff = True
            force_init_instance = True

        def import_instance(self, instance, row, **kwargs):
            super().import_instance(instance, row, **kwargs)
            instance.derive_dates()  # bulk_create skips save(); the date constraint needs the range

    with open(path, encoding="utf-8") as f:
        dataset = tablib.Dataset().load(f.read(), format="csv")
    result = StockSourceResource().import_data(dataset, raise_errors=True)
    return result.totals["new"]


PHASES = {"copy": phase_copy, "import": phase_import, "atom": phase_atom, "undo": phase_undo, "stock": phase_stock}


def run_child(phase: str, arg: str) -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")  # each timed phase starts with no dirty pages left by the one before
    out = subprocess.run(
        [sys.executable, __file__, "--phase", phase, arg], capture_output=True, text=True, check=False, cwd=ROOT
    )
    if out.returncode:
        raise SystemExit(f"phase {phase} failed:\n{out.stderr[-3000:]}")
    lines = out.stdout.strip().splitlines()
    figures = json.loads(lines[-1])
    extra = [json.loads(line) for line in out.stderr.splitlines() if line.startswith("{")]
    return figures | (extra[-1] if extra else {})


def child(phase: str, arg: str) -> None:
    setup()
    from django.db import connection

    connection.ensure_connection()
    # Code loaded on first use (the EDTF grammar, import-export, tablib) is not memory the data costs.
    import import_export.resources  # noqa: F401
    import tablib  # noqa: F401

    import curation.transfer.importer  # noqa: F401
    import curation.transfer.undo  # noqa: F401
    from curation.transfer.cells import edtf_range

    edtf_range("1934-11~")
    reset_peak()
    before = rss_mb()
    started = time.perf_counter()
    rows = PHASES[phase](arg)
    seconds = time.perf_counter() - started
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_growth_mb": peak_mb() - before}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--authorities", type=int, default=2000, help="agents in the database")
    parser.add_argument("--repeat", type=int, default=3, help="runs of COPY and of new rows; the median counts")
    parser.add_argument("--skip-stock", action="store_true", help="leave out stock import-export (slow at 100,000)")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("arg", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        child(args.phase, args.arg)
        return
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database of its own (it is emptied).")
    setup()
    prepare_database(args.authorities)
    with tempfile.TemporaryDirectory() as tmp:
        new_file, update_file = Path(tmp) / "sources.csv", Path(tmp) / "sources-updated.csv"
        atom_file = Path(tmp) / "atom-isad.csv"
        generate(new_file, args.rows, authorities=args.authorities, variant="new")
        generate_atom(atom_file, args.rows, authorities=args.authorities)
        generate(update_file, args.rows, authorities=args.authorities, variant="update")
        size = new_file.stat().st_size / 2**20
        results = {}
        # The two figures of the main target are taken `--repeat` times, alternately, each after a CHECKPOINT
        # (untimed): on a shared machine one run can be off by a third either way.
        copies, creates, atoms = [], [], []
        for _ in range(args.repeat):
            empty_sources()
            copies.append(run_child("copy", str(new_file)))
            empty_sources()
            creates.append(run_child("import", str(new_file)))
            empty_sources()
            atoms.append(run_child("atom", str(atom_file)))
        results["COPY (ceiling)"] = median(copies)
        results["our import, new rows"] = median(creates)
        results["AtoM profile, same rows"] = median(atoms)
        results["undo of the AtoM batch"] = run_child("undo", str(atoms[-1]["batch"]))
        empty_sources()
        again = run_child("import", str(new_file))  # untimed: the rows of the native batch undo times
        results["undo of the create batch"] = run_child("undo", str(again["batch"]))
        run_child("import", str(new_file))
        results["our re-import, updates"] = updated = run_child("import", str(update_file))
        results["undo of the update batch"] = run_child("undo", str(updated["batch"]))
        empty_sources()
        if not args.skip_stock:
            results["stock import-export (bulk)"] = run_child("stock", str(new_file))
    report(args, size, results)


def report(args, size, results) -> None:
    copy_rate = results["COPY (ceiling)"]["rows"] / results["COPY (ceiling)"]["seconds"]
    flags = (f" --repeat {args.repeat}" if args.repeat != 3 else "") + (" --skip-stock" if args.skip_stock else "")
    print(f"$ DATABASE_URL=… .venv/bin/python bench/import_bench.py --rows {args.rows}{flags}")
    print(f"N = {args.rows:,} sources, file {size:.1f} MB; PostgreSQL; {os.cpu_count()} CPUs")
    print(f"{'phase':28} {'rows':>8} {'seconds':>8} {'rows/s':>9} {'vs COPY':>8} {'peak MB':>8}")
    for name, figures in results.items():
        rate = figures["rows"] / figures["seconds"]
        runs = figures.get("all_seconds")
        print(
            f"{name:28} {figures['rows']:>8,} {figures['seconds']:>8.2f} {rate:>9,.0f} "
            f"{rate / copy_rate:>8.2f} {figures['peak_growth_mb']:>8.1f}"
            + (f"  median of {', '.join(f'{t:.2f}' for t in runs)} s" if runs else "")
        )
    native, atom = (
        results[name]["rows"] / results[name]["seconds"] for name in ("our import, new rows", "AtoM profile, same rows")
    )
    print(f"AtoM profile: {atom / native:.2f} of the native sources import's rows per second (target >= 0.33).")
    print("Targets: new rows >= 0.50 of COPY; updates >= 0.33 of COPY; peak memory growth < 150 MB at 100,000.")


if __name__ == "__main__":
    main()
