"""Units of description in the admin: the ISAD(G) form, the place in the tree by autocomplete, a move by the form,
locking and history as for sources, and a unit's children a page at a time."""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from archive.models import Level, Source, Status, Unit
from curation.roles import CURATOR, EDITOR
from tests.factories import AgentFactory, RepositoryFactory, SourceFactory, UnitFactory

from .html import find, find_all, page, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(client, make_member):
    client.force_login(make_member(CURATOR))
    return client


@pytest.fixture
def tree():
    stalin = UnitFactory(number="558", title="I. V. Stalin")
    a, b = UnitFactory(parent=stalin, number="1"), UnitFactory(parent=stalin, number="2")
    central = UnitFactory(number="17", title="Central Committee of the Communist Party")
    return {"558": stalin, "a": a, "b": b, "file": UnitFactory(parent=a), "17": central}


def form_data(unit: Unit, **changes) -> dict:
    """What the change form posts for `unit` as it is stored, with `changes`."""
    data = {key: value for key, value in model_to_dict(unit).items() if value is not None}
    for name in ("creators", "agents", "places", "subjects", "languages"):
        data[name] = [obj.pk for obj in data.get(name, [])]
    data["scripts"] = ",".join(unit.scripts)
    return data | {"expected_version": unit.version} | changes


def latest(obj):
    return obj.history.order_by("-history_date", "-history_id").first()


def test_the_form_is_laid_out_in_the_areas_of_isad(curator, tree):
    response = curator.get(reverse("admin:archive_unit_change", args=[tree["a"].pk]))
    areas = [fieldset.name for fieldset in response.context["adminform"]]
    assert areas[:6] == [
        "Identity statement",
        "Context",
        "Content and structure",
        "Conditions of access and use",
        "Notes",
        "Access points",
    ]
    fields = response.context["adminform"].form.fields
    widgets = {name: type(getattr(field.widget, "widget", field.widget)).__name__ for name, field in fields.items()}
    assert widgets["parent"] == "AutocompleteSelect"
    for name in ("creators", "agents", "places", "subjects"):
        assert widgets[name] == "AutocompleteSelectMultiple", name


def test_a_curator_adds_an_inventory_under_a_fonds_and_it_is_recorded(curator, tree):
    stalin = AgentFactory(name="I. V. Stalin")
    data = {
        "identifier": "RGASPI-558-X",
        "slug": "rgaspi-558-x",
        "repository": tree["558"].repository_id,
        "level": Level.SERIES,
        "number": "99",
        "parent": tree["558"].pk,
        "title": "An inventory",
        "creators": [stalin.pk],
        "scripts": "Cyrl",
    }
    response = curator.post(reverse("admin:archive_unit_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    unit = Unit.objects.get(identifier="RGASPI-558-X")
    assert unit.fonds == tree["558"] and unit.status == Status.DRAFT and unit.scripts == ["Cyrl"]
    record = unit.history.get()  # one record, with the creator link
    assert record.history_via == "admin" and [row.agent for row in record.creators.all()] == [stalin]


def test_adding_from_a_units_form_starts_under_it_at_the_level_below(curator, tree):
    url = reverse("admin:archive_unit_change", args=[tree["558"].pk])
    add = find(find(page(curator.get(url)), "section", id="children-unit"), "a", class_="addlink")
    assert text(add) == "Add a unit under it"
    form = curator.get(dict(add.attributes)["href"]).context["adminform"].form
    assert form["parent"].value() == str(tree["558"].pk) and form["level"].value() == Level.SERIES
    assert form["repository"].value() == str(tree["558"].repository_id)


def test_a_file_under_a_parent_in_another_repository_or_of_its_own_level_is_refused(curator, tree):
    garf = RepositoryFactory(code="GARF", name="State Archive of the Russian Federation")
    refused = {
        "another repository": {"repository": garf.pk, "parent": tree["a"].pk},
        "a file in a file": {"repository": tree["a"].repository_id, "parent": tree["file"].pk},
    }
    for why, place in refused.items():
        data = {"identifier": "F-1", "slug": "f-1", "level": Level.FILE, "number": "5", "title": "A file", **place}
        response = curator.post(reverse("admin:archive_unit_add"), data)
        assert response.status_code == 200, why
        assert "parent" in response.context["adminform"].form.errors, why
    assert not Unit.objects.filter(identifier="F-1").exists()


def test_moving_an_inventory_by_its_form_is_one_edit_and_takes_its_files_along(curator, tree):
    inventory = tree["a"]
    records = inventory.history.count()
    response = curator.post(
        reverse("admin:archive_unit_change", args=[inventory.pk]), form_data(inventory, parent=tree["17"].pk)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    inventory.refresh_from_db()
    assert inventory.parent == tree["17"] and inventory.fonds == tree["17"] and inventory.version == 2
    assert inventory.history.count() == records + 1 and latest(inventory).history_via == "admin"
    file = Unit.objects.get(pk=tree["file"].pk)
    assert file.fonds == tree["17"] and latest(file).history_change_reason == f"Moved with {inventory.identifier}"


def test_a_level_or_repository_change_that_would_strand_its_children_is_refused(curator, tree):
    garf = RepositoryFactory(code="GARF", name="State Archive of the Russian Federation")
    url = reverse("admin:archive_unit_change", args=[tree["a"].pk])
    for change, field in (({"level": Level.FILE}, "level"), ({"repository": garf.pk}, "repository")):
        response = curator.post(url, form_data(tree["a"], **change))
        assert response.status_code == 200 and field in response.context["adminform"].form.errors, change
    assert Unit.objects.get(pk=tree["a"].pk).version == 1


def test_a_save_over_someone_elses_change_is_refused_and_keeps_what_was_typed(curator, tree):
    fonds = tree["558"]
    seen = form_data(fonds)
    fonds.extent = "1,695 files"
    fonds.version += 1
    fonds.save()
    response = curator.post(
        reverse("admin:archive_unit_change", args=[fonds.pk]), seen | {"title": "Fonds of I. V. Stalin"}
    )
    assert response.status_code == 200
    assert "Not saved" in text(find(page(response), "ul", class_="errorlist"))
    form = response.context["adminform"].form
    assert form["title"].value() == "Fonds of I. V. Stalin" and form["extent"].value() == "1,695 files"
    assert Unit.objects.get(pk=fonds.pk).title == "I. V. Stalin"


def test_the_form_lists_the_first_children_with_their_count_and_a_link_to_all(curator, tree):
    fonds = tree["17"]
    Unit.objects.bulk_create(
        Unit(
            repository=fonds.repository,
            level=Level.SERIES,
            parent=fonds,
            fonds=fonds,
            number=str(n),
            identifier=f"RGASPI-17-{n}",
            slug=f"rgaspi-17-{n}",
            title=f"Inventory {n}",
        )
        for n in range(1, 31)
    )
    response = curator.get(reverse("admin:archive_unit_change", args=[fonds.pk]))
    section = find(page(response), "section", id="children-unit")
    assert text(find(section, "h2")) == "30 units of description"
    rows = find_all(find(section, "tbody"), "tr")
    assert len(rows) == 25 and text(find(rows[0], "a")) == "RGASPI-17-1"
    link = find(section, "a", href=f"{reverse('admin:archive_unit_changelist')}?parent={fonds.pk}")
    assert "see them all" in text(link)
    assert text(find(find(page(response), "section", id="children-source"), "h2")) == "0 sources"

    listed = curator.get(reverse("admin:archive_unit_changelist"), {"parent": fonds.pk})
    assert listed.context["cl"].result_count == 30


def test_a_files_form_lists_its_documents_and_offers_to_add_one_there(curator, tree):
    file = tree["file"]
    documents = [SourceFactory(repository=file.repository, unit=file, title=f"Letter {n}") for n in range(3)]
    SourceFactory(repository=file.repository)  # elsewhere
    response = curator.get(reverse("admin:archive_unit_change", args=[file.pk]))
    html = page(response)
    assert not find_all(html, "section", id="children-unit")  # a file holds no units
    section = find(html, "section", id="children-source")
    assert text(find(section, "h2")) == "3 sources"
    assert {text(link) for link in find_all(find(section, "tbody"), "a")} == {d.identifier for d in documents}
    add = f"{reverse('admin:archive_source_add')}?unit={file.pk}&repository={file.repository_id}"
    assert text(find(section, "a", href=add)) == "Add a source to it"
    listed = curator.get(f"{reverse('admin:archive_source_changelist')}?unit={file.pk}")
    assert set(listed.context["cl"].result_list) == set(documents)


def test_the_form_counts_children_without_reading_them_all(curator, tree, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        curator.get(reverse("admin:archive_unit_change", args=[tree["558"].pk]))


def autocomplete(client, field: str, model: str = "unit", term: str = "") -> set[str]:
    params = {"app_label": "archive", "model_name": model, "field_name": field, "term": term}
    response = client.get(reverse("admin:autocomplete"), params)
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


def test_the_parent_autocomplete_offers_fonds_and_inventories_not_files(curator, tree):
    offered = autocomplete(curator, "parent")
    assert str(tree["a"].pk) in offered and str(tree["558"].pk) in offered
    assert str(tree["file"].pk) not in offered
    assert autocomplete(curator, "parent", term="Central") == {str(tree["17"].pk)}
    assert str(tree["file"].pk) in autocomplete(curator, "unit", model="source")  # a document may be in a file


def test_the_list_filters_by_level_repository_status_and_searches_by_number_and_title(curator, tree):
    url = reverse("admin:archive_unit_changelist")

    def listed(**params):
        return set(curator.get(url, params).context["cl"].result_list)

    assert listed(level="fonds") == {tree["558"], tree["17"]}
    assert listed(repository__id__exact=tree["558"].repository_id) == set(tree.values())
    assert listed(status__exact="draft") == set(tree.values())
    assert listed(q="Central") == {tree["17"]}
    assert listed(q="558") >= {tree["558"]}
    assert listed(fonds=tree["558"].pk) == {tree["a"], tree["b"], tree["file"]}


def test_units_have_the_workflow_buttons_and_the_history_of_sources(client, make_member, tree):
    client.force_login(make_member(EDITOR))
    fonds = tree["558"]
    Unit.objects.filter(pk=fonds.pk).update(status=Status.REVIEW)
    response = client.get(reverse("admin:archive_unit_change", args=[fonds.pk]))
    publish = reverse("admin:archive_unit_transition", args=[fonds.pk, "publish"])
    assert text(find(page(response), "a", href=publish)) == "Publish"
    client.post(publish, {"expected_version": 1})
    fonds.refresh_from_db()
    assert fonds.status == Status.PUBLISHED
    history = client.get(reverse("admin:archive_unit_history", args=[fonds.pk]))
    assert history.status_code == 200 and "Publish" in history.text


def test_the_unit_pages_are_in_russian(curator, tree):
    curator.get(reverse("archive:language"), {"language": "ru", "next": "/curation/"})  # the header's switcher
    response = curator.get(reverse("admin:archive_unit_change", args=[tree["a"].pk]))
    areas = [fieldset.name for fieldset in response.context["adminform"]]
    assert areas[:6] == [
        "Область идентификации",
        "Область контекста",
        "Область содержания и структуры",
        "Область условий доступа и использования",
        "Область примечаний",
        "Точки доступа",
    ]
    assert "0 документов" in response.text


def test_a_source_is_placed_in_a_unit_by_autocomplete_on_its_form(curator, tree):
    file = tree["file"]
    form = curator.get(reverse("admin:archive_source_add"), {"unit": file.pk, "repository": file.repository_id})
    field = form.context["adminform"].form["unit"]
    assert type(field.field.widget.widget).__name__ == "AutocompleteSelect" and field.value() == str(file.pk)
    data = {
        "identifier": "RGASPI-SRC-1",
        "slug": "letter",
        "title": "A letter",
        "repository": file.repository_id,
        "unit": file.pk,
        "document_type": "letter",
        "originality": "original",
        "form": "typescript",
    }
    for prefix in ("agent_links", "images", "commentary"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = curator.post(reverse("admin:archive_source_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Source.objects.get(identifier="RGASPI-SRC-1").unit == file


def test_a_unit_in_review_waits_on_the_dashboard(client, make_member, tree):
    client.force_login(make_member(EDITOR))
    Unit.objects.filter(pk=tree["17"].pk).update(status=Status.REVIEW)
    response = client.get(reverse("admin:index"))
    waiting = [entry.record for entry in response.context["in_review"]]
    assert waiting == [tree["17"]]
    assert reverse("admin:archive_unit_change", args=[tree["17"].pk]) in response.text
