"""python manage.py export_records sources [--published-only] [-o file.csv] [--excel]
python manage.py export_records units [--repository CODE] [--under IDENTIFIER] ..."""

import sys

from django.core.management.base import BaseCommand, CommandError

from archive.models import Unit
from curation.transfer.exporting import units_under, write_csv
from curation.transfer.formats import KINDS
from curation.transfer.progress import Progress


class Command(BaseCommand):
    help = "Export one kind of record as CSV, in the columns its import reads. Formulae are escaped."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("-o", "--output", help="File to write (standard output when omitted).")
        parser.add_argument("--published-only", action="store_true", help="Only what the public sees.")
        parser.add_argument("--excel", action="store_true", help="UTF-8 with BOM and semicolons, for Excel.")
        parser.add_argument("--repository", metavar="CODE", help="units: only the units of this repository.")
        parser.add_argument(
            "--under", metavar="IDENTIFIER", help="units: only this unit and those under it (a fonds and its tree)."
        )

    def handle(self, *args, kind, output, published_only, excel, repository, under, **options):
        spec = KINDS[kind]
        queryset = spec.model.objects.all()
        if published_only:
            if not spec.editorial:
                raise CommandError(f"{kind} have no publication status; export them without --published-only.")
            queryset = spec.model.objects.published()
        if (repository or under) and kind != "units":
            raise CommandError("--repository and --under choose units; export other kinds without them.")
        if repository:
            queryset = queryset.filter(repository__code=repository)
        if under:
            unit = Unit.objects.filter(identifier=under).first()
            if unit is None:
                raise CommandError(f"No unit with the identifier “{under}”.")
            queryset = queryset & units_under(unit)
        encoding = "utf-8-sig" if excel else "utf-8"
        delimiter = ";" if excel else ","
        progress = Progress(sys.stderr, label=f"Exporting {kind}")
        if output:
            with open(output, "w", encoding=encoding, newline="") as out:
                count = write_csv(spec, queryset, out, delimiter=delimiter, progress=progress)
            progress.done()
            self.stderr.write(f"{count} {kind} written to {output}.")
        else:
            write_csv(spec, queryset, _Unterminated(self.stdout), delimiter=delimiter)


class _Unterminated:
    """The command's stdout without its added line ending: the CSV writer ends rows itself."""

    def __init__(self, out):
        self.out = out

    def write(self, text: str) -> None:
        self.out.write(text, ending="")
