"""The facet index: a build against an update from the change log, for 1, 100 and 20,000 changed sources.

    .venv/bin/python -m bench.facet_update --database-url postgres://postgres@127.0.0.1:5432/opis_bench

Read-only: nothing is written to the database. Each change set is synthetic: random sources (published or not)
named by their tags, with the tags of the records they link to, as a save of each would name them; the update
reads those sources again as they are, which is the work of an update after they changed (drop their positions,
read their rows and links, insert the published ones, place them in both orders, read the named records' keys).
Change sets above the update threshold (facet_update.too_many: a build is chosen then) are timed all the same,
the threshold lifted, and marked. Each updated index is checked against the build (its list in every order).
"""

import argparse
import os
import platform
import random
import statistics
import sys
import time


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--changed", default="1,100,20000", help="sizes of the change sets, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args(argv)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    import numpy as np
    from django.utils import timezone

    from archive.models import Source
    from archive.public import facet_update
    from archive.public.facet_index import MULTI, build

    now = timezone.now()
    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        index = build(now)
        timings.append(time.perf_counter() - started)
    print(
        f"command: {' '.join([os.path.basename(sys.executable), '-m', 'bench.facet_update', *(argv or sys.argv[1:])])}"
    )
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores; python {platform.python_version()}")
    print(f"index: {index.size} published sources; build {statistics.median(timings):.2f} s (median of {args.repeat})")
    rng = random.Random(args.seed)
    every = list(Source.objects.order_by("pk").values_list("pk", flat=True))
    for size in (int(part) for part in args.changed.split(",")):
        chosen = rng.sample(every, min(size, len(every)))
        tags = {f"source:{pk}" for pk in chosen}
        for through, owner, value, model, _ in MULTI.values():
            links = through._default_manager.filter(**{f"{owner}__in": chosen}).values_list(value, flat=True)
            tags |= {f"{model._meta.model_name}:{pk}" for pk in set(links)}
        over = facet_update.too_many(size, index.size)
        facet_update.UPDATE_MOST = facet_update.UPDATE_LEAST = 10**9  # timed even where a build is chosen
        timings = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            updated = facet_update.update(index, tags, now, index.generation + 1)
            timings.append(time.perf_counter() - started)
        equal = all(
            np.array_equal(
                updated.ordered_ids(np.arange(updated.size), sort), index.ordered_ids(np.arange(index.size), sort)
            )
            for sort in ("date", "-date", "title")
        )
        print(
            f"{size:>6} changed sources ({len(tags) - size} linked records named): update "
            f"{statistics.median(timings) * 1000:.0f} ms (median of {args.repeat}); same lists as the build: {equal}"
            + ("; above the threshold: a list builds instead" if over else "")
        )


if __name__ == "__main__":
    main()
