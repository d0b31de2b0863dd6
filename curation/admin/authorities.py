from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from archive.models import Agent, Language, Place, Repository, Subject
from curation.resources import AgentResource, PlaceResource, SubjectResource

from .history import HistoryAdminMixin
from .large_tables import LargeTableMixin
from .transfer import TransferAdminMixin


@admin.register(Repository)
class RepositoryAdmin(admin.ModelAdmin):
    list_display = ("code", "abbreviation_original", "name", "city", "city_original")
    search_fields = ("code", "abbreviation_original", "name", "name_original")


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_original")
    search_fields = ("code", "name", "name_original")


@admin.register(Agent)
class AgentAdmin(TransferAdminMixin, HistoryAdminMixin, LargeTableMixin, admin.ModelAdmin):
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
class PlaceAdmin(TransferAdminMixin, HistoryAdminMixin, admin.ModelAdmin):
    resource_classes = [PlaceResource]
    list_display = ("name", "name_original", "latitude", "longitude", "wikidata")
    search_fields = ("identifier", "name", "name_original", "name_variants")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (_("Identity"), {"fields": ("identifier", "slug", "name", "name_original", "name_variants")}),
        (_("Location"), {"fields": (("latitude", "longitude"), "wikidata")}),
    )


@admin.register(Subject)
class SubjectAdmin(TransferAdminMixin, HistoryAdminMixin, admin.ModelAdmin):
    resource_classes = [SubjectResource]
    list_display = ("term", "term_original", "identifier")
    search_fields = ("identifier", "term", "term_original")
    prepopulated_fields = {"slug": ("term",)}
