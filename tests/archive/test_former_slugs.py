"""The database keeps a renamed record's old slugs, and forgets them with the record, however it is deleted."""

import pytest
from django.db import connection

from archive.models import FormerSlug, Source
from tests.factories import EventFactory, SourceFactory

KHALKHIN_GOL, BATTLES = "Battles of Khalkhin Gol", "1939-05-11/1939-09-16"
pytestmark = pytest.mark.django_db


def test_a_rename_records_the_old_slug_and_the_latest_holder_keeps_it():
    first = SourceFactory(slug="telegram")
    Source.objects.filter(pk=first.pk).update(slug="telegram-76")
    second = SourceFactory(slug="telegram")
    Source.objects.filter(pk=second.pk).update(slug="telegram-77")
    assert FormerSlug.objects.get(slug="telegram").source == second


def test_sources_and_events_keep_their_old_slugs_apart():
    source, event = (
        SourceFactory(slug="khalkhin-gol"),
        EventFactory(slug="khalkhin-gol", name=KHALKHIN_GOL, date_edtf=BATTLES),
    )
    source.slug, event.slug = "khalkhin-gol-report", "battles-of-khalkhin-gol"
    source.save()
    event.save()
    assert {(former.source_id, former.event_id) for former in FormerSlug.objects.filter(slug="khalkhin-gol")} == {
        (source.pk, None),
        (None, event.pk),
    }


def test_a_raw_delete_takes_the_old_slugs_with_it():
    source = SourceFactory(slug="telegram")
    Source.objects.filter(pk=source.pk).update(slug="telegram-76")
    with connection.cursor() as cursor:  # the foreign keys checked now, not at a commit the test never makes
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    queryset = Source.objects.filter(pk=source.pk)
    queryset._raw_delete(queryset.db)  # as an import's undo deletes: without Django's collector
    assert not FormerSlug.objects.exists()
