"""The level-0 plan: what a viewer may ask for is exactly what is made."""

import pytest

from archive.iiif import plan


def test_scale_factors_go_down_until_the_image_fits_one_tile():
    assert plan.scale_factors(1240, 1754) == [1, 2, 4]
    assert plan.scale_factors(512, 300) == [1]
    assert plan.scale_factors(513, 10) == [1, 2]


def test_sizes_are_the_whole_image_at_each_scale_and_the_thumbnail():
    assert plan.sizes(1240, 1754) == [(240, 339), (310, 439), (620, 877), (1240, 1754)]
    assert plan.sizes(200, 100) == [(200, 100)]  # smaller than a thumbnail: itself


def test_tiles_cover_the_image_and_the_last_ones_are_cut_to_its_edge():
    made = list(plan.tiles(1240, 1754, 2))
    assert [t.region for t in made] == [
        (0, 0, 1024, 1024),
        (1024, 0, 216, 1024),
        (0, 1024, 1024, 730),
        (1024, 1024, 216, 730),
    ]
    assert [t.size for t in made] == [(512, 512), (108, 512), (512, 365), (108, 365)]


@pytest.mark.parametrize(
    ("region", "size", "name"),
    [
        # What OpenSeadragon (Mirador) asks of an Image API 3 level-0 service, and the canonical forms.
        ("0,0,1024,1024", "512,512", "0,0,1024,1024/512,512/0/default.jpg"),
        ("1024,1024,216,730", "108,365", "1024,1024,216,730/108,365/0/default.jpg"),
        ("full", "310,439", "full/310,439/0/default.jpg"),
        ("full", "310,", "full/310,439/0/default.jpg"),
        ("full", ",439", "full/310,439/0/default.jpg"),
        ("full", "max", "full/1240,1754/0/default.jpg"),
        ("0,0,1240,1754", "620,877", "full/620,877/0/default.jpg"),
        ("0,0,512,512", "max", "0,0,512,512/512,512/0/default.jpg"),
    ],
)
def test_a_request_for_a_made_derivative_names_its_file(region, size, name):
    assert plan.resolve(1240, 1754, region, size) == name


@pytest.mark.parametrize(
    ("region", "size"),
    [
        ("full", "311,439"),  # a size not listed in info.json
        ("0,0,100,100", "100,100"),  # a region that is no tile
        ("square", "max"),
        ("0,0,1024", "512,512"),
        ("full", "pct:50"),
        ("full", ","),
        ("full", "../../x,"),
    ],
)
def test_anything_else_is_not_served(region, size):
    assert plan.resolve(1240, 1754, region, size) is None


def test_every_planned_name_resolves_to_itself():
    for name, derivative in plan.derivatives(1240, 1754).items():
        region, size = name.split("/")[:2]
        assert plan.resolve(1240, 1754, region, size) == name, derivative
