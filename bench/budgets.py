"""Server time of the public pages and the curators' admin at scale, against their budgets (docs/performance.md).

    .venv/bin/python -m bench.budgets [--repeat 40] [--warmup 3]

In-process, with Django's test Client against the bench database (bench.generate fills it): each page is
requested `warmup` times unmeasured, then `repeat` times measured, rotating over different records (different
sources, events, search words of the same kind) so the figures are not those of one hot row. A page whose URL
name does not exist on this branch yet is reported as "not available", never as a failure, so the same
runner measures it once it is merged.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

PUBLIC = (50, 150)  # median, p95 in ms
SEARCH = (None, 200)
ADMIN = (300, None)


@dataclass
class Page:
    group: str
    name: str
    urls: list[str] | None  # None: not available on this branch
    budget: tuple[int | None, int | None]
    admin: bool = False
    timings: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    hits: int = 0  # answered by the public page cache (archive.public.cache): the others rendered the page
    status: int | None = None
    note: str = ""

    def verdict(self) -> str:
        if self.urls is None:
            return "not available"
        if self.status != 200:
            return f"FAIL (HTTP {self.status})"
        median, p95 = self.median, self.p95
        ok = (self.budget[0] is None or median < self.budget[0]) and (self.budget[1] is None or p95 < self.budget[1])
        return "PASS" if ok else "FAIL"

    @property
    def median(self) -> float:
        return statistics.median(self.timings)

    @property
    def p95(self) -> float:
        ordered = sorted(self.timings)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def url(name: str, query: str = "", **kwargs) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, kwargs=kwargs or None) + (f"?{query}" if query else "")
    except NoReverseMatch:
        return None


def urls(name: str, queries: list[str] | None = None, objects: list[dict] | None = None) -> list[str] | None:
    built = [url(name, q) for q in queries] if queries else [url(name, **o) for o in objects or [{}]]
    return None if any(u is None for u in built) else built


def samples():
    """Records to rotate over: published ones, spread through the table."""
    from archive.models import Event, Source, Subject
    from bench.generate import HEAVY_EVERY, HEAVY_OFFSET

    sources = list(Source.objects.published().filter(id__in=range(1, 1_000_001, 20_011)).values_list("slug", "id"))
    events = list(Event.objects.published().order_by("?").values_list("slug", flat=True)[:40])
    subjects = list(Subject.objects.order_by("id").values_list("slug", flat=True)[:20])
    heavy = list(
        Source.objects.filter(id__in=range(HEAVY_OFFSET, HEAVY_OFFSET + 50 * HEAVY_EVERY, HEAVY_EVERY)).values_list(
            "id", flat=True
        )
    )
    return sources, events, subjects, heavy


def largest_unit() -> tuple[str, int] | None:
    """The published unit with the most published documents (bench.generate makes one of 100,000), and that number."""
    from django.db.models import Count

    from archive.models import Source, Unit

    row = (
        Source.objects.published()
        .filter(unit__in=Unit.objects.published())
        .values("unit__slug")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    return (row["unit__slug"], row["n"]) if row else None


def unit_pages(largest: tuple[str, int] | None) -> list[str] | None:
    """The largest unit's first pages in each order, and pages further on: a page reads only its own rows."""
    if largest is None:
        return None
    slug, n = largest
    further = max(1, n // 25 // 100)
    queries = ["", "page=2", "sort=title", "sort=date", f"sort=title&page={further}", "page=last"]
    return [f"{url('archive:unit-detail', slug=slug)}{'?' + q if q else ''}" for q in queries]


def pages() -> list[Page]:
    from django.urls import reverse

    from bench import corpus

    sources, events, subjects, heavy = samples()
    repositories = [code for code, *_ in corpus.REPOSITORIES[:4]]
    largest = largest_unit()
    unit_urls = unit_pages(largest) if url("archive:unit-detail", slug="x") else None
    two_filters = [f"repository={repositories[i % 4]}&subject={slug}" for i, slug in enumerate(subjects)]
    common = ["протокол", "minutes", "politburo", "переговоры", "army", "телеграмма"]
    rare = [corpus.RARE_EN, corpus.RARE_RU, "Tsulukidze"]
    changelist = reverse("admin:archive_source_changelist")
    autocomplete = reverse("admin:autocomplete")
    return [
        Page("public", "home", urls("archive:home"), PUBLIC),
        Page("public", "source-list, 2 filters + facets", urls("archive:source-list", two_filters), PUBLIC),
        Page(
            "public", "source-detail", urls("archive:source-detail", objects=[{"slug": s} for s, _ in sources]), PUBLIC
        ),
        Page("public", "event-detail", urls("archive:event-detail", objects=[{"slug": s} for s in events]), PUBLIC),
        Page("public", "event-list (timeline)", urls("archive:event-list"), PUBLIC),
        Page(
            "public",
            "repository-detail",
            urls("archive:repository-detail", objects=[{"code": code} for code in repositories]),
            PUBLIC,
        ),
        Page(
            "public",
            f"unit-detail, {largest[1] if largest else 100_000:,} children",
            unit_urls,
            PUBLIC,
        ),
        Page("public", "search, common word", urls("archive:search", [f"q={w}" for w in common]), SEARCH),
        Page("public", "search, rare word", urls("archive:search", [f"q={w}" for w in rare]), SEARCH),
        Page("admin", "source changelist", [changelist], ADMIN, admin=True),
        Page(
            "admin",
            "source changelist, filtered",
            [f"{changelist}?status__exact=published&repository__id__exact={i}" for i in (1, 2, 3)],
            ADMIN,
            admin=True,
        ),
        Page("admin", "source changelist, search", [f"{changelist}?q={w}" for w in rare], ADMIN, admin=True),
        Page(
            "admin",
            "source change form (many relations)",
            [reverse("admin:archive_source_change", args=[pk]) for pk in heavy],
            ADMIN,
            admin=True,
        ),
        Page(
            "admin",
            "autocomplete: agent",
            [
                f"{autocomplete}?app_label=archive&model_name=sourceagent&field_name=agent&term={t}"
                for t in ("Ivanov", "Damba", "Petrov agent 12", "Комитет")
            ],
            ADMIN,
            admin=True,
        ),
        Page(
            "admin",
            "autocomplete: event",
            [
                f"{autocomplete}?app_label=archive&model_name=source&field_name=events&term={t}"
                for t in ("Minutes", "Переговоры", "EV-12", "army")
            ],
            ADMIN,
            admin=True,
        ),
        Page(
            "admin",
            "autocomplete: source (commentary form)",
            [
                f"{autocomplete}?app_label=archive&model_name=commentary&field_name=source&term={t}"
                for t in ("RGASPI-558-11", corpus.RARE_EN, "GARF-17-3-1")
            ],
            ADMIN,
            admin=True,
        ),
    ]


def measure(page: Page, public_client, admin_client, repeat: int, warmup: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = admin_client if page.admin else public_client
    for i in range(warmup):
        client.get(page.urls[i % len(page.urls)])
    for i in range(repeat):
        target = page.urls[i % len(page.urls)]
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(target)
            elapsed = (time.perf_counter() - start) * 1000
        page.timings.append(elapsed)
        page.queries.append(len(captured.captured_queries))
        page.hits += response.get("X-Opis-Cache") == "hit"
        if response.status_code != 200:
            page.status = response.status_code
            page.note = target
            return
        page.status = 200


def machine() -> str:
    from django.db import connection

    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    with open("/proc/meminfo") as meminfo:
        memory = int(meminfo.readline().split()[1]) // 1024 // 1024
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
        cursor.execute("SELECT n FROM bench_manifest")
        row = cursor.fetchone()
    n = f"{row[0]:,}" if row else "unknown"
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory} GiB RAM, load average {load}; Python {platform.python_version()}, "
        f"PostgreSQL {pg}; collection: {n} sources"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--only", help="measure pages whose name contains this")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest the production storage needs
    # No setup_test_environment(): its instrumented template rendering copies every context, which would add
    # its own cost to template-heavy pages (the admin change form) that a served request never pays.
    public_client = Client()
    admin_client = Client()
    admin_client.force_login(get_user_model().objects.get(username="bench-admin"))

    print(f"# bench.budgets  {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"# command: {' '.join([os.path.basename(sys.executable), '-m', 'bench.budgets', *(argv or sys.argv[1:])])}")
    print(f"# machine: {machine()}")
    print(f"# {args.repeat} measured requests per page after {args.warmup} warm-up, rotating over records")
    print(f"{'page':<42} {'budget (median/p95)':<20} {'median':>8} {'p95':>8} {'queries':>8} {'cached':>7}  result")
    failures = 0
    for page in pages():
        if args.only and args.only not in page.name:
            continue
        budget = "/".join("-" if b is None else f"{b}" for b in page.budget) + " ms"
        if page.urls is not None:
            measure(page, public_client, admin_client, args.repeat, args.warmup)
        verdict = page.verdict()
        failures += verdict.startswith("FAIL")
        label = f"{page.group}: {page.name}"
        if page.urls is None or page.status != 200:
            print(f"{label:<42} {budget:<20} {'':>8} {'':>8} {'':>8} {'':>7}  {verdict} {page.note}")
            continue
        queries = (
            f"{min(page.queries)}"
            if min(page.queries) == max(page.queries)
            else (f"{min(page.queries)}-{max(page.queries)}")
        )
        cached = f"{page.hits}/{len(page.timings)}"
        print(
            f"{label:<42} {budget:<20} {page.median:>8.1f} {page.p95:>8.1f} {queries:>8} {cached:>7}  {verdict}",
            flush=True,
        )
    print(f"# {failures} budget(s) failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
