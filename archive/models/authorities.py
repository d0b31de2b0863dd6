"""When an authority (person or organisation, place, subject, repository, language) is public.

Authorities have no workflow of their own: one is public when, and only when, a published source, event or unit
of description refers to it (a unit as creator or access point). Nothing else makes it public, and nothing that
refers to it unpublished does.
"""

from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Exists, OuterRef


def referring_fields(record: type[models.Model], authority: type[models.Model]) -> list[str]:
    """The fields through which a `record` (source or event) names an `authority`, e.g. ["agents"]."""
    return [
        field.name
        for field in record._meta.get_fields()
        if field.is_relation and not field.auto_created and field.related_model is authority
    ]


def referring_records() -> tuple[type[models.Model], ...]:
    """The records whose publication makes an authority public: sources, events and units of description."""
    from .events import Event
    from .sources import Source
    from .units import Unit

    return Source, Event, Unit


class AuthorityQuerySet(models.QuerySet):
    def public(self, now=None):
        """The one visibility rule for authorities: those that a source or an event published by `now` (default
        the present, as `published()` decides) refers to."""
        return self.referred_to_by(*(record.objects.published(now) for record in referring_records()))

    def referred_to_by(self, *records: models.QuerySet):
        """Those that a record in one of `records` (querysets of sources or events) refers to, through any field."""
        conditions = [
            Exists(queryset.filter(**{name: OuterRef("pk")}))
            for queryset in records
            for name in referring_fields(queryset.model, self.model)
        ]
        return self.filter(reduce(or_, conditions)) if conditions else self.none()
