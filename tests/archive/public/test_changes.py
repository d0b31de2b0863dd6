"""The change log by tag (archive/public/changes.py): a change names what it touched; something built before it
is stale only if it shows one of those, from the moment the change commits, folded or not."""

import pytest
from django.db import connection, transaction

from archive.models import PublicChange, PublicTag
from archive.public.changes import changes_since, stale, tags_of
from archive.public.generation import CHANGED_TAGS, fold, public_changed, read
from tests.connections import on_another_connection
from tests.factories import SourceFactory


def insert_unfolded(tags):
    with connection.cursor() as cursor:
        cursor.execute(CHANGED_TAGS, [tags])


@pytest.mark.django_db(transaction=True)
def test_a_committed_change_makes_stale_only_what_shows_its_tags_and_stamps_them_when_folded():
    built = read()
    public_changed(tags=["source:1", "list:source"])
    assert stale(["source:1"], built) and stale(["list:source", "event:2"], built)
    assert not stale(["source:2", "event:1"], built)
    assert stale(["*"], built) and stale([], built)  # what shows everything, or declares nothing
    assert PublicChange.objects.count() == 0  # folded after the commit (autocommit here)
    assert PublicTag.objects.get(tag="source:1").changed > built
    assert not stale(["source:1"], read())  # built after the change: fresh


@pytest.mark.django_db(transaction=True)
def test_an_unfolded_row_counts_as_newer_than_anything_built():
    insert_unfolded(["event:3"])
    built = read()  # read after the row committed: still, its generation is not known until the fold
    assert stale(["event:3"], built) and not stale(["event:4"], built)
    fold()
    assert not stale(["event:3"], built)  # the fold stamps it with the generation read at that time


@pytest.mark.django_db(transaction=True)
def test_a_change_without_tags_changes_everything():
    built = read()
    insert_unfolded(["*"])
    assert stale(["source:9"], built)
    fold()
    assert stale(["source:9"], built) and changes_since(built) is None


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_everything_fresh():
    built = read()
    with pytest.raises(RuntimeError), transaction.atomic():
        public_changed(tags=["source:1"])
        raise RuntimeError("the import failed")
    assert not stale(["source:1"], built) and changes_since(built) == set()


@pytest.mark.django_db(transaction=True)
def test_a_change_is_stale_for_another_connection_only_once_committed():
    built = read()
    with transaction.atomic():
        public_changed(tags=["source:5"])
        assert not on_another_connection(lambda: stale(["source:5"], built))
    assert on_another_connection(lambda: stale(["source:5"], built))


@pytest.mark.django_db(transaction=True)
def test_changes_since_reads_folded_and_unfolded_tags():
    built = read()
    public_changed(tags=["source:1", "list:source"])
    insert_unfolded(["event:2"])
    assert changes_since(built) == {"source:1", "list:source", "event:2"}
    later = read()
    fold()
    assert changes_since(later) == set()  # event:2 was counted in `later` (unfolded, committed before it was read)


@pytest.mark.django_db(transaction=True)
def test_too_many_tags_are_everything():
    built = read()
    public_changed(tags=[f"source:{n}" for n in range(50_001)])
    assert changes_since(built) is None


@pytest.mark.django_db
def test_tags_of_records_models_and_strings():
    source = SourceFactory()
    assert tags_of(source, type(source), "event:1", [source.repository]) == {
        f"source:{source.pk}",
        "list:source",
        "event:1",
        f"repository:{source.repository_id}",
    }
