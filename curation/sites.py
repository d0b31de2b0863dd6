from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from curation.dashboard import dashboard_context


class CuratorAdminSite(admin.AdminSite):
    site_header = _("Opis · curation")
    site_title = _("Opis curation")
    index_title = _("Dashboard")
    index_template = "admin/curation_index.html"

    def index(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), **dashboard_context(request.user)}
        return super().index(request, extra_context)
