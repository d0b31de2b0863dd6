"""The facet index follows changes from the change log (archive.public.facet_update): after a save, the next list is
served by an index updated from the old one, never built again, and that index lists, orders and counts exactly as
one built afresh. A change to everything builds."""

import io
import random
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from archive.models import Source
from archive.public import facet_index, generation
from archive.public.facet_index import MULTI, SINGLE, ProcessIndex
from archive.public.facet_update import update
from archive.public.generation import public_changed
from archive.public.views.sources import IdsInOrder
from curation.services import apply_transition, stamp
from curation.transfer.importer import run_import
from curation.transfer.undo import undo_batch
from tests.factories import (
    AgentFactory,
    EventFactory,
    LanguageFactory,
    PlaceFactory,
    RepositoryFactory,
    SourceFactory,
    SubjectFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SEED = 1939
PARAMS = [*SINGLE, *MULTI]
SORTS = ("date", "-date", "title")
TITLES = ["Letter", "Report", "Protocol", "Записка", "report", "Ärzte", ""]  # the collation decides, ties too
DATES = ["", "1934-11-27", "1936-03", "1939-07-20", "1939-07-20", "1939", "1941-06-22"]


@pytest.fixture
def archive(db):
    """A small archive made at random (fixed seed): drafts, a draft event and fonds, people in two roles, sources
    with no date or the same title."""
    rng = random.Random(SEED)
    rgaspi, avprf = RepositoryFactory(code="RGASPI"), RepositoryFactory(code="AVPRF")
    things = SimpleNamespace(
        fonds=[
            UnitFactory(repository=rgaspi, number="558", slug="558", published=True),
            UnitFactory(repository=rgaspi, number="17", slug="17", published=True),
            UnitFactory(repository=avprf, number="17", slug="avprf-17"),  # a draft fonds
        ],
        languages=[LanguageFactory(code="ru", name="Russian"), LanguageFactory(code="mn", name="Mongolian")],
        events=[
            EventFactory(published=True, slug="battles"),
            EventFactory(published=True, slug="talks"),
            EventFactory(slug="draft-event"),
        ],
        agents=[AgentFactory(slug=slug) for slug in ("zhukov", "molotov", "choibalsan", "genden")],
        places=[PlaceFactory(slug=slug) for slug in ("khalkhin-gol", "moscow", "ulaanbaatar")],
        subjects=[SubjectFactory(slug=slug) for slug in ("army", "trade")],
        sources=[],
        curator=UserFactory(username="curator", is_staff=True, is_superuser=True),
    )
    for number in range(40):
        fond = rng.choice(things.fonds)
        source = SourceFactory(
            identifier=f"S-{number:02}",
            title=rng.choice(TITLES) or f"Untitled {number}",
            repository=fond.repository,
            unit=fond,
            document_type=rng.choice(["report", "letter", "protocol"]),
            date_edtf=rng.choice(DATES),
            published=rng.random() < 0.8,
        )
        source.languages.set(rng.sample(things.languages, rng.randint(0, 2)))
        source.events.set(rng.sample(things.events, rng.randint(0, 2)))
        source.places.set(rng.sample(things.places, rng.randint(0, 2)))
        source.subjects.set(rng.sample(things.subjects, rng.randint(0, 1)))
        for agent in rng.sample(things.agents, rng.randint(0, 3)):
            for role in rng.sample(["creator", "signatory", "mentioned"], rng.randint(1, 2)):
                source.agent_links.create(agent=agent, role=role)
        things.sources.append(source)
    generation.fold()  # as after the fixture's commits
    return things


@pytest.fixture(autouse=True)
def probed(monkeypatch):
    """The changed sources placed in the orders by probes, however many of this small archive's sources change (a
    larger share is ranked by one read of the order, as a build ranks them: the import test does both)."""
    monkeypatch.setattr("archive.public.facet_update.PROBED_SHARE", 1.0)


@pytest.fixture
def served(monkeypatch):
    """This process's index, with its builds counted."""
    built = []

    def builder(now):
        built.append(now)
        return facet_index.build(now)

    process = ProcessIndex(builder)
    monkeypatch.setattr(facet_index, "process_index", process)
    return SimpleNamespace(process=process, built=built)


def _queries() -> list[dict[str, tuple[str, ...]]]:
    """Filter combinations: fixed ones (unknown and unpublished values among them) and random ones (fixed seed)."""
    values = {
        "repository": ["RGASPI", "AVPRF"],
        "fond": ["558", "17", "avprf-17"],
        "document_type": ["report", "letter", "protocol"],
        "language": ["ru", "mn"],
        "event": ["battles", "talks", "draft-event", "talks-1939"],
        "agent": ["zhukov", "molotov", "choibalsan", "genden", "zhukov-gk", "nobody"],
        "place": ["khalkhin-gol", "moscow", "ulaanbaatar"],
        "subject": ["army", "trade"],
    }
    rng = random.Random(SEED)
    queries = [{}, {"event": ("draft-event",)}, {"fond": ("avprf-17", "17")}, {"agent": ("zhukov-gk",)}]
    for _ in range(25):
        params = rng.sample(sorted(values), rng.randint(1, 3))
        queries.append({p: tuple(sorted(rng.sample(values[p], rng.randint(1, 2)))) for p in params})
    return queries


QUERIES = _queries()


def _seen(index) -> dict:
    """What lists see of an index: per filter combination, each facet's counts and the list in each order."""
    seen = {"size": index.size}
    for query in QUERIES:
        counts = {p: index.counts(p, index.selection(query, leave_out=p), 50, include=query.get(p, ())) for p in PARAMS}
        selected = index.selection(query)
        seen[repr(query)] = counts, {sort: index.ordered_ids(selected, sort).tolist() for sort in SORTS}
    return seen


def _list(client, query: str = "") -> list[str]:
    response = client.get(reverse("archive:source-list") + query)
    assert isinstance(response.context["paginator"].object_list, IdsInOrder)  # served by the index
    return [source.identifier for source in response.context["sources"]]


def _changed(client, served, capture, change) -> None:
    """Serve a list, commit the change, serve the next list: updated, not built, and as a fresh build."""
    _list(client)
    assert len(served.built) == 1
    before = served.process._index
    with capture(execute=True):  # the change commits: its fold runs
        change()
    _list(client)
    updated = served.process._index
    assert len(served.built) == 1, "the index was built again, not updated"
    assert updated is not before and updated.generation == generation.read() > before.generation
    assert _seen(updated) == _seen(facet_index.build(timezone.now()))


def _edit(record, user, **values) -> None:
    """Save a record as the admin does (stamped, if it keeps a version)."""
    if hasattr(record, "version"):
        stamp(record, user=user)
    for name, value in values.items():
        setattr(record, name, value)
    record.save()


def _draft(archive) -> Source:
    return next(s for s in archive.sources if s.status != "published")


def _published(archive, number: int = 0) -> Source:
    return [s for s in archive.sources if s.status == "published"][number]


CHANGES = {
    "edited": lambda a: _edit(_published(a), a.curator, title="Aardvark", date_edtf="1920", document_type="letter"),
    "edited-keys-unchanged": lambda a: _edit(_published(a, 1), a.curator, summary="A new summary."),
    "published": lambda a: (
        apply_transition(instance=_draft(a), user=a.curator, name="submit"),
        apply_transition(instance=_draft(a), user=a.curator, name="publish"),
    ),
    "withdrawn": lambda a: apply_transition(instance=_published(a, 2), user=a.curator, name="withdraw", reason="Wrong"),
    "deleted": lambda a: _published(a, 3).delete(),
    "moved-between-events": lambda a: _published(a, 4).events.set([a.events[1]]),
    "relinked-to-other-people": lambda a: (
        _published(a, 5).agent_links.all().delete(),
        _published(a, 5).agent_links.create(agent=a.agents[3], role="signatory"),
        _published(a, 6).agents.clear(),
    ),
    "fonds-changed": lambda a: _edit(_published(a, 7), a.curator, unit=a.fonds[0], repository=a.fonds[0].repository),
    "event-withdrawn": lambda a: apply_transition(instance=a.events[0], user=a.curator, name="withdraw", reason="No"),
    "event-renamed": lambda a: _edit(a.events[1], a.curator, slug="talks-1939"),
    "agent-renamed": lambda a: _edit(a.agents[0], a.curator, slug="zhukov-gk"),
    "new-source-between-others": lambda a: SourceFactory(
        identifier="S-20b",
        title="Protocol",
        date_edtf="1939-07-20",
        repository=a.fonds[1].repository,
        unit=a.fonds[1],
        published=True,
    ).events.set([a.events[0]]),
}


@pytest.mark.parametrize("name", CHANGES)
def test_after_a_change_the_index_is_updated_and_equals_a_fresh_build(
    client, archive, served, django_capture_on_commit_callbacks, name
):
    _changed(client, served, django_capture_on_commit_callbacks, lambda: CHANGES[name](archive))


def test_a_renamed_agent_filters_by_its_new_slug_only(client, archive, served, django_capture_on_commit_callbacks):
    listed = _list(client, "?agent=zhukov")
    assert listed
    with django_capture_on_commit_callbacks(execute=True):
        _edit(archive.agents[0], archive.curator, slug="zhukov-gk")
    assert _list(client, "?agent=zhukov-gk") == listed
    assert _list(client, "?agent=zhukov") == []
    assert len(served.built) == 1


def test_a_withdrawn_event_is_no_longer_counted(client, archive, served, django_capture_on_commit_callbacks):
    response = client.get(reverse("archive:source-list"))
    assert "battles" in {c.value for f in response.context["facets"] if f.param == "event" for c in f.choices}
    with django_capture_on_commit_callbacks(execute=True):
        apply_transition(instance=archive.events[0], user=archive.curator, name="withdraw", reason="Not yet")
    response = client.get(reverse("archive:source-list"))
    assert "battles" not in {c.value for f in response.context["facets"] if f.param == "event" for c in f.choices}
    assert len(served.built) == 1


# Twelve rows in three kinds (two of them drafts), in both fonds, with languages, events and people.
KINDS = [
    ("Report", "1939-07-20", "ru", "battles", "zhukov:creator"),
    ("Letter", "", "mn", "talks", "genden:signatory|molotov:mentioned"),
    ("Записка", "1936", "ru|mn", "", ""),
]
IMPORTED = "identifier,title,repository,fond,date_edtf,languages,events,agents,status\r\n" + "".join(
    f"I-{n:02},{title},RGASPI,{['558', '17'][n % 2]},{date},{languages},{events},{agents},"
    f"{'draft' if n % 5 == 4 else 'published'}\r\n"
    for n, (title, date, languages, events, agents) in ((n, KINDS[n % 3]) for n in range(12))
)


@pytest.mark.parametrize("probed_share", [1.0, 0.0], ids=["ranked-by-probes", "ranked-by-one-read"])
def test_an_import_and_its_undo_update_the_index(
    client, archive, served, django_capture_on_commit_callbacks, monkeypatch, probed_share
):
    monkeypatch.setattr("archive.public.facet_update.PROBED_SHARE", probed_share)
    batch = []

    def imported():
        result = run_import("sources", io.BytesIO(IMPORTED.encode()), user=archive.curator, file_name="new.csv")
        assert result.errors == []
        batch.append(result.batch)

    _changed(client, served, django_capture_on_commit_callbacks, imported)
    assert Source.objects.published().filter(identifier__startswith="I-").count() == 10
    assert served.process._index.size == Source.objects.published().count()
    _changed(
        client, served, django_capture_on_commit_callbacks, lambda: undo_batch(batch=batch[0], user=archive.curator)
    )
    assert not Source.objects.filter(identifier__startswith="I-").exists()


def test_a_change_to_everything_builds(client, archive, served, django_capture_on_commit_callbacks):
    _list(client)
    with django_capture_on_commit_callbacks(execute=True):
        public_changed()  # no tags: anything may have changed
    _list(client)
    assert len(served.built) == 2


def test_too_many_changed_sources_build(archive, monkeypatch):
    old = facet_index.build(timezone.now())
    monkeypatch.setattr("archive.public.facet_update.UPDATE_LEAST", 2)
    tags = {f"source:{source.pk}" for source in archive.sources[:3]}
    assert update(old, tags, timezone.now(), old.generation + 1) is None
    assert update(old, set(list(tags)[:2]), timezone.now(), old.generation + 1) is not None


def test_applying_a_change_twice_changes_nothing(archive):
    """A change committed while an update reads is listed again by the next one: applying it again is harmless."""
    old = facet_index.build(timezone.now())
    _edit(_published(archive), archive.curator, title="Aardvark")
    archive.agents[1].slug = "molotov-vm"
    archive.agents[1].save()
    tags = {f"source:{_published(archive).pk}", f"agent:{archive.agents[1].pk}"}
    once = update(old, tags, timezone.now(), old.generation + 1)
    twice = update(once, tags, timezone.now(), old.generation + 2)
    assert _seen(twice) == _seen(once) == _seen(facet_index.build(timezone.now()))


def test_ranks_renumbered_when_a_gap_is_used_up(archive):
    """Sources published one after another into the same gap of the order: the ranks stay exact."""
    index = facet_index.build(timezone.now())
    after = _published(archive)
    for number in range(70):  # more halvings than a float has bits
        source = SourceFactory(
            identifier=f"{after.identifier}-{number:03}",
            title=after.title,
            date_edtf=after.date_edtf,
            repository=after.repository,
            published=True,
        )
        index = update(index, {f"source:{source.pk}"}, timezone.now(), index.generation + 1)
    assert _seen(index) == _seen(facet_index.build(timezone.now()))


def test_a_publication_scheduled_by_a_save_ends_the_updated_index_when_it_comes(
    client, archive, served, django_capture_on_commit_callbacks, settings
):
    settings.OPIS_FACET_INDEX_SECONDS = 24 * 3600
    _list(client)
    due = timezone.now() + timedelta(hours=1)
    draft = _draft(archive)
    with django_capture_on_commit_callbacks(execute=True):
        apply_transition(instance=draft, user=archive.curator, name="submit")
        apply_transition(instance=draft, user=archive.curator, name="publish", at=due)
    updated = facet_index.current_index()
    assert len(served.built) == 1 and updated.valid_until == due
    assert draft.pk not in updated.ids
    assert draft.pk in facet_index.current_index(due).ids  # built when it comes
    assert len(served.built) == 2
