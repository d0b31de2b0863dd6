import os
import shutil

import pytest
from django.contrib.auth.models import Permission

from tests.factories import UserFactory

# Playwright's sync API runs an event loop in the test thread; the test's own ORM calls must still be allowed.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def curator(db):
    """A staff member who may view, add and change the archive's records, but is no superuser."""
    user = UserFactory(username="curator", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="archive").exclude(codename__startswith="delete_")
    )
    return user


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


def _chromium_path() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Under CI a missing browser is a failure, never a skip."""
    path = _chromium_path()
    if path is None:
        message = "Chromium not found: apt-get install chromium (or set CHROMIUM=/path/to/chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _default_language():
    """A request in Russian leaves Russian active in the thread; every test starts in the default language."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def make_member(db):
    """A staff account in one of the roles (Curator, Editor, Administrator), as setup_roles defines them."""
    from django.contrib.auth.models import Group

    from curation.roles import ROLES, setup_roles

    if Group.objects.filter(name__in=ROLES).count() < len(ROLES):  # made by post_migrate; flushed by some tests
        setup_roles()

    def make(role: str, username: str | None = None):
        user = UserFactory(username=username or role.lower(), is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        return type(user).objects.get(pk=user.pk)  # fresh: no cached permissions

    return make


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with nothing cached and with no facet index: the public generation lives in the test
    database, which returns to the same state for every test, so nothing built from one test's records may be
    kept for the next."""
    from django.core.cache import cache

    from archive.public import facet_index

    cache.clear()
    facet_index.forget()


@pytest.fixture
def screenshot(tmp_path, request):
    """Saves a page's picture for a person to look at: in OPIS_SCREENSHOT_DIR when set (`make screenshots`
    writes docs/screenshots/ that way), else in the test's temporary directory. Returns the file's path."""
    from pathlib import Path

    folder = Path(os.environ.get("OPIS_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, name: str, *, full_page: bool = True) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take
