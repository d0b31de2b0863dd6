from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from archive.models import Commentary, Event, Source, Status
from tests.factories import CommentaryFactory, EventFactory, PlaceFactory, RepositoryFactory, SourceFactory, unit_path

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


def test_an_archival_reference_needs_its_repository():
    source = SourceFactory(repository=None, publication="Foreign Relations of the United States, 1935, vol. III")
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.filter(pk=source.pk).update(unit=unit_path("558"))
    source.unit = unit_path("558")
    with pytest.raises(ValidationError) as excinfo:
        source.full_clean()
    assert "repository" in excinfo.value.message_dict


def test_a_source_unit_is_in_the_source_repository():
    source = SourceFactory(unit=unit_path("R-5446", repository=RepositoryFactory(code="GARF", name="GARF")))
    with pytest.raises(ValidationError) as excinfo:
        source.full_clean()
    assert list(excinfo.value.message_dict) == ["unit"]


def test_a_source_keeps_the_fonds_of_its_unit():
    source = SourceFactory(unit=unit_path("558", "11", "374"))
    assert source.fonds == source.unit.fonds and source.fonds.number == "558"
    source.unit = source.fonds
    source.save()
    assert Source.objects.get(pk=source.pk).fonds_id == source.unit_id


def test_an_authority_is_public_when_and_only_when_a_published_record_refers_to_it():
    from archive.models import Agent, AgentRole, Language, Place, Repository, SourceAgent, Subject
    from tests.factories import AgentFactory, LanguageFactory, RepositoryFactory, SubjectFactory

    later = timezone.now() + timedelta(days=1)
    published, scheduled = SourceFactory(published=True), SourceFactory(status=Status.PUBLISHED, published_at=later)
    draft, withdrawn = SourceFactory(), SourceFactory(status=Status.WITHDRAWN)
    event, draft_event = EventFactory(published=True), EventFactory()
    by_source, by_event, hidden = AgentFactory(), AgentFactory(), AgentFactory()
    for source, agent in ((published, by_source), (scheduled, hidden), (draft, hidden), (withdrawn, hidden)):
        SourceAgent.objects.create(source=source, agent=agent, role=AgentRole.CREATOR)
    event.participants.add(by_event)
    draft_event.participants.add(hidden)
    assert set(Agent.objects.public()) == {by_source, by_event}

    place_of_source, place_of_event, hidden_place = PlaceFactory(), PlaceFactory(), PlaceFactory()
    published.places.add(place_of_source)
    event.places.add(place_of_event)
    draft.places.add(hidden_place)
    draft_event.places.add(hidden_place)
    assert set(Place.objects.public()) == {place_of_source, place_of_event}

    subject, hidden_subject = SubjectFactory(), SubjectFactory()
    published.subjects.add(subject)
    scheduled.subjects.add(hidden_subject)
    assert set(Subject.objects.public()) == {subject}

    unused = RepositoryFactory(code="GARF")
    draft.repository = RepositoryFactory(code="AVPRF")
    draft.save()
    assert set(Repository.objects.public()) == {published.repository}
    assert unused not in Repository.objects.public()

    language, hidden_language = LanguageFactory(code="ru"), LanguageFactory(code="mn", name="Mongolian")
    published.languages.add(language)
    withdrawn.languages.add(hidden_language)
    assert set(Language.objects.public()) == {language}
    # At a given moment: the scheduled source counts once its time has come.
    assert hidden_subject in Subject.objects.public(now=later)
