"""Writes and state changes. Keyword-only, typed, atomic; views and admin call these.

Every state change locks the row, checks the user's permission and the current state, optionally
checks the version the user last saw (no lost updates), raises the version, stamps who and when,
and leaves a history record naming the transition and the reason.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archive.models import Commentary, Event, Source, Status, Unit
from archive.models.authorities import AuthorityQuerySet, referring_records
from archive.public.cache import public_changed
from archive.public.changes import kind_tags, links_tag, record_tag
from curation.history import (
    NOT_RESTORED,
    FieldChange,
    changed_via,
    changes_since,
    one_record,
    record_bulk_change,
    restore_links,
    version_label,
)


class WorkflowError(Exception):
    """The record is not in a state that allows this step; the message says why."""


class StaleVersionError(Exception):
    """Someone saved the record after this user loaded it."""

    def __init__(self, instance, expected: int, changes: list[FieldChange]):
        self.instance, self.expected, self.changes = instance, expected, changes
        fields = ", ".join(change.label for change in changes) or _("no visible field")
        super().__init__(
            _("%(record)s was changed by someone else (version %(expected)s is now %(current)s; changed: %(fields)s).")
            % {"record": instance, "expected": expected, "current": instance.version, "fields": fields}
        )


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    permission: str  # "change", "review" or "publish", completed with the model name
    needs_reason: bool = False


SUBMIT = Transition("submit", _("Submit for review"), frozenset({Status.DRAFT}), Status.REVIEW, "change")
RETURN = Transition(
    "return", _("Return to draft"), frozenset({Status.REVIEW, Status.WITHDRAWN}), Status.DRAFT, "review", True
)
PUBLISH = Transition("publish", _("Publish"), frozenset({Status.REVIEW, Status.WITHDRAWN}), Status.PUBLISHED, "publish")
WITHDRAW = Transition("withdraw", _("Withdraw"), frozenset({Status.PUBLISHED}), Status.WITHDRAWN, "publish", True)
TRANSITIONS = {t.name: t for t in (SUBMIT, RETURN, PUBLISH, WITHDRAW)}
WORKFLOW_MODELS = (Source, Event, Commentary, Unit)


def has_transition_permission(user: AbstractUser, model: type[models.Model], transition: Transition) -> bool:
    return user.has_perm(f"archive.{transition.permission}_{model._meta.model_name}")


def available_transitions(user: AbstractUser, instance: models.Model) -> list[Transition]:
    """The steps this user may take on this record now: what the admin offers as buttons."""
    return [
        t
        for t in TRANSITIONS.values()
        if instance.status in t.sources and has_transition_permission(user, type(instance), t)
    ]


def can_edit(user: AbstractUser, instance: models.Model) -> bool:
    """Editing published content changes what the public reads: that takes the right to publish.

    A published record takes the right to publish its kind; an authority that published records show takes the
    right to publish each kind of record that shows it (`publish_rights_needed`). Deleting is editing too."""
    opts = type(instance)._meta
    if not user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
        return False
    if getattr(instance, "status", None) == Status.PUBLISHED:
        return user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")
    if instance.pk is not None:
        return user.has_perms(publish_rights_needed(model=type(instance), pks=[instance.pk]).get(instance.pk, ()))
    return True


def publish_rights_needed(*, model: type[models.Model], pks: Iterable) -> dict[object, set[str]]:
    """The authorities among `pks` that published content shows, each with the permissions a change to it takes:
    the right to publish every kind of record (source, event) that refers to it.

    Published means as for the records themselves in `can_edit`: the status, a scheduled publication included
    (what the public will read at that time is what the editor approved). Empty for models that are not
    authorities (they have a workflow of their own)."""
    if not isinstance(model._default_manager.all(), AuthorityQuerySet):
        return {}
    pks = list(pks)
    needed = defaultdict(set)
    for record in referring_records():
        shown = model._default_manager.filter(pk__in=pks).referred_to_by(record.objects.filter(status=Status.PUBLISHED))
        for pk in shown.values_list("pk", flat=True):
            needed[pk].add(f"{record._meta.app_label}.publish_{record._meta.model_name}")
    return dict(needed)


def published_change_refusals(
    *, user: AbstractUser, record: str, changed: dict[str, object], needed: Iterable[str]
) -> list[tuple[str, str, str]]:
    """(column, value, message) for each changed value of `record` (as a message names it) whose change needs
    the publish rights `needed` (from `publish_rights_needed`) and `user` lacks one: what a CSV import refuses."""
    missing = sorted(permission for permission in needed if not user.has_perm(permission))
    if not missing:
        return []
    rights = ", ".join(missing)
    message = f"“{record}” is shown by published records: changing it needs the right to publish them ({rights})."
    return [(name, "" if value is None else str(value), message) for name, value in changed.items()]


def lock_for_update(instance, *, expected_version: int | None = None):
    """The stored row, locked until the transaction ends; refuses if it moved past `expected_version`."""
    current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleVersionError(current, expected_version, changes_since(current, expected_version))
    return current


def stamp(instance: models.Model, *, user: AbstractUser) -> None:
    """Who changed the record and when; raises the version that guards against lost updates."""
    instance.updated_by = user
    instance.updated_at = timezone.now()
    instance.version = (instance.version or 0) + 1
    instance._history_user = user


@transaction.atomic
def apply_transition(
    *,
    instance: Source | Event | Commentary | Unit,
    user: AbstractUser,
    name: str,
    reason: str = "",
    at: datetime | None = None,
    expected_version: int | None = None,
    via: str = "service",
    commentary: Iterable[int] = (),
) -> Source | Event | Commentary | Unit:
    """One step of the workflow, named as in TRANSITIONS, on a source, an event, a commentary or a unit: what the
    admin's buttons and bulk actions call. `at` schedules a publication; `via` labels the history record.
    The caller's object is updated to the new state too.

    `commentary` (ids of notes about this source or event) are published with it, in the same transaction
    and at the same time, each by this same service with its own history record: all or nothing."""
    transition = TRANSITIONS.get(name)
    if transition is None or not isinstance(instance, WORKFLOW_MODELS):
        raise WorkflowError(_("Unknown step."))
    model = type(instance)
    if not has_transition_permission(user, model, transition):
        raise PermissionDenied(
            _("You may not %(step)s %(records)s.")
            % {"step": str(transition.label).lower(), "records": model._meta.verbose_name_plural}
        )
    reason = (reason or "").strip()
    if transition.needs_reason and not reason:
        raise WorkflowError(_("%(step)s needs a reason.") % {"step": transition.label})
    current = lock_for_update(instance, expected_version=expected_version)
    if current.status not in transition.sources:
        raise WorkflowError(
            _("“%(record)s” is %(status)s; “%(step)s” applies only to: %(allowed)s.")
            % {
                "record": current,
                "status": Status(current.status).label.lower(),
                "step": transition.label,
                "allowed": ", ".join(str(Status(s).label).lower() for s in sorted(transition.sources)),
            }
        )
    current.status = transition.target
    if transition is PUBLISH:
        current.published_at = at or timezone.now()
    stamp(current, user=user)
    current._change_reason = f"{transition.label}: {reason}" if reason else str(transition.label)
    with changed_via(via):
        current.save()
    _publish_commentary(current, ids=set(commentary), transition=transition, user=user, via=via)
    for field in ("status", "published_at", "updated_by_id", "updated_at", "version"):
        setattr(instance, field, getattr(current, field))
    return current


def _publish_commentary(target, *, ids: set[int], transition: Transition, user: AbstractUser, via: str) -> None:
    """Publish the chosen notes about `target` with it (see apply_transition)."""
    if not ids:
        return
    if transition is not PUBLISH or isinstance(target, Commentary):
        raise WorkflowError(_("Commentary is published only with the source or event it is about."))
    notes = list(target.commentary.filter(pk__in=ids).order_by("pk"))
    if len(notes) != len(ids):
        raise WorkflowError(_("Only commentary about “%(record)s” can be published with it.") % {"record": target})
    for note in notes:
        apply_transition(instance=note, user=user, name=PUBLISH.name, at=target.published_at, via=via)


# Fields a content edit never sets: the workflow's (apply_transition), the stamp's (stamp) and the key.
NOT_EDITED = frozenset(
    {"id", "status", "published_at", "version", "created_at", "created_by", "updated_at", "updated_by"}
)


@transaction.atomic
def edit_record(
    *,
    instance: Source | Event | Commentary | Unit,
    user: AbstractUser,
    values: Mapping[str, object],
    expected_version: int | None = None,
    reason: str = "",
    via: str = "service",
) -> Source | Event | Commentary | Unit:
    """Change content fields of a record (e.g. {"title": ...}), as a curator's save does: refused without the
    right to edit it (can_edit: a published record takes the right to publish) or if it moved past
    `expected_version`; validated, stamped, with one history record. The caller's object is updated too.

    Workflow and stamp fields (NOT_EDITED) are refused: status changes go through apply_transition."""
    refused = sorted(set(values) & NOT_EDITED)
    if refused:
        raise WorkflowError(_("These fields are not edited directly: %(fields)s.") % {"fields": ", ".join(refused)})
    if not can_edit(user, instance):
        raise PermissionDenied(_("You may not change “%(record)s”.") % {"record": instance})
    current = lock_for_update(instance, expected_version=expected_version)
    if not can_edit(user, current):  # published since the caller read it
        raise PermissionDenied(_("You may not change “%(record)s”.") % {"record": current})
    for name, value in values.items():
        setattr(current, name, value)
    current.full_clean()
    stamp(current, user=user)
    current._change_reason = _short_reason(reason.strip())
    with changed_via(via):
        current.save()
    for name in (*values, "updated_by_id", "updated_at", "version"):
        setattr(instance, name, getattr(current, name))
    return current


def commentary_identifier(*, target: Source | Event) -> str:
    """A free identifier for a new note about `target`: the target's identifier followed by -c1, -c2…"""
    length = Commentary._meta.get_field("identifier").max_length
    base = target.identifier
    taken = set(
        Commentary.objects.filter(identifier__startswith=base[: length - 8]).values_list("identifier", flat=True)
    )
    number = 1
    while True:
        suffix = f"-c{number}"
        candidate = base[: length - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        number += 1


def goes_live(instance: models.Model) -> bool:
    """A change to this record changes what the public reads: it is published (or scheduled to be)."""
    return getattr(instance, "status", None) == Status.PUBLISHED


def restore_refusal(*, user: AbstractUser, instance: models.Model) -> str:
    """Why this user may not restore a version of this record, or "" if they may. Restoring a version of a
    published record puts it before the public at once: that takes the right to publish."""
    opts = type(instance)._meta
    if not user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
        return _("You may not change %(records)s.") % {"records": opts.verbose_name_plural}
    if goes_live(instance) and not user.has_perm(f"{opts.app_label}.publish_{opts.model_name}"):
        return _(
            "“%(record)s” is published: a restored version would go live at once, and that takes the right to "
            "publish. Ask an editor to restore it."
        ) % {"record": instance}
    return ""


@transaction.atomic
def restore_version(
    *, instance: models.Model, history_id: int, user: AbstractUser, expected_version: int | None = None
) -> models.Model:
    """Put back the content of an earlier version; status and publication stay as they are.

    Workflow fields are not restored, so restoring can never publish or unpublish anything; the
    restore is itself a recorded change that can be undone the same way. Restoring a version of a
    published record takes the right to publish (restore_refusal).
    """
    model = type(instance)
    refusal = restore_refusal(user=user, instance=instance)
    if refusal:
        raise PermissionDenied(refusal)
    record = instance.history.filter(history_id=history_id).exclude(history_type="-").first()
    if record is None:
        raise WorkflowError(_("That version does not belong to this record."))
    if hasattr(instance, "version"):
        current = lock_for_update(instance, expected_version=expected_version)
    else:
        current = model._default_manager.select_for_update().get(pk=instance.pk)
    refusal = restore_refusal(user=user, instance=current)  # published since the caller read it
    if refusal:
        raise PermissionDenied(refusal)
    for field in record.instance_type._meta.concrete_fields:
        if field.name not in NOT_RESTORED and hasattr(record, field.attname):
            setattr(current, field.attname, getattr(record, field.attname))
    if hasattr(current, "version"):
        stamp(current, user=user)
    current._history_user = user
    current._change_reason = str(_("Restored %(version)s") % {"version": version_label(record)})
    current.full_clean()
    with changed_via("restore"), one_record(current):
        current.save()
        restore_links(current, record)
    if isinstance(current, Unit):  # a restored parent is a move: the branch follows it
        carry_fonds(unit=current, user=user, via="restore")
    return current


@transaction.atomic
def recover_deleted(*, model: type[models.Model], history_id: int, user: AbstractUser) -> models.Model:
    """Bring back a deleted record from its history, with its links, as a draft.

    A recovered editorial record is always a draft: recovering must not publish anything.
    """
    opts = model._meta
    if not user.has_perm(f"{opts.app_label}.add_{opts.model_name}"):
        raise PermissionDenied(_("You may not add %(records)s.") % {"records": opts.verbose_name_plural})
    record = model.history.filter(history_id=history_id, history_type="-").first()
    if record is None or model._default_manager.filter(pk=record.id).exists():
        raise WorkflowError(_("That record is not deleted."))
    before = model.history.filter(id=record.id, history_date__lte=record.history_date).exclude(history_type="-")
    before = before.order_by("-history_date", "-history_id").first() or record
    obj = before.instance
    if hasattr(obj, "status"):
        obj.status, obj.published_at = Status.DRAFT, None
        obj.version = record.version or 0
        stamp(obj, user=user)
    obj._history_user = user
    obj._change_reason = str(_("Recovered after deletion"))
    obj.full_clean()
    with changed_via("restore"), one_record(obj, created=True):
        obj.save(force_insert=True)
        restore_links(obj, before)
    return obj


@transaction.atomic
def unit_move(
    *, unit: Unit, parent: Unit, user: AbstractUser, expected_version: int | None = None, reason: str = ""
) -> Unit:
    """Put `unit` under another `parent` (a file into another inventory, an inventory into another fonds): one
    edit with one history record. Everything under the unit follows it to its new fonds. A parent in another
    repository, or of a level that cannot hold the unit, is refused (ValidationError on "parent").

    Moving a published unit changes what the public reads: like any edit of it, that takes the right to publish."""
    if not can_edit(user, unit):
        raise PermissionDenied(_("You may not change “%(record)s”.") % {"record": unit})
    current = lock_for_update(unit, expected_version=expected_version)
    if not can_edit(user, current):  # published since the caller read it
        raise PermissionDenied(_("You may not change “%(record)s”.") % {"record": current})
    parent = Unit.objects.select_for_update().get(pk=parent.pk)  # not moved or deleted under us
    before = current.parent
    current.parent = parent
    current.derive_fonds()
    current.full_clean()
    stamp(current, user=user)
    label = _("Moved from %(old)s to %(new)s") % {"old": before.identifier if before else "—", "new": parent.identifier}
    current._change_reason = _short_reason(f"{label}: {reason.strip()}" if reason.strip() else str(label))
    with changed_via("service"):
        current.save()
    carry_fonds(unit=current, user=user, via="service")
    for field in ("parent_id", "fonds_id", "updated_by_id", "updated_at", "version"):
        setattr(unit, field, getattr(current, field))
    return current


def carry_fonds(*, unit: Unit, user: AbstractUser, via: str) -> int:
    """Make the derived fonds of everything under `unit` (its inventories and files, and the documents in any of
    them or in the unit itself) the unit's own, after the unit was saved under another parent; each record that
    changed gets a history record. Returns how many changed.

    The fonds is derived, not edited: the version of those records stays as it is, so no curator's open form of
    one of them goes stale because its inventory moved."""
    top = unit.fonds_id or unit.pk
    units_below = Unit.objects.filter(models.Q(parent=unit) | models.Q(parent__parent=unit))
    reason = _short_reason(str(_("Moved with %(unit)s") % {"unit": unit.identifier}))
    changed = 0
    tags = {links_tag(Unit, top)}
    for model, below in (
        (Unit, units_below),
        (Source, Source.objects.filter(models.Q(unit=unit) | models.Q(unit__in=units_below))),
    ):
        rows = list(below.exclude(fonds_id=top).values_list("pk", "fonds_id"))
        if rows:
            ids = [pk for pk, _ in rows]
            model.objects.filter(pk__in=ids).update(fonds_id=top)
            changed += record_bulk_change(instances=model.objects.filter(pk__in=ids), user=user, via=via, reason=reason)
            # Each record, its kind's lists, and what links to both fonds: their facet and pages count differently.
            tags |= kind_tags(model) | {record_tag(model, pk) for pk in ids}
            tags |= {links_tag(Unit, fonds) for _, fonds in rows if fonds is not None}
    if changed:
        public_changed(tags=tags)
    return changed


def _short_reason(text: str) -> str:
    """A history reason fits its column (100 characters)."""
    return text if len(text) <= 100 else text[:99] + "…"
