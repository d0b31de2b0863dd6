"""Test data builders. Defaults make a valid draft; pass what the test is about."""

import factory
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from archive.iiif.facsimile import synthetic_page
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


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery")


class RepositoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Repository
        django_get_or_create = ("code",)

    code = "RGASPI"
    abbreviation_original = "РГАСПИ"
    name = "Russian State Archive of Socio-Political History"
    name_original = "Российский государственный архив социально-политической истории"
    city = "Moscow"
    city_original = "Москва"


class LanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Language
        django_get_or_create = ("code",)

    code = "ru"
    name = "Russian"


class AgentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agent

    identifier = factory.Sequence(lambda n: f"agent-{n}")
    slug = factory.Sequence(lambda n: f"agent-{n}")
    name = factory.Sequence(lambda n: f"Agent {n}")


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    identifier = factory.Sequence(lambda n: f"place-{n}")
    slug = factory.Sequence(lambda n: f"place-{n}")
    name = factory.Sequence(lambda n: f"Place {n}")


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject

    identifier = factory.Sequence(lambda n: f"subject-{n}")
    slug = factory.Sequence(lambda n: f"subject-{n}")
    term = factory.Sequence(lambda n: f"Subject {n}")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    identifier = factory.Sequence(lambda n: f"EV-{n}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    name = factory.Sequence(lambda n: f"Event {n}")
    date_edtf = "1936-03-12"
    date_text = "12 марта 1936"

    class Params:
        published = factory.Trait(status=Status.PUBLISHED, published_at=factory.LazyFunction(timezone.now))


_LABELS = {Level.FONDS: ("Fonds", "Ф."), Level.SERIES: ("Inventory", "Оп."), Level.FILE: ("File", "Д.")}
_BELOW = {None: Level.FONDS, Level.FONDS: Level.SERIES, Level.SERIES: Level.FILE}


class UnitFactory(factory.django.DjangoModelFactory):
    """A fonds by default; with `parent`, the level below it in the parent's repository.

    `UnitFactory(parent=UnitFactory(number="558"), number="11")` is RGASPI's inventory 11 of fonds 558.
    """

    class Meta:
        model = Unit

    parent = None
    level = factory.LazyAttribute(lambda o: _BELOW[o.parent and Level(o.parent.level)])
    repository = factory.Maybe(
        "parent",
        yes_declaration=factory.LazyAttribute(lambda o: o.parent.repository),
        no_declaration=factory.SubFactory(RepositoryFactory),
    )
    number = factory.Sequence(lambda n: str(n + 1))
    identifier = factory.Sequence(lambda n: f"UNIT-{n}")
    slug = factory.Sequence(lambda n: f"unit-{n}")
    title = factory.LazyAttribute(lambda o: f"{_LABELS[o.level][0]} {o.number}")
    title_original = factory.LazyAttribute(lambda o: f"{_LABELS[o.level][1]} {o.number}")

    class Params:
        published = factory.Trait(status=Status.PUBLISHED, published_at=factory.LazyFunction(timezone.now))


def unit_path(fond: str, opis: str = "", delo: str = "", *, repository=None, published: bool = True) -> Unit:
    """The lowest unit of RGASPI's (or `repository`'s) fond/opis/delo path, made where missing, published by
    default: `SourceFactory(unit=unit_path("558", "11", "374"))`. A fonds's slug is e.g. rgaspi-558."""
    repository = repository or RepositoryFactory()
    unit, path = None, [repository.code]
    for level, number in ((Level.FONDS, fond), (Level.SERIES, opis), (Level.FILE, delo)):
        if not number:
            continue
        path.append(number)
        found = Unit.objects.filter(repository=repository, parent=unit, level=level, number=number).first()
        extra = {"published": True} if published else {}
        unit = found or UnitFactory(
            repository=repository,
            parent=unit,
            level=level,
            number=number,
            identifier="-".join(path),
            slug="-".join(path).lower(),
            **extra,
        )
    return unit


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    identifier = factory.Sequence(lambda n: f"SRC-{n}")
    slug = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Source {n}")
    repository = factory.SubFactory(RepositoryFactory)
    date_edtf = "1934-11-27"
    date_text = "27 ноября 1934"

    class Params:
        published = factory.Trait(status=Status.PUBLISHED, published_at=factory.LazyFunction(timezone.now))


class SourceImageFactory(factory.django.DjangoModelFactory):
    """An uploaded page: a small synthetic facsimile (archive/iiif/facsimile.py); derivatives not made yet."""

    class Meta:
        model = SourceImage

    source = factory.SubFactory(SourceFactory)
    position = factory.Sequence(int)
    caption = factory.Sequence(lambda n: f"Л. {n + 1}")
    image = factory.LazyAttribute(
        lambda o: SimpleUploadedFile(
            f"page-{o.position + 1}.png",
            synthetic_page(title=o.source.title, page=o.position + 1, pages=o.position + 1, size=(700, 990)),
            content_type="image/png",
        )
    )


class CommentaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commentary

    identifier = factory.Sequence(lambda n: f"C-{n}")
    source = factory.SubFactory(SourceFactory)
    title = factory.Sequence(lambda n: f"Note {n}")
    body = "A *note*."
    author = factory.SubFactory(UserFactory)
    signature = "A. Historian"
