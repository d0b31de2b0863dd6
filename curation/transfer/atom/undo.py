"""Undoing a profile's batch: everything it created (units, sources, the access points and agents it made) is
deleted together, or nothing is: a record edited since, or used by something added since, refuses the undo."""

from django.apps import apps
from django.core.exceptions import PermissionDenied

from archive.public.cache import written_tags
from archive.public.generation import public_changed
from curation.history import record_bulk_deletion
from curation.models import TRACKED_MODELS, ChangeChannel, ImportBatch, RecordAction

from ..keys import among
from ..profiles import PROFILES

CHUNK = 2000


class Refused(Exception):
    pass


def created_by_model(batch: ImportBatch) -> dict[type, list[int]]:
    created: dict[type, list[int]] = {}
    for label, pk in batch.records.filter(action=RecordAction.CREATED).values_list("model", "object_id"):
        created.setdefault(apps.get_model(label), []).append(pk)
    return created


def refusal(batch: ImportBatch, created: dict[type, list[int]]) -> str:
    """Why undoing the batch now would be refused, or ""."""
    edited = _edited(batch, created)
    if edited:
        shown = "; ".join(edited[:20]) + (f"; and {len(edited) - 20} more" if len(edited) > 20 else "")
        return f"Undo refused: records changed after this import would be lost: {shown}."
    used = _used_since(created)
    if used:
        return f"Undo refused: records this import created are now used by {used} added since; remove those first."
    return ""


def undo_profile(*, batch: ImportBatch, user) -> dict[str, int]:
    """Called by curation.transfer.undo.undo_batch inside its transaction, the batch locked."""
    if not PROFILES[batch.kind].allowed(user):
        raise PermissionDenied(f"Undoing an import of {PROFILES[batch.kind].label} needs its import rights.")
    created = created_by_model(batch)
    reason = refusal(batch, created)
    if reason:
        raise Refused(reason)
    for model, ids in created.items():
        if model in TRACKED_MODELS:
            for start in range(0, len(ids), CHUNK):
                record_bulk_deletion(
                    model=model,
                    ids=ids[start : start + CHUNK],
                    user=user,
                    via=ChangeChannel.IMPORT,
                    batch=str(batch.pk),
                    reason=f"Undo of import batch #{batch.pk}",
                )
    # What the records deleted showed on, read while their links are still stored.
    tags = set()
    for model, ids in created.items():
        written = written_tags(model, ids)
        tags = None if written is None or tags is None else tags | written
    for model, ids in created.items():
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            _raw_delete(through._default_manager.filter(among(through, field.m2m_field_name(), ids)))
    # Foreign keys are checked at commit (PostgreSQL, deferred), so children and parents go in any order.
    for model, ids in created.items():
        _raw_delete(model._default_manager.filter(among(model, "id", ids)))
    public_changed(tags=tags)
    return {"deleted": sum(len(ids) for ids in created.values()), "restored": 0}


def _raw_delete(queryset) -> None:
    queryset._raw_delete(queryset.db)


def _edited(batch, created) -> list[str]:
    """Units and sources whose version moved on, authorities with a change in their history, or records gone."""
    records = {(r.model, r.object_id): r for r in batch.records.filter(action=RecordAction.CREATED)}
    edited = []
    for model, ids in created.items():
        label = model._meta.label_lower
        editorial = any(field.name == "version" for field in model._meta.concrete_fields)
        rows = dict(model._default_manager.filter(pk__in=ids).values_list("pk", "version" if editorial else "pk"))
        changed = set()
        if not editorial and model in TRACKED_MODELS:
            changed = set(model.history.filter(id__in=ids, history_type="~").values_list("id", flat=True))
        for pk in ids:
            record = records[(label, pk)]
            if pk not in rows:
                edited.append(f"{record.identifier} (deleted since)")
            elif (editorial and rows[pk] != record.version) or pk in changed:
                edited.append(f"{record.identifier} (edited since)")
    return edited


def _throughs() -> set:
    return {
        field.remote_field.through
        for model in apps.get_app_config("archive").get_models()
        for field in model._meta.many_to_many
    }


def _used_since(created: dict[type, list[int]]) -> str:
    """The first kind of record outside the batch that points at one the batch created, or ""."""
    throughs = _throughs()
    for model, ids in created.items():
        for relation in model._meta.related_objects:
            if relation.many_to_many:
                through, owner_model = relation.through, relation.related_model
                target = relation.field.m2m_reverse_field_name()
                owner = relation.field.m2m_field_name()
                query = through._default_manager.filter(**{f"{target}__in": ids}).exclude(
                    **{f"{owner}__in": created.get(owner_model, [])}
                )
                shown = owner_model
            else:
                if relation.related_model in throughs:
                    continue  # a link table: its many-to-many relation is checked above
                shown = relation.related_model
                query = shown._default_manager.filter(**{f"{relation.field.name}__in": ids}).exclude(
                    pk__in=created.get(shown, [])
                )
            if query.exists():
                return str(shown._meta.verbose_name_plural)
    return ""
