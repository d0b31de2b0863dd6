"""Script payloads in every text field of every model: nothing executable on any public or admin page."""

import re

import pytest
from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils import timezone

from archive.models import (
    Agent,
    Commentary,
    Event,
    Language,
    Level,
    Place,
    Repository,
    Source,
    SourceImage,
    Status,
    Subject,
    Unit,
)
from curation.roles import ADMINISTRATOR
from tests.factories import (
    AgentFactory,
    CommentaryFactory,
    EventFactory,
    PlaceFactory,
    SourceFactory,
    SubjectFactory,
    UnitFactory,
)

PAYLOADS = [
    '"><script>alert("xss")</script>',
    "'><img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
]
# What must never reach a page unescaped: an element that runs script.
EXECUTABLE = re.compile(r"<script>alert|<img src=x onerror|<svg onload", re.IGNORECASE)
# Derived or validated on every save (slugs are addresses; EDTF is parsed); they cannot hold a payload.
NOT_FREE_TEXT = {"slug", "date_edtf", "body_html"}


def text_fields(model):
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField)) and not f.choices and f.name not in NOT_FREE_TEXT
    ]


def fill_with_payloads(obj, seed: int):
    """Every free-text field gets the longest payload it can hold, varied across fields."""
    filled = []
    for i, field in enumerate(text_fields(type(obj))):
        fitting = [p for p in PAYLOADS if field.max_length is None or len(p) <= field.max_length]
        if not fitting:
            continue
        value = fitting[(seed + i) % len(fitting)]
        if field.unique:
            value = (
                value[: (field.max_length or 200) - 3] + f"{seed:03d}"[-3:] if field.max_length else value + str(seed)
            )
        setattr(obj, field.name, value)
        filled.append(field.name)
    obj.save()
    return filled


@pytest.fixture
def poisoned(db):
    """A published world in which every free-text field of every model carries a payload."""
    now = timezone.now()
    repository = Repository.objects.create(code="XSS", name="x")
    language = Language.objects.create(code="xx", name="x")
    agent, place, subject = AgentFactory(), PlaceFactory(), SubjectFactory()
    event = EventFactory(status=Status.PUBLISHED, published_at=now)
    fonds = Unit.objects.create(
        repository=repository,
        level=Level.FONDS,
        identifier="XSS-F",
        slug="xss-f",
        title="x",
        status=Status.PUBLISHED,
        published_at=now,
    )
    file = Unit.objects.create(
        repository=repository, level=Level.FILE, parent=fonds, identifier="XSS-D", slug="xss-d", title="x"
    )
    file.creators.add(agent)
    source = SourceFactory(status=Status.PUBLISHED, published_at=now, repository=repository, unit=file)
    source.languages.add(language)
    source.places.add(place)
    source.subjects.add(subject)
    source.events.add(event)
    source.agent_links.create(agent=agent)
    event.places.add(place)
    event.participants.add(agent)
    # Its size known, so that the payload in `derivatives` puts it on the page (the viewer and thumbnails).
    image = SourceImage.objects.create(source=source, image="sources/x.png", width=700, height=990)
    unit = UnitFactory(parent=fonds, status=Status.PUBLISHED, published_at=now)
    unit.creators.add(agent)
    unit.places.add(place)
    unit.subjects.add(subject)
    unit.languages.add(language)
    source.unit = unit
    source.save()
    notes = [
        CommentaryFactory(source=source, status=Status.PUBLISHED, published_at=now),
        CommentaryFactory(source=None, event=event, status=Status.PUBLISHED, published_at=now),
    ]
    filled = {}
    records = [repository, language, agent, place, subject, event, source, image, *notes, fonds, file, unit]
    for seed, obj in enumerate(records):
        filled[type(obj).__name__] = fill_with_payloads(obj, seed)
    # Stored HTML that bypassed save(): the display must sanitise it again.
    Commentary.objects.filter(pk=notes[0].pk).update(body_html='<p>ok</p><script>alert("xss")</script>')
    return {"source": source, "event": event, "agent": agent, "place": place, "unit": unit, "filled": filled}


def assert_inert(response, where):
    assert response.status_code == 200, where
    found = EXECUTABLE.search(response.text)
    assert found is None, f"{where}: {response.text[max(found.start() - 80, 0) : found.end() + 40]}"


MODELS = (Source, Event, Commentary, Unit, Agent, Place, Subject, Repository, Language, SourceImage)


@pytest.mark.django_db
def test_every_free_text_field_was_poisoned(poisoned):
    shortest = min(map(len, PAYLOADS))  # a field shorter than any payload (a 3-letter code) cannot carry one
    for model in MODELS:
        can_hold = {f.name for f in text_fields(model) if (f.max_length or shortest) >= shortest}
        assert set(poisoned["filled"][model.__name__]) == can_hold, model.__name__


@pytest.mark.django_db
def test_public_pages_show_nothing_executable(client, poisoned):
    pages = [
        reverse("archive:home"),
        reverse("archive:source-list"),
        poisoned["source"].get_absolute_url(),
        reverse("archive:event-list"),
        poisoned["event"].get_absolute_url(),
        poisoned["agent"].get_absolute_url(),
        poisoned["place"].get_absolute_url(),
        poisoned["unit"].get_absolute_url(),
        poisoned["unit"].parent.get_absolute_url(),
        poisoned["unit"].repository.get_absolute_url(),
        reverse("archive:repository-list"),
    ]
    for url in pages:
        assert_inert(client.get(url), url)


@pytest.mark.django_db
def test_admin_pages_show_nothing_executable(client, poisoned, make_member):
    client.force_login(make_member(ADMINISTRATOR))
    assert_inert(client.get(reverse("admin:index")), "dashboard")
    for model in MODELS[:-1]:  # images are shown within their source
        opts = model._meta
        assert model in admin.site._registry
        assert_inert(client.get(reverse(f"admin:archive_{opts.model_name}_changelist")), f"{opts.model_name} list")
        for obj in model.objects.all():
            for view in ("change", "history"):
                url = reverse(f"admin:archive_{opts.model_name}_{view}", args=[obj.pk])
                assert_inert(client.get(url), url)
    source = poisoned["source"]
    url = reverse("admin:archive_source_transition", args=[source.pk, "withdraw"])
    assert_inert(client.get(url), url)
    source.delete()
    assert_inert(client.get(reverse("admin:archive_source_deleted")), "deleted sources")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_script_runs_in_a_real_browser(page, live_server, poisoned, make_member):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for url in (poisoned["source"].get_absolute_url(), poisoned["event"].get_absolute_url()):
        page.goto(live_server.url + url)
        page.wait_for_load_state("load")
    user = make_member(ADMINISTRATOR, username="xssadmin")
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")
    page.wait_for_selector("#dashboard")
    for url in (
        reverse("admin:archive_source_changelist"),
        reverse("admin:archive_source_change", args=[poisoned["source"].pk]),
        reverse("admin:archive_source_history", args=[poisoned["source"].pk]),
    ):
        page.goto(live_server.url + url)
        page.wait_for_load_state("load")
    assert dialogs == []
