"""A full OAI-PMH harvest of the bench collection, page after page to the end, as a harvester does it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opis_bench .venv/bin/python -m bench.oai_harvest
    options: --verb ListRecords|ListIdentifiers  --page-size 200  --from 2000-01-01 (a list bounded in time)
             --prefix oai_dc|ead3 (ead3: every published fonds, OPIS_OAI_EAD3_PAGE_SIZE a ListRecords page)

Fill the database first (.venv/bin/python -m bench.generate --sources 1000000). Requests go through Django in
this process (no HTTP), so the figures are the server's own cost per page: the rate in records per second, and
the time of the first and the last tenth of the pages, which stay the same when a page's cost does not grow with
its position. The CPU time of this process (Django's part, without PostgreSQL's) is printed
too: on a shared machine it says more than the wall clock. Read-only. Not a test: nothing asserts.
"""

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from lxml import etree  # noqa: E402

NS = {"oai": "http://www.openarchives.org/OAI/2.0/"}


def harvest(client: Client, verb: str, first: dict) -> tuple[list[float], int, int]:
    """Times of every page, records and deleted records seen."""
    params, times, records, deleted = {"verb": verb, **first}, [], 0, 0
    while True:
        start = time.perf_counter()
        response = client.get("/oai/", params)
        times.append(time.perf_counter() - start)
        tree = etree.fromstring(response.content)
        error = tree.find("oai:error", NS)
        if error is not None:
            raise SystemExit(f"{error.get('code')}: {error.text}")
        headers = tree.findall(".//oai:header", NS)
        records += len(headers)
        deleted += sum(header.get("status") == "deleted" for header in headers)
        token = tree.findtext(".//oai:resumptionToken", namespaces=NS)
        if not token:
            return times, records, deleted
        params = {"verb": verb, "resumptionToken": token}
        if len(times) % 500 == 0:
            print(f"  … {records:,} records, {len(times):,} pages", file=sys.stderr)


def milliseconds(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verb", choices=["ListRecords", "ListIdentifiers"], default="ListRecords")
    parser.add_argument("--page-size", type=int, default=settings.OPIS_OAI_PAGE_SIZE)
    parser.add_argument("--from", dest="lower", help="harvest from this date (a list bounded in time)")
    parser.add_argument("--prefix", choices=["oai_dc", "ead3"], default="oai_dc")
    args = parser.parse_args(argv)
    settings.OPIS_OAI_PAGE_SIZE = args.page_size
    if args.prefix == "ead3" and args.verb == "ListRecords":
        args.page_size = settings.OPIS_OAI_EAD3_PAGE_SIZE
    settings.OPIS_PUBLIC_STATEMENT_TIMEOUT_MS = 0  # the bench measures; it is not a visitor to protect against
    first = {"metadataPrefix": args.prefix, **({"from": args.lower} if args.lower else {})}
    start, cpu = time.perf_counter(), time.process_time()
    times, records, deleted = harvest(Client(), args.verb, first)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    tenth = max(1, len(times) // 10)
    print(f"command: {' '.join(sys.argv)}  (database {settings.DATABASES['default']['NAME']})")
    print(f"{args.verb} {args.prefix}, {args.page_size} a page{', from ' + args.lower if args.lower else ''}:")
    print(f"  {records:,} records ({deleted:,} deleted) in {len(times):,} pages, {elapsed:.1f} s")
    print(f"  rate: {records / elapsed:,.0f} records/s (load average {os.getloadavg()[0]:.1f} at the end)")
    print(f"  Django's own CPU time: {cpu:.1f} s, {records / cpu:,.0f} records per CPU second (PostgreSQL's apart)")
    print(f"  first tenth of the pages: {milliseconds(times[:tenth])}")
    print(f"  last tenth of the pages:  {milliseconds(times[-tenth:])}")


if __name__ == "__main__":
    main()
