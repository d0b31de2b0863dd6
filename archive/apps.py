from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = _("Archive records")

    def ready(self):
        from . import models
        from .public.cache import connect_invalidation

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
            ]
        )
