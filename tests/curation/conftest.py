import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission

from tests.factories import LanguageFactory, RepositoryFactory, UserFactory

FILES = Path(__file__).resolve().parent.parent / "files"
SAMPLES = Path(__file__).resolve().parent.parent.parent / "fixtures" / "csv"


def archive_permissions(*prefixes):
    perms = Permission.objects.filter(content_type__app_label="archive")
    if prefixes:
        from django.db.models import Q

        query = Q()
        for prefix in prefixes:
            query |= Q(codename__startswith=prefix)
        perms = perms.filter(query)
    return perms


@pytest.fixture
def importer(db):
    """Staff who may import, export and publish every kind, but is no superuser."""
    user = UserFactory(username="importer", is_staff=True)
    user.user_permissions.set(archive_permissions("view_", "change_", "add_", "import_", "export_", "publish_"))
    return user


@pytest.fixture
def editor(db):
    """May import and export, but not publish."""
    user = UserFactory(username="editor", is_staff=True)
    user.user_permissions.set(archive_permissions("view_", "change_", "add_", "import_", "export_"))
    return user


@pytest.fixture
def rgaspi(db):
    LanguageFactory(code="ru", name="Russian")
    LanguageFactory(code="mn", name="Mongolian")
    return RepositoryFactory()


def read(name: str) -> bytes:
    return (FILES / name).read_bytes()


def stream(data: bytes | str) -> io.BytesIO:
    return io.BytesIO(data.encode("utf-8") if isinstance(data, str) else data)
