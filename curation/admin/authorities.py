"""People and organisations, places, subjects, repositories and languages: no workflow of their own, but once a
published source or event shows one, changing or deleting it changes what the public reads."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from archive.models import Agent, Language, Place, Repository, Subject
from curation.resources import AgentResource, PlaceResource, SubjectResource
from curation.services import can_edit

from .history import HistoryAdminMixin
from .large_tables import LargeTableMixin
from .transfer import TransferAdminMixin


class PublishedContentAdminMixin:
    """An authority that published records show is read-only, and cannot be deleted, for anyone without the right
    to publish them (curation.services.can_edit); the change form then says why. Adding one never needs it."""

    def may_edit(self, request, obj) -> bool:
        # Asked several times per page (form, buttons, inlines); the answer is a query, so once per request.
        memo = request.__dict__.setdefault("_opis_may_edit", {})
        key = (obj._meta.label, obj.pk)
        if key not in memo:
            memo[key] = can_edit(request.user, obj)
        return memo[key]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self.may_edit(request, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self.may_edit(request, obj))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, unquote(object_id))
            if obj is not None and super().has_change_permission(request, obj) and not self.may_edit(request, obj):
                messages.info(
                    request,
                    gettext(
                        "Published sources or events show this %(record)s, so it is read-only for you: "
                        "an editor can change it."
                    )
                    % {"record": self.opts.verbose_name},
                )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Repository)
class RepositoryAdmin(PublishedContentAdminMixin, admin.ModelAdmin):
    list_display = ("code", "abbreviation_original", "name", "city", "city_original")
    search_fields = ("code", "abbreviation_original", "name", "name_original")


@admin.register(Language)
class LanguageAdmin(PublishedContentAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "name_original")
    search_fields = ("code", "name", "name_original")


@admin.register(Agent)
class AgentAdmin(PublishedContentAdminMixin, TransferAdminMixin, HistoryAdminMixin, LargeTableMixin, admin.ModelAdmin):
    resource_classes = [AgentResource]
    list_display = ("name", "name_original", "kind", "dates_text", "wikidata")
    list_filter = ("kind",)
    search_fields = ("identifier", "name", "name_original", "name_variants")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (_("Identity"), {"fields": ("identifier", "slug", "kind", "name", "name_original", "name_variants")}),
        (_("Dates"), {"fields": ("dates_text", "dates_edtf")}),
        (_("Description"), {"fields": ("description", "wikidata")}),
    )


@admin.register(Place)
class PlaceAdmin(PublishedContentAdminMixin, TransferAdminMixin, HistoryAdminMixin, admin.ModelAdmin):
    resource_classes = [PlaceResource]
    list_display = ("name", "name_original", "latitude", "longitude", "wikidata")
    search_fields = ("identifier", "name", "name_original", "name_variants")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (_("Identity"), {"fields": ("identifier", "slug", "name", "name_original", "name_variants")}),
        (_("Location"), {"fields": (("latitude", "longitude"), "wikidata")}),
    )


@admin.register(Subject)
class SubjectAdmin(PublishedContentAdminMixin, TransferAdminMixin, HistoryAdminMixin, admin.ModelAdmin):
    resource_classes = [SubjectResource]
    list_display = ("term", "term_original", "identifier")
    search_fields = ("identifier", "term", "term_original")
    prepopulated_fields = {"slug": ("term",)}
