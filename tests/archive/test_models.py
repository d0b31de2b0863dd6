from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from archive.models import Commentary, Event, Source, Status
from tests.factories import CommentaryFactory, EventFactory, PlaceFactory, SourceFactory

pytestmark = pytest.mark.django_db


def _violates(constraint_name: str, update):
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        update()
    assert constraint_name in str(excinfo.value) or "CHECK constraint failed" in str(excinfo.value)


@pytest.mark.parametrize("model, factory", [(Source, SourceFactory), (Event, EventFactory)])
def test_status_outside_the_choices_is_refused_by_the_database(model, factory):
    obj = factory()
    _violates(
        f"archive_{model._meta.model_name}_status_valid",
        lambda: model.objects.filter(pk=obj.pk).update(status="secret"),
    )


def test_commentary_status_outside_the_choices_is_refused():
    note = CommentaryFactory()
    _violates("archive_commentary_status_valid", lambda: Commentary.objects.filter(pk=note.pk).update(status="x"))


def test_published_needs_a_publication_time():
    source = SourceFactory()
    _violates(
        "archive_source_published_has_date",
        lambda: Source.objects.filter(pk=source.pk).update(status=Status.PUBLISHED, published_at=None),
    )
    source.status = Status.PUBLISHED
    with pytest.raises(ValidationError) as excinfo:
        source.full_clean()
    assert "published_at" in excinfo.value.message_dict


def test_dates_must_match_their_edtf():
    source = SourceFactory(date_edtf="1936-03-12")
    _violates(
        "archive_source_dates_consistent",
        lambda: Source.objects.filter(pk=source.pk).update(date_start=None),
    )


def test_commentary_needs_exactly_one_target():
    note = CommentaryFactory()
    event = EventFactory()
    _violates(
        "archive_commentary_exactly_one_target",
        lambda: Commentary.objects.filter(pk=note.pk).update(event=event),
    )
    _violates(
        "archive_commentary_exactly_one_target",
        lambda: Commentary.objects.filter(pk=note.pk).update(source=None),
    )


def test_commentary_clean_mirrors_the_target_constraint():
    note = CommentaryFactory.build(source=None, event=None)
    with pytest.raises(ValidationError, match="exactly one source or one event"):
        note.clean()


def test_commentary_clean_accepts_a_source_not_yet_saved_and_still_refuses_two_targets():
    # A note typed under a new source is checked before the source has a key.
    source = SourceFactory.build()
    CommentaryFactory.build(source=source, event=None).clean()
    with pytest.raises(ValidationError, match="exactly one source or one event"):
        CommentaryFactory.build(source=source, event=EventFactory.build()).clean()


def test_identifier_is_unique():
    SourceFactory(identifier="RGASPI-558-11-123")
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceFactory(identifier="RGASPI-558-11-123")


def test_place_coordinates_come_in_pairs():
    place = PlaceFactory()
    _violates(
        "archive_place_coordinates_valid",
        lambda: type(place).objects.filter(pk=place.pk).update(latitude=47.9),
    )


def test_event_cannot_be_its_own_parent():
    event = EventFactory()
    _violates("archive_event_not_own_parent", lambda: Event.objects.filter(pk=event.pk).update(parent=event))


def test_published_shows_only_published_records_whose_time_has_come():
    now = timezone.now()
    visible = SourceFactory(status=Status.PUBLISHED, published_at=now - timedelta(minutes=1))
    SourceFactory(status=Status.PUBLISHED, published_at=now + timedelta(days=1))  # scheduled
    SourceFactory(status=Status.DRAFT)
    SourceFactory(status=Status.REVIEW)
    SourceFactory(status=Status.WITHDRAWN, published_at=now - timedelta(days=1))
    assert list(Source.objects.published()) == [visible]


def test_commentary_body_is_rendered_and_sanitised_on_save():
    note = CommentaryFactory(body="**Bold** <script>alert(1)</script> [x](javascript:alert(1))")
    assert "<strong>Bold</strong>" in note.body_html
    assert "<script" not in note.body_html
    assert "javascript:" not in note.body_html


def test_every_model_links_to_its_public_page():
    source = SourceFactory(slug="protocol-1936")
    assert source.get_absolute_url() == "/sources/protocol-1936/"
    assert EventFactory(slug="khalkhin-gol").get_absolute_url() == "/events/khalkhin-gol/"


def test_markup_is_refused_in_plain_text_as_the_csv_import_refuses_it():
    """What the admin saves must export and import back: both doors refuse HTML in text."""
    from django.core.exceptions import ValidationError

    from tests.factories import CommentaryFactory, SourceFactory

    source = SourceFactory.build(title="Report <b>urgent</b>", transcription="Товарищ <неразборчиво> доложил <...>")
    with pytest.raises(ValidationError) as refused:
        source.full_clean(exclude=["repository", "slug"])
    assert list(refused.value.message_dict) == ["title"]  # the editorial marks in the transcription are fine
    assert "Contains HTML markup (<b>)" in refused.value.message_dict["title"][0]

    note = CommentaryFactory(body="See <script>alert(1)</script> in the file")
    with pytest.raises(ValidationError) as refused:
        note.full_clean()
    assert list(refused.value.message_dict) == ["body"]
