from axes import apps as axes_apps
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _
from django_tasks_db import apps as tasks_apps

# Modules, not classes: an AppConfig class imported here would be one more candidate for "curation" itself.


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


# The admin names each application by its verbose name; these two packages give none a curator can read
# ("Axes", "Tasks Database Backend"), and none in Russian.


class SignInAttemptsConfig(axes_apps.AppConfig):
    """django-axes (login throttling), named for the admin."""

    default = False
    verbose_name = _("Sign-in attempts")


class BackgroundTasksConfig(tasks_apps.TasksAppConfig):
    """django-tasks-db (the task queue in the database), named for the admin."""

    default = False
    verbose_name = _("Background tasks")
