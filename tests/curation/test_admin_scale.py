import pytest
from django.urls import reverse

from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


def test_decade_filter_offers_only_decades_that_have_records(curator_client):
    SourceFactory(date_edtf="1917-10-25")
    SourceFactory(date_edtf="1939-05-11/1939-09-16")
    SourceFactory(date_edtf="")
    response = curator_client.get(reverse("admin:archive_source_changelist"))
    decade_filter = next(
        spec for spec in response.context["cl"].filter_specs if getattr(spec, "parameter_name", None) == "decade"
    )
    assert [value for value, _ in decade_filter.lookup_choices] == ["1910", "1930"]


def test_the_cheaper_row_checkbox_is_django_s_own_markup():
    from django.contrib import admin

    from archive.models import Source
    from curation.admin.sources import SourceAdmin

    source = SourceFactory()
    model_admin = SourceAdmin(Source, admin.site)
    assert model_admin.action_checkbox(source) == admin.ModelAdmin.action_checkbox(model_admin, source)
