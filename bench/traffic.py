"""Traffic as users make it: a long tail of pages, a cold cache, curators saving and importing meanwhile.

    .venv/bin/python -m bench.traffic [--duration 30] [--connections 32] [--population 20000] [--only NAME]

Under gunicorn and wrk (bench.serving), next to the floor (/bench/floor/, the cheapest Django response) measured
by the same server in the same run. Pages are requested in a Zipf order (bench.zipf, s = 1.1, fixed seeds) over
`population` published sources drawn with a fixed seed: a few pages very often, most rarely. Scenarios:

  long-tail     page cache on, cold at the start (the bench's Redis database flushed), source detail pages.
  churn-edits   the same, continuing on the cache the run before left, while an editor saves the title of a
                published source every --edit-every seconds (bench.churn edits: curation.services.edit_record,
                in a process of its own); then the source list filtered by a repository and a subject, first
                with nobody editing (for comparison, no budget), then under the same edits.
  churn-import  the same detail pages while a --import-rows CSV import of new published sources runs through the
                import pipeline (bench.churn import), for as long as it runs; the batch is undone after.
  cold          page cache off (PUBLIC_CACHE_SECONDS=0, another server): every request renders.

Each prints req/s, its share of the floor, p50/p95/p99, errors (non-2xx responses and socket errors: any fails the
scenario), the share the page cache answered, and PASS/FAIL against issue 14's budgets. The collection is left
as it was but for titles carrying or not bench.churn.TITLE_MARK.
"""

import argparse
import json
import os
import random
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime

from bench.serving import (
    ROOT,
    collectstatic,
    flush_redis,
    local_redis,
    require_wrk,
    server_env,
    settle,
    start_gunicorn,
    stop,
    workers_label,
    write_paths,
    wrk,
    wrk_result,
    wrk_start,
)
from bench.zipf import S, zipf_sequence

COLD_SHARE = 0.25  # of the floor: every page rendered, or a cold cache
CHURN_SHARE = 0.40  # of the floor: the deployed cache while records change
P95_MS = 150
SCENARIOS = ("long-tail", "churn-edits", "churn-import", "cold")
IMPORT_CAP = 900  # seconds: wrk stops at the import's end, or at this


@dataclass
class Verdict:
    share: float | None = None  # the least share of the floor
    p95: float | None = None  # the most p95 in ms

    def check(self, result: dict, floor: dict) -> tuple[str, bool]:
        ok, terms = result["errors"] == 0, []
        if self.share is not None:
            ok &= result["rps"] >= self.share * floor["rps"]
            terms.append(f">= {self.share:.0%} of floor")
        if self.p95 is not None:
            ok &= result["p95"] < self.p95
            terms.append(f"p95 < {self.p95} ms")
        return ", ".join(terms) + ", no errors", ok


def population(size: int, seed: int) -> list[str]:
    """`size` published source pages drawn with `seed`, in the order of their popularity rank."""
    from archive.models import Source

    ids = sorted(Source.objects.published().values_list("pk", flat=True))
    chosen = random.Random(seed).sample(ids, min(size, len(ids)))
    slugs = dict(Source.objects.filter(pk__in=chosen).values_list("pk", "slug"))
    return [f"/sources/{slugs[pk]}/" for pk in chosen]


def list_paths(seed: int) -> list[str]:
    """The source list filtered by a repository and a subject, over many pairs: what a reader narrowing does."""
    from django.urls import reverse

    from archive.models import Repository, Subject

    repositories = list(Repository.objects.order_by("code").values_list("code", flat=True))
    subjects = list(Subject.objects.order_by("pk").values_list("slug", flat=True)[:40])
    url = reverse("archive:source-list")
    pairs = [f"{url}?repository={r}&subject={s}" for r in repositories for s in subjects]
    random.Random(seed).shuffle(pairs)
    return pairs


def machine() -> str:
    from bench.budgets import machine as described

    return described()


def start_child(*command: str) -> subprocess.Popen:
    """A bench.churn process, once it is ready (it prints "ready" before its first change)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.churn", *command], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    for line in process.stdout:
        if line.strip() == "ready":
            return process
    process.wait()
    raise SystemExit(f"bench: bench.churn {command[0]} ended before it was ready ({process.returncode})")


def child_result(process: subprocess.Popen) -> dict:
    output = process.stdout.read()
    if process.wait():
        raise SystemExit(f"bench: bench.churn failed ({process.returncode})")
    return json.loads(output.strip().splitlines()[-1])


def child(*command: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.churn", *command], cwd=ROOT, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"bench: bench.churn {command[0]} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def line(name: str, result: dict, floor: dict | None = None, verdict: Verdict | None = None, note: str = "") -> bool:
    share = f"{result['rps'] / floor['rps']:>4.0%} of floor" if floor else " " * 12
    text = (
        f"{name:<30} {result['rps']:>8.1f} req/s {share}  p50 {result['p50']:>6.1f}  p95 {result['p95']:>6.1f}  "
        f"p99 {result['p99']:>7.1f} ms  errors {result['errors']:<3} "
        f"cached {result['hits'] / max(1, result['requests']):>4.0%}"
    )
    ok = result["errors"] == 0
    if verdict is not None:
        budget, ok = verdict.check(result, floor)
        text += f"  [{budget}] {'PASS' if ok else 'FAIL'}"
    elif not ok:
        text += "  FAIL (errors)"
    print(text + (f"  {note}" if note else ""), flush=True)
    return ok


class Run:
    def __init__(self, args, files: dict[str, str], sequences: dict[str, list[str]]):
        self.args, self.files, self.sequences, self.results = args, files, sequences, []
        self.base = f"http://127.0.0.1:{args.port}"

    def wants(self, name: str) -> bool:
        return not self.args.only or self.args.only in name

    def load(self, name: str, order: str = "sequence", seed: int = 0, settled: bool = False) -> dict:
        """A wrk run over the paths of `name`, once the run before it is worked off (bench.serving.settle)."""
        args = self.args
        if not settled:
            settle(args.port)
        options = {"paths_file": self.files[name], "order": order, "seed": args.seed + seed}
        return wrk(self.base, args.duration, args.connections, **options)

    def reached(self, name: str, result: dict) -> str:
        """How many distinct pages the run requested: the threads together walk about the sequence's prefix."""
        return f"{len(set(self.sequences[name][: result['requests']])):,} distinct pages"

    def cached(self) -> None:
        """One server with the page cache on, cold at the start: long tail, then the two kinds of churn."""
        args = self.args
        flush_redis(args.redis_url)
        server = start_gunicorn(args.port, server_env(page_cache_seconds=300, redis_url=args.redis_url))
        try:
            floor = wrk(f"{self.base}/bench/floor/", args.duration, args.connections)
            self.results.append(line("floor (page cache on)", floor))
            if self.wants("long-tail"):
                tail = self.load("long-tail")
                verdict = Verdict(COLD_SHARE, P95_MS)
                reached = self.reached("long-tail", tail)
                self.results.append(line("long-tail, cold start", tail, floor, verdict, reached))
            if self.wants("churn-edits"):
                self.churn_edits(floor)
            if self.wants("churn-import"):
                self.churn_import(floor)
        finally:
            stop(server)

    def churn_edits(self, floor: dict) -> None:
        args = self.args
        for name, paths, order, verdict in (
            ("detail, churn: edits", "churn-edits", "sequence", Verdict(CHURN_SHARE)),
            ("source list 2 filters, edits", "source-list", "random", Verdict(p95=P95_MS)),
        ):
            if paths == "source-list":  # for comparison: the same pages with nobody editing (no budget)
                quiet = self.load(paths, order=order, seed=1)  # its own draws: none is cached for the next run
                self.results.append(line("source list 2 filters, quiet", quiet, floor))
            settle(args.port)  # before the editor starts: its saves span the run
            editor = start_child(
                "edits",
                "--population",
                self.files["population"],
                "--every",
                str(args.edit_every),
                "--seconds",
                str(args.duration),
            )
            result = self.load(paths, order=order, settled=True)
            edits = child_result(editor)
            note = self.reached(paths, result) + "; " if paths in self.sequences else ""
            note += f"({edits['edits']} edits, save median {edits['median_ms']:.0f} ms, max {edits['max_ms']:.0f} ms"
            note += f"; {len(edits['failures'])} refused: {edits['failures'][:1]})" if edits["failures"] else ")"
            self.results.append(line(name, result, floor, verdict, note))

    def churn_import(self, floor: dict) -> None:
        args = self.args
        settle(args.port)
        importer = start_child("import", "--rows", str(args.import_rows))
        traffic = wrk_start(
            self.base, IMPORT_CAP, args.connections, paths_file=self.files["churn-import"], order="sequence"
        )
        try:
            imported = child_result(importer)
        finally:  # wrk runs for as long as the import does (a failed import has written nothing: one transaction)
            result = wrk_result(traffic, interrupt=True)
        undone = child("undo", str(imported["batch"]))
        note = self.reached("churn-import", result) + (
            f"; ({imported['created']:,} sources imported in {imported['seconds']:.0f} s, the run's length; "
            f"undone after in {undone['seconds']:.0f} s)"
        )
        self.results.append(line("detail, churn: import", result, floor, Verdict(CHURN_SHARE), note))

    def uncached(self) -> None:
        args = self.args
        server = start_gunicorn(args.port, server_env(page_cache_seconds=0, redis_url=args.redis_url))
        try:
            floor = wrk(f"{self.base}/bench/floor/", args.duration, args.connections)
            self.results.append(line("floor (page cache off)", floor))
            cold = self.load("cold")
            verdict = Verdict(COLD_SHARE)
            self.results.append(line("detail, page cache off", cold, floor, verdict, self.reached("cold", cold)))
        finally:
            stop(server)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=30, help="seconds of each run (the import's: its own)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--population", type=int, default=20000, help="distinct published sources")
    parser.add_argument("--length", type=int, default=200000, help="requests in each Zipf sequence")
    parser.add_argument("--seed", type=int, default=1934)
    parser.add_argument("--edit-every", type=float, default=2.0, help="seconds between two editors' saves")
    parser.add_argument("--import-rows", type=int, default=20000)
    parser.add_argument("--only", help="the scenarios whose name contains this: " + ", ".join(SCENARIOS))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL") or local_redis())
    args = parser.parse_args(argv)
    require_wrk()
    collectstatic()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    command = " ".join([os.path.basename(sys.executable), "-m", "bench.traffic", *(argv or sys.argv[1:])])
    print(f"# bench.traffic  {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"# command: {command}")
    print(f"# machine: {machine()}")
    pages = population(args.population, args.seed)
    files = {"population": write_paths(pages)}
    sequences = {
        name: zipf_sequence(pages, length=args.length, seed=args.seed + offset, s=S)
        for offset, name in enumerate(("long-tail", "churn-edits", "churn-import", "cold"))
    }
    files |= {name: write_paths(sequence) for name, sequence in sequences.items()}
    files["source-list"] = write_paths(list_paths(args.seed))
    print(
        f"# pages: {len(pages):,} published sources drawn with seed {args.seed}, requested in Zipf order (s = {S}); "
        f"each run walks its own sequence of {args.length:,} requests (seeds {args.seed} to {args.seed + 3}) from "
        f"the start"
    )
    print(
        f"# gunicorn sync workers: {workers_label()}; wrk -t2 -c{args.connections} -d{args.duration}s on the same "
        f"machine; cache: {'Redis ' + args.redis_url if args.redis_url else 'per-process memory'}"
    )
    run = Run(args, files, sequences)
    try:
        if any(run.wants(name) for name in SCENARIOS[:3]):
            run.cached()
        if run.wants("cold"):
            run.uncached()
    finally:
        for path in files.values():
            os.unlink(path)
    failed = run.results.count(False)
    print(f"# {failed} line(s) failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
