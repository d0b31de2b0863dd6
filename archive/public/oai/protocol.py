"""The request as OAI-PMH 2.0 allows it (section 3): arguments per verb, UTC datestamps, and the error codes."""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.http import QueryDict

DAY = "YYYY-MM-DD"
SECONDS = "YYYY-MM-DDThh:mm:ssZ"
GRANULARITY = SECONDS

# verb: (required, optional, exclusive) arguments (section 4).
VERBS = {
    "Identify": ((), (), None),
    "ListMetadataFormats": ((), ("identifier",), None),
    "ListSets": ((), (), "resumptionToken"),
    "GetRecord": (("identifier", "metadataPrefix"), (), None),
    "ListIdentifiers": (("metadataPrefix",), ("from", "until", "set"), "resumptionToken"),
    "ListRecords": (("metadataPrefix",), ("from", "until", "set"), "resumptionToken"),
}
# The syntax of a setSpec and a metadataPrefix (section 2.5 and 3.4; the patterns of OAI-PMH.xsd).
SYNTAX = {
    "set": re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*"),
    "metadataPrefix": re.compile(r"[A-Za-z0-9\-_.!~*'()]+"),
}


class OaiError(Exception):
    """One of the protocol's error conditions (section 3.6), with the code it names."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True)
class Request:
    verb: str
    arguments: dict[str, str]


def parse_request(data: QueryDict) -> Request:
    """The verb and its arguments, or OaiError(badVerb / badArgument) for a request the protocol does not allow."""
    verbs = data.getlist("verb")
    if len(verbs) != 1 or verbs[0] not in VERBS:
        raise OaiError("badVerb", "The verb is missing, repeated or not an OAI-PMH verb.")
    verb = verbs[0]
    required, optional, exclusive = VERBS[verb]
    arguments = {}
    for name, values in data.lists():
        if name == "verb":
            continue
        if name not in (*required, *optional, exclusive):
            raise OaiError("badArgument", f"{verb} takes no argument “{name}”.")
        if len(values) != 1:
            raise OaiError("badArgument", f"The argument “{name}” is repeated.")
        arguments[name] = values[0]
    if exclusive in arguments:
        if len(arguments) > 1:
            raise OaiError("badArgument", f"{exclusive} is an exclusive argument: nothing else may come with it.")
        return Request(verb, arguments)
    for name, pattern in SYNTAX.items():
        if name in arguments and not pattern.fullmatch(arguments[name]):
            raise OaiError("badArgument", f"“{arguments[name]}” is not a valid {name}.")
    missing = [name for name in required if not arguments.get(name)]
    if missing:
        raise OaiError("badArgument", f"{verb} needs {', '.join(missing)}.")
    return Request(verb, arguments)


@dataclass(frozen=True)
class Bound:
    """A from or until argument: the instant it names and how finely it was given."""

    at: datetime
    granularity: str


def parse_datestamp(value: str, name: str) -> Bound:
    """A from/until argument in either granularity the repository supports (section 3.3.1)."""
    try:
        if len(value) == 10:
            return Bound(datetime.combine(date.fromisoformat(value), time(), UTC), DAY)
        if len(value) == 20 and value.endswith("Z") and value[10] == "T":
            return Bound(datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC), SECONDS)
    except ValueError:
        pass
    raise OaiError("badArgument", f"“{name}” must be a UTC date as {DAY} or {SECONDS}.")


def harvest_window(arguments: dict[str, str]) -> tuple[datetime | None, datetime | None]:
    """The instants from and until name, both inclusive: until covers the whole second or day it names."""
    lower = parse_datestamp(arguments["from"], "from") if "from" in arguments else None
    upper = parse_datestamp(arguments["until"], "until") if "until" in arguments else None
    if lower and upper and lower.granularity != upper.granularity:
        raise OaiError("badArgument", "from and until must have the same granularity.")
    last = None
    if upper:
        step = timedelta(days=1) if upper.granularity == DAY else timedelta(seconds=1)
        last = upper.at + step - timedelta(microseconds=1)
    if lower and last and lower.at > last:
        raise OaiError("badArgument", "from is later than until.")
    return (lower.at if lower else None), last


def datestamp(value: datetime) -> str:
    """A datestamp at the repository's granularity (seconds, UTC)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
