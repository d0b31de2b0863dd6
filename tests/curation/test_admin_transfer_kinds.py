"""Every kind's import and export pages in the admin: they render, the export downloads, and an upload
previews and confirms through the same pipeline. Agents and commentary have a column named `kind`."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from curation.models import BatchStatus, ImportBatch
from curation.transfer.formats import KINDS
from curation.transfer.importer import run_import

from .conftest import SAMPLES

pytestmark = pytest.mark.django_db

ORDER = ["agents", "places", "subjects", "events", "units", "sources", "commentary"]
# A new record's unique columns must differ from the copied row's (a unit's number among its parent's units too).
UNIQUE_SUFFIX = {"identifier": "-COPY", "slug": "-copy", "term": " (copy)", "number": "a"}


def _url(kind, action):
    meta = KINDS[kind].model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{action}")


def _export(client, kind) -> list[dict]:
    resource = f"{KINDS[kind].model.__name__}Resource".lower()
    fields = {f"{resource}_{name}": "on" for name in KINDS[kind].header}
    response = client.post(_url(kind, "export"), {"format": "0", "resource": "0", **fields})
    assert response.status_code == 200, response.content[:500]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(rows[0]) == KINDS[kind].header
    return rows


def _with_a_copy(kind, rows) -> bytes:
    copy = dict(rows[0])
    for name, suffix in UNIQUE_SUFFIX.items():
        if copy.get(name):
            copy[name] += suffix
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=KINDS[kind].header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows([*rows, copy])
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_renders_exports_previews_and_confirms(client, importer, rgaspi, kind):
    for earlier in ORDER[: ORDER.index(kind) + 1]:  # the sample collection up to this kind
        with open(SAMPLES / f"{earlier}.csv", "rb") as sample:
            assert run_import(earlier, sample, user=importer).ok
    model = KINDS[kind].model
    client.force_login(importer)
    assert client.get(_url(kind, "changelist")).status_code == 200
    assert client.get(_url(kind, "export")).status_code == 200
    page = client.get(_url(kind, "import"))
    assert page.status_code == 200 and 'name="import_file"' in page.content.decode()
    rows = _export(client, kind)
    count = model.objects.count()

    payload = {"resource": "0", "format": "0", "mode": "upsert", "skip_unchanged": "on"}
    payload["import_file"] = SimpleUploadedFile(f"{kind}.csv", _with_a_copy(kind, rows), "text/csv")
    preview = client.post(_url(kind, "import"), payload)

    assert preview.status_code == 200
    assert f"{len(rows) + 1} rows: 1 to create, 0 to update, {len(rows)} unchanged; 0 errors" in preview.text
    assert model.objects.count() == count
    form = preview.context["confirm_form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["skip_unchanged"] = "on"
    done = client.post(_url(kind, "process_import"), data)

    assert done.status_code == 302
    batch = ImportBatch.objects.filter(dry_run=False).latest("pk")
    assert (batch.kind, batch.status, batch.created, batch.unchanged) == (kind, BatchStatus.SUCCEEDED, 1, len(rows))
    assert model.objects.filter(identifier=rows[0]["identifier"] + "-COPY").exists()
