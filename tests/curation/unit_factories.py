"""Units of description for the curation tests, until tests/factories.py has its own UnitFactory (same interface:
a fonds by default; with `parent`, the level below it in the parent's repository)."""

import factory
from django.utils import timezone

from archive.models import Level, Status, Unit
from tests.factories import RepositoryFactory

_BELOW = {None: Level.FONDS, Level.FONDS: Level.SERIES, Level.SERIES: Level.FILE}
_NAMES = {Level.FONDS: "Fonds", Level.SERIES: "Inventory", Level.FILE: "File"}


class UnitFactory(factory.django.DjangoModelFactory):
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
    title = factory.LazyAttribute(lambda o: f"{_NAMES[o.level]} {o.number}")

    class Params:
        published = factory.Trait(status=Status.PUBLISHED, published_at=factory.LazyFunction(timezone.now))
