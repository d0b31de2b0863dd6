"""The public generation (archive/public/generation.py), seen from two connections: it moves when a change commits,
for every connection at once, never before and never for a rollback. Outside a request, `generation()` reads it
now."""

import pytest
from django.db import connection, transaction

from archive.models import PublicChange
from archive.public.cache import generation, public_changed
from archive.public.generation import CHANGED, fold
from tests.connections import on_another_connection
from tests.factories import SourceFactory


@pytest.mark.django_db(transaction=True)
def test_a_change_moves_the_generation_when_its_transaction_commits_not_before():
    before = generation()
    with transaction.atomic():
        SourceFactory(published=True)
        assert on_another_connection(generation) == before  # not committed: another connection reads the old one
        assert generation() != before  # the writer itself reads its change
    assert on_another_connection(generation) != before
    assert generation() != before


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_never_moves_it():
    before = generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        public_changed()
        SourceFactory(published=True)
        raise RuntimeError("the import failed")
    assert generation() == on_another_connection(generation) == before


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_savepoint_takes_only_its_own_change():
    before = generation()
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            public_changed()
            raise RuntimeError("one row refused")
        assert on_another_connection(generation) == before
        public_changed()
    assert on_another_connection(generation) != before
    assert PublicChange.objects.count() == 0  # folded after the commit (the fold queued in the savepoint went with it)


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_moves_at_once():
    before = generation()
    public_changed()
    assert on_another_connection(generation) != before


@pytest.mark.django_db(transaction=True)
def test_folding_never_lowers_it_and_a_change_after_it_still_moves_it():
    with connection.cursor() as cursor:
        for _ in range(3):
            cursor.execute(CHANGED)  # changes committed, not yet folded
    unfolded = generation()
    fold()
    folded = generation()
    assert folded >= unfolded and PublicChange.objects.count() == 0
    public_changed()
    assert generation() > folded


@pytest.mark.django_db
def test_an_edit_moves_it_for_the_writer_before_the_commit():
    source = SourceFactory(published=True)
    before = generation()
    source.title = "New title"
    source.save()
    assert generation() != before
