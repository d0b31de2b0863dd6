"""The scale-out of docs/deploy.md, run for real: a primary, a streaming replica (lagging on purpose), Redis, two
gunicorn app servers and the task worker (tests/ops/topology.py), exercised over HTTP as a load balancer would
pass requests on: TLS ended before the app (X-Forwarded-Proto: https), plain HTTP behind it.

The rehearsal is its own database cluster; these tests use no pytest-django database.
"""

import csv
import io
import os
import re
import secrets
import shutil
import time
from html.parser import HTMLParser

import psycopg
import pytest
import requests

from tests.ops.topology import ROOT, Topology

pytestmark = pytest.mark.scale
LAG_MS = 4000  # the replica applies each commit this long after the primary made it
BEHIND_LB = {"X-Forwarded-Proto": "https"}


@pytest.fixture(scope="module")
def topology():
    # Under the checkout, not pytest's temporary directory: pytest makes that private to root whenever it starts,
    # which would lock the database servers' own user out of their data mid-run.
    rehearsal = Topology(ROOT / "var" / "scale" / f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}")
    try:
        rehearsal.start()
        password = secrets.token_urlsafe(16)
        rehearsal.manage(
            "shell",
            "-c",
            "from django.contrib.auth import get_user_model; from curation.roles import setup_roles; setup_roles(); "
            "import os; get_user_model().objects.create_superuser('rehearsal', '', os.environ['REHEARSAL_PASSWORD'])",
            REHEARSAL_PASSWORD=password,
        )
        rehearsal.manage("load_demo")
        rehearsal.password = password
        yield rehearsal
    finally:
        rehearsal.stop()
    shutil.rmtree(rehearsal.root)  # kept when the rehearsal failed to start: its logs are there


class _Forms(HTMLParser):
    """The fields of every <form> of a page as a browser would send them: inputs, textareas' text, the selected
    options of selects (the first when none is)."""

    def __init__(self):
        super().__init__()
        self.forms, self.current, self.textarea, self.select, self.multiple = [], None, None, None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        fields = self.current["fields"] if self.current is not None else None
        if tag == "form":
            self.current = {"action": attrs.get("action") or "", "fields": {}}
            self.forms.append(self.current)
        elif fields is None or not (attrs.get("name") or tag == "option"):
            return
        elif tag == "input":
            if attrs.get("type") in ("checkbox", "radio", "submit", "file") and "checked" not in attrs:
                return
            fields[attrs["name"]] = attrs.get("value") or ""
        elif tag == "textarea":
            self.textarea = attrs["name"]
            fields[self.textarea] = ""
        elif tag == "select":
            self.select, self.multiple = attrs["name"], "multiple" in attrs
            if self.multiple:
                fields[self.select] = []
        elif tag == "option" and self.select:
            value = attrs.get("value") or ""
            if self.multiple:
                fields[self.select] += [value] if "selected" in attrs else []
            elif "selected" in attrs or self.select not in fields:
                fields[self.select] = value

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.textarea and self.current is not None:
            self.current["fields"][self.textarea] += (
                data.removeprefix("\n") if not self.current["fields"][self.textarea] else data
            )


class Visitor:
    """One person's requests, to either server. Cookies are kept by hand: they are Secure (the site is HTTPS), and
    the load balancer in front would carry them over the plain HTTP behind it."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, method: str, server, path: str, **kwargs) -> requests.Response:
        headers = {**BEHIND_LB, "Referer": f"https://127.0.0.1:{server.port}{path}", **kwargs.pop("headers", {})}
        response = requests.request(
            method,
            server.url + path,
            headers=headers,
            cookies=self.cookies,
            allow_redirects=False,
            timeout=60,
            **kwargs,
        )
        self.cookies.update(response.cookies.get_dict())
        return response

    def get(self, server, path: str) -> requests.Response:
        return self.request("GET", server, path)

    def submit(self, server, path: str, changes: dict | None = None, files=None, action: str = "") -> requests.Response:
        """GET the page, then POST its form with `changes`: the form posting to `action` if given, else to the page
        itself (not the header's sign-out or language forms)."""
        page = self.get(server, path)
        assert page.status_code == 200, (path, page.status_code)
        parser = _Forms()
        parser.feed(page.text)
        wanted = {action} if action else {"", path}
        form = next(form for form in parser.forms if form["action"] in wanted or action and action in form["action"])
        target = form["action"] or path
        return self.request("POST", server, target, data={**form["fields"], **(changes or {})}, files=files)

    def sign_in(self, server, username: str, password: str) -> None:
        response = self.submit(server, "/curation/login/", {"username": username, "password": password})
        assert response.status_code == 302, response.text[:2000]


@pytest.fixture
def curator(topology):
    visitor = Visitor()
    visitor.sign_in(topology.servers["a"], "rehearsal", topology.password)
    return visitor


def _primary_sql(topology, sql: str, *params):
    with psycopg.connect(topology.primary.url, autocommit=True) as connection:
        return connection.execute(sql, params).fetchall()


def _replica_sql(topology, sql: str, *params):
    with psycopg.connect(topology.replica.url, autocommit=True) as connection:
        return connection.execute(sql, params).fetchall()


def _source(topology, slug: str) -> tuple[int, str]:
    return _primary_sql(topology, "SELECT id, status FROM archive_source WHERE slug = %s", slug)[0]


def _wait_replayed(topology, seconds: float = 30) -> None:
    """Until the replica has applied everything the primary has committed."""
    target = _primary_sql(topology, "SELECT pg_current_wal_lsn()::text")[0][0]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done = _replica_sql(topology, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", target)[0][0]
        if done:
            return
        time.sleep(0.1)
    pytest.fail("the replica did not catch up")


def _transition(topology, curator, server, source_id: int, step: str, status: str, **fields) -> None:
    response = curator.submit(server, f"/curation/archive/source/{source_id}/workflow/{step}/", fields)
    assert response.status_code == 302, response.text[:3000]
    assert _primary_sql(topology, "SELECT status FROM archive_source WHERE id = %s", source_id)[0][0] == status


@pytest.fixture
def lagging(topology):
    _wait_replayed(topology)
    topology.lag(LAG_MS)
    yield
    topology.lag(0)
    _wait_replayed(topology)


def test_withdrawn_on_a_is_gone_from_a_and_b_at_once_while_the_replica_lags(topology, curator, lagging):
    a, b = topology.servers["a"], topology.servers["b"]
    slug = "bullitt-telegram-76-1936"
    source_id, status = _source(topology, slug)
    assert status == "published"
    page, visitor = f"/sources/{slug}/", Visitor()
    for server in (a, b, a, b):  # cached on both, in Redis
        assert visitor.get(server, page).status_code == 200

    _transition(topology, curator, a, source_id, "withdraw", "withdrawn", reason="Rehearsal: folios to be checked")

    statuses, replica_still_published = [], 0
    deadline = time.monotonic() + LAG_MS / 1000 * 1.5
    while time.monotonic() < deadline:
        replica_still_published += _replica_sql(
            topology, "SELECT count(*) FROM archive_source WHERE id = %s AND status = 'published'", source_id
        )[0][0]
        statuses += [Visitor().get(server, page).status_code for server in (a, b)]
    assert replica_still_published > 0  # the replica did lag behind the withdrawal meanwhile
    assert set(statuses) == {404}, statuses
    _wait_replayed(topology)
    assert {Visitor().get(server, page).status_code for server in (a, b)} == {404}


def test_published_on_a_is_visible_on_b_at_once_while_the_replica_lags(topology, curator, lagging):
    a, b = topology.servers["a"], topology.servers["b"]
    slug = "record-of-negotiations-1934-11-27"
    source_id, _ = _source(topology, slug)
    _transition(topology, curator, a, source_id, "withdraw", "withdrawn", reason="Rehearsal")
    _wait_replayed(topology, seconds=LAG_MS / 1000 + 30)
    assert Visitor().get(b, f"/sources/{slug}/").status_code == 404

    _transition(topology, curator, a, source_id, "publish", "published")

    assert Visitor().get(b, f"/sources/{slug}/").status_code == 200
    assert Visitor().get(a, f"/sources/{slug}/").status_code == 200


def test_a_curators_own_edit_is_visible_to_them_at_once_on_either_server(topology, curator, lagging):
    a, b = topology.servers["a"], topology.servers["b"]
    slug = "khalkhin-gol-documents-1939"
    source_id, _ = _source(topology, slug)
    change = f"/curation/archive/source/{source_id}/change/"
    title = f"Documents on the battles of Khalkhin Gol (rehearsal {secrets.token_hex(3)})"
    response = curator.submit(a, change, {"title": title, "_save": "Save"})
    assert response.status_code == 302, re.findall(r'class="errorlist[^>]*>(.*?)</ul>', response.text, re.S)
    for server in (b, a):
        assert title in curator.get(server, f"/sources/{slug}/").text
        assert title in curator.get(server, change).text


def _rows(count: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["identifier", "title", "repository"])
    writer.writerows([f"REHEARSAL-{n:03}", f"Rehearsal row {n}", "RGASPI"] for n in range(count))
    return out.getvalue().encode()


def _batch_progress(curator, server, batch: int) -> dict:
    response = curator.get(server, f"/curation/curation/importbatch/{batch}/progress.json")
    assert response.status_code == 200, response.text[:500]
    return response.json()


def _until_done(curator, server, batch: int, seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        progress = _batch_progress(curator, server, batch)
        if not progress["running"]:
            return progress
        time.sleep(0.5)
    pytest.fail(f"batch {batch} did not end: {progress}")


def test_an_import_started_on_a_runs_on_the_worker_and_is_followed_and_undone_from_b(topology, curator):
    a, b = topology.servers["a"], topology.servers["b"]
    upload = curator.submit(
        a,
        "/curation/archive/source/import/",
        {"format": "0", "resource": "0", "mode": "upsert"},
        files={"import_file": ("rehearsal.csv", _rows(50), "text/csv")},
    )
    assert upload.status_code == 302, upload.text[:3000]
    check = int(re.search(r"importbatch/(\d+)/", upload.headers["Location"]).group(1))
    assert _until_done(curator, b, check)["status"] == "previewed"  # the worker's dry run, followed from B
    confirmed = curator.submit(
        b, f"/curation/curation/importbatch/{check}/change/", action=f"/curation/curation/importbatch/{check}/confirm/"
    )
    assert confirmed.status_code == 302, confirmed.text[:3000]
    batch = int(re.search(r"importbatch/(\d+)/", confirmed.headers["Location"]).group(1))
    assert batch != check
    assert _until_done(curator, b, batch)["status"] == "succeeded"
    assert (
        _primary_sql(topology, "SELECT count(*) FROM archive_source WHERE identifier LIKE 'REHEARSAL-%%'")[0][0] == 50
    )

    undone = curator.submit(b, f"/curation/curation/importbatch/{batch}/undo/", {})
    assert undone.status_code == 302, undone.text[:3000]
    assert _primary_sql(topology, "SELECT count(*) FROM archive_source WHERE identifier LIKE 'REHEARSAL-%%'")[0][0] == 0


def test_with_the_replica_stopped_pages_come_from_the_primary_and_healthz_names_it(topology):
    a, b = topology.servers["a"], topology.servers["b"]
    topology.replica.stop()
    try:
        for server in (a, b):
            assert Visitor().get(server, "/sources/").status_code == 200
            assert Visitor().get(server, "/sources/?page=2&fresh=1").status_code == 200  # not cached: read now
            health = requests.get(server.url + "/healthz", timeout=30)
            assert health.status_code == 200
            assert health.json() == {"status": "degraded", "databases": {"default": "ok", "replica": "unavailable"}}
    finally:
        topology.replica.start()
    _wait_replayed(topology)
    assert requests.get(a.url + "/healthz", timeout=30).json()["status"] == "ok"


def test_with_one_app_server_killed_mid_run_the_other_answers_and_the_dead_ones_healthz_fails(topology):
    """A third server of its own, so the other tests keep both of theirs whatever order they run in."""
    b, doomed = topology.servers["b"], topology.start_app_server("c")
    visitor = Visitor()
    assert visitor.get(doomed, "/sources/").status_code == 200
    topology.kill(doomed)
    with pytest.raises(requests.ConnectionError):
        requests.get(doomed.url + "/healthz", timeout=10)
    assert requests.get(b.url + "/healthz", timeout=30).status_code == 200
    assert visitor.get(b, "/sources/").status_code == 200
