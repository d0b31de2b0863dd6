"""No lost updates in the admin: the form carries the version it was loaded at and refuses a stale save."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from curation.history import changes_since


class VersionedAdminForm(forms.ModelForm):
    """A change form that knows which version of the record the curator started from."""

    expected_version = forms.IntegerField(
        label=gettext_lazy("version you started from"), widget=forms.HiddenInput, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["expected_version"].initial = self.instance.version
        self.current_version = getattr(self.instance, "version", None)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        expected = cleaned.get("expected_version")
        rows = type(self.instance)._default_manager.filter(pk=self.instance.pk)
        if connection.in_atomic_block:
            rows = rows.select_for_update()  # held until the admin's transaction commits the save
        current = rows.get()
        self.current_version = current.version
        if expected is not None and expected != current.version:
            self._refuse(current, expected)
        return cleaned

    def _refuse(self, current, expected: int):
        """Refuse the save; carry the other curator's changes into untouched fields, keep all typed input."""
        self.data = self.data.copy()
        self.data[self.add_prefix("expected_version")] = current.version
        taken, conflicts = [], []
        for change in changes_since(current, expected):
            if change.field not in self.fields or change.field not in self.cleaned_data:
                continue
            if self._untouched(change):
                # This curator left the field as it was: show the newer value instead of silently undoing it.
                self._take(change)
                taken.append(change)
            else:
                conflicts.append(change)
        who = current.updated_by or _("someone")
        when = timezone.localtime(current.updated_at).strftime("%Y-%m-%d %H:%M:%S") if current.updated_at else ""
        messages = [
            _(
                "Not saved: %(who)s saved this record at %(when)s while you were editing it "
                "(your version %(expected)s, now %(current)s). Nothing you typed is lost: check the "
                "fields below, then save again."
            )
            % {"who": who, "when": when, "expected": expected, "current": current.version}
        ]
        for change in taken:
            messages.append(_("Taken into the form from their save: %s") % _describe(change))
        for change in conflicts:
            messages.append(_("You both changed it; the form keeps yours: %s") % _describe(change))
        raise ValidationError(messages, code="stale")

    def _untouched(self, change) -> bool:
        mine = self.cleaned_data[change.field]
        if self.instance._meta.get_field(change.field).many_to_many:
            return frozenset(obj.pk for obj in mine) == change.old_value
        mine = getattr(mine, "pk", mine)
        return mine == change.old_value or (mine in (None, "") and change.old_value in (None, ""))

    def _take(self, change) -> None:
        name = self.add_prefix(change.field)
        if self.instance._meta.get_field(change.field).many_to_many:
            self.data.setlist(name, [str(pk) for pk in change.new_value])
        else:
            self.data[name] = "" if change.new_value is None else change.new_value


def _describe(change) -> str:
    return _("%(field)s “%(old)s” → “%(new)s”") % {
        "field": capfirst(change.label),
        "old": _short(change.old),
        "new": _short(change.new),
    }


def _short(value) -> str:
    return Truncator("" if value is None else str(value)).chars(200)
