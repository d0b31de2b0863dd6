"""Every string of the interface has a Russian translation.

The project's own strings: `makemessages -l ru` over a copy of the code, templates and catalogue finds none
missing, none empty and none fuzzy. The strings of Django and of the packages the admin shows: each has a
Russian translation in their catalogues or, where those leave it out, in the project's.
"""

import ast
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

BASE_DIR = Path(settings.BASE_DIR)
PROJECT_SOURCES = ("archive", "curation", "templates")
# The installed packages whose screens a curator sees: the admin's import and export, the task results,
# the sign-in attempts, the history and the public filters.
PACKAGES = ("django_tasks_db", "import_export", "axes", "simple_history", "django_filters")
# Django's own parts the site uses, by the English catalogue that lists their strings.
DJANGO_PARTS = ("conf", "contrib/admin", "contrib/auth", "contrib/contenttypes", "contrib/sessions")
# Written the same way in Russian.
SAME_IN_RUSSIAN = {"URL", "IPv4", "IPv6"}
# Never looked up as written: django-axes fills in the number before translating (an f-string in gettext).
NEVER_LOOKED_UP = {"Cleaned up {count} expired access attempts."}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    def __str__(self):
        return f"{self.msgctxt}|{self.msgid}" if self.msgctxt else self.msgid


def parse_po(text: str) -> list[Entry]:
    """The live entries of a .po file (not the header, not obsolete ones)."""
    entries, entry, key = [], Entry(), ""
    for line in [*text.splitlines(), ""]:
        line = line.strip()
        if not line:
            if entry.msgid and not entry.obsolete:
                entries.append(entry)
            entry, key = Entry(), ""
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#~"):
            entry.obsolete = True
        elif not line.startswith("#"):
            if not line.startswith('"'):
                key, _, line = line.partition(" ")
                if key.startswith("msgstr"):
                    entry.msgstr.append("")
            value = ast.literal_eval(line)
            if key == "msgid":
                entry.msgid += value
            elif key == "msgid_plural":
                entry.msgid_plural += value
            elif key == "msgctxt":
                entry.msgctxt = (entry.msgctxt or "") + value
            elif key.startswith("msgstr"):
                entry.msgstr[-1] += value
    return entries


def _makemessages(workdir: Path, sources: dict[str, Path], monkeypatch, merge: bool) -> list[Entry]:
    """Run makemessages -l ru over copies of `sources` in `workdir` and return the entries it wrote: merged
    into a copy of the project's catalogue (never the project's own) if `merge`, else into a new one."""
    if not shutil.which("xgettext") or not shutil.which("msgmerge"):
        message = "GNU gettext is needed to check the translations: apt-get install gettext"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    ignore = shutil.ignore_patterns("__pycache__", "locale", "tests", "migrations")
    for name, path in sources.items():
        shutil.copytree(path, workdir / name, ignore=ignore)
    if merge:
        shutil.copytree(BASE_DIR / "locale", workdir / "locale")
    else:
        (workdir / "locale").mkdir()
    monkeypatch.chdir(workdir)
    with override_settings(LOCALE_PATHS=[workdir / "locale"]):
        call_command("makemessages", locale=["ru"], verbosity=0)
    return parse_po((workdir / "locale" / "ru" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8"))


def _needs_translation(entry: Entry) -> bool:
    words = PLACEHOLDER.sub("", entry.msgid)
    return bool(re.search(r"[A-Za-z]", words)) and entry.msgid not in SAME_IN_RUSSIAN | NEVER_LOOKED_UP


def _translated_in_russian(entry: Entry) -> bool:
    with translation.override("ru"):
        if entry.msgid_plural:
            if entry.msgctxt is not None:
                return translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 5) != entry.msgid_plural
            return translation.ngettext(entry.msgid, entry.msgid_plural, 5) != entry.msgid_plural
        if entry.msgctxt is not None:
            return translation.pgettext(entry.msgctxt, entry.msgid) != entry.msgid
        return translation.gettext(entry.msgid) != entry.msgid


def test_every_string_of_the_project_has_a_russian_translation(tmp_path, monkeypatch):
    entries = _makemessages(tmp_path, {name: BASE_DIR / name for name in PROJECT_SOURCES}, monkeypatch, True)
    untranslated = [str(e) for e in entries if not e.msgstr or not all(e.msgstr)]
    fuzzy = [str(e) for e in entries if "fuzzy" in e.flags]
    assert entries
    assert not untranslated, f"no Russian in locale/ru/LC_MESSAGES/django.po for: {untranslated}"
    assert not fuzzy, f"fuzzy (unchecked) in locale/ru/LC_MESSAGES/django.po: {fuzzy}"


def test_the_strings_of_the_packages_the_admin_shows_have_a_russian_translation(tmp_path, monkeypatch):
    site_packages = Path(django.__file__).parent.parent
    entries = _makemessages(tmp_path, {name: site_packages / name for name in PACKAGES}, monkeypatch, False)
    django_dir = Path(django.__file__).parent
    for part in DJANGO_PARTS:
        catalogue = django_dir / part / "locale" / "en" / "LC_MESSAGES" / "django.po"
        entries += parse_po(catalogue.read_text(encoding="utf-8"))
    missing = sorted({str(e) for e in entries if _needs_translation(e) and not _translated_in_russian(e)})
    assert not missing, f"no Russian for these strings; add them to locale/ru/LC_MESSAGES/django.po: {missing}"
