"""The data migration of the fond/opis/delo strings into units (archive 0013, curation 0009), forwards and back,
on the test database with Django's MigrationExecutor."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("archive", "0012_authority_search"), ("curation", "0008_oai_deleted_from_history")]
AFTER = [("archive", "0013_source_units_from_reference"), ("curation", "0009_historicalsource_units")]
PUBLISHED = datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_apps(transactional_db):
    apps = _migrate(BEFORE)
    yield apps
    call_command("migrate", verbosity=0)  # the latest schema again, for the tests after


def _source(apps, n, repository, fond="", opis="", delo="", **fields):
    Source = apps.get_model("archive", "Source")
    return Source.objects.create(
        identifier=f"S-{n}",
        slug=f"s-{n}",
        title=f"S {n}",
        repository=repository,
        fond=fond,
        opis=opis,
        delo=delo,
        **fields,
    )


def test_strings_become_units_and_come_back(old_apps):
    Repository = old_apps.get_model("archive", "Repository")
    rgaspi = Repository.objects.create(code="RGASPI", abbreviation_original="РГАСПИ", name="RGASPI")
    garf = Repository.objects.create(code="GARF", name="GARF")
    _source(old_apps, 1, rgaspi, "558", "11", "374", folios="12–15", status="published", published_at=PUBLISHED)
    _source(old_apps, 2, rgaspi, "558", "11", "374", status="published", published_at=PUBLISHED.replace(day=1))
    _source(old_apps, 3, rgaspi, "558", "11", "375")  # a draft: its file stays a draft
    _source(old_apps, 4, rgaspi, " 17 ", "", "5")  # a file directly in the fonds
    _source(old_apps, 5, garf, "R-5446", "1")
    _source(old_apps, 6, garf, "", "3")  # an opis without a fond: the repository's fonds without a number
    _source(old_apps, 7, None, publication="FRUS")

    apps = _migrate(AFTER)
    Source, Unit = apps.get_model("archive", "Source"), apps.get_model("archive", "Unit")
    units = {u.identifier: u for u in Unit.objects.all()}
    assert sorted(units) == [
        "GARF-R-5446", "GARF-R-5446-1", "GARF-x", "GARF-x-3",
        "RGASPI-17", "RGASPI-17-5", "RGASPI-558", "RGASPI-558-11", "RGASPI-558-11-374", "RGASPI-558-11-375",
    ]  # fmt: skip
    file = units["RGASPI-558-11-374"]
    assert (file.level, file.number, file.title, file.title_original) == ("file", "374", "File 374", "Д. 374")
    assert (file.parent.title, file.parent.title_original, file.parent.parent.title_original) == (
        "Inventory 11",
        "Оп. 11",
        "Ф. 558",
    )
    assert file.fonds_id == units["RGASPI-558"].pk and file.slug == "rgaspi-558-11-374"
    # Published with the earliest of the published sources under it, all the way up; the rest are drafts.
    for identifier in ("RGASPI-558", "RGASPI-558-11", "RGASPI-558-11-374"):
        assert (units[identifier].status, units[identifier].published_at) == ("published", PUBLISHED.replace(day=1))
    assert units["RGASPI-558-11-375"].status == "draft" and units["RGASPI-558-11-375"].published_at is None
    assert units["RGASPI-17-5"].parent_id == units["RGASPI-17"].pk and units["RGASPI-17-5"].level == "file"
    assert units["GARF-x"].number == "" and units["GARF-x"].title_original == "Ф. б/н"
    by_identifier = {s.identifier: s for s in Source.objects.all()}
    assert by_identifier["S-1"].unit_id == by_identifier["S-2"].unit_id == file.pk  # one unit per distinct path
    assert by_identifier["S-1"].fonds_id == units["RGASPI-558"].pk
    assert by_identifier["S-4"].unit_id == units["RGASPI-17-5"].pk
    assert by_identifier["S-7"].unit_id is None and by_identifier["S-1"].folios == "12–15"

    apps = _migrate(BEFORE)
    Source = apps.get_model("archive", "Source")
    strings = dict((s.identifier, (s.fond, s.opis, s.delo)) for s in Source.objects.all())
    assert strings == {
        "S-1": ("558", "11", "374"),
        "S-2": ("558", "11", "374"),
        "S-3": ("558", "11", "375"),
        "S-4": ("17", "", "5"),
        "S-5": ("R-5446", "1", ""),
        "S-6": ("", "3", ""),
        "S-7": ("", "", ""),
    }


def test_existing_units_are_reused_and_identifiers_kept_unique(old_apps):
    Repository, Unit = old_apps.get_model("archive", "Repository"), old_apps.get_model("archive", "Unit")
    rgaspi = Repository.objects.create(code="RGASPI", name="RGASPI")
    stalin = Unit.objects.create(
        identifier="RGASPI-558", slug="stalin", repository=rgaspi, level="fonds", number="558", title="Stalin"
    )
    Unit.objects.create(identifier="RGASPI-17", slug="rgaspi-17", repository=rgaspi, level="fonds", number="",
                        title="Unnumbered, but holding the identifier")  # fmt: skip
    _source(old_apps, 1, rgaspi, "558", "11")
    _source(old_apps, 2, rgaspi, "17")

    apps = _migrate(AFTER)
    Source, Unit = apps.get_model("archive", "Source"), apps.get_model("archive", "Unit")
    inventory = Unit.objects.get(identifier="RGASPI-558-11")
    assert inventory.parent_id == stalin.pk and Unit.objects.get(pk=stalin.pk).title == "Stalin"
    assert Source.objects.get(identifier="S-1").unit_id == inventory.pk
    seventeen = Source.objects.get(identifier="S-2").unit
    assert (seventeen.identifier, seventeen.slug, seventeen.number) == ("RGASPI-17-2", "rgaspi-17-2", "17")


def test_saved_versions_get_their_units_too(old_apps):
    Repository = old_apps.get_model("archive", "Repository")
    Historical = old_apps.get_model("curation", "HistoricalSource")
    rgaspi = Repository.objects.create(code="RGASPI", name="RGASPI")
    source = _source(old_apps, 1, rgaspi, "558", "11", "374")
    common = {"id": source.pk, "identifier": "S-1", "slug": "s-1", "title": "S", "repository_id": rgaspi.pk}
    common |= {"history_type": "~", "history_date": PUBLISHED, "version": 1, "status": "draft"}
    for delo in ("374", "373"):  # an old version in another file, since corrected
        Historical.objects.create(**common, fond="558", opis="11", delo=delo)

    apps = _migrate(AFTER)
    Historical, Unit = apps.get_model("curation", "HistoricalSource"), apps.get_model("archive", "Unit")
    files = dict(Unit.objects.filter(level="file").values_list("number", "pk"))
    assert sorted(Historical.objects.values_list("unit_id", flat=True)) == sorted(files.values())
    assert Unit.objects.get(number="373").status == "draft"

    apps = _migrate(BEFORE)
    Historical = apps.get_model("curation", "HistoricalSource")
    assert sorted(Historical.objects.values_list("delo", flat=True)) == ["373", "374"]
