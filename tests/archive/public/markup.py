"""Reading the source list's page as a reader's browser does: its checkboxes, chips and page links."""

from html.parser import HTMLParser

from django.http import QueryDict


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.checkboxes: dict[str, dict] = {}  # id -> {name, value, checked, label}
        self.labels: dict[str, str] = {}  # for -> text
        self.links: list[dict] = []  # {attrs, text, within}
        self._label_for, self._link, self._within, self._hidden = None, None, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "span":  # read as a screen reader reads it: without what is aria-hidden
            self._hidden.append(attrs.get("aria-hidden") == "true")
        if tag == "input" and attrs.get("type") == "checkbox":
            self.checkboxes[attrs["id"]] = {
                "name": attrs["name"],
                "value": attrs["value"],
                "checked": "checked" in attrs,
            }
        elif tag == "label" and attrs.get("for"):
            self._label_for = attrs["for"]
            self.labels[self._label_for] = ""
        elif tag == "a":
            self._link = {"attrs": attrs, "text": "", "within": [*self._within]}
            self.links.append(self._link)
        elif tag in ("nav", "ul"):
            self._within.append(attrs)

    def handle_endtag(self, tag):
        if tag == "span" and self._hidden:
            self._hidden.pop()
        elif tag == "label":
            self._label_for = None
        elif tag == "a":
            self._link = None
        elif tag in ("nav", "ul") and self._within:
            self._within.pop()

    def handle_data(self, data):
        if self._label_for:
            self.labels[self._label_for] += data
        if self._link is not None and not any(self._hidden):
            self._link["text"] += data


def _read(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def checkboxes(html: str, name: str) -> dict[str, tuple[str, bool]]:
    """The checkboxes of one facet: {value: (label as read, checked)}."""
    page = _read(html)
    return {
        box["value"]: (" ".join(page.labels.get(id_, "").split()), box["checked"])
        for id_, box in page.checkboxes.items()
        if box["name"] == name
    }


def chips(html: str) -> dict[str, QueryDict]:
    """The active filters' chips: {accessible name: the query string of the link removing it}."""
    return {
        " ".join(link["text"].split()): QueryDict(link["attrs"]["href"].lstrip("?"))
        for link in _read(html).links
        if link["attrs"].get("class") == "chip"
    }


def page_links(html: str) -> list[tuple[str, QueryDict, bool]]:
    """The links of the pagination nav (aria-label "Pages"): (accessible name, query string, aria-current="page")."""
    return [
        (" ".join(link["text"].split()), QueryDict(link["attrs"]["href"].lstrip("?")), "aria-current" in link["attrs"])
        for link in _read(html).links
        if any(within.get("aria-label") == "Pages" for within in link["within"])
    ]
