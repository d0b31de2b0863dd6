"""The site under gunicorn and load from wrk, shared by the HTTP benchmarks (bench.throughput, bench.traffic).

start_gunicorn() serves the repository's gunicorn.conf.py with bench.settings (the production settings plus the
floor view at /bench/floor/); wrk() loads it and returns requests per second, latency percentiles (p50, p95, p99:
wrk's own --latency report has no p95, so a Lua done() reports them) and the errors, counting as an error every
response that is not a 2xx and every socket error. Needs Debian's wrk (apt-get install -y wrk).
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THREADS = 2

# @PATHS@ and friends are filled in by wrk_script(); paths are walked at random or in the file's order, each
# thread taking every THREADS-th line from its own offset so that together they walk the list's prefix.
LUA = """
local paths = {}
if "@PATHS@" ~= "" then
  for line in io.lines("@PATHS@") do paths[#paths + 1] = line end
end
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  bad, hits, position = 0, 0, id + 1
  math.randomseed(@SEED@ + id)
end

function request()
  if #paths == 0 then return wrk.request() end
  local path
  if "@ORDER@" == "sequence" then
    path = paths[position]
    position = position + @THREADS@
    if position > #paths then position = position - #paths end
  else
    path = paths[math.random(#paths)]
  end
  return wrk.format("GET", path)
end

function response(status, headers, body)
  if status < 200 or status > 299 then bad = bad + 1 end
  if headers["X-Opis-Cache"] == "hit" then hits = hits + 1 end
end

function done(summary, latency, requests)
  local non2xx, cached = 0, 0
  for _, thread in ipairs(threads) do
    non2xx = non2xx + thread:get("bad")
    cached = cached + thread:get("hits")
  end
  local e = summary.errors
  io.write(string.format(
    'WRK-RESULT {"requests": %d, "duration_us": %d, "non2xx": %d, "hits": %d, "socket": %d, ' ..
    '"p50": %.0f, "p95": %.0f, "p99": %.0f, "max": %.0f}\\n',
    summary.requests, summary.duration, non2xx, cached, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def local_redis() -> str | None:
    """The shared cache of a real deployment, if this machine runs Redis (a database of its own for bench)."""
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return None
    return "redis://127.0.0.1:6379/3"


def flush_redis(url: str | None) -> None:
    """Empty the bench's own Redis database: the page cache starts cold."""
    if url:
        import redis

        redis.Redis.from_url(url).flushdb()


def require_wrk() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("bench: wrk is missing: apt-get install -y wrk")


def collectstatic() -> None:
    """The manifest the production static storage needs before gunicorn serves a page."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0", "--settings", "bench.settings"],
        cwd=ROOT,
        check=True,
    )


def server_env(*, page_cache_seconds: int, redis_url: str | None) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "GUNICORN_ACCESS_LOG": "",
        "PUBLIC_CACHE_SECONDS": str(page_cache_seconds),
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def workers_label() -> str:
    return os.environ.get("WEB_CONCURRENCY", f"{(os.cpu_count() or 1) * 2 + 1} (gunicorn.conf.py default)")


def start_gunicorn(port: int, env: dict[str, str]) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "archive.wsgi",
        "--config",
        str(ROOT / "gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{port}",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.5)
    stop(process)
    raise SystemExit("bench: gunicorn did not answer /healthz within 60 s")


def settle(port: int, *, within: float = 0.5, limit: float = 60.0) -> None:
    """Wait until the server has worked off what the last run left queued (wrk leaves up to one request per
    connection, which the workers still serve): /healthz answers within `within` seconds, or `limit` passed."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=limit):
                pass
        except OSError:
            pass
        if time.monotonic() - started < within:
            return


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def write_paths(paths: list[str]) -> str:
    """A file of one path a line, for wrk's script; the caller removes it."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(paths) + "\n")
    return f.name


def wrk_start(
    url: str, seconds: int, connections: int, *, paths_file: str = "", order: str = "random", seed: int = 1934
) -> subprocess.Popen:
    """wrk running in the background; wrk_result() waits for it (or stops it early with SIGINT: wrk then
    reports what it measured so far)."""
    script = LUA
    for key, value in {"PATHS": paths_file, "ORDER": order, "SEED": str(seed), "THREADS": str(THREADS)}.items():
        script = script.replace(f"@{key}@", value)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    # A 10 s client timeout (wrk's default is 2 s): a load balancer waits longer than that before giving up.
    command = ["wrk", f"-t{THREADS}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", f.name, url]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    process.script = f.name
    return process


def wrk_result(process: subprocess.Popen, *, interrupt: bool = False) -> dict:
    """The figures of a wrk_start() run: rps, requests, p50/p95/p99/max in ms, errors (non-2xx + socket), hits
    (responses the public page cache answered)."""
    if interrupt:
        process.send_signal(signal.SIGINT)
    output, errors = process.communicate()
    os.unlink(process.script)
    line = next((line for line in output.splitlines() if line.startswith("WRK-RESULT ")), None)
    if process.returncode or line is None:
        raise SystemExit(f"bench: wrk failed ({process.returncode}):\n{output[-2000:]}\n{errors[-2000:]}")
    figures = json.loads(line.removeprefix("WRK-RESULT "))
    seconds = figures["duration_us"] / 1e6
    return {
        **figures,
        **{key: figures[key] / 1000 for key in ("p50", "p95", "p99", "max")},
        "seconds": seconds,
        "rps": figures["requests"] / seconds if seconds else 0.0,
        "errors": figures["non2xx"] + figures["socket"],
    }


def wrk(url: str, seconds: int, connections: int, **options) -> dict:
    """Load `url` (or, with paths_file, the paths it lists on that host) for `seconds`; see wrk_result()."""
    return wrk_result(wrk_start(url, seconds, connections, **options))


def warm_up(base: str, paths: list[str]) -> dict[int, int]:
    """Request every page once, four at a time; returns how many answered with each status."""

    def fetch(path: str) -> int:
        try:
            with urllib.request.urlopen(base + path, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(4) as pool:
        return dict(Counter(pool.map(fetch, paths)))
