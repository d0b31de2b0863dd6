"""Users and groups as Django's admin has them, with the permissions named in the interface language.

A permission's name is stored once, in English, when the model is migrated ("Can add source"); the lists of
permissions on the user and group forms name each one here instead, from its action and its model.
"""

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.models import Group, Permission, User
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ACTIONS = {
    "add": gettext_lazy("Can add: %(name)s"),
    "change": gettext_lazy("Can change: %(name)s"),
    "delete": gettext_lazy("Can delete: %(name)s"),
    "view": gettext_lazy("Can view: %(name)s"),
    "import": gettext_lazy("Can import from CSV: %(names)s"),
    "export": gettext_lazy("Can export to CSV: %(names)s"),
    "review": gettext_lazy("Can review (return to draft): %(names)s"),
    "publish": gettext_lazy("Can publish and withdraw: %(names)s"),
}


def model_label(model, plural: bool = False) -> str:
    """The model's name in the interface language, also for the history tables, which carry only an English
    name of their own ("historical source")."""
    opts = model._meta
    instance_type = getattr(model, "instance_type", None)
    if instance_type is not None and opts.object_name.startswith("Historical"):  # django-simple-history
        return _("history: %(name)s") % {"name": model_label(instance_type, plural=True)}
    return str(opts.verbose_name_plural if plural else opts.verbose_name)


def permission_label(permission: Permission) -> str:
    """“Archive records | source | Can add: source”, in the interface language."""
    model = permission.content_type.model_class()
    action, _sep, model_name = permission.codename.partition("_")
    if model is None or action not in ACTIONS or model_name != model._meta.model_name:
        return str(permission)
    text = ACTIONS[action] % {"name": model_label(model), "names": model_label(model, plural=True)}
    return f"{model._meta.app_config.verbose_name} | {model_label(model)} | {text}"


class PermissionLabelsMixin:
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.related_model is Permission:
            field.queryset = field.queryset.select_related("content_type")
            field.label_from_instance = permission_label
        return field


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(PermissionLabelsMixin, auth_admin.UserAdmin):
    pass


@admin.register(Group)
class GroupAdmin(PermissionLabelsMixin, auth_admin.GroupAdmin):
    pass
