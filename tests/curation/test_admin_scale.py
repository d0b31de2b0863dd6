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


def change_form_queries(client, source) -> tuple[int, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("admin:archive_source_change", args=[source.pk]))
    assert response.status_code == 200
    return len(captured.captured_queries), response.text


def test_source_change_form_queries_do_not_grow_with_people_and_notes(curator_client):
    from archive.models import AgentRole, SourceAgent
    from tests.factories import AgentFactory, CommentaryFactory

    def with_relations(n):
        source = SourceFactory()
        for agent in AgentFactory.create_batch(n):
            SourceAgent.objects.create(source=source, agent=agent, role=AgentRole.MENTIONED)
        CommentaryFactory.create_batch(n, source=source)
        return source

    # The first change form with a person and a note in a process looks up and caches their content types once:
    # warm up, then compare like with like.
    change_form_queries(curator_client, with_relations(1))
    lean_queries, _ = change_form_queries(curator_client, with_relations(1))
    rich = with_relations(12)
    rich_queries, html = change_form_queries(curator_client, rich)
    assert rich_queries == lean_queries
    for link in rich.agent_links.select_related("agent"):
        # Each row's autocomplete still shows its person, selected.
        assert f'<option value="{link.agent.pk}" selected>{link.agent.name}</option>' in html
