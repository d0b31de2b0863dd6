"""Fill a PostgreSQL database with a realistic collection of N sources, by COPY (not the ORM).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opis_bench .venv/bin/python -m bench.generate --sources 1000000

Creates the database if needed, migrates it, and skips the load when the same N, seed and migrations are
already there (so every benchmark can call it first). --force rebuilds.

Shape at N sources: 10 repositories with ~200 fonds each (units: every fonds with 1-5 inventories, N/20 files
spread over them, each source in a file; one file, RGASPI f. 558, op. 1, d. 1, holds one source in 10: 100,000 at
a million, for the unit page's budget), N/20 agents, N/200 places and events, N/1000 subjects,
N/10 commentary on sources plus one per event, digitised images on 1 source in 10; statuses 70 % published
(a few scheduled in the future), 15 % draft, 10 % in review, 5 % withdrawn; Russian and English text; dates
from 1921 to 1945 in every EDTF form the app uses, derived exactly as archive.edtf derives them (checked on a
sample against it before loading). One source in HEAVY_EVERY has many relations, for the admin's change form.

Columns this file does not name are handled by bench.pgcopy.Table (generated columns such as a search vector
are computed by PostgreSQL during COPY; NOT NULL columns without a default get a neutral value and a warning).
Secondary indexes are dropped before the load and rebuilt after it, whoever declared them.
"""

import argparse
import calendar
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlparse

from bench import corpus
from bench.pgcopy import Table, escape

HEAVY_EVERY = 10_000
BIG_FILE_EVERY = 10  # every tenth source is in the one big file
SOURCES_PER_FILE = 20
HEAVY_OFFSET = 7
SEED = 1934
USERS = 5
BIG_TABLES = [
    "archive_agent",
    "archive_unit",
    "archive_source",
    "archive_sourceagent",
    "archive_source_languages",
    "archive_source_places",
    "archive_source_subjects",
    "archive_source_events",
    "archive_sourceimage",
    "archive_commentary",
]
ALL_TABLES = [
    "archive_commentary",
    "archive_sourceimage",
    "archive_sourceagent",
    "archive_source_languages",
    "archive_source_places",
    "archive_source_subjects",
    "archive_source_events",
    "archive_source",
    "archive_unit",
    "archive_event_places",
    "archive_event_participants",
    "archive_event",
    "archive_agent",
    "archive_place",
    "archive_subject",
    "archive_language",
    "archive_repository",
]
RU_MONTHS = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split()


def is_heavy(source_id: int) -> bool:
    return source_id % HEAVY_EVERY == HEAVY_OFFSET


def scale(n: int) -> dict[str, int]:
    return {
        "agents": max(200, n // 20),
        "places": max(100, n // 200),
        "events": max(50, n // 200),
        "subjects": max(50, n // 1000),
    }


# --- dates -------------------------------------------------------------------------------------------------


def random_edtf(rng: random.Random) -> tuple[str, str, str | None, str | None]:
    """(date_text, date_edtf, date_start, date_end), mostly 1934-1939, in the forms curators write."""
    year = rng.choice((1934, 1935, 1936, 1937, 1938, 1939)) if rng.random() < 0.7 else rng.randint(1921, 1945)
    month = rng.randint(1, 12)
    last = calendar.monthrange(year, month)[1]
    roll = rng.random()
    if roll < 0.05:
        return "", "", None, None
    if roll < 0.65:
        day = rng.randint(1, last)
        d = date(year, month, day).isoformat()
        return f"{day} {RU_MONTHS[month - 1]} {year}", d, d, d
    if roll < 0.80:
        return f"{RU_MONTHS[month - 1]} {year}", f"{year}-{month:02d}", *_month(year, month, last)
    if roll < 0.85:
        return f"около {RU_MONTHS[month - 1]} {year}", f"{year}-{month:02d}~", *_month(year, month, last)
    if roll < 0.93:
        return f"{year}", f"{year}", f"{year}-01-01", f"{year}-12-31"
    start = date(year, month, rng.randint(1, last))
    end = start + timedelta(days=rng.choice((2, 7, 30, 90, 120)))
    return f"{start:%d.%m.%Y}–{end:%d.%m.%Y}", f"{start}/{end}", start.isoformat(), end.isoformat()


def _month(year: int, month: int, last: int) -> tuple[str, str]:
    return f"{year}-{month:02d}-01", f"{year}-{month:02d}-{last:02d}"


def check_dates_against_app(samples: int = 300) -> None:
    """Our fast derivation must equal archive.edtf.date_range (the app's), or the constraint would reject rows."""
    from archive.edtf import date_range

    rng = random.Random(SEED + 1)
    for _ in range(samples):
        _, edtf, start, end = random_edtf(rng)
        derived = date_range(edtf)
        ours = (date.fromisoformat(start) if start else None, date.fromisoformat(end) if end else None)
        if (derived.start, derived.end) != ours:
            raise SystemExit(f"bench: date derivation differs from the app for {edtf!r}: {ours} vs {derived}")


# --- rows ----------------------------------------------------------------------------------------------------


class Collection:
    """Row generators for every table; deterministic for a seed, each table independent of the others."""

    def __init__(self, n: int, seed: int, user_ids: list[int]):
        self.n = n
        self.seed = seed
        self.sizes = scale(n)
        self.user_ids = [str(u) for u in user_ids]
        self.now = datetime.now(UTC)
        rng = random.Random(seed)
        self.ru = [escape(s) for s in corpus.sentence_pool(corpus.RU_WORDS, 4000, rng)]
        self.en = [escape(s) for s in corpus.sentence_pool(corpus.EN_WORDS, 4000, rng)]
        self.ru_title = [s.rstrip(".") for s in corpus.sentence_pool(corpus.RU_WORDS, 3000, rng, 4, 10)]
        self.en_title = [s.rstrip(".") for s in corpus.sentence_pool(corpus.EN_WORDS, 3000, rng, 4, 10)]
        self.fonds = [sorted({rng.randint(1, 9999) for _ in range(200)} | {17, 495, 558}) for _ in corpus.REPOSITORIES]
        self.fond_weights = [_zipf_cum(len(f)) for f in self.fonds]
        self.tree = UnitTree(self, random.Random(f"{seed}:units"))

    def rng(self, table: str) -> random.Random:
        return random.Random(f"{self.seed}:{table}")

    def ts(self, rng: random.Random, days_back: int = 900) -> str:
        return (self.now - timedelta(seconds=rng.randint(3600, days_back * 86400))).isoformat()

    def editorial(self, rng: random.Random, force_published: bool = False) -> tuple[str, str | None]:
        roll = 0.0 if force_published else rng.random()
        if roll < 0.70:
            if roll > 0.6965:  # scheduled: published status, time still to come
                return "published", (self.now + timedelta(days=rng.randint(1, 60))).isoformat()
            return "published", self.ts(rng)
        if roll < 0.85:
            return "draft", None
        if roll < 0.95:
            return "review", None
        return "withdrawn", self.ts(rng)

    def stamps(self, rng: random.Random) -> tuple[str, str, str, str, str]:
        created = self.ts(rng, 1500)
        user = rng.choice(self.user_ids)
        return created, created, user, user, str(rng.randint(1, 6))

    # authorities

    def repositories(self):
        for i, (code, abbr, name, name_original, city, city_original) in enumerate(corpus.REPOSITORIES, 1):
            yield (str(i), code, abbr, name, name_original, city, city_original, "")

    def languages(self):
        for i, (code, name, name_original) in enumerate(corpus.LANGUAGES, 1):
            yield (str(i), code, name, name_original)

    def agents(self):
        rng = self.rng("agents")
        for i in range(1, self.sizes["agents"] + 1):
            if rng.random() < 0.8:
                k = rng.randrange(len(corpus.SURNAMES_RU))
                initials = f"{rng.choice('АБВГДЕИКЛМНОПРСТ')}. {rng.choice('АБВГДЕИКЛМНОПРСТ')}."
                name, original, kind = (
                    f"{corpus.SURNAMES_EN[k]}, agent {i}",
                    f"{corpus.SURNAMES_RU[k]} {initials}",
                    "person",
                )
            else:
                k = rng.randrange(len(corpus.MONGOL_NAMES))
                name, original, kind = (
                    f"{corpus.MONGOL_NAMES_EN[k]} committee {i}",
                    f"Комитет {corpus.MONGOL_NAMES[k]} {i}",
                    "organisation",
                )
            variants = escape(f"{name}\n{original}")
            birth = rng.randint(1860, 1915)
            yield (
                str(i),
                f"AG-{i}",
                f"agent-{i}",
                kind,
                name,
                original,
                variants,
                f"{birth}–{birth + rng.randint(30, 80)}",
                "",
                rng.choice(self.en),
                "",
            )

    def places(self):
        rng = self.rng("places")
        for i in range(1, self.sizes["places"] + 1):
            lat, lon = (
                (f"{rng.uniform(41, 53):.6f}", f"{rng.uniform(87, 120):.6f}") if rng.random() < 0.7 else (None, None)
            )
            yield (
                str(i),
                f"PL-{i}",
                f"place-{i}",
                f"Place {i} of {rng.choice(corpus.EN_WORDS)}",
                f"Местность {i} {rng.choice(corpus.RU_WORDS)}",
                "",
                lat,
                lon,
                "",
            )

    def subjects(self):
        rng = self.rng("subjects")
        for i in range(1, self.sizes["subjects"] + 1):
            yield (
                str(i),
                f"SU-{i}",
                f"subject-{i}",
                f"{rng.choice(self.en_title)} ({i})",
                f"{rng.choice(self.ru_title)} ({i})",
                rng.choice(self.en),
            )

    def events(self):
        rng = self.rng("events")
        types = ("negotiation", "meeting", "treaty", "battle", "decision", "other")
        for i in range(1, self.sizes["events"] + 1):
            status, published_at = self.editorial(rng, force_published=i <= 10)
            date_text, edtf, start, end = random_edtf(rng)
            parent = str(rng.randint(1, i - 1)) if i > 10 and rng.random() < 0.1 else None
            yield (
                str(i),
                status,
                published_at,
                *self.stamps(rng),
                date_text,
                edtf,
                start,
                end,
                f"EV-{i}",
                f"event-{i}",
                f"{rng.choice(self.en_title)} {i}",
                f"{rng.choice(self.ru_title)} {i}",
                rng.choice(types),
                parent,
                " ".join(rng.choices(self.en, k=3)),
            )

    def event_places(self):
        rng = self.rng("event_places")
        for event in range(1, self.sizes["events"] + 1):
            for place in rng.sample(range(1, self.sizes["places"] + 1), rng.randint(1, 2)):
                yield (str(event), str(place))

    def event_participants(self):
        rng = self.rng("event_participants")
        for event in range(1, self.sizes["events"] + 1):
            for agent in rng.sample(range(1, self.sizes["agents"] + 1), rng.randint(2, 5)):
                yield (str(event), str(agent))

    # sources and what hangs off them

    def sources(self):
        rng = self.rng("sources")
        repos = [(str(i), code) for i, (code, *_) in enumerate(corpus.REPOSITORIES, 1)]
        doc_types = (
            "protocol",
            "conversation",
            "letter",
            "telegram",
            "report",
            "resolution",
            "treaty",
            "directive",
            "minutes",
            "memorandum",
            "other",
        )
        scripts = ("Cyrl", "Cyrl", "Cyrl", "Latn", "Mong", "")
        for i in range(1, self.n + 1):
            file = self.tree.file_of(i, rng)
            repo_id, code = repos[file.repository - 1]
            fond, opis, delo = file.numbers
            first = rng.randint(1, 300)
            status, published_at = self.editorial(rng, force_published=is_heavy(i))
            date_text, edtf, start, end = random_edtf(rng)
            title, title_ru = rng.choice(self.en_title), rng.choice(self.ru_title)
            summary = " ".join(rng.choices(self.en, k=rng.randint(1, 2)))
            if i % corpus.RARE_EVERY == 0:
                title, title_ru = f"{title} {corpus.RARE_EN}", f"{title_ru} {corpus.RARE_RU}"
                summary = f"{summary} {corpus.RARE_EN.capitalize()}."
            transcription = "\\n\\n".join(rng.choices(self.ru, k=rng.randint(2, 4))) if rng.random() < 0.4 else ""
            translation = " ".join(rng.choices(self.en, k=rng.randint(2, 4))) if rng.random() < 0.2 else ""
            yield (
                str(i),
                status,
                published_at,
                *self.stamps(rng),
                date_text,
                edtf,
                start,
                end,
                f"{code}-{fond}-{opis}-{delo}-{i}",
                f"{code.lower()}-{fond}-{opis}-{delo}-{i}",
                title,
                title_ru,
                rng.choice(doc_types),
                repo_id,
                str(file.id),
                str(file.fonds),
                f"{first}-{first + rng.randint(0, 12)}{' об.' if rng.random() < 0.3 else ''}",
                rng.choice(scripts),
                rng.choice(("original", "copy", "certified_copy", "")),
                rng.choice(("typescript", "manuscript", "")),
                "Совершенно секретно" if rng.random() < 0.3 else "",
                summary,
                transcription,
                translation,
                "",
                "",
                "",
            )

    def units(self):
        rng = self.rng("units")
        labels = {"fonds": ("Fonds", "Ф."), "series": ("Inventory", "Оп."), "file": ("File", "Д.")}
        for unit in self.tree.units:
            status, published_at = self.editorial(
                rng, force_published=unit.id == self.tree.big.id or rng.random() < 0.6
            )
            code = corpus.REPOSITORIES[unit.repository - 1][0]
            path = "-".join([code, *(number for number in unit.numbers if number)])
            title, title_ru = labels[unit.level]
            yield (
                str(unit.id),
                status,
                published_at,
                *self.stamps(rng),
                "",
                "",
                None,
                None,
                path,
                path.lower(),
                str(unit.repository),
                unit.level,
                str(unit.parent) if unit.parent else None,
                str(unit.fonds) if unit.parent else None,
                unit.number,
                f"{title} {unit.number}: {rng.choice(self.en_title)}",
                f"{title_ru} {unit.number}. {rng.choice(self.ru_title)}",
                "",
                "",
                rng.choice(self.en) if unit.level == "fonds" else "",
                "",
                "",
                "",
                "",
                "{}",
                "",
            )

    def _links(self, table: str, size: int, per_source: tuple[int, int], heavy: int, skew: float = 0.6):
        rng = self.rng(table)
        cum = _zipf_cum(size, skew)
        population = range(1, size + 1)
        low, high = per_source
        for source in range(1, self.n + 1):
            k = min(heavy, size) if is_heavy(source) else rng.randint(low, high)
            if k <= 0:
                continue
            chosen = set(rng.choices(population, cum_weights=cum, k=k)) if k < 4 else set(rng.sample(population, k))
            for target in chosen:
                yield (str(source), str(target))

    def source_languages(self):
        rng = self.rng("source_languages")
        for source in range(1, self.n + 1):
            first = rng.choices((1, 2, 3, 4), weights=(80, 10, 6, 4))[0]
            yield (str(source), str(first))
            if rng.random() < 0.2 or is_heavy(source):
                second = rng.randint(1, len(corpus.LANGUAGES))
                if second != first:
                    yield (str(source), str(second))

    def source_places(self):
        return self._links("source_places", self.sizes["places"], (0, 2), heavy=12)

    def source_subjects(self):
        return self._links("source_subjects", self.sizes["subjects"], (1, 3), heavy=12, skew=0.8)

    def source_events(self):
        return self._links("source_events", self.sizes["events"], (0, 2), heavy=8, skew=0.5)

    def source_agents(self):
        rng = self.rng("source_agents")
        size = self.sizes["agents"]
        cum = _zipf_cum(size, 0.7)
        population = range(1, size + 1)
        roles = ("creator", "recipient", "signatory", "mentioned")
        row_id = 0
        for source in range(1, self.n + 1):
            k = 25 if is_heavy(source) else rng.randint(1, 3)
            agents = rng.sample(population, k) if k > 3 else set(rng.choices(population, cum_weights=cum, k=k))
            for j, agent in enumerate(agents):
                row_id += 1
                yield (str(row_id), str(source), str(agent), roles[j % 4])

    def images(self):
        rng = self.rng("images")
        row_id = 0
        for source in range(1, self.n + 1):
            k = 8 if is_heavy(source) else (rng.randint(1, 3) if rng.random() < 0.1 else 0)
            for position in range(k):
                row_id += 1
                yield (
                    str(row_id),
                    f"sources/1936/bench-{source}-{position}.jpg",
                    str(position),
                    f"Л. {position + 1}",
                    str(source),
                    "",  # no IIIF derivatives: the bench has no image files to make them from
                )

    def commentary(self, bodies: list[tuple[str, str]]):
        rng = self.rng("commentary")
        kinds = ("context", "textual", "translation", "editorial")
        row_id = 0
        targets = [(s, None) for s in range(3, self.n + 1, 10)]
        targets += [(s, None) for s in range(HEAVY_OFFSET, self.n + 1, HEAVY_EVERY) for _ in range(6)]
        targets += [(None, e) for e in range(1, self.sizes["events"] + 1)]
        for source, event in targets:
            row_id += 1
            status, published_at = self.editorial(rng, force_published=source is not None and is_heavy(source))
            body, body_html = rng.choice(bodies)
            author = rng.choice(self.user_ids)
            yield (
                str(row_id),
                status,
                published_at,
                *self.stamps(rng),
                f"CM-{row_id}",
                rng.choice(kinds),
                rng.choice(self.en_title),
                body,
                body_html,
                rng.choice(corpus.SURNAMES_EN) + ", A. V.",
                "",
                author,
                str(event) if event else None,
                str(source) if source else None,
            )


class BenchUnit:
    __slots__ = ("id", "repository", "level", "parent", "fonds", "number", "numbers")

    def __init__(self, id, repository, level, parent, fonds, number, numbers):
        self.id, self.repository, self.level, self.parent = id, repository, level, parent
        self.fonds, self.number, self.numbers = fonds, number, numbers


class UnitTree:
    """The fonds of every repository with 1-5 inventories each, and N/20 files over them (zipf by fonds), ids in
    that order; the big file (RGASPI f. 558, op. 1, d. 1) first among the files."""

    def __init__(self, collection: "Collection", rng: random.Random):
        self.units: list[BenchUnit] = []
        inventories = []  # per repository: [(fonds weights' cum, [inventory units per fonds])]
        for r, numbers in enumerate(collection.fonds):
            per_fonds = []
            for number in numbers:
                fonds = self._add(r + 1, "fonds", None, None, str(number), (str(number), "", ""))
                per_fonds.append(
                    [
                        self._add(r + 1, "series", fonds.id, fonds.id, str(k), (str(number), str(k), ""))
                        for k in range(1, rng.randint(1, 5) + 1)
                    ]
                )
            inventories.append(per_fonds)
        counters: dict[int, int] = {}
        rgaspi_558 = inventories[0][collection.fonds[0].index(558)][0]
        self.big = self._file(rgaspi_558, counters)
        self.files = [self.big]
        repo_cum = _zipf_cum(len(corpus.REPOSITORIES), 0.8)
        for _ in range(max(100, collection.n // SOURCES_PER_FILE)):
            r = rng.choices(range(len(corpus.REPOSITORIES)), cum_weights=repo_cum)[0]
            f = rng.choices(range(len(collection.fonds[r])), cum_weights=collection.fond_weights[r])[0]
            self.files.append(self._file(rng.choice(inventories[r][f]), counters))

    def _add(self, repository, level, parent, fonds, number, numbers) -> BenchUnit:
        unit = BenchUnit(len(self.units) + 1, repository, level, parent, fonds, number, numbers)
        self.units.append(unit)
        return unit

    def _file(self, inventory: BenchUnit, counters: dict[int, int]) -> BenchUnit:
        counters[inventory.id] = number = counters.get(inventory.id, 0) + 1
        numbers = (*inventory.numbers[:2], str(number))
        return self._add(inventory.repository, "file", inventory.id, inventory.fonds, str(number), numbers)

    def file_of(self, source: int, rng: random.Random) -> BenchUnit:
        return self.big if source % BIG_FILE_EVERY == 0 else rng.choice(self.files[1:])


def _zipf_cum(size: int, skew: float = 1.0) -> list[float]:
    total, cum = 0.0, []
    for rank in range(size):
        total += 1 / (rank + 1) ** skew
        cum.append(total)
    return cum


EDITORIAL = ["id", "status", "published_at", "created_at", "updated_at", "created_by_id", "updated_by_id", "version"]
DATED = ["date_text", "date_edtf", "date_start", "date_end"]
COLUMNS = {
    "archive_repository": [
        "id",
        "code",
        "abbreviation_original",
        "name",
        "name_original",
        "city",
        "city_original",
        "website",
    ],
    "archive_language": ["id", "code", "name", "name_original"],
    "archive_agent": [
        "id",
        "identifier",
        "slug",
        "kind",
        "name",
        "name_original",
        "name_variants",
        "dates_text",
        "dates_edtf",
        "description",
        "wikidata",
    ],
    "archive_place": [
        "id",
        "identifier",
        "slug",
        "name",
        "name_original",
        "name_variants",
        "latitude",
        "longitude",
        "wikidata",
    ],
    "archive_subject": ["id", "identifier", "slug", "term", "term_original", "scope_note"],
    "archive_event": [
        *EDITORIAL,
        *DATED,
        "identifier",
        "slug",
        "name",
        "name_original",
        "event_type",
        "parent_id",
        "description",
    ],
    "archive_event_places": ["event_id", "place_id"],
    "archive_event_participants": ["event_id", "agent_id"],
    "archive_source": [
        *EDITORIAL,
        *DATED,
        "identifier",
        "slug",
        "title",
        "title_original",
        "document_type",
        "repository_id",
        "unit_id",
        "fonds_id",
        "folios",
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
    ],
    "archive_unit": [
        *EDITORIAL,
        *DATED,
        "identifier",
        "slug",
        "repository_id",
        "level",
        "parent_id",
        "fonds_id",
        "number",
        "title",
        "title_original",
        "extent",
        "administrative_history",
        "scope_content",
        "arrangement",
        "access_conditions",
        "reproduction_conditions",
        "finding_aids",
        "scripts",
        "notes",
    ],
    "archive_source_languages": ["source_id", "language_id"],
    "archive_source_places": ["source_id", "place_id"],
    "archive_source_subjects": ["source_id", "subject_id"],
    "archive_source_events": ["source_id", "event_id"],
    "archive_sourceagent": ["id", "source_id", "agent_id", "role"],
    "archive_sourceimage": ["id", "image", "position", "caption", "source_id", "derivatives"],
    "archive_commentary": [
        *EDITORIAL,
        "identifier",
        "kind",
        "title",
        "body",
        "body_html",
        "signature",
        "references",
        "author_id",
        "event_id",
        "source_id",
    ],
}


# --- database ------------------------------------------------------------------------------------------------


def ensure_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin_url = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"bench: created database {name}")


def applied_migrations(pg) -> str:
    rows = pg.execute("SELECT app || '.' || name FROM django_migrations ORDER BY app, name").fetchall()
    return ",".join(r[0] for r in rows)


def manifest_matches(pg, n: int, seed: int) -> bool:
    pg.execute(
        "CREATE TABLE IF NOT EXISTS bench_manifest (n integer, seed integer, migrations text, built_at timestamptz)"
    )
    if not pg.execute("SELECT to_regclass('django_migrations') IS NOT NULL").fetchone()[0]:
        return False
    row = pg.execute("SELECT n, seed, migrations FROM bench_manifest").fetchone()
    return row is not None and row == (n, seed, applied_migrations(pg))


def pending_migrations() -> bool:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def migrations_unknown_to_code(pg) -> bool:
    """The database applied a migration the code no longer has (renumbered or renamed at a merge)."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    if not pg.execute("SELECT to_regclass('django_migrations') IS NOT NULL").fetchone()[0]:
        return False
    known = set(MigrationLoader(connection, ignore_no_migrations=True).disk_migrations)
    applied = pg.execute("SELECT app, name FROM django_migrations").fetchall()
    return any(tuple(row) not in known for row in applied)


def reset_schema(pg) -> None:
    """Migrating on top of such a history fails (an index that exists under another migration's name)."""
    print("bench: the database's migrations differ from the code's (renumbered at a merge?): new schema")
    pg.execute("DROP SCHEMA public CASCADE")
    pg.execute("CREATE SCHEMA public")


def empty_before_migrating(pg) -> None:
    """A rebuild is coming: empty the big tables first, so new migrations (indexes, a search vector) run fast."""
    if pg.execute("SELECT to_regclass('archive_source') IS NOT NULL").fetchone()[0]:
        pg.execute("DROP TABLE IF EXISTS bench_manifest")
        pg.execute("TRUNCATE " + ", ".join(ALL_TABLES) + " RESTART IDENTITY CASCADE")


def secondary_indexes(pg, tables: list[str]) -> list[tuple[str, str]]:
    """Indexes not backing a constraint: dropped for the load, rebuilt after (much faster than row by row)."""
    return pg.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ANY(%s) "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
        [tables],
    ).fetchall()


def bench_users() -> list[int]:
    from django.contrib.auth import get_user_model

    User = get_user_model()
    admin, _ = User.objects.get_or_create(username="bench-admin", defaults={"is_staff": True, "is_superuser": True})
    ids = [admin.pk]
    for i in range(1, USERS):
        user, _ = User.objects.get_or_create(username=f"bench-curator-{i}", defaults={"is_staff": True})
        ids.append(user.pk)
    return ids


def commentary_bodies(rng: random.Random, pool: list[str]) -> list[tuple[str, str]]:
    """Markdown bodies rendered with the app's own renderer, as every write path must (TEAM.md)."""
    from archive.markdown import render_markdown

    bodies = []
    for _ in range(200):
        body = f"**{rng.choice(pool)}**\n\n{rng.choice(pool)} *{rng.choice(pool)}*\n\n- {rng.choice(pool)}"
        bodies.append((escape(body), escape(render_markdown(body))))
    return bodies


def load(n: int, seed: int) -> None:
    from django.db import connection

    connection.ensure_connection()
    pg = connection.connection
    pg.autocommit = True
    started = time.monotonic()
    pg.execute("SET synchronous_commit = off")
    pg.execute("SET maintenance_work_mem = '512MB'")
    pg.execute("DELETE FROM bench_manifest")
    pg.execute("TRUNCATE " + ", ".join(ALL_TABLES) + " RESTART IDENTITY CASCADE")
    collection = Collection(n, seed, bench_users())
    indexes = secondary_indexes(pg, BIG_TABLES)
    for name, _ in indexes:
        pg.execute(f'DROP INDEX "{name}"')
    # Rows reference each other by the ids we assign; FK triggers are skipped for speed (we own consistency).
    pg.execute("SET session_replication_role = replica")
    plan = [
        ("archive_repository", collection.repositories()),
        ("archive_language", collection.languages()),
        ("archive_agent", collection.agents()),
        ("archive_place", collection.places()),
        ("archive_subject", collection.subjects()),
        ("archive_event", collection.events()),
        ("archive_event_places", collection.event_places()),
        ("archive_event_participants", collection.event_participants()),
        ("archive_unit", collection.units()),
        ("archive_source", collection.sources()),
        ("archive_source_languages", collection.source_languages()),
        ("archive_source_places", collection.source_places()),
        ("archive_source_subjects", collection.source_subjects()),
        ("archive_source_events", collection.source_events()),
        ("archive_sourceagent", collection.source_agents()),
        ("archive_sourceimage", collection.images()),
        ("archive_commentary", collection.commentary(commentary_bodies(collection.rng("bodies"), collection.en))),
    ]
    for table, rows in plan:
        t = time.monotonic()
        count = Table(pg, table, COLUMNS[table]).copy(rows)
        print(f"bench: {table:<28} {count:>10,} rows  {time.monotonic() - t:6.1f} s", flush=True)
    pg.execute("SET session_replication_role = DEFAULT")
    t = time.monotonic()
    for _, definition in indexes:
        pg.execute(definition)
    print(f"bench: rebuilt {len(indexes)} secondary indexes  {time.monotonic() - t:6.1f} s", flush=True)
    for table in ALL_TABLES:
        pg.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT max(id) FROM {table}), 1))"
        )
    t = time.monotonic()
    pg.execute("VACUUM (ANALYZE) " + ", ".join(ALL_TABLES))
    print(f"bench: vacuum analyze  {time.monotonic() - t:6.1f} s", flush=True)
    pg.execute("INSERT INTO bench_manifest VALUES (%s, %s, %s, now())", [n, seed, applied_migrations(pg)])
    print(f"bench: {n:,} sources loaded in {time.monotonic() - started:.0f} s", flush=True)


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--force", action="store_true", help="rebuild even if the same collection is loaded")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", default_url()))
    args = parser.parse_args(argv)
    if "bench" not in urlparse(args.database_url).path:
        raise SystemExit("bench: the generator empties the archive tables; give it a database named *bench*")
    ensure_database(args.database_url)
    setup_django(args.database_url)
    from django.core.management import call_command
    from django.db import connection

    connection.ensure_connection()
    if migrations_unknown_to_code(connection.connection):
        reset_schema(connection.connection)
    if args.force or pending_migrations() or not manifest_matches(connection.connection, args.sources, args.seed):
        empty_before_migrating(connection.connection)
    call_command("migrate", verbosity=0)
    check_dates_against_app()
    if not args.force and manifest_matches(connection.connection, args.sources, args.seed):
        print(f"bench: {args.sources:,} sources (seed {args.seed}) already loaded; --force to rebuild")
        return
    load(args.sources, args.seed)


def default_url() -> str:
    return "postgres://postgres@127.0.0.1:5432/opis_bench"


if __name__ == "__main__":
    sys.exit(main())
