import pytest
from django.urls import reverse

from archive.models import Agent, Commentary, Event, Place, Source, Status, Subject
from curation.demo import load_demo
from tests.factories import CommentaryFactory, EventFactory, SourceFactory, unit_path

pytestmark = pytest.mark.django_db

MODELS = [Source, Event, Commentary, Agent, Place, Subject]


@pytest.fixture
def demo():
    load_demo()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_curator_sees_changelist_add_and_change(curator_client, demo, model):
    opts = model._meta
    changelist = curator_client.get(reverse(f"admin:archive_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    add = curator_client.get(reverse(f"admin:archive_{opts.model_name}_add"))
    assert add.status_code == 200
    obj = model.objects.first()
    change = curator_client.get(reverse(f"admin:archive_{opts.model_name}_change", args=[obj.pk]))
    assert change.status_code == 200


@pytest.mark.parametrize(
    ("model", "relations"),
    [
        (Source, ["repository", "languages", "places", "subjects", "events", "agent_links-0-agent"]),
        (Event, ["parent", "places", "participants"]),
        (Commentary, ["source", "event", "author"]),
    ],
    ids=lambda v: getattr(v, "__name__", "relations"),
)
def test_every_relation_is_an_autocomplete_never_a_full_select(curator_client, demo, model, relations):
    obj = model.objects.first()
    if model is Source:
        obj = Source.objects.filter(agent_links__isnull=False).first()
    html = curator_client.get(reverse(f"admin:archive_{model._meta.model_name}_change", args=[obj.pk])).text
    for field in relations:
        tag_start = html.index(f'name="{field}"')
        tag = html[html.rindex("<select", 0, tag_start) : html.index(">", tag_start)]
        assert "admin-autocomplete" in tag, field


def test_agent_options_are_not_all_rendered(curator_client, demo):
    source = Source.objects.filter(agent_links__isnull=False).first()
    html = curator_client.get(reverse("admin:archive_source_change", args=[source.pk])).text
    # Only the linked agents appear as options; the rest are fetched on demand.
    unlinked = Agent.objects.exclude(source_links__source=source).first()
    assert f">{unlinked.name}</option>" not in html


def test_source_changelist_shows_status_and_citation(curator_client):
    SourceFactory(identifier="RGASPI-558-11-123", unit=unit_path("558", "11", "123"), folios="12-15 об.")
    html = curator_client.get(reverse("admin:archive_source_changelist")).text
    assert "РГАСПИ. Ф. 558. Оп. 11. Д. 123. Л. 12-15 об." in html
    assert 'class="status status-draft"' in html


def test_source_changelist_filters_by_status(curator_client):
    SourceFactory(title="Draft one")
    SourceFactory(title="Out there", published=True)
    html = curator_client.get(reverse("admin:archive_source_changelist"), {"status__exact": "published"}).text
    assert "Out there" in html and "Draft one" not in html


def test_source_changelist_filters_by_decade(curator_client):
    SourceFactory(title="Talks", date_edtf="1934-11-27")
    SourceFactory(title="Battles", date_edtf="1939-05-11/1939-09-16")
    html = curator_client.get(reverse("admin:archive_source_changelist"), {"decade": "1930"}).text
    assert "Talks" in html and "Battles" in html
    html = curator_client.get(reverse("admin:archive_source_changelist"), {"decade": "1920"}).text
    assert "Talks" not in html


def test_source_change_form_offers_inline_commentary_and_images(curator_client):
    note = CommentaryFactory(title="Context of the talks")
    html = curator_client.get(reverse("admin:archive_source_change", args=[note.source.pk])).text
    assert "Context of the talks" in html
    assert 'id="images-group"' in html
    assert 'id="commentary-group"' in html


def test_change_form_links_to_the_public_page(curator_client):
    source = SourceFactory(slug="protocol-1936")
    html = curator_client.get(reverse("admin:archive_source_change", args=[source.pk])).text
    assert "viewsitelink" in html


def test_saving_an_invalid_edtf_names_the_value(curator_client):
    source = SourceFactory()
    url = reverse("admin:archive_source_change", args=[source.pk])
    form = curator_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and not isinstance(value, list)}
    data.update(
        {
            "repository": source.repository_id,
            "date_edtf": "весна 1936",
            "agent_links-TOTAL_FORMS": 0,
            "agent_links-INITIAL_FORMS": 0,
            "images-TOTAL_FORMS": 0,
            "images-INITIAL_FORMS": 0,
            "commentary-TOTAL_FORMS": 0,
            "commentary-INITIAL_FORMS": 0,
        }
    )
    response = curator_client.post(url, data)
    assert response.status_code == 200
    assert "“весна 1936” is not a valid EDTF date" in response.text
    source.refresh_from_db()
    assert source.date_edtf == "1934-11-27"


def test_dashboard_counts_by_status_and_lists_review_and_my_drafts(curator_client, curator):
    SourceFactory(title="Mine", created_by=curator)
    SourceFactory(title="Waiting", status=Status.REVIEW)
    EventFactory(published=True)
    response = curator_client.get(reverse("admin:index"))
    assert response.status_code == 200
    rows = {row["label"]: dict((s.value, n) for s, n in row["counts"]) for row in response.context["status_counts"]}
    assert rows["sources"]["draft"] == 1 and rows["sources"]["review"] == 1
    assert rows["events"]["published"] == 1
    assert [entry.record.title for entry in response.context["my_drafts"]] == ["Mine"]
    assert [entry.record.title for entry in response.context["in_review"]] == ["Waiting"]


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("admin:archive_source_changelist"))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("query", ["халхин", "ХАЛХИН", "Халхин"])
def test_admin_search_finds_cyrillic_in_any_case(curator_client, query):
    SourceFactory(title="Battles", title_original="Бои на Халхин-Голе")
    html = curator_client.get(reverse("admin:archive_source_changelist"), {"q": query}).text
    assert "Battles" in html


def test_autocomplete_finds_lowercase_cyrillic(curator_client):
    load_demo()
    response = curator_client.get(
        reverse("admin:autocomplete"),
        {"term": "сталин", "app_label": "archive", "model_name": "source", "field_name": "places"}
        | {"model_name": "event", "field_name": "participants"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Stalin, Joseph"]
