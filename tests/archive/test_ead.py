"""The EAD3 export of a fonds: valid against the official schema, complete as the public pages are, and no more."""

from datetime import timedelta
from io import StringIO

import factory
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from archive.ead import find_fonds, fonds_ead, validate
from archive.models import AgentKind, AgentRole, SourceAgent, Status, Unit
from tests import factories
from tests.factories import (
    AgentFactory,
    EventFactory,
    LanguageFactory,
    PlaceFactory,
    RepositoryFactory,
    SourceFactory,
    SubjectFactory,
)

NS = {"e": "http://ead3.archivists.org/schema/"}
TRICKY = 'Letters & telegrams <secret> "urgent" \x0b1936'


class UnitFactory(factories.UnitFactory):
    """Published by default (the EAD3 shows published units only), with no original-language title unless given."""

    title_original = ""
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


def draft(**kwargs):
    return {"status": Status.DRAFT, "published_at": None, **kwargs}


@pytest.fixture
def archive(db):
    """A test archive's fonds 558 with inventory 11 and file 374, creators, access points, dates and documents."""
    repository = RepositoryFactory(
        code="TA", abbreviation_original="ТА", name="Test Archive", name_original="Тестовый архив", city="Moscow"
    )
    russian = LanguageFactory(code="ru", name="Russian")
    stalin = AgentFactory(name="Stalin, Joseph", kind=AgentKind.PERSON, wikidata="Q855")
    committee = AgentFactory(name="Central Committee", kind=AgentKind.ORGANISATION)
    fonds = UnitFactory(
        repository=repository,
        number="558",
        identifier="TA-558",
        title="Personal papers",
        title_original="Личный фонд",
        date_edtf="1917/1953",
        date_text="1917–1953 гг.",
        extent="1,695 files",
        administrative_history="Who made the papers.\n\nHow they came here.",
        scope_content="What they are.",
        arrangement="By inventory.",
        access_conditions="Open.",
        reproduction_conditions="Copies on request.",
        finding_aids="Inventories 1 to 11.",
        scripts=["Cyrl"],
    )
    fonds.creators.add(stalin, committee)
    fonds.languages.add(russian)
    fonds.subjects.add(SubjectFactory(term="Foreign policy"))
    fonds.places.add(PlaceFactory(name="Moscow", latitude="55.755800", longitude="37.617600"))
    inventory = UnitFactory(parent=fonds, number="11", identifier="TA-558-11", title="Inventory of letters")
    inventory.agents.add(committee)
    file = UnitFactory(parent=inventory, number="374", identifier="TA-558-11-374", title=TRICKY, date_edtf="1936")
    document = SourceFactory(
        repository=repository,
        unit=file,
        folios="12-15 об.",
        title="Protocol of Mutual Assistance",
        title_original="Протокол о взаимопомощи",
        date_edtf="1936-03-12",
        date_text="12 марта 1936",
        summary="Signed in Ulaanbaatar.",
        status=Status.PUBLISHED,
        published_at=timezone.now(),
    )
    SourceAgent.objects.create(source=document, agent=stalin, role=AgentRole.CREATOR)
    SourceAgent.objects.create(source=document, agent=committee, role=AgentRole.RECIPIENT)
    document.places.add(PlaceFactory(name="Ulaanbaatar"))
    document.subjects.add(SubjectFactory(term="Mutual assistance"))
    document.languages.add(russian)
    document.events.add(EventFactory(name="Protocol signed", published=True))
    return {"fonds": fonds, "inventory": inventory, "file": file, "document": document, "stalin": stalin}


def parsed(xml: bytes):
    return etree.fromstring(xml)


def texts(root, path: str) -> list[str]:
    """The text of each element at `path`, its spacing as a reader sees it (the file is indented)."""
    return [" ".join("".join(node.itertext()).split()) for node in root.xpath(path, namespaces=NS)]


def test_the_ead_of_a_fonds_is_valid_ead3(archive):
    assert validate(fonds_ead(archive["fonds"])) == []


def test_the_validation_finds_what_the_schema_refuses(archive):
    root = parsed(fonds_ead(archive["fonds"]))
    did = root.find("e:archdesc/e:did", NS)
    did.getparent().remove(did)
    errors = validate(etree.tostring(root))
    assert errors and "did" in errors[0]


def test_the_units_nest_with_their_levels_and_the_document_is_an_item(archive):
    root = parsed(fonds_ead(archive["fonds"]))
    assert root.find("e:archdesc", NS).get("level") == "fonds"
    inventory = root.find("e:archdesc/e:dsc/e:c", NS)
    file = inventory.find("e:c", NS)
    item = file.find("e:c", NS)
    assert [inventory.get("level"), file.get("level"), item.get("level")] == ["series", "file", "item"]
    assert texts(inventory, "e:did/e:unittitle") == ["Inventory of letters"]
    assert texts(item, "e:did/e:unittitle") == ["Protocol of Mutual Assistance", "Протокол о взаимопомощи"]
    assert item.find("e:did/e:unittitle[@lang='ru']", NS) is not None


def test_reference_codes_come_from_the_tree(archive):
    root = parsed(fonds_ead(archive["fonds"]))
    assert texts(root, "e:archdesc/e:did/e:unitid[@localtype='referencecode']") == ["TA, f. 558", "ТА. Ф. 558"]
    assert texts(root, "//e:c[@level='item']/e:did/e:unitid") == [
        "TA, f. 558, op. 11, d. 374, ll. 12-15v",
        "ТА. Ф. 558. Оп. 11. Д. 374. Л. 12-15 об.",
        archive["document"].identifier,
    ]


def test_it_names_every_unit_date_creator_and_access_point_the_pages_show(archive):
    root = parsed(fonds_ead(archive["fonds"]))
    fonds_did = root.find("e:archdesc/e:did", NS)
    assert texts(fonds_did, "e:unittitle") == ["Personal papers", "Личный фонд"]
    assert texts(fonds_did, "e:unitdate") == ["1917 – 1953", "1917–1953 гг."]
    assert fonds_did.find("e:unitdate", NS).get("normal") == "1917-01-01/1953-12-31"
    assert fonds_did.find("e:unitdatestructured/e:daterange/e:fromdate", NS).get("standarddate") == "1917-01-01"
    assert fonds_did.find("e:unitdatestructured/e:daterange/e:todate", NS).get("standarddate") == "1953-12-31"
    assert texts(fonds_did, "e:physdesc") == ["1,695 files"]
    assert texts(fonds_did, "e:origination/e:persname") == ["Stalin, Joseph"]
    assert fonds_did.find("e:origination/e:persname", NS).get("identifier") == "Q855"
    assert texts(fonds_did, "e:origination/e:corpname") == ["Central Committee"]
    assert texts(fonds_did, "e:repository/e:corpname") == ["Test Archive", "Тестовый архив"]
    assert fonds_did.find("e:langmaterial/e:languageset/e:language", NS).get("langcode") == "ru"
    assert fonds_did.find("e:langmaterial/e:languageset/e:script", NS).get("scriptcode") == "Cyrl"
    archdesc = root.find("e:archdesc", NS)
    assert texts(archdesc, "e:bioghist/e:p") == ["Who made the papers.", "How they came here."]
    for tag, text in [
        ("scopecontent", "What they are."),
        ("arrangement", "By inventory."),
        ("accessrestrict", "Open."),
        ("userestrict", "Copies on request."),
        ("otherfindaid", "Inventories 1 to 11."),
    ]:
        assert texts(archdesc, f"e:{tag}/e:p") == [text]
    assert texts(archdesc, "e:controlaccess/e:geogname/e:part") == ["Moscow"]
    assert texts(archdesc, "e:controlaccess/e:subject") == ["Foreign policy"]
    assert texts(root, "//e:c[@level='series']/e:controlaccess/e:corpname") == ["Central Committee"]
    file_dates = root.find(".//e:c[@level='file']/e:did/e:unitdatestructured", NS)
    assert [d.get("standarddate") for d in file_dates.iter("{*}fromdate", "{*}todate")] == ["1936-01-01", "1936-12-31"]
    item = root.find(".//e:c[@level='item']", NS)
    assert texts(item, "e:did/e:unitdate") == ["12 March 1936", "12 марта 1936"]
    assert item.find("e:did/e:unitdatestructured/e:datesingle", NS).get("standarddate") == "1936-03-12"
    assert texts(item, "e:did/e:origination/e:persname") == ["Stalin, Joseph"]
    assert item.find("e:controlaccess/e:corpname", NS).get("relator") == "recipient"
    assert texts(item, "e:controlaccess/e:geogname") == ["Ulaanbaatar"]
    assert texts(item, "e:controlaccess/e:subject[not(@localtype)]") == ["Mutual assistance"]
    assert texts(item, "e:controlaccess/e:subject[@localtype='event']") == ["Protocol signed"]
    assert texts(item, "e:scopecontent/e:p") == ["Signed in Ulaanbaatar."]


def test_drafts_withdrawn_and_scheduled_records_stay_out(archive):
    fonds, inventory, file = archive["fonds"], archive["inventory"], archive["file"]
    UnitFactory(parent=fonds, number="12", title="Draft inventory", **draft())
    withdrawn = UnitFactory(parent=inventory, number="375", title="Withdrawn file", status=Status.WITHDRAWN)
    hidden_inventory = UnitFactory(parent=fonds, number="13", title="Inventory in review", **draft(status="review"))
    UnitFactory(parent=hidden_inventory, number="1", title="Published file of a hidden inventory")
    SourceFactory(unit=withdrawn, title="Document in a withdrawn file", published=True)
    SourceFactory(unit=file, title="Draft document")
    SourceFactory(
        unit=file,
        title="Scheduled document",
        status=Status.PUBLISHED,
        published_at=timezone.now() + timedelta(days=1),
    )
    archive["document"].events.add(EventFactory(name="Draft event"))
    xml = fonds_ead(fonds)
    for title in [
        "Draft inventory",
        "Withdrawn file",
        "Inventory in review",
        "Published file of a hidden inventory",
        "Document in a withdrawn file",
        "Draft document",
        "Scheduled document",
        "Draft event",
    ]:
        assert title.encode() not in xml
    assert b"Protocol of Mutual Assistance" in xml
    assert validate(xml) == []


def test_xml_specials_are_escaped_and_control_characters_dropped(archive):
    xml = fonds_ead(archive["fonds"])
    assert b"Letters &amp; telegrams &lt;secret&gt;" in xml
    assert b"<secret>" not in xml
    title = texts(parsed(xml), "//e:c[@level='file']/e:did/e:unittitle")
    assert title == ['Letters & telegrams <secret> "urgent" 1936']
    assert validate(xml) == []


def test_the_download_answers_with_the_xml_of_a_published_fonds(client, archive):
    response = client.get(reverse("archive:unit-ead", kwargs={"slug": archive["fonds"].slug}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert 'filename="TA-558.ead.xml"' in response["Content-Disposition"]
    root = parsed(response.content)
    assert texts(root, "e:control/e:recordid") == ["TA-558"]
    instance = root.find("e:control/e:recordid", NS).get("instanceurl")
    assert instance == f"http://testserver/units/{archive['fonds'].slug}/ead.xml"
    assert validate(response.content) == []


@pytest.mark.parametrize("status", [Status.DRAFT, Status.REVIEW, Status.WITHDRAWN])
def test_the_download_of_an_unpublished_fonds_is_not_found(client, curator_client, archive, status):
    Unit.objects.filter(pk=archive["fonds"].pk).update(status=status)
    url = reverse("archive:unit-ead", kwargs={"slug": archive["fonds"].slug})
    assert client.get(url).status_code == 404
    assert curator_client.get(url).status_code == 404


def test_only_a_fonds_has_a_download(client, archive):
    url = reverse("archive:unit-ead", kwargs={"slug": archive["inventory"].slug})
    assert client.get(url).status_code == 404


def test_the_download_link_shows_for_a_published_fonds_only(archive):
    link = reverse("archive:unit-ead", kwargs={"slug": archive["fonds"].slug})
    assert link in render_to_string("archive/includes/unit_downloads.html", {"unit": archive["fonds"]})
    assert "ead.xml" not in render_to_string("archive/includes/unit_downloads.html", {"unit": archive["inventory"]})
    Unit.objects.filter(pk=archive["fonds"].pk).update(status=Status.DRAFT)
    archive["fonds"].refresh_from_db()
    assert "ead.xml" not in render_to_string("archive/includes/unit_downloads.html", {"unit": archive["fonds"]})


def test_the_command_writes_a_valid_file(archive, tmp_path):
    path = tmp_path / "fonds.xml"
    call_command("export_ead", "TA 558", "-o", str(path), stderr=StringIO())
    xml = path.read_bytes()
    assert validate(xml) == []
    assert texts(parsed(xml), "e:archdesc/e:did/e:unittitle") == ["Personal papers", "Личный фонд"]
    assert [p.name for p in tmp_path.iterdir()] == ["fonds.xml"]


def test_the_command_writes_to_standard_output_by_identifier(archive):
    out = StringIO()
    call_command("export_ead", "TA-558", stdout=out)
    assert validate(out.getvalue().encode()) == []


def test_the_command_refuses_an_unknown_or_unpublished_fonds(archive, tmp_path):
    with pytest.raises(CommandError, match="No fonds"):
        call_command("export_ead", "TA 999")
    Unit.objects.filter(pk=archive["fonds"].pk).update(status=Status.DRAFT)
    path = tmp_path / "fonds.xml"
    with pytest.raises(CommandError, match="not published"):
        call_command("export_ead", "TA-558", "-o", str(path))
    assert not path.exists()


@pytest.mark.parametrize("text", ["TA-558", "TA 558", "ta, f. 558", "ТА Ф. 558", "ТА. Ф. 558"])
def test_a_fonds_is_found_by_identifier_or_reference(archive, text):
    assert find_fonds(text) == archive["fonds"]


def test_an_inventory_is_not_a_fonds(archive):
    assert find_fonds("TA-558-11") is None


def test_a_document_known_only_to_its_fonds_is_a_component_of_the_fonds(db):
    fonds = UnitFactory(number="17", identifier="TA-17", title="Fonds without inventories")
    assert validate(fonds_ead(fonds)) == []  # no <dsc> at all
    SourceFactory(repository=fonds.repository, unit=fonds, title="A loose document", published=True)
    root = parsed(fonds_ead(fonds))
    assert texts(root, "e:archdesc/e:dsc/e:c[@level='item']/e:did/e:unittitle") == ["A loose document"]
    assert validate(etree.tostring(root)) == []


def test_the_number_of_queries_does_not_grow_with_the_fonds(archive):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            fonds_ead(Unit.objects.get(pk=archive["fonds"].pk))
        return len(captured)

    before = queries()
    for number in ("375", "376", "377"):
        file = UnitFactory(parent=archive["inventory"], number=number, title=f"File {number}")
        file.creators.add(archive["stalin"])
        document = SourceFactory(repository=file.repository, unit=file, published=True)
        SourceAgent.objects.create(source=document, agent=archive["stalin"], role=AgentRole.CREATOR)
    assert queries() == before
