"""Test data builders. Defaults make a valid draft; pass what the test is about."""

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from archive.models import Agent, Commentary, Event, Language, Level, Place, Repository, Source, Status, Subject, Unit


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


class UnitFactory(factory.django.DjangoModelFactory):
    """A fonds by default; pass parent= and level= for an inventory or a file."""

    class Meta:
        model = Unit

    identifier = factory.Sequence(lambda n: f"UNIT-{n}")
    slug = factory.Sequence(lambda n: f"unit-{n}")
    title = factory.Sequence(lambda n: f"Unit {n}")
    repository = factory.SubFactory(RepositoryFactory)
    level = Level.FONDS
    number = factory.Sequence(lambda n: str(n + 1))

    class Params:
        published = factory.Trait(status=Status.PUBLISHED, published_at=factory.LazyFunction(timezone.now))


class CommentaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commentary

    identifier = factory.Sequence(lambda n: f"C-{n}")
    source = factory.SubFactory(SourceFactory)
    title = factory.Sequence(lambda n: f"Note {n}")
    body = "A *note*."
    author = factory.SubFactory(UserFactory)
    signature = "A. Historian"
