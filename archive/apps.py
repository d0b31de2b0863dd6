from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = _("Archive records")

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import models
        from .cache import connect_invalidation
        from .sqlite import install_unicode_like

        connection_created.connect(install_unicode_like, dispatch_uid="opis-unicode-like")

        # Any change to a record may change a public page: drop the cached ones (archive/cache.py).
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
