"""Loads the demo collection from fixtures/demo.json: validated, keyed by identifier, missing records only.

A demo record that is already in the database is left as it is, so a curator's edits to it survive
`make run`, which loads the demo each time it starts.
"""

import functools
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.dateparse import parse_datetime

from archive.iiif.derivatives import make_derivatives
from archive.iiif.facsimile import synthetic_page
from archive.models import (
    Agent,
    Commentary,
    Event,
    Language,
    Place,
    Repository,
    Source,
    SourceAgent,
    SourceImage,
    Subject,
    Unit,
)
from curation.history import one_record

DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo.json"
EDITORIAL_USERNAME = "opis-editorial"


def _create_missing(model, key: str, data: dict, links=None, **extra) -> bool:
    """Create the record unless one with its key exists; True if it was created."""
    fields = {**data, **extra}
    lookup = {key: fields.pop(key)}
    if model.objects.filter(**lookup).exists():
        return False
    instance = model(**lookup, **fields)
    instance.full_clean(validate_unique=False, validate_constraints=False)
    # One version per record with its links, so restoring it brings the links back too.
    with one_record(instance, created=True):
        instance.save()
        if links:
            links(instance)
    return True


def _editorial(item: dict) -> dict:
    item = dict(item)
    item["published_at"] = parse_datetime(item["published_at"]) if item.get("published_at") else None
    return item


def _split(item: dict, *relations: str) -> tuple[dict, dict]:
    data = {k: v for k, v in item.items() if k not in relations}
    return data, {k: item.get(k, []) for k in relations}


@transaction.atomic
def load_demo(path: Path = DEMO_FILE) -> dict[str, int]:
    """Create the demo records that are missing; the number created, by kind."""
    demo = json.loads(Path(path).read_text(encoding="utf-8"))
    user, _ = get_user_model().objects.get_or_create(
        username=EDITORIAL_USERNAME, defaults={"first_name": "Opis", "last_name": "editorial team"}
    )
    created = {
        "repositories": sum(_create_missing(Repository, "code", item) for item in demo["repositories"]),
        "languages": sum(_create_missing(Language, "code", item) for item in demo["languages"]),
    }
    for model, key in ((Agent, "agents"), (Place, "places"), (Subject, "subjects")):
        created[key] = sum(_create_missing(model, "identifier", item) for item in demo[key])
    created["units"] = _load_units(demo["units"], user)
    created["events"] = _load_events(demo["events"], user)
    created["sources"] = _load_sources(demo["sources"], user)
    created["commentary"] = 0
    for item in demo["commentary"]:
        data = _editorial(item)
        data["source"] = Source.objects.get(identifier=data["source"]) if data["source"] else None
        data["event"] = Event.objects.get(identifier=data["event"]) if data["event"] else None
        created["commentary"] += _create_missing(
            Commentary, "identifier", data, author=user, created_by=user, updated_by=user
        )
    return created


def _load_units(items: list[dict], user) -> int:
    """The well-known fonds (shared/reference/timeline.md); no source is placed in them, as no demo source's
    fond is known."""
    created = 0
    for item in items:
        data, relations = _split(_editorial(item), "creators")
        if Unit.objects.filter(identifier=data["identifier"]).exists():
            continue
        unit = Unit(**data | {"repository": Repository.objects.get(code=data["repository"])})
        unit.created_by = unit.updated_by = user
        unit.full_clean(validate_unique=False, validate_constraints=False)
        unit.save()
        unit.creators.set(Agent.objects.filter(identifier__in=relations["creators"]))
        created += 1
    return created


def _load_events(items: list[dict], user) -> int:
    # Parents first: an event may name as parent one that comes later in the file.
    pending, created = list(items), 0
    while pending:
        item = pending.pop(0)
        if item["parent"] and not Event.objects.filter(identifier=item["parent"]).exists():
            pending.append(item)
            continue
        data, relations = _split(_editorial(item), "places", "participants")
        data["parent"] = Event.objects.get(identifier=data["parent"]) if data["parent"] else None

        def links(event, relations=relations):
            event.places.set(Place.objects.filter(identifier__in=relations["places"]))
            event.participants.set(Agent.objects.filter(identifier__in=relations["participants"]))

        created += _create_missing(Event, "identifier", data, links=links, created_by=user, updated_by=user)
    return created


def _load_sources(items: list[dict], user) -> int:
    created = 0
    for item in items:
        data, relations = _split(_editorial(item), "languages", "agents", "places", "subjects", "events", "images")
        data["repository"] = Repository.objects.get(code=data["repository"]) if data["repository"] else None
        created += _create_missing(
            Source,
            "identifier",
            data,
            links=functools.partial(_source_links, relations=relations),
            created_by=user,
            updated_by=user,
        )
    return created


def _source_links(source, *, relations) -> None:
    source.languages.set(Language.objects.filter(code__in=relations["languages"]))
    source.places.set(Place.objects.filter(identifier__in=relations["places"]))
    source.subjects.set(Subject.objects.filter(identifier__in=relations["subjects"]))
    source.events.set(Event.objects.filter(identifier__in=relations["events"]))
    SourceAgent.objects.bulk_create(
        SourceAgent(source=source, agent=Agent.objects.get(identifier=ident), role=role)
        for ident, role in relations["agents"]
    )
    _synthetic_images(source, relations["images"])


def _synthetic_images(source, images: list[dict]) -> None:
    """The demo's images: synthetic facsimile pages drawn now, never scans, with their IIIF derivatives."""
    for position, item in enumerate(images):
        page = synthetic_page(title=source.title, page=position + 1, pages=len(images))
        image = SourceImage(source=source, position=position, caption=item["caption"])
        image.image.save(f"{source.identifier.lower()}-{position + 1}.png", ContentFile(page), save=False)
        image.full_clean()
        image.save()
        make_derivatives(image=image)
