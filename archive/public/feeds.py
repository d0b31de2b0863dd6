"""An Atom feed of newly published sources."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from archive.citation import CITED
from archive.models import Source

FEED_SIZE = 30


class NewSourcesFeed(Feed):
    feed_type = Atom1Feed
    title = _("Newly published sources")
    subtitle = _("Archival documents published with scholarly commentary.")
    link = reverse_lazy("archive:source-list")

    def items(self):
        return Source.objects.published().select_related(*CITED).order_by("-published_at")[:FEED_SIZE]

    def item_title(self, source):
        return source.title

    def item_description(self, source):
        return f"{source.citation_en}. {source.summary}".strip()

    def item_pubdate(self, source):
        return source.published_at

    def item_updateddate(self, source):
        return source.updated_at

    def item_guid(self, source):
        return f"opis:source:{source.identifier}"

    item_guid_is_permalink = False
