from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CurationConfig(AppConfig):
    name = "curation"
    verbose_name = _("Curation")

    def ready(self):
        from django.db.models.signals import post_migrate

        from .history import channels  # noqa: F401  (labels each history record with its channel)
        from .roles import setup_roles_after_migrate

        post_migrate.connect(setup_roles_after_migrate, sender=self)


class CurationAdminConfig(admin_apps.AdminConfig):
    """Replaces Django's default admin site with the curators' site."""

    default = False

    default_site = "curation.sites.CuratorAdminSite"
