"""The endpoint: the six verbs by GET or POST, each answered in the OAI-PMH envelope (section 3.2)."""

from dataclasses import dataclass
from xml.etree.ElementTree import Element, SubElement, register_namespace, tostring

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotAllowed
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from . import formats, records, tokens
from .protocol import GRANULARITY, OaiError, harvest_window, parse_request
from .protocol import datestamp as stamp

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
for prefix, uri in (
    ("", OAI),
    ("xsi", XSI),
    ("oai_dc", formats.FORMATS["oai_dc"].namespace),
    ("dc", "http://purl.org/dc/elements/1.1/"),
    ("ead", formats.FORMATS["ead3"].namespace),
):
    register_namespace(prefix, uri)


def q(name: str) -> str:
    return f"{{{OAI}}}{name}"


@dataclass(frozen=True)
class Context:
    """What writing a response needs from the request: the repository's identifier and absolute addresses."""

    request: object
    namespace: str

    def absolute(self, path: str) -> str:
        return self.request.build_absolute_uri(path)

    def oai_identifier(self, kind: str, identifier: str) -> str:
        return f"oai:{self.namespace}:{kind}:{identifier}"

    def parse_identifier(self, value: str) -> tuple[str, str]:
        scheme, namespace, kind, identifier = (value.split(":", 3) + ["", "", ""])[:4]
        if scheme != "oai" or namespace != self.namespace or kind not in records.LIVE or not identifier:
            raise OaiError("idDoesNotExist", "No record has this identifier here.")
        return kind, identifier


@csrf_exempt  # harvesters POST the same arguments as a GET (section 3.1.1); nothing is changed
def endpoint(request):
    if request.method not in ("GET", "POST", "HEAD"):
        return HttpResponseNotAllowed(["GET", "POST"])
    data = request.POST if request.method == "POST" else request.GET
    namespace = settings.OPIS_OAI_REPOSITORY_IDENTIFIER or request.get_host().rsplit(":", 1)[0]
    context = Context(request, namespace)
    root = Element(q("OAI-PMH"), {f"{{{XSI}}}schemaLocation": f"{OAI} {OAI_SCHEMA}"})
    SubElement(root, q("responseDate")).text = stamp(timezone.now())
    echo = SubElement(root, q("request"))
    echo.text = context.absolute(reverse("oai:endpoint"))
    try:
        parsed = parse_request(data)
        echo.attrib.update({"verb": parsed.verb, **parsed.arguments})
        root.append(VERBS[parsed.verb](parsed.arguments, context))
    except OaiError as error:
        if error.code in ("badVerb", "badArgument"):
            echo.attrib.clear()  # the request element of such an answer names no arguments (section 3.2)
        SubElement(root, q("error"), code=error.code).text = error.message
    body = tostring(root, encoding="utf-8", xml_declaration=True)
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


def identify(arguments, context) -> Element:
    element = Element(q("Identify"))
    earliest = records.earliest_datestamp() or timezone.now()
    for name, value in (
        ("repositoryName", settings.OPIS_OAI_REPOSITORY_NAME),
        ("baseURL", context.absolute(reverse("oai:endpoint"))),
        ("protocolVersion", "2.0"),
        ("adminEmail", settings.OPIS_OAI_ADMIN_EMAIL),
        ("earliestDatestamp", stamp(earliest)),
        ("deletedRecord", "persistent"),
        ("granularity", GRANULARITY),
    ):
        SubElement(element, q(name)).text = value
    return element


def list_metadata_formats(arguments, context) -> Element:
    candidates = list(formats.FORMATS.values())
    if "identifier" in arguments:
        item = records.find(*context.parse_identifier(arguments["identifier"]))
        candidates = [entry for entry in candidates if entry.covers(item)]
        if not candidates:
            raise OaiError("noMetadataFormats", "No format describes this record.")
    element = Element(q("ListMetadataFormats"))
    for entry in candidates:
        node = SubElement(element, q("metadataFormat"))
        for name, value in (
            ("metadataPrefix", entry.prefix),
            ("schema", entry.schema),
            ("metadataNamespace", entry.namespace),
        ):
            SubElement(node, q(name)).text = value
    return element


def list_sets(arguments, context) -> Element:
    if "resumptionToken" in arguments:  # every set comes in the first answer: no token is ever issued
        raise OaiError("badResumptionToken", "ListSets issues no resumption tokens.")
    element = Element(q("ListSets"))
    entries = [("repository", "Records by repository"), ("fonds", "Records by fonds")]
    entries += [
        (f"repository:{code}", name)
        for code, name in records.listed_repositories().order_by("code").values_list("code", "name")
    ]
    entries += [
        (f"fonds:{identifier}", f"{identifier}: {title}")
        for identifier, title in records.visible_fonds().order_by("identifier").values_list("identifier", "title")
    ]
    for spec, name in entries:
        node = SubElement(element, q("set"))
        SubElement(node, q("setSpec")).text = spec
        SubElement(node, q("setName")).text = name
    return element


def header(item, context) -> Element:
    element = Element(q("header"), {"status": "deleted"} if item.deleted else {})
    SubElement(element, q("identifier")).text = context.oai_identifier(item.kind, item.identifier)
    SubElement(element, q("datestamp")).text = stamp(item.datestamp)
    for spec in item.sets:
        SubElement(element, q("setSpec")).text = spec
    return element


def record(item, entry, context) -> Element:
    element = Element(q("record"))
    element.append(header(item, context))
    if not item.deleted:
        SubElement(element, q("metadata")).append(entry.metadata(item.record, context))
    return element


def get_record(arguments, context) -> Element:
    entry = formats.get(arguments["metadataPrefix"])
    item = records.find(*context.parse_identifier(arguments["identifier"]), entry.datestamps)
    if not entry.covers(item):
        raise OaiError("cannotDisseminateFormat", f"“{entry.prefix}” does not describe this record.")
    records.attach_sets([item])
    if not item.deleted:
        entry.prefetch([item.record])
    element = Element(q("GetRecord"))
    element.append(record(item, entry, context))
    return element


def start(verb: str, arguments) -> tokens.Position:
    """The position of a list's first page: its request and, for a list bounded in time, its end fixed now (later
    changes wait for the next harvest, from this response's date; see records.Query)."""
    formats.get(arguments["metadataPrefix"])
    lower, upper = harvest_window(arguments)
    spec = None
    if "set" in arguments:
        spec = arguments["set"]
        if records.parse_set(spec) is None:
            raise OaiError("noRecordsMatch", f"There is no set “{spec}”.")
    return tokens.Position(
        verb=verb,
        prefix=arguments["metadataPrefix"],
        set=spec,
        lower=lower,
        upper=None if lower is None and upper is None else min(upper or timezone.now(), timezone.now()),
        stage=0,
        after=None,
        cursor=0,
    )


def list_items(verb: str, arguments, context) -> Element:
    token = arguments.get("resumptionToken")
    position = tokens.decode(token, verb) if token else start(verb, arguments)
    entry = formats.get(position.prefix)
    spec = records.parse_set(position.set) if position.set else None
    if position.set and spec is None:  # the set's fonds was withdrawn since the list began
        raise OaiError("badResumptionToken", "The set of this list is gone; start again.")
    query = records.Query(entry.scope, spec, position.lower, position.upper, entry.datestamps)
    headers_only = verb == "ListIdentifiers"
    size = settings.OPIS_OAI_PAGE_SIZE if headers_only else getattr(settings, entry.page_setting)
    items, following = records.page(query, position.stage, position.after, size, headers_only=headers_only)
    if not items:  # (after a token: what was left has changed past the list's end since)
        raise OaiError("noRecordsMatch", "No record matches these arguments.")
    records.attach_sets(items)
    element = Element(q(verb))
    if verb == "ListRecords":
        entry.prefetch([item.record for item in items if not item.deleted])
        element.extend(record(item, entry, context) for item in items)
    else:
        element.extend(header(item, context) for item in items)
    if token or following:
        resumption = SubElement(element, q("resumptionToken"), cursor=str(position.cursor))
        if following:
            stage, after = following
            next_position = tokens.Position(
                **{**position.__dict__, "stage": stage, "after": after, "cursor": position.cursor + len(items)}
            )
            resumption.text = tokens.encode(next_position)
            resumption.set("expirationDate", stamp(tokens.expires()))
    return element


VERBS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": lambda arguments, context: list_items("ListIdentifiers", arguments, context),
    "ListRecords": lambda arguments, context: list_items("ListRecords", arguments, context),
}
