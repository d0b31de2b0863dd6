"""An AtoM file through the import pipeline's batch, lease and transaction (curation.transfer.importer.run_import
calls import_profile for the profiles): read whole, checked whole, then written in one transaction or not at all."""

import time
from dataclasses import dataclass, field

import psycopg
from django.db import DatabaseError, transaction
from django.utils.translation import gettext_lazy as _

from archive.models import Level
from curation.transfer.importer import _Abort, _finish, _HashingReader, _Progress
from curation.transfer.reading import FileError, open_csv
from curation.transfer.validation import RowError

from .columns import AUTHORITIES, ISAD, by_lower_name

LABELS = {
    **{level.value: level.label for level in Level},
    "item": _("items (sources)"),
    "agents": _("people and organisations"),
    "places": _("places"),
    "subjects": _("subjects"),
}


@dataclass
class Report:
    """What the preview shows beyond the rows: what will be made, matched and kept in notes."""

    made: dict[str, int] = field(default_factory=dict)  # "fonds", "series", "file", "item", "agents"… -> count
    matched: dict[str, int] = field(default_factory=dict)  # access points Opis has already
    created: dict[str, int] = field(default_factory=dict)  # access points the import creates
    homeless: list[str] = field(default_factory=list)  # AtoM columns with no field: kept in notes
    unknown: list[str] = field(default_factory=list)  # columns not in AtoM's template: kept in notes

    def table(self) -> list[tuple[str, int, int | str]]:
        """(what, to create, already in Opis) for the admin's preview, named in the interface language."""
        rows: list[tuple[str, int, int | str]] = [
            (str(LABELS.get(name, name)), count, "") for name, count in self.made.items()
        ]
        for name, count in self.created.items():
            rows.append((str(LABELS[name]), count, self.matched.get(name, 0)))
        return rows

    def summary(self) -> str:
        parts = [f"{count} {name}" for name, count in self.made.items() if count]
        parts += [f"{count} new {name}" for name, count in self.created.items() if count]
        parts += [f"{count} {name} matched" for name, count in self.matched.items() if count]
        text = ", ".join(parts)
        if self.homeless or self.unknown:
            text += f"; kept in notes: {', '.join(self.homeless + self.unknown)}"
        return text


def import_profile(profile, stream, result, user, options, lease, progress) -> None:
    """Like importer._import, for a profile: the file is read to the end, then checked, then written."""
    _mode, dry_run, _skip, encoding, delimiter = options
    batch = result.batch
    started = time.monotonic()
    reader = _HashingReader(stream)
    report = _Progress(lease, batch.pk, progress)
    try:
        with transaction.atomic():
            csv_file = open_csv(reader, encoding=encoding, delimiter=delimiter)
            batch.encoding, batch.delimiter = csv_file.encoding, csv_file.delimiter
            result.header = csv_file.header
            rows = list(csv_file.rows)
            report(len(rows))
            batch.rows = batch.progress = len(rows)
            if not rows:
                result.errors.append(RowError(2, "", "", "The file has a header row but no data rows."))
            else:
                _header_errors(profile.name, csv_file.header, result.errors)
            if not result.errors:
                write = _isad if profile.name == "atom" else _authorities
                write(csv_file.header, rows, result, user, dry_run=dry_run)
            if result.errors or dry_run:
                raise _Abort
            _finish(batch, result, reader, started, dry_run)
            return
    except _Abort:
        pass
    except FileError as exc:
        result.errors.append(RowError(exc.line, exc.column, "", exc.message))
    except (DatabaseError, psycopg.Error) as exc:
        result.errors.append(RowError(0, "", "", f"The database refused the import, nothing was written: {exc}"))
        result.retryable = True
    _finish(batch, result, reader, started, dry_run)


def _header_errors(name: str, header: list[str], errors: list[RowError]) -> None:
    columns = by_lower_name(ISAD if name == "atom" else AUTHORITIES)
    required = ("title", "levelOfDescription") if name == "atom" else ("authorizedFormOfName",)
    for column in required:
        if column.lower() not in header:
            errors.append(RowError(1, column, "", f"Missing required column “{column}”."))
    for column in {c for c in header if header.count(c) > 1}:
        shown = columns[column].name if column in columns else column
        errors.append(RowError(1, shown, shown, f"Column “{shown}” appears more than once."))


def _isad(header, rows, result, user, *, dry_run: bool) -> None:
    from .plan import plan_file
    from .rows import read_rows
    from .write import AtomWriter

    described = read_rows(header, rows, result.errors)
    plan = plan_file(header, described, user=user, errors=result.errors)
    result.report = report = Report(homeless=plan.homeless, unknown=plan.unknown)
    for item in (*plan.units, *plan.sources):
        report.made[item.level] = report.made.get(item.level, 0) + 1
    for name, points in (("agents", plan.agents), ("places", plan.places), ("subjects", plan.subjects)):
        report.matched[name], report.created[name] = len(points.matched), len(points.created)
    _fail_rows(rows, result)
    batch = result.batch
    batch.created = len(plan.units) + len(plan.sources) + sum(report.created.values())
    batch.message = report.summary()[:2000]
    if not result.errors and not dry_run:
        AtomWriter(plan, batch=batch, user=user).write()


def _authorities(header, rows, result, user, *, dry_run: bool) -> None:
    from .authorities import import_authorities

    import_authorities(header, rows, result, user, dry_run=dry_run)
    _fail_rows(rows, result)


def _fail_rows(rows, result) -> None:
    failing = {error.line for error in result.errors}
    result.error_rows = [(line, cells) for line, cells in rows if line in failing]
