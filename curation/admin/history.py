"""The history page of a record: every version, its field differences, and "restore this version"."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from curation.history import defer_history, history_with_changes, record_deferred
from curation.services import StaleVersionError, WorkflowError, restore_version


class HistoryAdminMixin:
    """Replaces the admin's log-based history with the recorded versions of the record."""

    history_template = "admin/curation/object_history.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
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
        context = {
            **self.admin_site.each_context(request),
            "title": _("History: %s") % obj,
            "subtitle": None,
            "object": obj,
            "opts": self.opts,
            "versions": history_with_changes(obj),
            "can_restore": self.has_change_permission(request, obj),
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.history_template, context)

    def restore_view(self, request, object_id, history_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        try:
            restored = restore_version(instance=obj, history_id=history_id, user=request.user)
        except (StaleVersionError, ValidationError, WorkflowError) as exc:
            messages.error(request, _("Not restored: %s") % "; ".join(getattr(exc, "messages", [str(exc)])))
        else:
            self.log_change(request, restored, _("Restored an earlier version from the history."))
            messages.success(
                request, _("The earlier version of “%s” is restored; the restore is in the history.") % restored
            )
        return redirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_history", args=[obj.pk]))
