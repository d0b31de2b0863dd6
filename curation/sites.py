from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from curation.dashboard import dashboard_context

# Admin sections for the site's administrators (superusers) only, whatever permissions an account holds:
# login throttling (django-axes) and background task results (django_tasks_db).
SUPERUSER_APPS = frozenset({"axes", "django_tasks_database"})


class SuperuserOnlyAdminMixin:
    """Shown to superusers only; anyone else is refused its pages, as for a missing permission."""

    def has_module_permission(self, request):
        return request.user.is_superuser and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


class CuratorAdminSite(admin.AdminSite):
    site_header = _("Opis · curation")
    site_title = _("Opis curation")
    index_title = _("Dashboard")
    index_template = "admin/curation_index.html"

    def register(self, model_or_iterable, admin_class=None, **options):
        # Third-party apps register their own admins; those of SUPERUSER_APPS are wrapped as they come in.
        models = [model_or_iterable] if isinstance(model_or_iterable, type) else list(model_or_iterable)
        for model in models:
            model_admin = admin_class or admin.ModelAdmin
            if model._meta.app_label in SUPERUSER_APPS:
                model_admin = type(model_admin.__name__, (SuperuserOnlyAdminMixin, model_admin), {})
            super().register(model, model_admin, **options)

    def index(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), **dashboard_context(request.user)}
        return super().index(request, extra_context)
