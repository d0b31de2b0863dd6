"""The three roles as groups of existing permissions. Idempotent: run it after every migrate.

Curator: create and edit drafts, submit for review, write commentary, export; add people, places, subjects,
repositories and languages, and change those that no published record shows.
Editor: also review, publish, withdraw, import and delete records, and change published content: published
records and the authorities they show (the publish rights decide it: curation.services.can_edit).
Administrator: every permission, including user accounts and groups. The login-throttling records and task
results are for superusers only (curation/sites.py), whatever a group grants.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

CURATOR, EDITOR, ADMINISTRATOR = "Curator", "Editor", "Administrator"
ROLES = (CURATOR, EDITOR, ADMINISTRATOR)

# The records a curator edits; inline rows (images, people of a source) go with their source.
EDITABLE = ("source", "event", "commentary", "unit", "agent", "place", "subject", "repository", "language")
INLINE_ROWS = ("sourceagent", "sourceimage")
WORKFLOW = ("source", "event", "commentary", "unit")
TRANSFER = ("source", "event", "commentary", "agent", "place", "subject")


def _archive(codenames) -> Q:
    return Q(content_type__app_label="archive", codename__in=list(codenames))


def role_permissions(role: str):
    curator = (
        _archive(f"{action}_{model}" for model in EDITABLE for action in ("view", "add", "change"))
        | _archive(f"{action}_{model}" for model in INLINE_ROWS for action in ("view", "add", "change", "delete"))
        | _archive(f"export_{model}" for model in TRANSFER)
        | Q(content_type__app_label="curation", codename__startswith="view_")
    )
    editor = (
        curator
        | _archive(f"{right}_{model}" for model in WORKFLOW for right in ("review", "publish"))
        | _archive(f"import_{model}" for model in TRANSFER)
        | _archive(f"delete_{model}" for model in EDITABLE)
        | Q(content_type__app_label="curation")
    )
    query = {CURATOR: curator, EDITOR: editor, ADMINISTRATOR: Q()}[role]
    return Permission.objects.filter(query)


def setup_roles() -> dict[str, int]:
    """Create or update the groups; returns how many permissions each holds."""
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)  # permissions of apps migrated after this one
    counts = {}
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(role_permissions(role))
        counts[role] = group.permissions.count()
    return counts


def setup_roles_after_migrate(sender, **kwargs) -> None:
    setup_roles()
