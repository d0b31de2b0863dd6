"""The import batch in the admin: undo shown before it is done, large files imported in the background by their
rows with their progress on the batch page, and the page's buttons and list of the records the batch wrote."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from archive.models import Source
from curation.models import BatchStatus, ImportBatch
from curation.transfer.importer import run_import
from curation.transfer.lease import ImportLease
from tests.factories import SourceFactory, UserFactory

from .conftest import archive_permissions, stream
from .html import find, find_all, page, text
from .test_admin_transfer import upload

pytestmark = pytest.mark.django_db


def undo_url(batch) -> str:
    return reverse("admin:curation_importbatch_undo", args=[batch.pk])


@pytest.fixture
def imported(importer, rgaspi):
    """A batch that created N-1 and changed C-1's title and date."""
    SourceFactory(identifier="C-1", title="The old title", date_edtf="1934", repository=rgaspi)
    data = "identifier,title,repository,date_edtf\nN-1,A new source,RGASPI,\nC-1,A new title,RGASPI,1936-03\n"
    return run_import("sources", stream(data), user=importer, file_name="changes.csv").batch


# -- undo: a confirmation page first ------------------------------------------------------------


def test_undo_asked_for_shows_what_it_would_change_and_changes_nothing(client, importer, imported):
    client.force_login(importer)

    response = client.get(undo_url(imported))

    assert response.status_code == 200
    html = page(response)
    assert text(find(html, "ul", id="undo-deleted")) == "N-1"
    restored = find(html, "ul", id="undo-restored")
    rows = [[text(cell) for cell in find_all(row, "td")] for row in find_all(find(restored, "tbody"), "tr")]
    assert rows == [["A new title", "The old title"], ["1936-03", "1934"]]
    assert find(html, "form", action=undo_url(imported))
    assert find(html, "input", id="confirm-undo", type="submit")
    imported.refresh_from_db()
    assert imported.status == BatchStatus.SUCCEEDED
    assert Source.objects.filter(identifier="N-1").exists()
    assert Source.objects.get(identifier="C-1").title == "A new title"


def test_undo_is_done_by_the_post_of_its_confirmation_page(client, importer, imported):
    client.force_login(importer)

    response = client.post(undo_url(imported))

    assert response.status_code == 302 and response["Location"] == imported.get_absolute_url()
    imported.refresh_from_db()
    assert imported.status == BatchStatus.UNDONE and imported.undone_by == importer
    assert not Source.objects.filter(identifier="N-1").exists()
    assert Source.objects.get(identifier="C-1").title == "The old title"
    shown = client.get(response["Location"]).content.decode()
    assert f"Import batch #{imported.pk} undone: 1 deleted, 1 restored." in shown


def test_undo_needs_the_import_right_of_the_batch_kind(client, imported):
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.set(archive_permissions("view_", "change_", "import_agent"))
    client.force_login(viewer)

    assert client.get(undo_url(imported)).status_code == 403
    assert client.post(undo_url(imported)).status_code == 403
    imported.refresh_from_db()
    assert imported.status == BatchStatus.SUCCEEDED and Source.objects.filter(identifier="N-1").exists()


def test_an_undo_that_would_be_refused_says_why_and_offers_no_button(client, importer, imported):
    source = Source.objects.get(identifier="C-1")
    source.title = "Edited by a curator since"
    source.version += 1
    source.save()
    client.force_login(importer)

    html = page(client.get(undo_url(imported)))

    assert "records changed after this import would be overwritten: C-1 (edited since" in text(
        find(html, "p", class_="opis-undo-refusal")
    )
    assert not find_all(html, "input", id="confirm-undo")
    client.post(undo_url(imported))
    imported.refresh_from_db()
    assert imported.status == BatchStatus.SUCCEEDED


def test_a_large_undo_is_counted_in_full_and_lists_its_first_records(client, importer, rgaspi):
    data = "identifier,title,repository\n" + "".join(f"M-{n:04},Title {n},RGASPI\n" for n in range(120))
    batch = run_import("sources", stream(data), user=importer).batch
    client.force_login(importer)

    html = page(client.get(undo_url(batch)))

    assert [text(item) for item in find_all(find(html, "ul", id="undo-deleted"), "li")] == [
        f"M-{n:04}" for n in range(50)
    ]
    body = text(html)
    assert "120 records to delete" in body and "The first 50 are listed." in body


# -- the batch page ---------------------------------------------------------------------------------


def test_the_batch_page_offers_undo_lists_its_records_and_has_no_view_on_site(client, importer, imported):
    client.force_login(importer)

    html = page(client.get(imported.get_absolute_url()))

    assert dict(find(html, "a", id="undo-batch").attributes)["href"] == undo_url(imported)
    links = {text(a): dict(a.attributes)["href"] for a in find_all(find(html, "section", id="records"), "a")}
    assert links == {
        "N-1": reverse("admin:archive_source_change", args=[Source.objects.get(identifier="N-1").pk]),
        "C-1": reverse("admin:archive_source_change", args=[Source.objects.get(identifier="C-1").pk]),
    }
    assert not find_all(html, "a", class_="viewsitelink")
    assert "View on site" not in text(html)


def test_the_batch_page_lists_its_records_a_page_at_a_time(client, importer, rgaspi):
    data = "identifier,title,repository\n" + "".join(f"M-{n:04},Title {n},RGASPI\n" for n in range(120))
    batch = run_import("sources", stream(data), user=importer).batch
    client.force_login(importer)

    first = page(client.get(batch.get_absolute_url()))
    third = page(client.get(batch.get_absolute_url() + "?records=3"))

    def identifiers(html):
        return [text(a) for a in find_all(find(find(html, "section", id="records"), "tbody"), "a")]

    assert identifiers(first) == [f"M-{n:04}" for n in range(50)]
    assert identifiers(third) == [f"M-{n:04}" for n in range(100, 120)]
    assert "120 records this import wrote" in text(first) and "Page 3 of 3" in text(third)


def test_an_undone_batch_offers_no_undo_and_names_its_deleted_records_without_a_link(client, importer, imported):
    client.force_login(importer)
    client.post(undo_url(imported))

    html = page(client.get(imported.get_absolute_url()))

    assert not find_all(html, "a", id="undo-batch")
    records = find(html, "section", id="records")
    assert [text(a) for a in find_all(records, "a")] == ["C-1"]
    assert "N-1 (deleted since)" in text(records)


def test_a_user_without_the_import_right_sees_no_undo_button(client, imported):
    viewer = UserFactory(username="viewer", is_staff=True, is_superuser=False)
    viewer.user_permissions.set(archive_permissions("view_", "import_agent"))
    client.force_login(viewer)

    html = page(client.get(imported.get_absolute_url()))

    assert not find_all(html, "a", id="undo-batch")


# -- large files: to the background by their rows, with progress ------------------------------------


def _rows(count: int, width: int = 10) -> bytes:
    return (
        "identifier,title,repository\n" + "".join(f"R-{n:05},{'T' * width},RGASPI\n" for n in range(count))
    ).encode()


def test_a_file_of_more_rows_than_the_setting_is_imported_in_the_background_whatever_its_size(
    client, importer, rgaspi, settings
):
    settings.OPIS_IMPORT_BACKGROUND_ROWS = 100
    client.force_login(importer)

    many_short = upload(client, "many.csv", _rows(101, width=1))  # 101 rows in 2 KB

    batch = ImportBatch.objects.get()
    assert many_short.status_code == 302 and many_short["Location"] == batch.get_absolute_url()
    assert (batch.status, batch.dry_run, batch.expected_rows) == (BatchStatus.QUEUED, True, 101)


def test_a_file_of_few_long_rows_is_previewed_in_the_request(client, importer, rgaspi, settings):
    settings.OPIS_IMPORT_BACKGROUND_ROWS = 100
    client.force_login(importer)

    few_long = upload(client, "long.csv", _rows(100, width=400))  # 100 rows in 40 KB

    assert few_long.status_code == 200 and "confirm_form" in few_long.context
    assert ImportBatch.objects.get().status == BatchStatus.PREVIEWED


def test_the_default_threshold_is_two_thousand_rows():
    from django.conf import settings

    assert settings.OPIS_IMPORT_BACKGROUND_ROWS == 2000


def test_the_progress_of_a_batch_as_json(client, importer):
    with ImportLease() as lease:
        batch = ImportBatch.objects.create(
            kind="sources",
            status=BatchStatus.RUNNING,
            lease_key=lease.key,
            progress=12000,
            expected_rows=20000,
            user=importer,
        )
        client.force_login(importer)

        running = client.get(reverse("admin:curation_importbatch_progress", args=[batch.pk])).json()

    assert running == {
        "status": "running",
        "status_label": "Running",
        "running": True,
        "rows": 12000,
        "total": 20000,
        "percent": 60,
        "text": "Running: 12,000 of 20,000 rows read.",
    }
    # The lease is free now: the batch's process is gone, and the next poll says the batch has ended.
    ended = client.get(reverse("admin:curation_importbatch_progress", args=[batch.pk])).json()
    assert (ended["status"], ended["running"]) == ("failed", False)


def test_the_progress_json_needs_the_right_to_see_batches(client, importer):
    batch = ImportBatch.objects.create(kind="sources", status=BatchStatus.QUEUED, user=importer)
    outsider = UserFactory(username="outsider", is_staff=True)
    client.force_login(outsider)

    assert client.get(reverse("admin:curation_importbatch_progress", args=[batch.pk])).status_code == 403


def test_a_running_batch_page_follows_its_progress_with_a_script_under_the_csp(client, importer):
    batch = ImportBatch.objects.create(kind="sources", status=BatchStatus.QUEUED, expected_rows=20000, user=importer)
    client.force_login(importer)

    response = client.get(batch.get_absolute_url())

    html = page(response)
    section = find(html, "section", id="batch-progress")
    assert dict(section.attributes)["data-url"] == reverse("admin:curation_importbatch_progress", args=[batch.pk])
    scripts = [dict(s.attributes).get("src", "") for s in find_all(html, "script")]
    assert "/static/curation/batch-progress.js" in scripts
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_command_line_import_records_the_rows_its_progress_is_measured_against(importer, rgaspi, tmp_path):
    path = tmp_path / "rows.csv"
    path.write_bytes(_rows(30))

    call_command("import_records", "sources", str(path), user="importer", stdout=io.StringIO())

    assert ImportBatch.objects.get().expected_rows == 30
