"""Requests per second of the source detail page under gunicorn and wrk, next to Django's floor.

    .venv/bin/python -m bench.throughput [--duration 30] [--connections 32] [--page-cache on|off|both]

Starts gunicorn with the repository's gunicorn.conf.py and bench.settings (the production settings plus a
minimal view at /bench/floor/), waits for /healthz, then runs wrk against the floor and against source detail
pages picked at random among published sources, in the same run, and reports both with the ratio. Any
non-2xx response or socket error is a failure. Needs Debian's wrk (apt-get install -y wrk).
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
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
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script:
        command += ["-s", script]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    total = int(re.search(r"(\d+) requests in", output).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    p50 = re.search(r"50%\s+([\d.]+\w+)", output)
    p99 = re.search(r"99%\s+([\d.]+\w+)", output)
    return {
        "rps": rps,
        "requests": total,
        "errors": (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, socket.groups())) if socket else 0),
        "p50": p50.group(1) if p50 else "?",
        "p99": p99.group(1) if p99 else "?",
    }


def run(page_cache: bool, args, paths_file: str) -> bool:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "GUNICORN_ACCESS_LOG": "",
        "PUBLIC_CACHE_SECONDS": "300" if page_cache else "0",
    }
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    process = start_gunicorn(args.port, env)
    try:
        base = f"http://127.0.0.1:{args.port}"
        floor = wrk(f"{base}/bench/floor/", args.duration, args.connections)
        detail = wrk(base, args.duration, args.connections, script=paths_file)
    finally:
        stop(process)
    share = detail["rps"] / floor["rps"]
    ok = share >= FLOOR_SHARE and floor["errors"] == 0 and detail["errors"] == 0
    label = "page cache on " if page_cache else "page cache off"
    for name, result in (("floor (minimal view)", floor), ("source-detail (random)", detail)):
        print(
            f"{label}  {name:<24} {result['rps']:>9.1f} req/s  {result['requests']:>8} requests  "
            f"p50 {result['p50']:>8}  p99 {result['p99']:>8}  errors {result['errors']}"
        )
    print(f"{label}  source-detail / floor = {share:.0%} (budget >= {FLOOR_SHARE:.0%})  {'PASS' if ok else 'FAIL'}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--pages", type=int, default=2000, help="distinct source pages to pick from")
    parser.add_argument("--page-cache", choices=["on", "off", "both"], default="both")
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL"))
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("bench: wrk is missing: apt-get install -y wrk")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0", "--settings", "bench.settings"],
        cwd=ROOT,
        check=True,
    )
    workers = os.environ.get("WEB_CONCURRENCY", f"{(os.cpu_count() or 1) * 2 + 1} (gunicorn.conf.py default)")
    print(f"# bench.throughput  command: python -m bench.throughput {' '.join(argv or sys.argv[1:])}")
    print(
        f"# gunicorn sync workers: {workers}; wrk -t2 -c{args.connections} -d{args.duration}s on the same "
        f"{os.cpu_count()}-core machine; cache: {'Redis ' + args.redis_url if args.redis_url else 'per-process memory'}"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as paths:
        paths.write("\n".join(published_paths(args.pages)) + "\n")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % paths.name)
    modes = {"on": [True], "off": [False], "both": [False, True]}[args.page_cache]
    results = [run(mode, args, script.name) for mode in modes]
    os.unlink(paths.name)
    os.unlink(script.name)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
