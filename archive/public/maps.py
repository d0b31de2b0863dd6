"""What a page's map shows: markers for places with coordinates, over tiles from a server the site names.

The tile server is a setting (OPIS_MAP_TILE_URL, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png): an archive
chooses a provider whose terms it accepts. Empty means no tiles: the markers alone, and the page says so.
"""

from django.conf import settings
from django.utils.translation import get_language

from archive.templatetags.archive_tags import localized

# A map of more markers than this is unreadable; the index lists every place anyway.
MAP_MARKERS = 1000


def map_data(request, places) -> dict:
    """The map's settings and markers, for the page to hand to static/archive/map.js through json_script."""
    return {
        "tiles": settings.OPIS_MAP_TILE_URL,
        "attribution": settings.OPIS_MAP_TILE_ATTRIBUTION,
        "language": get_language(),
        "markers": [
            {
                "name": localized(place, "name"),
                "lat": float(place.latitude),
                "lon": float(place.longitude),
                "url": place.get_absolute_url(),
            }
            for place in places
        ],
    }
