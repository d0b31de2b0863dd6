"""manage.py export_ead FOND [-o FILE]: a published fonds and everything published under it, as EAD3."""

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.ead import find_fonds, fonds_ead, validate


class Command(BaseCommand):
    help = (
        "Write a published fonds and everything published under it as EAD3, checked against the official schema. "
        "FOND is the fonds' identifier (RGASPI-558) or its reference (RGASPI 558)."
    )

    def add_arguments(self, parser):
        parser.add_argument("fond", metavar="FOND", help="The fonds' identifier or reference, e.g. RGASPI 558.")
        parser.add_argument("-o", "--output", metavar="FILE", help="Write to this file (default: standard output).")

    def handle(self, *args, fond, output=None, **options):
        fonds = find_fonds(fond)
        if fonds is None:
            raise CommandError(f"No fonds “{fond}”: give its identifier (e.g. RGASPI-558) or reference (RGASPI 558).")
        if not fonds.is_published:
            raise CommandError(f"The fonds {fonds.identifier} is not published; only published records are exported.")
        xml = fonds_ead(fonds)
        errors = validate(xml)
        if errors:
            raise CommandError("The EAD3 is not valid, nothing written:\n" + "\n".join(errors[:20]))
        if output:
            write_whole(Path(output), xml)
            self.stderr.write(f"{fonds.identifier}: EAD3 written to {output}")
        else:
            self.stdout.write(xml.decode("utf-8"), ending="")


def write_whole(path: Path, data: bytes) -> None:
    """The file appears complete or not at all: written beside it, then renamed over it."""
    handle, temporary = tempfile.mkstemp(dir=path.parent or None, prefix=f".{path.name}.")
    try:
        os.fchmod(handle, 0o644)  # an ordinary file, as a shell redirection would make
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
