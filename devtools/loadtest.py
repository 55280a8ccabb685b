#!/usr/bin/env python3
"""A bounded load run against `make serve` on PostgreSQL (`make loadtest`; docs/deploy.md).

1. Recreates a PostgreSQL database of its own (never `test` or `postgres`), migrates it and
   loads the demo city with the production settings.
2. Starts `make serve` on 127.0.0.1:PORT (gunicorn, production settings, warmed at boot) and
   waits for /readyz.
3. Loads each page in turn for DURATION seconds at CONNECTIONS connections: a trivial view
   (/healthz/ping, same server and middleware), home, a listing, the search page and the API.
   wrk when installed, else a Python (asyncio) load generator; the report says which.
4. Reads each worker's memory (PSS from /proc/<pid>/smaps_rollup), then does the same with
   preload off (--compare-preload, the default) to show what preloading shares.
5. Prints a table and writes a JSON report under RESULTS_DIR; stops everything it started.

Only 127.0.0.1 is ever loaded. The run is bounded: about DURATION × 5 seconds of load plus
setup (about a minute).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Where reports go: one variable, so the benchmarks can move without touching the rest.
RESULTS_DIR = ROOT / "devtools" / "bench" / "results"
PYTHON = ROOT / ".venv" / "bin" / "python"

SEARCH_QUERY = "子ども食堂"
REFUSED_DATABASES = {"test", "postgres", "template0", "template1"}
TARGETS = {
    "errors": "0 errors at the given connections on every page",
    "search_vs_trivial_rps": "search page ≥ 0.5 × the trivial view's req/s",
    "api_p99_vs_trivial_p99": "API p99 ≤ 3 × the trivial view's p99",
}


def log(message: str) -> None:
    print(f"[loadtest {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- database ---------------------------------------------------------------------------------


def recreate_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or name in REFUSED_DATABASES:
        raise SystemExit(f"refusing to recreate the database {name!r}: give one of its own")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict[str, str], *args: str) -> None:
    log("manage.py " + " ".join(args))
    subprocess.run(
        [str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


# --- server -----------------------------------------------------------------------------------


class Server:
    """`make serve` in its own process group, stopped (group and all) on exit."""

    def __init__(self, env: dict[str, str], port: int, *, preload: bool, log_path: Path):
        self.url = f"http://127.0.0.1:{port}"
        self.env = {**env, "GUNICORN_PRELOAD": "1" if preload else "0"}
        self.port = port
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        self.log_file = self.log_path.open("w")
        self.process = subprocess.Popen(
            ["make", "--no-print-directory", "serve", "HOST=127.0.0.1", f"PORT={self.port}"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"make serve exited; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.url + "/readyz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                pass
            time.sleep(0.5)
        self.stop()
        raise SystemExit(f"the server was not ready within 180 s; see {self.log_path}")

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log_file.close()

    def worker_pids(self) -> list[int]:
        master = _gunicorn_master(self.process.pid)
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        return [int(pid) for pid in children]


def _gunicorn_master(make_pid: int) -> int:
    # make runs the recipe's shell, which execs gunicorn: find gunicorn under make.
    pids = [make_pid]
    while pids:
        pid = pids.pop()
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if "gunicorn" in cmdline:
            return pid
        pids += [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    raise RuntimeError("no gunicorn master under make serve")


def memory_of(pid: int) -> dict[str, float]:
    """PSS, RSS and private/shared memory of a process in MB (smaps_rollup)."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0]) / 1024
    private = fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)
    shared = fields.get("Shared_Clean", 0) + fields.get("Shared_Dirty", 0)
    return {
        "pss_mb": round(fields["Pss"], 1),
        "rss_mb": round(fields["Rss"], 1),
        "private_mb": round(private, 1),
        "shared_mb": round(shared, 1),
    }


def sudachi_mapping(pid: int) -> dict[str, float] | None:
    """How the Sudachi dictionary file is mapped in a process (MB), if it is."""
    text = Path(f"/proc/{pid}/smaps").read_text()
    found = None
    for block in re.split(r"\n(?=[0-9a-f]+-[0-9a-f]+ )", text):
        header = block.split("\n", 1)[0]
        if header.endswith("system.dic") or ("sudachidict" in header and ".dic" in header):
            values = dict(re.findall(r"^(\w+):\s+(\d+) kB", block, re.M))
            found = found or {"rss_mb": 0.0, "pss_mb": 0.0, "shared_mb": 0.0}
            found["rss_mb"] += int(values.get("Rss", 0)) / 1024
            found["pss_mb"] += int(values.get("Pss", 0)) / 1024
            found["shared_mb"] += (
                int(values.get("Shared_Clean", 0)) + int(values.get("Shared_Dirty", 0))
            ) / 1024
    return {k: round(v, 1) for k, v in found.items()} if found else None


def worker_memory(server: Server) -> dict:
    workers = []
    for pid in server.worker_pids():
        workers.append({"pid": pid, **memory_of(pid), "sudachi_dictionary": sudachi_mapping(pid)})
    pss = [w["pss_mb"] for w in workers]
    return {
        "workers": workers,
        "pss_mb_mean": round(statistics.mean(pss), 1),
        "pss_mb_total": round(sum(pss), 1),
    }


# --- load generators --------------------------------------------------------------------------


# Every request a different URL (a parameter the pages ignore): none is served from the
# response cache, which shows what a page costs to build.
UNIQUE_LUA = """
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, wrk.path .. "&nocache=" .. id .. "-" .. counter)
end
"""


def run_wrk(url: str, *, connections: int, duration: int, threads: int, unique: bool) -> dict:
    script = []
    if unique:
        lua = RESULTS_DIR / ".loadtest-unique.lua"
        lua.write_text(UNIQUE_LUA)
        script = ["-s", str(lua)]
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            "--timeout",
            "10s",
            *script,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if unique:
        lua.unlink(missing_ok=True)

    def ms(text: str) -> float:
        number, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
        return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    percent = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    socket_errors = sum(int(n) for n in socket.groups()) if socket else 0
    return {
        "requests": requests,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": round(ms(percent["50"]), 2),
        "p99_ms": round(ms(percent["99"]), 2),
        "non_2xx": non_2xx,
        "socket_errors": socket_errors,
        "errors": non_2xx + socket_errors,
    }


async def _python_load(url: str, connections: int, duration: int, unique: bool) -> dict:
    parts = urllib.parse.urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    sent = iter(range(10**12))

    def request() -> bytes:
        path = f"{target}&nocache={next(sent)}" if unique else target
        return (
            f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            "Accept: text/html,application/json\r\n\r\n"
        ).encode()

    latencies: list[float] = []
    errors = {"non_2xx": 0, "socket_errors": 0}
    deadline = time.monotonic() + duration

    async def one_connection() -> None:
        reader = writer = None
        while time.monotonic() < deadline:
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
                started = time.perf_counter()
                writer.write(request())
                status_line = await reader.readline()
                status = int(status_line.split()[1])
                length, chunked, close = 0, False, False
                while (line := await reader.readline()) not in (b"\r\n", b""):
                    name, _, value = line.decode("latin-1").partition(":")
                    name, value = name.strip().lower(), value.strip().lower()
                    if name == "content-length":
                        length = int(value)
                    elif name == "transfer-encoding" and "chunked" in value:
                        chunked = True
                    elif name == "connection" and value == "close":
                        close = True
                if chunked:
                    while size := int((await reader.readline()).strip() or b"0", 16):
                        await reader.readexactly(size + 2)
                    await reader.readline()
                else:
                    await reader.readexactly(length)
                latencies.append(time.perf_counter() - started)
                if not 200 <= status < 400:
                    errors["non_2xx"] += 1
                if close:
                    writer.close()
                    writer = None
            except (OSError, ValueError, IndexError, asyncio.IncompleteReadError):
                errors["socket_errors"] += 1
                if writer is not None:
                    writer.close()
                writer = None

    started = time.monotonic()
    await asyncio.gather(*(one_connection() for _ in range(connections)))
    elapsed = time.monotonic() - started
    latencies.sort()

    def percentile(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 2)

    return {
        "requests": len(latencies),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": percentile(0.50) if latencies else None,
        "p99_ms": percentile(0.99) if latencies else None,
        **errors,
        "errors": errors["non_2xx"] + errors["socket_errors"],
    }


def run_python(url: str, *, connections: int, duration: int, threads: int, unique: bool) -> dict:
    return asyncio.run(_python_load(url, connections, duration, unique))


# --- the run ----------------------------------------------------------------------------------


def endpoints(base: str) -> list[tuple[str, str]]:
    query = urllib.parse.quote(SEARCH_QUERY)
    with urllib.request.urlopen(f"{base}/api/v1/listings/?page_size=1&sort=relevance") as answer:
        listing = urllib.parse.urlsplit(json.load(answer)["results"][0]["url"]).path
    return [
        ("trivial", "/healthz/ping"),
        ("home", "/"),
        ("listing", listing),
        ("search", f"/search/?q={query}"),
        ("api", f"/api/v1/listings/?q={query}"),
        # The same search, every request a different URL: never from the response cache.
        ("search_uncached", f"/search/?q={query}"),
        ("api_uncached", f"/api/v1/listings/?q={query}"),
    ]


UNIQUE_PAGES = {"search_uncached", "api_uncached"}


def warm(url: str, times: int = 20) -> None:
    for _ in range(times):
        with urllib.request.urlopen(url) as response:
            response.read()


def judge(results: dict, connections: int) -> dict:
    """The targets, met or not, on this run's numbers (ratios within one run: the machine is
    shared, so absolute numbers vary from run to run). The targets are judged on the pages as
    residents get them (a repeated search served from the response cache); the same ratios
    for searches that always miss the cache are given beside them, not judged."""
    trivial, search, api = results["trivial"], results["search"], results["api"]
    ratios = {
        "search_vs_trivial_rps": round(search["rps"] / trivial["rps"], 3),
        "api_p99_vs_trivial_p99": round(api["p99_ms"] / trivial["p99_ms"], 2),
    }
    met = {
        "errors": all(r["errors"] == 0 for r in results.values()),
        "search_vs_trivial_rps": ratios["search_vs_trivial_rps"] >= 0.5,
        "api_p99_vs_trivial_p99": ratios["api_p99_vs_trivial_p99"] <= 3,
    }
    uncached = {}
    if "search_uncached" in results:
        uncached["search_vs_trivial_rps"] = round(
            results["search_uncached"]["rps"] / trivial["rps"], 3
        )
    if "api_uncached" in results:
        uncached["api_p99_vs_trivial_p99"] = round(
            results["api_uncached"]["p99_ms"] / trivial["p99_ms"], 2
        )
    return {
        "connections": connections,
        "ratios": ratios,
        "met": met,
        "targets": TARGETS,
        "uncached_ratios": uncached,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ibasho_loadtest"
        ),
    )
    parser.add_argument("--port", type=int, default=8350)
    parser.add_argument("--duration", type=int, default=10, help="seconds per page")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=None, help="default: the server's own")
    parser.add_argument(
        "--server-threads",
        type=int,
        default=None,
        help="threads per worker (default: the server's own)",
    )
    parser.add_argument("--generator", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--no-compare-preload", dest="compare_preload", action="store_false")
    parser.add_argument(
        "--compare-threads",
        type=int,
        default=0,
        help="then load the same pages with this many threads per worker (report: "
        "threads_comparison)",
    )
    args = parser.parse_args()

    generator = args.generator
    if generator == "auto":
        generator = "wrk" if shutil.which("wrk") else "python"
    load = run_wrk if generator == "wrk" else run_python
    log(
        f"load generator: {generator}"
        + ("" if generator == "wrk" else " (wrk not installed: apt-get install wrk)")
    )

    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
    }
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    if args.server_threads:
        env["GUNICORN_THREADS"] = str(args.server_threads)

    started = time.monotonic()
    log(f"recreating {args.database_url}")
    recreate_database(args.database_url)
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    manage(env, "rebuild_search_index")

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    server_log = RESULTS_DIR / f".loadtest-server-{stamp}.log"
    with Server(env, args.port, preload=True, log_path=server_log) as server:
        pages = endpoints(server.url)
        results = load_pages(server, pages, load, args)
        memory = {"preload": worker_memory(server)}
        config = _server_config(server)
    threads_comparison = None
    if args.compare_threads:
        log(f"the same pages with {args.compare_threads} thread(s) per worker")
        other = {**env, "GUNICORN_THREADS": str(args.compare_threads)}
        with Server(other, args.port, preload=True, log_path=server_log) as server:
            other_results = load_pages(server, pages, load, args)
            threads_comparison = {
                "server": _server_config(server),
                "pages": other_results,
                **judge(other_results, args.connections),
            }
    if args.compare_preload:
        log("preload off: the same workers, each warmed on its own")
        with Server(env, args.port, preload=False, log_path=server_log) as server:
            for _name, path in pages:
                load(server.url + path, connections=8, duration=2, threads=2, unique=False)
            memory["no_preload"] = worker_memory(server)
    server_log.unlink(missing_ok=True)

    verdict = judge(results, args.connections)
    report = {
        "generated": stamp,
        "kind": "loadtest",
        "generator": generator if generator == "python" else _wrk_version(),
        "machine": {"cores": len(os.sched_getaffinity(0)), "python": sys.version.split()[0]},
        "database": "postgresql",
        "server": config,
        "duration_s_per_page": args.duration,
        "pages": results,
        **verdict,
        "memory": memory,
        "threads_comparison": threads_comparison,
        "wall_seconds": round(time.monotonic() - started, 1),
    }
    path = RESULTS_DIR / f"loadtest-{stamp}.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    (RESULTS_DIR / "loadtest-latest.json").write_text(path.read_text())
    print_summary(report, path)
    return 0


def load_pages(server: Server, pages: list[tuple[str, str]], load, args) -> dict[str, dict]:
    results: dict[str, dict] = {}
    for name, path in pages:
        url = server.url + path
        warm(url)
        log(f"{name}: {path} for {args.duration} s at {args.connections} connections")
        unique = name in UNIQUE_PAGES
        results[name] = {
            "path": path + ("&nocache=<unique>" if unique else ""),
            **load(
                url,
                connections=args.connections,
                duration=args.duration,
                threads=2,
                unique=unique,
            ),
        }
    return results


def _server_config(server: Server) -> dict:
    env = server.env
    workers = len(server.worker_pids())
    return {
        "command": "make serve (gunicorn -c portal/gunicorn_conf.py)",
        "workers": workers,
        "threads": int(env.get("GUNICORN_THREADS", "4")),
        "worker_class": "gthread",
        "preload": True,
        "db_conn_max_age": int(env.get("DB_CONN_MAX_AGE", "60")),
        "cache": "redis" if env.get("REDIS_URL") else "local-memory (per process)",
        "response_cache_seconds": int(env.get("RESPONSE_CACHE_SECONDS", "60") or "0"),
    }


def _wrk_version() -> str:
    run = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    return "wrk " + (run.stdout or run.stderr).split()[1]


def print_summary(report: dict, path: Path) -> None:
    print()
    print(f"{'page':<16} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9} {'errors':>7}  path")
    for name, r in report["pages"].items():
        print(
            f"{name:<16} {r['rps']:>9.1f} {r['p50_ms']:>9.2f} {r['p99_ms']:>9.2f} "
            f"{r['errors']:>7}  {r['path']}"
        )
    print()
    for key, value in report["ratios"].items():
        print(f"{key}: {value}  ({'met' if report['met'][key] else 'NOT met'}: {TARGETS[key]})")
    for key, value in report.get("uncached_ratios", {}).items():
        print(f"{key} when never served from the response cache: {value} (not judged)")
    print(f"errors: {'met' if report['met']['errors'] else 'NOT met'}")
    if report.get("threads_comparison"):
        other = report["threads_comparison"]
        print(f"\nwith {other['server']['threads']} thread(s) per worker:")
        for name, r in other["pages"].items():
            print(
                f"{name:<16} {r['rps']:>9.1f} {r['p50_ms']:>9.2f} {r['p99_ms']:>9.2f} "
                f"{r['errors']:>7}"
            )
        print(f"ratios: {other['ratios']}  met: {other['met']}")
    for mode, memory in report["memory"].items():
        print(
            f"memory ({mode}): PSS per worker {memory['pss_mb_mean']} MB "
            f"(total {memory['pss_mb_total']} MB for {len(memory['workers'])} workers)"
        )
    print(
        f"report: {path.relative_to(ROOT)} ({report['wall_seconds']} s in all, "
        f"generator {report['generator']})"
    )


if __name__ == "__main__":
    sys.exit(main())
