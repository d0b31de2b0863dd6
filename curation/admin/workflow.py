"""Draft → review → published → withdrawn in the admin: buttons, bulk actions and the form's guards.

The admin never sets a status itself: the status and publication time are read-only in every form,
and each step (one record or many) goes through the services, which check the user's permission.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from archive.models import Commentary, Event, Source, Status
from curation.services import (
    PUBLISH,
    RETURN,
    SUBMIT,
    TRANSITIONS,
    WITHDRAW,
    StaleVersionError,
    WorkflowError,
    apply_transition,
    available_transitions,
    can_edit,
    has_transition_permission,
    stamp,
)

from .history import HistoryAdminMixin
from .locking import VersionedAdminForm

WORKFLOW_FIELDS = ("status", "published_at")


class NoteChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} — {obj.signature}"


def notes_about(obj) -> models.QuerySet | None:
    """The commentary about a source or event (None for records that have none)."""
    return obj.commentary.order_by("created_at", "pk") if isinstance(obj, (Source, Event)) else None


def ready_notes(user, obj, transition) -> models.QuerySet | None:
    """The notes in review this user may publish together with `obj`, when the step publishes it."""
    notes = notes_about(obj)
    if transition is not PUBLISH or notes is None or not has_transition_permission(user, Commentary, PUBLISH):
        return None
    return notes.filter(status=Status.REVIEW)


class TransitionForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=gettext_lazy("Recorded in the history and shown to the curator."),
    )
    at = forms.DateTimeField(
        label=gettext_lazy("Publish at"),
        required=False,
        help_text=gettext_lazy("Leave empty to publish now; a future time schedules publication."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    expected_version = forms.IntegerField(
        label=gettext_lazy("version you started from"), widget=forms.HiddenInput, required=False
    )
    commentary = NoteChoiceField(
        label=gettext_lazy("Publish its commentary too"),
        queryset=Commentary.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy(
            "Commentary in review about this record. The ones you tick are published with it, at the same time, "
            "each with its own entry in the history."
        ),
    )

    def __init__(self, *args, transition, ready_notes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.transition = transition
        if ready_notes is None or not ready_notes.exists():
            del self.fields["commentary"]
        else:
            self.fields["commentary"].queryset = ready_notes
        if transition.needs_reason:
            self.fields["reason"].required = True
        else:
            del self.fields["reason"]
        if transition is not PUBLISH:
            del self.fields["at"]


def _run(admin_obj, request, obj, transition, data, via) -> bool:
    """One step on one record (and the notes chosen to be published with it); the outcome becomes a message.
    True if it was taken."""
    notes = list(data.get("commentary") or ())
    try:
        apply_transition(
            instance=obj,
            user=request.user,
            name=transition.name,
            reason=data.get("reason", ""),
            at=data.get("at"),
            expected_version=data.get("expected_version"),
            via=via,
            commentary=[note.pk for note in notes],
        )
    except (WorkflowError, StaleVersionError, PermissionDenied, ValidationError) as exc:
        messages.error(request, f"{obj}: {exc}")
        return False
    admin_obj.log_change(request, obj, f"{transition.label}: {data.get('reason', '')}".rstrip(": "))
    for note in notes:
        admin_obj.log_change(
            request, note, _("%(step)s, with “%(record)s”") % {"step": transition.label, "record": obj}
        )
    return True


def _bulk_action(transition):
    def action(modeladmin, request, queryset):
        return modeladmin.run_bulk_transition(request, queryset, transition)

    action.__name__ = f"{transition.name}_selected"
    description = format_lazy("{}: {}", transition.label, gettext_lazy("selected records"))
    return admin.action(description=description, permissions=[transition.permission])(action)


class WorkflowAdminMixin(HistoryAdminMixin):
    form = VersionedAdminForm
    workflow_template = "admin/curation/workflow_confirm.html"
    actions = [_bulk_action(t) for t in (SUBMIT, RETURN, PUBLISH, WITHDRAW)]

    # --- permissions named by the admin's action machinery: has_<name>_permission ---
    def has_review_permission(self, request, obj=None):
        return has_transition_permission(request.user, self.model, RETURN)

    def has_publish_permission(self, request, obj=None):
        return has_transition_permission(request.user, self.model, PUBLISH)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_edit(request.user, obj))

    # --- the form: status is never edited directly; the version travels with it ---
    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), *WORKFLOW_FIELDS)

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None:
            fieldsets.append((None, {"fields": ("expected_version",), "classes": ("hidden",)}))
        return fieldsets

    def save_model(self, request, obj, form, change):
        if change:
            obj.version = getattr(form, "current_version", None) or obj.version
            stamp(obj, user=request.user)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        # Inline rows that are editorial records (commentary under a source) are stamped like any save.
        for inline_form in formset.forms:
            instance = inline_form.instance
            if hasattr(instance, "version") and inline_form.has_changed() and instance.pk is not None:
                stamp(instance, user=request.user)
            elif hasattr(instance, "version") and instance.pk is None:
                instance.created_by = instance.updated_by = request.user
        super().save_formset(request, form, formset, change)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        transitions = available_transitions(request.user, obj) if obj is not None else []
        if obj is not None and request.method == "GET" and not can_edit(request.user, obj):
            messages.info(
                request, _("This record is published, so it is read-only for you: an editor can change or withdraw it.")
            )
        extra_context = {**(extra_context or {}), "workflow_transitions": transitions}
        return super().change_view(request, object_id, form_url, extra_context)

    # --- one record: a confirmation page per step ---
    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/workflow/<str:step>/",
                self.admin_site.admin_view(self.transition_view),
                name="{}_{}_transition".format(*info),
            ),
            *super().get_urls(),
        ]

    def transition_view(self, request, object_id, step):
        transition = TRANSITIONS.get(step)
        obj = self.get_object(request, unquote(object_id))
        if obj is None or transition is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not has_transition_permission(request.user, self.model, transition):
            raise PermissionDenied
        change_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        ready = ready_notes(request.user, obj, transition)
        form = TransitionForm(
            request.POST or None, transition=transition, ready_notes=ready, initial={"expected_version": obj.version}
        )
        if request.method == "POST" and form.is_valid():
            if _run(self, request, obj, transition, form.cleaned_data, via="admin"):
                messages.success(
                    request,
                    _("%(step)s: “%(record)s” is now %(status)s.")
                    % {"step": transition.label, "record": obj, "status": obj.get_status_display().lower()},
                )
                chosen = form.cleaned_data.get("commentary") or ()
                if chosen:
                    messages.success(
                        request,
                        _("Published with it: %(notes)s.") % {"notes": ", ".join(f"“{note}”" for note in chosen)},
                    )
            return redirect(change_url)
        notes = notes_about(obj) if transition is PUBLISH else None
        offered = set(ready.values_list("pk", flat=True)) if ready is not None else set()
        context = {
            **self.admin_site.each_context(request),
            "title": f"{transition.label}: {obj}",
            "subtitle": None,
            "opts": self.opts,
            "object": obj,
            "objects": [obj],
            "transition": transition,
            "form": form,
            "cancel_url": change_url,
            # Commentary that this publication leaves unpublished, and why: nothing is left out silently.
            "notes_left": [
                note for note in (notes or ()) if note.status != Status.PUBLISHED and note.pk not in offered
            ],
            "may_publish_notes": has_transition_permission(request.user, Commentary, PUBLISH),
            "notes_field": form["commentary"] if "commentary" in form.fields else None,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.workflow_template, context)

    # --- many records: the same services, one by one, each reported ---
    def run_bulk_transition(self, request, queryset, transition):
        form = TransitionForm(request.POST if "confirm" in request.POST else None, transition=transition)
        if transition.needs_reason and not form.is_bound or form.is_bound and not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": _("%s: selected records") % transition.label,
                "subtitle": None,
                "opts": self.opts,
                "objects": list(queryset),
                "transition": transition,
                "form": form,
                "action": request.POST.get("action"),
                "bulk": True,
                "cancel_url": request.get_full_path(),
            }
            return TemplateResponse(request, self.workflow_template, context)
        data = form.cleaned_data if form.is_bound else {}
        done = sum(_run(self, request, obj, transition, data, via="action") for obj in queryset)
        if done:
            messages.success(
                request,
                ngettext("%(step)s: %(n)d record.", "%(step)s: %(n)d records.", done)
                % {"step": transition.label, "n": done},
            )
        return None


class EditorialInlineMixin:
    """Inline rows that are editorial records (commentary under a source): state read-only, published rows guarded."""

    readonly_fields = WORKFLOW_FIELDS

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        # Under a record being added every row is new too: no publication time to show yet.
        return fields if obj is not None else [name for name in fields if name != "published_at"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        user = request.user

        class GuardedFormSet(formset):
            def clean(self):
                super().clean()
                for form in self.forms:
                    if form.instance.pk is not None and form.has_changed() and not can_edit(user, form.instance):
                        raise ValidationError(
                            _("“%(record)s” is published; only an editor may change it.") % {"record": form.instance}
                        )

        return GuardedFormSet
