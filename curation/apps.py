from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CurationConfig(AppConfig):
    name = "curation"
    verbose_name = _("Curation")


class CurationAdminConfig(admin_apps.AdminConfig):
    """Replaces Django's default admin site with the curators' site."""

    default = False

    default_site = "curation.sites.CuratorAdminSite"
