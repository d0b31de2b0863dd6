from datetime import date

import pytest

from archive.models import Agent, Commentary, Event, Place, Source, SourceAgent, Status, Unit
from curation.demo import load_demo

pytestmark = pytest.mark.django_db


def _counts():
    return [m.objects.count() for m in (Source, Event, Agent, Place, Commentary, SourceAgent)] + [
        Source.events.through.objects.count()
    ]


def test_demo_loads_twice_without_duplicates():
    load_demo()
    first = _counts()
    load_demo()
    assert _counts() == first
    assert first[0] >= 4 and first[1] >= 10


def test_demo_has_published_and_unpublished_records():
    load_demo()
    assert Source.objects.published().exists()
    assert Source.objects.exclude(status=Status.PUBLISHED).exists()
    assert Commentary.objects.filter(status=Status.DRAFT).exists()


def test_demo_dates_follow_the_timeline():
    load_demo()
    battles = Event.objects.get(identifier="EV-1939-KHALKHIN-GOL")
    assert (battles.date_start, battles.date_end) == (date(1939, 5, 11), date(1939, 9, 16))
    assert battles.children.filter(identifier="EV-1939-OFFENSIVE").exists()
    protocol = Event.objects.get(identifier="EV-1936-PROTOCOL")
    assert protocol.date_start == date(1936, 3, 12)


def test_demo_invents_no_archival_references():
    load_demo()
    assert not Source.objects.exclude(unit=None, folios="").exists()


def test_demo_has_the_well_known_fonds_of_rgaspi():
    load_demo()
    fonds = {unit.number: unit for unit in Unit.objects.fonds().published()}
    assert sorted(fonds, key=int) == ["17", "495", "558"]
    assert fonds["558"].title == "Stalin's personal fond" and fonds["558"].repository.code == "RGASPI"
    assert list(fonds["558"].creators.values_list("identifier", flat=True)) == ["stalin"]


def test_demo_records_have_one_version_with_their_links():
    load_demo()
    source = Source.objects.get(identifier="RGASPI-DEMO-1934-11-27")
    (version,) = source.history.all()
    assert version.history_type == "+"
    assert {link.place.identifier for link in version.places.all()} == {"moscow"}


def test_demo_reload_keeps_a_curators_edits():
    load_demo()
    Source.objects.filter(identifier="RGASPI-DEMO-1936-03-12").update(title="Edited by a curator")
    Source.objects.get(identifier="RGASPI-DEMO-1934-11-27").places.clear()
    assert sum(load_demo().values()) == 0
    assert Source.objects.get(identifier="RGASPI-DEMO-1936-03-12").title == "Edited by a curator"
    assert not Source.objects.get(identifier="RGASPI-DEMO-1934-11-27").places.exists()


def test_demo_reload_restores_a_deleted_record_only():
    load_demo()
    Source.objects.filter(identifier="RGASPI-DEMO-1934-11").delete()
    created = load_demo()
    assert created["sources"] == 1 and sum(created.values()) == 1
    assert Source.objects.filter(identifier="RGASPI-DEMO-1934-11").exists()


def test_the_demo_covers_the_decade_in_two_archives():
    load_demo()
    published = Source.objects.published()
    assert published.count() >= 8
    assert published.exclude(repository=None).values("repository").distinct().count() >= 2
    years = {event.date_start.year for event in Event.objects.published()}
    assert set(range(1931, 1940)) <= years


def test_a_demo_document_known_from_a_publication_cites_it():
    load_demo()
    from_publications = Source.objects.published().exclude(publication="")
    assert from_publications.count() >= 3
    for source in from_publications:
        assert source.publication in source.citation_en and source.publication in source.citation_ru
    interview = Source.objects.get(identifier="DEMO-1936-03-01-STALIN-HOWARD")
    assert interview.repository is None and interview.citation_ru.startswith("Опубл.: Сталин И. В. Сочинения. Т. 14")


def test_the_demos_images_are_synthetic_pages_that_say_so_with_their_derivatives():
    from django.core.files.storage import default_storage
    from PIL import Image

    from archive.iiif.facsimile import SYNTHETIC_NOTICE
    from archive.models import SourceImage

    load_demo()
    load_demo()
    images = SourceImage.objects.filter(source__in=Source.objects.published())
    assert images.count() == 2  # once, however often the demo loads
    assert SYNTHETIC_NOTICE == "Synthetic facsimile for the Opis demo — not an archival scan"
    for image in images:
        assert image.derivatives and (image.width, image.height) == (1240, 1754)
        assert "synthetic" in image.caption.lower()
        with default_storage.open(image.image.name) as handle:
            # The notice is drawn in white on a red band across the head of the page.
            band = Image.open(handle).convert("RGB").crop((0, 0, 1240, 110))
        colours = {colour for _, colour in band.getcolors(1 << 16)}
        assert (170, 30, 30) in colours and (255, 255, 255) in colours
