"""The exact queries of the source and event pages for richly related records: a query per related row (N+1), or
one more per relation, fails here. The figures are explained query by query; docs/performance.md says why the
pages are built so ("Rendering cost of the detail pages")."""

import pytest

from archive.iiif.derivatives import make_derivatives
from archive.models import AgentRole, SourceAgent
from tests.factories import (
    AgentFactory,
    CommentaryFactory,
    EventFactory,
    LanguageFactory,
    PlaceFactory,
    SourceFactory,
    SourceImageFactory,
    SubjectFactory,
    unit_path,
)

pytestmark = pytest.mark.django_db

RELATED = 4  # of each kind: several, so that a query per row would show as three more at least


@pytest.fixture
def rich_source():
    """A published source in a file between two others, with several of everything its page lists."""
    delo = unit_path("558", "11", "374")
    before = SourceFactory(published=True, unit=delo, repository=delo.repository, date_edtf="1934-11-01")
    source = SourceFactory(published=True, unit=delo, repository=delo.repository, transcription="Текст")
    after = SourceFactory(published=True, unit=delo, repository=delo.repository, date_edtf="1934-12-01")
    source.languages.set(LanguageFactory.create_batch(2))
    source.places.set(PlaceFactory.create_batch(RELATED))
    source.subjects.set(SubjectFactory.create_batch(RELATED))
    source.events.set([*EventFactory.create_batch(RELATED, published=True), EventFactory()])  # one unpublished
    for number, agent in enumerate(AgentFactory.create_batch(RELATED)):
        role = AgentRole.CREATOR if number % 2 else AgentRole.MENTIONED
        SourceAgent.objects.create(source=source, agent=agent, role=role)
    CommentaryFactory.create_batch(RELATED, source=source, status="published", published_at=source.published_at)
    CommentaryFactory(source=source)  # a draft note: not shown, not read
    for position in range(2):
        make_derivatives(image=SourceImageFactory(source=source, position=position))
    return source, before, after


def test_source_page_queries(client, django_assert_num_queries, rich_source):
    source, before, after = rich_source
    client.get(source.get_absolute_url())  # unmeasured: the process's first request loads templates and catalogues
    with django_assert_num_queries(3):
        # 1. The public generation, read once per request (archive.public.cache.PublicGenerationMiddleware).
        # 2. The source, its repository and its units up to the fonds (joined), with its languages, places,
        #    subjects, published events, people with their agent, images and published commentary (each a JSON
        #    array column), and the published documents before and after it in its file (two columns).
        # 3. The ids of every event it is linked to, published or not: tags of what its cached page depends on
        #    (an event published later appears on it; archive/public/dependencies.py).
        response = client.get(source.get_absolute_url())
    body = response.content.decode()
    # What those queries read is on the page: a row of each relation and both neighbours.
    assert body.count('class="commentary"') == RELATED
    assert before.get_absolute_url() in body and after.get_absolute_url() in body
    assert "/full/" in body  # the images' thumbnails
    assert all(link.agent.get_absolute_url() in body for link in source.agent_links.all())


def test_a_curators_preview_makes_the_same_one_query(curator_client, django_assert_num_queries, rich_source):
    source, _, _ = rich_source
    source.status = "draft"
    source.save()
    with django_assert_num_queries(7):
        # 1-2. The curator's session and user (SessionMiddleware, AuthenticationMiddleware).
        # 3. The public generation (archive.public.cache.PublicGenerationMiddleware).
        # 4-5. The user's own permissions and their groups' (PublishedMixin.can_preview).
        # 6. The page's own query, as for the public.
        # 7. The ids of its events (its tags), as for the public.
        curator_client.get(source.get_absolute_url())


def test_event_page_queries(client, django_assert_num_queries):
    event = EventFactory(published=True)
    event.places.set(PlaceFactory.create_batch(RELATED))
    event.participants.set(AgentFactory.create_batch(RELATED))
    EventFactory.create_batch(RELATED, published=True, parent=event)
    CommentaryFactory.create_batch(
        RELATED, source=None, event=event, status="published", published_at=event.published_at
    )
    delo = unit_path("558", "11", "374")
    for source in SourceFactory.create_batch(RELATED * 3, published=True, unit=delo, repository=delo.repository):
        source.events.add(event)
    client.get(event.get_absolute_url())
    with django_assert_num_queries(7):
        # 1. The public generation (as above).
        # 2. The event and its parent (joined).
        # 3-6. Its places, its participants, its published sub-events, its published commentary (one each).
        # 7. Its first published sources, with their repository and units for the citations (joined); fewer than
        #    the page shows, so no count of them is needed.
        client.get(event.get_absolute_url())
