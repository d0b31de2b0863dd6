"""Resumption tokens: the position after a page (section 3.5), signed so that no harvester can forge one, and
timed. Each holds the whole request and the key of the last record sent, so the next page starts from an index
(keyset), never by counting rows to skip: the same cost at the millionth record as at the first, and correct
while records change (a record keeps its key until it changes, and a changed one moves past the harvest's end)."""

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.utils import timezone

from .protocol import OaiError

SALT = "opis.oai.resumption"


@dataclass(frozen=True)
class Position:
    """Where a list stands: the request it answers, the harvest's end (fixed by its first page), the stage of
    records and the last key sent in it, and how many records came before (the token's cursor)."""

    verb: str
    prefix: str
    set: str | None
    lower: datetime | None
    upper: datetime | None
    stage: int
    after: tuple | None
    cursor: int


def lifetime() -> timedelta:
    return timedelta(seconds=settings.OPIS_OAI_TOKEN_SECONDS)


def encode(position: Position) -> str:
    data = asdict(position)
    for name in ("lower", "upper"):
        data[name] = data[name] and data[name].isoformat()
    data["after"] = data["after"] and [
        value.isoformat() if isinstance(value, datetime) else value for value in data["after"]
    ]
    return signing.dumps(data, salt=SALT, compress=True)


def decode(token: str, verb: str) -> Position:
    """The position a token holds, or badResumptionToken if it is garbled, forged, expired or for another verb."""
    try:
        data = signing.loads(token, salt=SALT, max_age=lifetime())
        after = data["after"] and tuple(_key(value) for value in data["after"])
        position = Position(
            verb=data["verb"],
            prefix=data["prefix"],
            set=data["set"],
            lower=data["lower"] and datetime.fromisoformat(data["lower"]),
            upper=data["upper"] and datetime.fromisoformat(data["upper"]),
            stage=int(data["stage"]),
            after=after,
            cursor=int(data["cursor"]),
        )
    except signing.SignatureExpired:
        raise OaiError("badResumptionToken", "The resumption token has expired; start the list again.") from None
    except (signing.BadSignature, KeyError, TypeError, ValueError, IndexError):
        raise OaiError("badResumptionToken", "The resumption token is not one this repository issued.") from None
    if position.verb != verb:
        raise OaiError("badResumptionToken", f"The resumption token belongs to {position.verb}, not {verb}.")
    return position


def _key(value):
    """A part of a record's key: its id, or its datestamp (kept as ISO text in the token)."""
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise ValueError(value)


def expires() -> datetime:
    return timezone.now() + lifetime()
