"""django-import-export Resources, one per kind, so the admin's import and export buttons work.

They are thin doors onto curation.transfer: import_data() hands the uploaded bytes to the same pipeline
the command line uses (detection, full validation, bulk writes, batches) and translates its result into
import-export's Result for the preview; export() writes the same escaped columns as export_records.
"""

import csv
import io

import tablib
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from import_export import fields, resources
from import_export.formats import base_formats
from import_export.results import Error, Result, RowResult

from curation.models import ImportMode
from curation.transfer.exporting import export_rows
from curation.transfer.formats import KINDS, Kind
from curation.transfer.importer import ImportResult, run_import


class UploadedCsv(tablib.Dataset):
    """The upload as it came, undecoded: our reader detects its encoding and delimiter."""

    def __init__(self, raw: bytes):
        super().__init__()
        self.raw = raw

    def __bool__(self):
        return bool(self.raw)


class OpisCSV(base_formats.CSV):
    """CSV in: bytes for our reader (UTF-8, UTF-8 BOM, Windows-1251; comma, semicolon, tab).
    CSV out: UTF-8 with BOM so Excel reads Cyrillic, cells already formula-escaped by the Resource."""

    def get_title(self):
        return "csv"

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        return UploadedCsv(in_stream if isinstance(in_stream, bytes) else in_stream.encode("utf-8"))

    def export_data(self, dataset, **kwargs):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(dataset.headers)
        writer.writerows(dataset)
        return "\ufeff" + out.getvalue()


class TransferResource(resources.Resource):
    # Set after the class is made (see _resource_for): agents and commentary have a CSV column named "kind".
    transfer_kind: Kind

    def __init__(self, **kwargs):
        super().__init__()
        self.options = kwargs

    @classmethod
    def get_display_name(cls):
        return f"{cls.transfer_kind.name} (Opis CSV)"

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        raw = dataset.raw if isinstance(dataset, UploadedCsv) else dataset.export("csv").encode("utf-8")
        result = run_import(
            self.transfer_kind.name,
            io.BytesIO(raw),
            user=kwargs["user"],
            file_name=kwargs.get("file_name") or "",
            mode=kwargs.get("mode") or ImportMode.UPSERT,
            dry_run=dry_run,
            skip_unchanged=kwargs.get("skip_unchanged", True),
            encoding=kwargs.get("encoding") or None,
            delimiter=kwargs.get("delimiter") or None,
        )
        return to_result(self.transfer_kind, result)

    def export(self, queryset=None, **kwargs):
        kind = self.transfer_kind
        queryset = kind.model.objects.all() if queryset is None else queryset
        rows = export_rows(kind, queryset)
        header = next(rows)
        selected = kwargs.get("export_fields")
        keep = [i for i, name in enumerate(header) if not selected or name in selected]
        dataset = tablib.Dataset(headers=[header[i] for i in keep])
        for cells in rows:
            dataset.append([cells[i] for i in keep])
        return dataset


def to_result(kind: Kind, imported: ImportResult) -> Result:
    """Our result in import-export's terms: file errors as base errors, row errors as invalid rows
    (all of a row's errors together), and for a clean file the diff of the first rows."""
    result = Result()
    result.opis_batch = imported.batch
    result.opis_import = imported  # the admin's preview table is built from it (curation.admin.import_preview)
    result.diff_headers = kind.header
    header = imported.header or kind.header
    result.add_dataset_headers(header)
    rows_by_line = dict(imported.error_rows)
    by_line: dict[int, dict[str, list[str]]] = {}
    for error in sorted(imported.errors, key=lambda error: error.line):
        if error.line in rows_by_line:
            message = f"“{error.value}”: {error.message}" if error.value else error.message
            by_line.setdefault(error.line, {}).setdefault(error.column or "__all__", []).append(message)
        else:
            where = f"Line {error.line}, column {error.column}: " if error.column else f"Line {error.line}: "
            result.append_base_error(Error(ValueError(where + error.message)))
    for line, messages in by_line.items():
        cells = rows_by_line[line]
        values = dict(zip(header, cells, strict=False))
        result.append_invalid_row(line, {name: values.get(name, "") for name in kind.header}, ValidationError(messages))
    if not imported.errors:
        for plan in imported.preview:
            result.append_row_result(_row_result(kind, header, plan))
    batch = imported.batch
    result.totals.update(
        {
            RowResult.IMPORT_TYPE_NEW: batch.created,
            RowResult.IMPORT_TYPE_UPDATE: batch.updated,
            RowResult.IMPORT_TYPE_SKIP: batch.unchanged,
            RowResult.IMPORT_TYPE_INVALID: len(by_line),
            RowResult.IMPORT_TYPE_ERROR: len(result.base_errors),
        }
    )
    return result


def _row_result(kind, header, plan) -> RowResult:
    row = RowResult()
    row.import_type = {"create": "new", "update": "update", "unchanged": "skip"}[plan.action]
    row.object_repr = plan.identifier
    cells = dict(zip(header, plan.raw, strict=False))
    row.diff = [_diff_cell(name, plan, cells) for name in kind.header]
    return row


def _diff_cell(name, plan, cells):
    new = str(cells.get(name, ""))[:300]
    if plan.action == "update" and name in plan.before:
        return format_html("<del>{}</del> <ins>{}</ins>", plan.before[name][:300], new)
    return new  # plain text: the template escapes it (escaping it here too showed &amp;#x27; to curators)


def _resource_for(kind: Kind) -> type[TransferResource]:
    """A Resource whose fields are the kind's columns. The metaclass takes them out of the class namespace,
    so a column may have any name; the kind itself is set afterwards, where no column can overwrite it."""
    attrs = {name: fields.Field(attribute=None, column_name=name) for name in kind.header}
    resource = type(f"{kind.model.__name__}Resource", (TransferResource,), {"__module__": __name__, **attrs})
    resource.transfer_kind = kind
    return resource


SourceResource = _resource_for(KINDS["sources"])
UnitResource = _resource_for(KINDS["units"])
EventResource = _resource_for(KINDS["events"])
CommentaryResource = _resource_for(KINDS["commentary"])
AgentResource = _resource_for(KINDS["agents"])
PlaceResource = _resource_for(KINDS["places"])
SubjectResource = _resource_for(KINDS["subjects"])
