"""Which derivatives a level-0 image has: one rule, read by the generator, info.json and the file view.

An image of width × height gets, for each scale factor 1, 2, 4, … up to the first at which it fits in one tile,
its tiles (TILE pixels square at that scale) and its whole view at that scale (the `sizes` of info.json), plus
a thumbnail THUMBNAIL_WIDTH wide. Each is one JPEG named by its Image API 3 canonical request,
`{region}/{w},{h}/0/default.jpg` with region `full` or `x,y,w,h`, the names OpenSeadragon (Mirador's and most
viewers' zooming) asks for.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from math import ceil

TILE = 512
THUMBNAIL_WIDTH = 240
DISPLAY_WIDTH = 1600  # the largest whole view a link from the source page opens, where there is one this small
FORMAT = "jpg"


@dataclass(frozen=True)
class Derivative:
    region: tuple[int, int, int, int]  # x, y, w, h in the full image
    size: tuple[int, int]  # w, h of the JPEG

    def region_name(self, width: int, height: int) -> str:
        return "full" if self.region == (0, 0, width, height) else ",".join(map(str, self.region))

    def name(self, width: int, height: int) -> str:
        return f"{self.region_name(width, height)}/{self.size[0]},{self.size[1]}/0/default.{FORMAT}"


def scale_factors(width: int, height: int) -> list[int]:
    factors = [1]
    while ceil(width / factors[-1]) > TILE or ceil(height / factors[-1]) > TILE:
        factors.append(factors[-1] * 2)
    return factors


def sizes(width: int, height: int) -> list[tuple[int, int]]:
    """The whole image's sizes, smallest first: one per scale factor, and the thumbnail."""
    found = {(ceil(width / factor), ceil(height / factor)) for factor in scale_factors(width, height)}
    found.add(thumbnail_size(width, height))
    return sorted(found)


def thumbnail_size(width: int, height: int) -> tuple[int, int]:
    if width <= THUMBNAIL_WIDTH:
        return width, height
    return THUMBNAIL_WIDTH, max(1, round(height * THUMBNAIL_WIDTH / width))


def display_size(width: int, height: int) -> tuple[int, int]:
    """The largest whole view at most DISPLAY_WIDTH wide (the smallest if none is)."""
    fitting = [size for size in sizes(width, height) if size[0] <= DISPLAY_WIDTH]
    return fitting[-1] if fitting else sizes(width, height)[0]


def tiles(width: int, height: int, factor: int) -> Iterator[Derivative]:
    span = TILE * factor
    for y in range(0, height, span):
        for x in range(0, width, span):
            w, h = min(span, width - x), min(span, height - y)
            yield Derivative((x, y, w, h), (ceil(w / factor), ceil(h / factor)))


def derivatives(width: int, height: int) -> dict[str, Derivative]:
    """Every derivative of the image by its name (a tile that is the whole image is also one of its sizes)."""
    made = [Derivative((0, 0, width, height), size) for size in sizes(width, height)]
    for factor in scale_factors(width, height):
        made.extend(tiles(width, height, factor))
    return {derivative.name(width, height): derivative for derivative in made}


def resolve(width: int, height: int, region: str, size: str) -> str | None:
    """The name of the derivative an Image API request asks for, or None when this image has none such.

    Region `full` or `x,y,w,h`; size `max`, `w,h`, `w,` or `,h` (each naming exactly one derivative).
    """
    if region == "full":
        box = (0, 0, width, height)
    else:
        parts = region.split(",")
        if len(parts) != 4 or not all(part.isdigit() for part in parts):
            return None
        box = tuple(int(part) for part in parts)
    made = derivatives(width, height)
    for name, derivative in made.items():
        if derivative.region == box and _size_matches(size, derivative):
            return name
    return None


def _size_matches(size: str, derivative: Derivative) -> bool:
    w, h = derivative.size
    if size == "max":
        return (w, h) == derivative.region[2:]
    wanted_w, comma, wanted_h = size.partition(",")
    if not comma or not (wanted_w or wanted_h) or not (wanted_w + wanted_h).isdigit():
        return False
    return (not wanted_w or int(wanted_w) == w) and (not wanted_h or int(wanted_h) == h)
