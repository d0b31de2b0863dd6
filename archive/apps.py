from django.apps import AppConfig
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = _("Archive records")

    def ready(self):
        from django.db.models.signals import post_delete

        from . import models
        from .iiif.derivatives import derivatives_deleted
        from .public.cache import connect_invalidation
        from .public.changes import LISTING
        from .public.filters import listing_fields
        from .public.oai import tombstones

        name_link_tables(self.get_models(include_auto_created=True))

        # Any change to a record may change a public page: drop the cached ones (archive/public/cache.py).
        connect_invalidation(
            [
                models.Source,
                models.Event,
                models.Commentary,
                models.Agent,
                models.Place,
                models.Subject,
                models.Repository,
                models.Language,
                models.SourceAgent,
                models.SourceImage,
                models.Unit,
            ]
        )
        # A source's title edited leaves the lists filtered by facets as they were, but for its own rows.
        LISTING[models.Source] = listing_fields()
        post_delete.connect(derivatives_deleted, sender=models.SourceImage, dispatch_uid="opis-iiif-derivatives")
        # A public unit or source deleted outright stays known to OAI-PMH harvesters as deleted.
        tombstones.connect()


def name_link_tables(models) -> None:
    """Name the automatic link tables of the many-to-many fields (a source's places…) in the interface language.

    Django names them once, in English ("Source-place relationship", "Source_places object (1)"), and the admin
    shows those names when it lists what a deletion takes with it.
    """
    for model in models:
        if not model._meta.auto_created:
            continue
        first, second = (field for field in model._meta.fields if field.is_relation)
        names = {"first": first.related_model._meta.verbose_name, "second": second.related_model._meta.verbose_name}
        model._meta.verbose_name = format_lazy(_("link {first} – {second}"), **names)
        model._meta.verbose_name_plural = format_lazy(_("links {first} – {second}"), **names)
        model.__str__ = _link_str(first.name, second.name)


def _link_str(first: str, second: str):
    def __str__(self):
        return f"{getattr(self, first)} – {getattr(self, second)}"

    return __str__
