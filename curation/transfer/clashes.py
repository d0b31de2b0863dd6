"""What another import (or curator) did meanwhile, named row by row when a write finds it.

Every row is checked before it is written, but another import may commit between this import's check and its
write: it may create the same identifiers (a unique clash) or change records this file updates (a lost update).
Either refuses the whole import; these errors say which rows, which values, and who changed them.
"""

from curation.models import ImportBatchRecord, RecordAction

from .formats import Kind
from .keys import among
from .validation import Planned, RowError

AGAIN = "Nothing was written; import the file again."


class Refused(Exception):
    """The import is refused for these row errors (raised inside its transaction, which is rolled back)."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(error.message for error in errors[:5]))
        self.errors = errors


def clashes(kind: Kind, planned: list[Planned], *, batch_id: int) -> list[RowError]:
    """Rows whose unique values (identifier, slug, term) another record now holds, as committed meanwhile."""
    model = kind.model
    writing = [plan for plan in planned if plan.row is not None]
    found = []  # (plan, column, value, holder)
    for name in kind.unique_fields:
        values = {plan.values[name]: plan for plan in writing if plan.values.get(name)}
        if not values:
            continue
        holders = dict(model._default_manager.filter(among(model, name, values)).values_list(name, "identifier"))
        for value, plan in values.items():
            holder = holders.get(value)
            # The record itself holds its own values, unless this row was to create it.
            if holder is not None and (holder != plan.identifier or (name == "identifier" and plan.action == "create")):
                found.append((plan, name, value, holder))
    creators = _batches(kind, batch_id, {holder for *_, holder in found}, action=RecordAction.CREATED)
    errors = []
    for plan, name, value, holder in found:
        if holder == plan.identifier:
            what = f"{model._meta.verbose_name} “{holder}” was created meanwhile"
        else:
            what = f"its {name} “{value}” was given to {holder} meanwhile"
        errors.append(RowError(plan.line, name, str(value), f"Refused: {what}{_by(creators.get(holder))}. {AGAIN}"))
    return sorted(errors, key=lambda error: error.line)


def lost_updates(kind: Kind, planned: list[Planned], lost: set[int], *, batch_id: int) -> list[RowError]:
    """Rows whose record another import or curator changed after this import read it (its version moved on)."""
    model = kind.model
    versions = dict(model._default_manager.filter(among(model, "id", lost)).values_list("pk", "version"))
    plans = [plan for plan in planned if plan.current and plan.current["id"] in lost]
    now = {
        plan.identifier: (plan.current["id"], versions[plan.current["id"]])
        for plan in plans
        if plan.current["id"] in versions
    }
    writers = _batches(kind, batch_id, {plan.identifier for plan in plans}, versions=now)
    errors = []
    for plan in plans:
        current = now.get(plan.identifier)
        state = f"version {current[1]} now" if current else "deleted since"
        errors.append(
            RowError(
                plan.line,
                "identifier",
                plan.identifier,
                f"Changed meanwhile{_by(writers.get(plan.identifier))}: it was version {plan.current['version']} "
                f"when this file was checked, {state}. {AGAIN}",
            )
        )
    return errors


def _batches(kind: Kind, batch_id: int, identifiers: set[str], *, action=None, versions=None) -> dict[str, int]:
    """The other import batch behind each record's present state, where there is one: the batch that created it
    (action), or the batch whose write left it at its present version (versions: identifier -> (id, version))."""
    records = ImportBatchRecord.objects.filter(identifier__in=identifiers, batch__kind=kind.name).exclude(
        batch_id=batch_id
    )
    if action:
        records = records.filter(action=action)
    found = {}
    for identifier, object_id, version, batch in records.order_by("pk").values_list(
        "identifier", "object_id", "version", "batch_id"
    ):
        if versions is None or versions.get(identifier) == (object_id, version):
            found[identifier] = batch
    return found


def _by(batch: int | None) -> str:
    return f" by import batch #{batch}" if batch else " by someone else"
