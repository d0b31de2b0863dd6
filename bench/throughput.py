"""Requests per second of the source detail page under gunicorn and wrk, next to Django's floor.

    .venv/bin/python -m bench.throughput [--duration 30] [--connections 32] [--page-cache on|off|both]

Starts gunicorn with the repository's gunicorn.conf.py and bench.settings (the production settings plus a
minimal view at /bench/floor/), waits for /healthz, then runs wrk against the floor and against source detail
pages picked at random among published sources, in the same run, and reports both with the ratio. Any
non-2xx response or socket error is a failure. Needs Debian's wrk (apt-get install -y wrk).

Twice by default: with the page cache off (every request renders: for comparison) and on, as deployed, after
one unmeasured request to each page (the cache then holds them until the next change to a record). The 40 %
budget applies to the deployed configuration. Redis at 127.0.0.1:6379 (database 3) is used when present.
"""

import argparse
import os
import re
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
FLOOR_SHARE = 0.40

LUA = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
math.randomseed(1934)
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
"""


def local_redis() -> str | None:
    """The shared cache of a real deployment, if this machine runs Redis (a database of its own for bench)."""
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return None
    return "redis://127.0.0.1:6379/3"


def published_paths(limit: int) -> list[str]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from archive.models import Source

    slugs = Source.objects.published().order_by("?").values_list("slug", flat=True)[:limit]
    return [f"/sources/{slug}/" for slug in slugs]


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


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def wrk(url: str, seconds: int, connections: int, script: str | None = None) -> dict:
    # A 10 s client timeout (wrk's default is 2 s): a load balancer waits longer than that before giving up.
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if script:
        command += ["-s", script]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    total = int(re.search(r"(\d+) requests in", output).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    p50 = re.search(r"50%\s+([\d.]+\w+)", output)
    p99 = re.search(r"99%\s+([\d.]+\w+)", output)
    return {
        "rps": rps,
        "requests": total,
        "errors": (int(non2xx.group(1)) if non2xx else 0)
        + (sum(map(int, socket_errors.groups())) if socket_errors else 0),
        "p50": p50.group(1) if p50 else "?",
        "p99": p99.group(1) if p99 else "?",
    }


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


def run(page_cache: bool, args, paths_file: str, paths: list[str]) -> bool:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "GUNICORN_ACCESS_LOG": "",
        "PUBLIC_CACHE_SECONDS": "300" if page_cache else "0",
    }
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
        import redis

        redis.Redis.from_url(args.redis_url).flushdb()  # bench's own database: start from an empty cache
    process = start_gunicorn(args.port, env)
    try:
        base = f"http://127.0.0.1:{args.port}"
        if page_cache:  # the cache as it is in service: every page rendered once, then served until a change
            started = time.monotonic()
            statuses = warm_up(base, paths)
            print(f"(warm-up, not measured: {len(paths)} pages in {time.monotonic() - started:.0f} s, {statuses})")
        floor = wrk(f"{base}/bench/floor/", args.duration, args.connections)
        detail = wrk(base, args.duration, args.connections, script=paths_file)
    finally:
        stop(process)
    share = detail["rps"] / floor["rps"]
    no_errors = floor["errors"] == 0 and detail["errors"] == 0
    label = "page cache on " if page_cache else "page cache off"
    for name, result in (("floor (minimal view)", floor), ("source-detail (random)", detail)):
        print(
            f"{label}  {name:<24} {result['rps']:>9.1f} req/s  {result['requests']:>8} requests  "
            f"p50 {result['p50']:>8}  p99 {result['p99']:>8}  errors {result['errors']}"
        )
    if page_cache:  # the budget applies to the site as deployed, with its page cache
        ok = share >= FLOOR_SHARE and no_errors
        verdict = "PASS" if ok else "FAIL"
    else:  # every request rendered: reported for comparison, errors still fail
        ok = no_errors
        verdict = "(uncached, for comparison)" + ("" if ok else " FAIL: errors")
    print(f"{label}  source-detail / floor = {share:.0%} (budget >= {FLOOR_SHARE:.0%})  {verdict}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--pages", type=int, default=200, help="distinct source pages to pick from at random")
    parser.add_argument("--page-cache", choices=["on", "off", "both"], default="both")
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL") or local_redis())
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("bench: wrk is missing: apt-get install -y wrk")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0", "--settings", "bench.settings"],
        cwd=ROOT,
        check=True,
    )
    workers = os.environ.get("WEB_CONCURRENCY", f"{(os.cpu_count() or 1) * 2 + 1} (gunicorn.conf.py default)")
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"# bench.throughput  command: python -m bench.throughput {' '.join(argv or sys.argv[1:])}  load {load}")
    print(
        f"# gunicorn sync workers: {workers}; wrk -t2 -c{args.connections} -d{args.duration}s on the same "
        f"{os.cpu_count()}-core machine; cache: {'Redis ' + args.redis_url if args.redis_url else 'per-process memory'}"
    )
    pages = published_paths(args.pages)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as paths:
        paths.write("\n".join(pages) + "\n")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % paths.name)
    modes = {"on": [True], "off": [False], "both": [False, True]}[args.page_cache]
    results = [run(mode, args, script.name, pages) for mode in modes]
    os.unlink(paths.name)
    os.unlink(script.name)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
