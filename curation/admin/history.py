"""The history page of a record: every version, its field differences, and "restore this version" through a page
that shows what the restore would change before it is done."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from curation.history import (
    defer_history,
    history_with_changes,
    record_deferred,
    restore_changes,
    version_label,
    version_number,
)
from curation.services import (
    StaleVersionError,
    WorkflowError,
    goes_live,
    recover_deleted,
    restore_refusal,
    restore_version,
)


class HistoryAdminMixin:
    """Replaces the admin's log-based history with the recorded versions of the record."""

    history_template = "admin/curation/object_history.html"
    restore_template = "admin/curation/restore_confirm.html"
    deleted_template = "admin/curation/deleted_records.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("deleted/", self.admin_site.admin_view(self.deleted_view), name="{}_{}_deleted".format(*info)),
            path(
                "deleted/<int:history_id>/recover/",
                self.admin_site.admin_view(self.recover_view),
                name="{}_{}_recover".format(*info),
            ),
            path(
                "<path:object_id>/history/<int:history_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="{}_{}_restore".format(*info),
            ),
            *super().get_urls(),
        ]

    def save_model(self, request, obj, form, change):
        defer_history(obj)  # recorded once in save_related, together with its links
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        record_deferred(form.instance, created=not change)

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        page = int(request.GET["page"]) if request.GET.get("page", "").isdigit() else 1
        versions, has_older = history_with_changes(obj, page=page)
        context = {
            **self.admin_site.each_context(request),
            "title": _("History: %s") % obj,
            "subtitle": None,
            "object": obj,
            "opts": self.opts,
            "versions": versions,
            "page": page,
            "has_older": has_older,
            "can_restore": self.has_change_permission(request, obj),
            "restore_refusal": self.refusal_to_restore(request, obj) if self.has_change_permission(request) else "",
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.history_template, context)

    def restore_view(self, request, object_id, history_id):
        """GET: what restoring this version would change, field by field, and a button; changes nothing.
        POST: the restore. A refused restore gets a page that says why."""
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        history_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_history", args=[obj.pk])
        record = obj.history.filter(history_id=history_id).exclude(history_type="-").first()
        if record is None:
            messages.error(request, _("Not restored: %s") % _("That version does not belong to this record."))
            return redirect(history_url)
        refusal = self.refusal_to_restore(request, obj)
        number = version_number(record)
        label = version_label(record, number)
        if request.method == "POST" and not refusal:
            expected = request.POST.get("expected_version", "")
            try:
                restored = restore_version(
                    instance=obj,
                    history_id=record.history_id,
                    user=request.user,
                    expected_version=int(expected) if expected.isdigit() else None,
                )
            except (StaleVersionError, ValidationError, WorkflowError, PermissionDenied) as exc:
                messages.error(request, _("Not restored: %s") % "; ".join(getattr(exc, "messages", [str(exc)])))
                return redirect(request.get_full_path())  # the confirmation again, with what holds now
            self.log_change(request, restored, _("Restored %(version)s from the history.") % {"version": label})
            messages.success(
                request,
                _("%(version)s of “%(record)s” is restored; the restore is in the history.")
                % {"version": capfirst(label), "record": restored},
            )
            return redirect(history_url)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Restore %(version)s") % {"version": label},
            "subtitle": None,
            "object": obj,
            "opts": self.opts,
            "record": record,
            "number": number,
            "changes": restore_changes(obj, record),
            "refusal": refusal,
            "goes_live": goes_live(obj),
            "history_url": history_url,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.restore_template, context, status=403 if refusal else 200)

    def refusal_to_restore(self, request, obj) -> str:
        """Why this user may not restore a version of `obj`, or "" if they may."""
        refusal = restore_refusal(user=request.user, instance=obj)
        if not refusal and not self.has_change_permission(request, obj):
            refusal = _("You may not change this %(record)s.") % {"record": self.opts.verbose_name}
        return refusal

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "has_deleted_records_view": self.has_add_permission(request)}
        return super().changelist_view(request, extra_context)

    def deleted_view(self, request):
        """Records deleted and not recovered, newest deletion first, each with its last version."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        existing = self.model._default_manager.values("pk")
        deletions = self.model.history.filter(history_type="-").exclude(id__in=existing)
        latest = {}
        for record in deletions.select_related("history_user").order_by("-history_date", "-history_id")[:500]:
            latest.setdefault(record.id, record)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Deleted %s") % self.opts.verbose_name_plural,
            "subtitle": None,
            "opts": self.opts,
            "deleted": list(latest.values()),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.deleted_template, context)

    def recover_view(self, request, history_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_add_permission(request):
            raise PermissionDenied
        try:
            obj = recover_deleted(model=self.model, history_id=history_id, user=request.user)
        except (ValidationError, WorkflowError) as exc:
            messages.error(request, _("Not recovered: %s") % "; ".join(getattr(exc, "messages", [str(exc)])))
            return redirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_deleted"))
        self.log_addition(request, obj, _("Recovered after deletion, from the history."))
        messages.success(request, _("“%s” is recovered; it is in the history.") % obj)
        return redirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]))
