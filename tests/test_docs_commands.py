"""The command synopses in README.md and docs/ give every option the commands require."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands, load_command_class

DOCUMENTS = [Path(settings.BASE_DIR) / "README.md", *sorted((Path(settings.BASE_DIR) / "docs").glob("*.md"))]
SYNOPSIS = re.compile(r"`(?:python )?manage\.py ([a-z_]+)([^`]*)`")


def _synopses():
    commands = get_commands()
    for document in DOCUMENTS:
        for name, rest in SYNOPSIS.findall(document.read_text(encoding="utf-8")):
            if commands.get(name) in {"curation", "archive"}:
                yield pytest.param(name, rest, id=f"{document.name}:{name}{rest}"[:80])


def _required_options(name: str) -> list[str]:
    parser = load_command_class(get_commands()[name], name).create_parser("manage.py", name)
    return [action.option_strings[-1] for action in parser._actions if action.required and action.option_strings]


@pytest.mark.parametrize(("name", "rest"), list(_synopses()))
def test_a_synopsis_names_the_required_options(name, rest):
    missing = [option for option in _required_options(name) if option not in rest]
    assert not missing, f"`manage.py {name}{rest}` leaves out {missing}"


def test_the_readme_gives_synopses_of_the_import_commands():
    names = {name for name, _rest in SYNOPSIS.findall(DOCUMENTS[0].read_text(encoding="utf-8"))}
    assert {"import_records", "undo_import", "export_records"} <= names
