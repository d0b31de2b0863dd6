"""python manage.py import_records sources file.csv [--dry-run] [--mode upsert] [--encoding cp1251] [--delimiter ";"]

The kind may also be a profile: atom (AtoM's ISAD(G) CSV) or atom-authorities (its authority-record CSV)."""

import os

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from curation.models import ImportMode
from curation.transfer.errors import format_error, write_error_csv
from curation.transfer.formats import KINDS
from curation.transfer.importer import run_import
from curation.transfer.profiles import PROFILES
from curation.transfer.progress import Progress
from curation.transfer.reading import count_rows

MAX_PRINTED_ERRORS = 200


class Command(BaseCommand):
    help = "Import a CSV file of one kind of record: all rows or none. Exit status 1 on any error."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted([*KINDS, *PROFILES]))
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="Username of the importing curator (rights and stamps).")
        parser.add_argument("--mode", choices=ImportMode.values, default=ImportMode.UPSERT)
        parser.add_argument("--dry-run", action="store_true", help="Validate and count; write nothing.")
        parser.add_argument("--encoding", help="utf-8, utf-8-sig or cp1251 (detected when omitted).")
        parser.add_argument("--delimiter", help="comma, semicolon or tab (detected when omitted).")
        parser.add_argument("--no-skip-unchanged", action="store_true", help="Rewrite rows that match the database.")
        parser.add_argument("--errors-csv", help="Write the failing rows with an error column to this file.")

    def handle(
        self, *args, kind, file, user, mode, dry_run, encoding, delimiter, no_skip_unchanged, errors_csv, **opts
    ):
        try:
            importer = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user “{user}”.") from None
        try:
            stream = open(file, "rb")  # noqa: SIM115 (closed below; streamed, never read whole)
        except OSError as exc:
            raise CommandError(f"Cannot open {file}: {exc.strerror}.") from exc
        with stream:
            total_rows = count_rows(stream) if stream.seekable() else None
            progress = Progress(self.stderr._out, label=f"Importing {kind}", total_rows=total_rows)
            try:
                result = run_import(
                    kind,
                    stream,
                    user=importer,
                    file_name=os.path.basename(file),
                    mode=mode,
                    dry_run=dry_run,
                    skip_unchanged=not no_skip_unchanged,
                    encoding=encoding,
                    delimiter=delimiter,
                    progress=progress,
                    expected_rows=total_rows,
                )
            except PermissionDenied as exc:
                raise CommandError(str(exc)) from exc
            progress.done()
        batch = result.batch
        summary = (
            f"{'Dry run' if dry_run else 'Batch'} #{batch.pk}: {batch.rows} rows, {batch.created} to create, "
            f"{batch.updated} to update, {batch.unchanged} unchanged ({batch.encoding or '?'}, "
            f"delimiter {batch.delimiter!r}, {batch.duration:.1f} s)."
        )
        if result.errors:
            for error in result.errors[:MAX_PRINTED_ERRORS]:
                self.stderr.write(format_error(error.line, error.column, error.value, error.message))
            if len(result.errors) > MAX_PRINTED_ERRORS:
                self.stderr.write(f"… and {len(result.errors) - MAX_PRINTED_ERRORS} more errors.")
            if errors_csv:
                with open(errors_csv, "w", encoding="utf-8-sig", newline="") as out:
                    write_error_csv(batch, out)
                self.stderr.write(f"Failing rows with their errors: {errors_csv}")
            raise CommandError(f"{len(result.errors)} error(s): nothing was written. {summary}")
        if result.report is not None:
            summary += f" {result.report.summary()}."
        if dry_run:
            self.stdout.write(summary)
        else:
            self.stdout.write(summary.replace("to create", "created").replace("to update", "updated"))
