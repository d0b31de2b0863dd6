"""Deployment checks, content security policy, login throttling and upload limits."""

import io
import os
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from curation.roles import CURATOR
from curation.uploads import SourceImageForm, validate_csv_upload
from tests.factories import SourceFactory
from tests.ops.test_settings import production

ROOT = Path(__file__).resolve().parent.parent


def test_check_deploy_is_clean_under_production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "archive.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "archive.example.org",
    }
    for name in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"):  # set for the browser tests, never in deployment
        env.pop(name, None)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output
    assert "WARNING" not in output


def test_production_refuses_a_weak_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "archive.settings.production", "SECRET_KEY": "short"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["archive:home", "admin:login"])
def test_every_page_carries_a_content_security_policy(client, url):
    policy = client.get(reverse(url))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"].startswith("'self'") and "unsafe-inline" not in directives["script-src"]
    assert directives["object-src"] == "'none'"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["archive:home", "archive:source-list", "archive:search", "admin:login"])
def test_no_page_may_be_framed_not_even_by_the_site_itself(client, url):
    response = client.get(reverse(url))
    directives = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert directives["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"


def test_production_sends_the_language_cookie_over_https_only_and_never_to_scripts():
    got = production(
        {},
        "[settings.LANGUAGE_COOKIE_SECURE, settings.LANGUAGE_COOKIE_HTTPONLY, "
        "settings.LANGUAGE_COOKIE_SAMESITE, settings.X_FRAME_OPTIONS, settings.SECURE_CSP['frame-ancestors']]",
    )
    assert got == [True, True, "Lax", "DENY", ["'none'"]]


@pytest.mark.django_db
def test_the_language_cookie_is_http_only_and_same_site(client, settings):
    settings.LANGUAGE_COOKIE_SECURE = True  # as in production
    cookie = client.get(reverse("archive:language"), {"language": "ru", "next": "/"}).cookies["django_language"]
    assert cookie.value == "ru"
    assert cookie["secure"] is True and cookie["httponly"] is True and cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_the_dashboards_inline_style_carries_the_nonce(client, make_member):
    client.force_login(make_member(CURATOR))
    response = client.get(reverse("admin:index"))
    nonce = response.text.split('<style nonce="', 1)[1].split('"', 1)[0]
    assert nonce and f"'nonce-{nonce}'" in response["Content-Security-Policy"]


# --- login throttling ---


def _attempt(client, username, password):
    return client.post(reverse("admin:login"), {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7")


@pytest.mark.django_db
def test_repeated_wrong_passwords_lock_out_then_cool_off(client, make_member, settings):
    from axes.models import AccessAttempt

    member = make_member(CURATOR, username="guessed")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _attempt(client, "guessed", "wrong").status_code == 200  # the form again, with its error
    assert _attempt(client, "guessed", "wrong").status_code == 429
    # Locked: even the right password is refused now, with a page that says why and for how long.
    refused = _attempt(client, "guessed", "correct horse battery")
    assert refused.status_code == 429 and "Too many failed sign-ins" in refused.text
    assert "_auth_user_id" not in client.session

    # After the cool-off the right password works again: no permanent lockout.
    past = timedelta(minutes=1) + settings.AXES_COOLOFF_TIME
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= past
        attempt.save()
        if hasattr(attempt, "expiration"):
            attempt.expiration.expires_at -= past
            attempt.expiration.save()
    assert _attempt(client, "guessed", "correct horse battery").status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


@pytest.mark.django_db
def test_a_lockout_is_per_account_and_address(client, make_member, settings):
    make_member(CURATOR, username="guessed")
    other = make_member(CURATOR, username="innocent")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, "guessed", "wrong")
    assert _attempt(client, "innocent", "correct horse battery").status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)


# Behind the proxy (archive.settings.production): the proxy appends the address it was reached from to
# X-Forwarded-For, and every request reaches Django from the proxy's own address.
PROXY = "127.0.0.1"
CLIENT_IP_SETTINGS = (
    "AXES_CLIENT_IP_CALLABLE",
    "AXES_IPWARE_PROXY_COUNT",
    "AXES_IPWARE_PROXY_ORDER",
    "AXES_IPWARE_PROXY_TRUSTED_IPS",
    "AXES_IPWARE_META_PRECEDENCE_ORDER",
    "IPWARE_STRICT",
)
CLIENT_IP_EXPRESSION = f"{{name: getattr(settings, name) for name in {CLIENT_IP_SETTINGS} if hasattr(settings, name)}}"


@pytest.fixture(scope="module")
def production_client_address():
    """The settings that decide a client's address, as archive.settings.production defines them by default."""
    from tests.ops.test_settings import production

    return production({}, CLIENT_IP_EXPRESSION)


@pytest.fixture
def behind_the_proxy(settings, production_client_address):
    for name, value in production_client_address.items():
        setattr(settings, name, value)


def _attempt_through_proxy(client, username, password, forwarded_for):
    data = {"username": username, "password": password}
    return client.post(reverse("admin:login"), data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


@pytest.mark.django_db
def test_behind_the_proxy_wrong_passwords_lock_out_their_client_address_only(
    client, make_member, settings, behind_the_proxy
):
    member = make_member(CURATOR, username="guessed")
    attacker, colleague = "198.51.100.7", "203.0.113.9"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt_through_proxy(client, "guessed", "wrong", attacker)
    assert _attempt_through_proxy(client, "guessed", "correct horse battery", attacker).status_code == 429
    assert _attempt_through_proxy(client, "guessed", "correct horse battery", colleague).status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


@pytest.mark.django_db
def test_behind_the_proxy_a_client_cannot_choose_its_address(client, make_member, settings, behind_the_proxy):
    from axes.models import AccessAttempt

    member = make_member(CURATOR, username="guessed")
    attacker, colleague = "198.51.100.7", "203.0.113.9"
    # The attacker sends X-Forwarded-For: <colleague>; the proxy appends the attacker's own address.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt_through_proxy(client, "guessed", "wrong", f"{colleague}, {attacker}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {attacker}
    assert _attempt_through_proxy(client, "guessed", "correct horse battery", attacker).status_code == 429
    assert _attempt_through_proxy(client, "guessed", "correct horse battery", colleague).status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "remote_addr", "client_address"),
    [
        ("1", "198.51.100.7", PROXY, "198.51.100.7"),
        ("1", "203.0.113.9, 198.51.100.7", PROXY, "198.51.100.7"),
        ("2", "203.0.113.9, 198.51.100.7, 192.0.2.1", PROXY, "198.51.100.7"),  # a CDN, then nginx
        ("0", "203.0.113.9", "198.51.100.7", "198.51.100.7"),  # no proxy: the header is the client's own
    ],
)
def test_the_client_address_is_the_one_the_trusted_proxies_saw(
    rf, settings, proxies, forwarded_for, remote_addr, client_address
):
    from axes.helpers import get_client_ip_address

    from tests.ops.test_settings import production

    for name, value in production({"AXES_PROXY_COUNT": proxies}, CLIENT_IP_EXPRESSION).items():
        setattr(settings, name, value)
    request = rf.post("/", REMOTE_ADDR=remote_addr, HTTP_X_FORWARDED_FOR=forwarded_for)
    assert get_client_ip_address(request) == client_address


# --- uploads ---


def image_file(name="scan.png", fmt="PNG", size=(4, 4)):
    buffer = io.BytesIO()
    Image.new("RGB", size).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def image_form(upload):
    return SourceImageForm(data={"position": 0, "caption": ""}, files={"image": upload})


@pytest.mark.django_db
def test_a_scan_within_the_limits_is_accepted():
    assert image_form(image_file()).is_valid()


@pytest.mark.django_db
def test_an_image_over_the_size_limit_is_refused_with_the_limit(settings):
    settings.OPIS_MAX_IMAGE_BYTES = 50
    form = image_form(image_file())
    assert not form.is_valid()
    assert "the limit is 50" in form.errors["image"][0]


@pytest.mark.django_db
def test_a_renamed_file_is_not_taken_for_an_image():
    form = image_form(SimpleUploadedFile("scan.png", b"#!/bin/sh\necho not an image\n", content_type="image/png"))
    assert not form.is_valid() and "image" in form.errors


@pytest.mark.django_db
def test_an_image_in_another_format_is_refused_by_its_content():
    form = image_form(image_file(name="scan.png", fmt="GIF"))
    assert not form.is_valid()
    assert "GIF image; upload JPEG, PNG, TIFF or WebP" in form.errors["image"][0]


@pytest.mark.django_db
def test_the_admin_refuses_an_oversized_scan_on_the_source_form(client, make_member, settings):
    settings.OPIS_MAX_IMAGE_BYTES = 50
    source = SourceFactory()
    client.force_login(make_member(CURATOR))
    from tests.curation.test_admin_workflow import change_form_data

    data = change_form_data(source)
    data.update({"images-TOTAL_FORMS": 1, "images-0-position": 0, "images-0-image": image_file()})
    response = client.post(reverse("admin:archive_source_change", args=[source.pk]), data)
    assert response.status_code == 200 and "the limit is 50" in response.text
    assert not source.images.exists()


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("rows.xlsx", b"identifier\n", "is not a .csv file"),
        ("rows.csv", b"identifier\x00\x01", "is not a text file"),
        ("rows.csv", "identifier,title\n".encode("utf-16"), "is not a text file"),
    ],
)
def test_csv_uploads_are_refused_with_the_reason(name, content, error):
    with pytest.raises(Exception, match=error):
        validate_csv_upload(SimpleUploadedFile(name, content))


def test_csv_over_the_limit_is_refused(settings):
    settings.OPIS_MAX_UPLOAD_BYTES = 10
    with pytest.raises(Exception, match="the limit is 10"):
        validate_csv_upload(SimpleUploadedFile("rows.csv", b"identifier,title\nA,B\n"))
    settings.OPIS_MAX_UPLOAD_BYTES = 1000
    validate_csv_upload(SimpleUploadedFile("rows.csv", "identifier,title\nA,Протокол\n".encode()))
    validate_csv_upload(SimpleUploadedFile("rows.csv", "identifier;title\nA;Протокол\n".encode("cp1251")))
