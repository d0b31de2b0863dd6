"""Import profiles: files in another system's format (AtoM's CSV) that one import turns into records of several
kinds. Each writes one batch, undone as a whole (curation.transfer.atom)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Profile:
    name: str
    label: str
    models: tuple[str, ...]  # the model names whose import right the profile needs

    @property
    def permissions(self) -> list[str]:
        return [f"archive.import_{model}" for model in self.models]

    def allowed(self, user) -> bool:
        return user.has_perms(self.permissions)


ATOM = Profile("atom", _("AtoM ISAD(G) CSV"), ("unit", "source"))
ATOM_AUTHORITIES = Profile("atom-authorities", _("AtoM authority records CSV"), ("agent",))
PROFILES = {profile.name: profile for profile in (ATOM, ATOM_AUTHORITIES)}


def may_import(user, kind_name: str) -> bool:
    """Whether the user may import (and undo, retry) a batch of this kind or profile."""
    if kind_name in PROFILES:
        return PROFILES[kind_name].allowed(user)
    from .formats import KINDS

    return user.has_perm(KINDS[kind_name].permission("import"))
