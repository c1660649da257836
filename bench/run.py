"""`make bench`: how fast the public site answers at national scale and at ten times that.

What it needs: PostgreSQL on 127.0.0.1:5432 (user postgres, trust authentication) and Redis on
127.0.0.1:6379, both local; two or more cores; about ten minutes, with nothing else heavy
running (timings are shared with whatever else runs). It drops and re-creates its own
databases (and leaves them, to look into afterwards) and uses one Redis database of its own:

- `BENCH_DATABASE_URL` (default postgres://postgres@127.0.0.1:5432/rentai_bench): the
  server and the name each scale's database starts with (rentai_bench_national, …);
- `BENCH_REDIS_URL` (default redis://127.0.0.1:6379/13): flushed before and after use;
- `BENCH_QUICK=1` (or `--quick`): a smoke run with tiny data and one second per address,
  which also checks every row with full_clean(); results go to bench/results/quick.json.

For each scale — national (40 areas × 10 partners, 50 projects per vision) and ten times
(400 areas, plus one area of 800 partners) — it re-creates the database, migrates it, fills
it with bench.data, and starts the production server exactly as users do (`make serve`,
gunicorn with 2 workers, DEBUG off), twice, one after the other: cold, without server-side
page cache (PAGE_CACHE_SECONDS=0), and warm, with the Redis page cache (each address
requested once first). On each it checks that every address answers 200, then loads each
with 8 concurrent clients for a few seconds (bench.load) and compares it with /robots.txt,
the lightest view, measured in the same run. Before that, bench.inprocess requests each
address once at a time in process, counting its SQL queries (which, unlike timings, do not
depend on what else the machine runs); on the ten-times database it also measures two admin
pages that way. It prints one table per scale and writes the numbers to
bench/results/latest.json.
"""

import argparse
import contextlib
import datetime
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis
from psycopg import sql

from bench.load import fetch, measure

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/rentai_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"
SECRET_KEY = "bench-secret-key-not-for-production-q8Vf3kZr1xNw7TbLm2YcHs9GdJp4AeUo6RiK0"
CLIENTS = 8
# Settings of the environment that would change what is measured; the servers get their own.
CLEARED_VARIABLES = (
    "DEBUG",
    "DATABASE_URL",
    "REDIS_URL",
    "PAGE_CACHE_SECONDS",
    "PUBLIC_CACHE_SECONDS",
    "CONN_MAX_AGE",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SECURE_COOKIES",
    "SECURE_PROXY_SSL_HEADER",
    "WEB_CONCURRENCY",
    "HOST",
    "PORT",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "LOG_LEVEL",
    "CACHE_KEY_PREFIX",
)


@dataclass(frozen=True)
class Scale:
    key: str
    title: str
    areas: int
    partners: int
    projects: int
    big_area_partners: int = 0

    def data_arguments(self) -> list[str]:
        return [
            f"--areas={self.areas}",
            f"--partners={self.partners}",
            f"--projects={self.projects}",
            f"--big-area-partners={self.big_area_partners}",
        ]


FULL = (
    Scale("national", "National: 40 areas × 10 partners, 50 projects per vision", 40, 10, 50),
    Scale(
        "ten_times",
        "Ten times: 400 areas × 10 partners, 50 projects, plus one area of 800 partners",
        400,
        10,
        50,
        800,
    ),
)
QUICK = (
    Scale("national", "Quick national: 3 areas × 3 partners, 5 projects", 3, 3, 5),
    Scale("ten_times", "Quick ten times: the same plus one area of 30 partners", 3, 3, 5, 30),
)
# The cold server has no server-side page cache; the warm one shares Redis between workers.
MODES = ("cold", "warm")
COMPARED = ("/", "/areas.csv", "/areas.json")


class BenchError(Exception):
    """Something the benchmark cannot go on from: a page that does not answer 200, a server
    that does not start, a database or Redis that cannot be reached."""


def _database_url(base: str, scale: Scale, quick: bool) -> str:
    parts = urlsplit(base)
    name = parts.path.lstrip("/") or "rentai_bench"
    name = f"{name}_{scale.key}" + ("_quick" if quick else "")
    return urlunsplit(parts._replace(path=f"/{name}"))


def _maintenance_conninfo(database_url: str) -> tuple[str, str]:
    """(connection string of the server's `postgres` database, name of the bench database)."""
    parts = urlsplit(database_url)
    maintenance = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    return maintenance, parts.path.lstrip("/")


def recreate_database(database_url: str) -> None:
    maintenance, name = _maintenance_conninfo(database_url)
    try:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as error:
        raise BenchError(f"PostgreSQL ({maintenance}): {error}") from error


def flush_redis(redis_url: str) -> None:
    try:
        redis.Redis.from_url(redis_url).flushdb()
    except redis.RedisError as error:
        raise BenchError(f"Redis ({redis_url}): {error}") from error


def base_environment(database_url: str, work: Path) -> dict[str, str]:
    """Production settings (DEBUG off) for plain HTTP on 127.0.0.1, as README "Running in
    production" and .env.example describe them."""
    env = {k: v for k, v in os.environ.items() if k not in CLEARED_VARIABLES}
    env.update(
        SECRET_KEY=SECRET_KEY,
        DATABASE_URL=database_url,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        # Plain HTTP with no proxy in front: no redirect to HTTPS, cookies not HTTPS-only.
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        HOST="127.0.0.1",
        WEB_CONCURRENCY="2",
        STATIC_ROOT=str(work / "static"),
        MEDIA_ROOT=str(work / "media"),
        CACHE_KEY_PREFIX="rentai-bench",
        # Eight clients from one address: the API's limit per address would answer 429.
        API_RATE_LIMIT="1000000/minute",
        PYTHONUNBUFFERED="1",
    )
    return env


def run_step(title: str, command: list[str], env: dict[str, str], *, capture=False) -> str:
    """Run a command in the project folder; stop the benchmark if it fails."""
    started = time.perf_counter()
    print(f"  {title} …", flush=True)
    result = subprocess.run(
        command,
        cwd=ROOT,
        env=env,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    if result.returncode != 0:
        raise BenchError(f"{title} failed ({' '.join(command)}: exit {result.returncode})")
    print(f"  {title}: {time.perf_counter() - started:.1f} s", flush=True)
    return result.stdout or ""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _stop(process: subprocess.Popen) -> None:
    """Stop the server's whole process group: make, gunicorn and its workers."""
    for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
        if process.poll() is not None:
            break
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(wait)
    # Workers left behind by a server that died on its own.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


@contextlib.contextmanager
def server(env: dict[str, str], log: Path, timeout: float = 300):
    """`make serve` in a process group of its own, until /healthz answers 200; stopped on
    leaving, whatever happened."""
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            ["make", "serve"],
            cwd=ROOT,
            env={**env, "PORT": str(port)},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            started = time.perf_counter()
            while True:
                if process.poll() is not None:
                    raise BenchError(f"make serve exited ({process.returncode}):\n{_tail(log)}")
                status, _, _ = fetch(base_url, "/healthz", timeout=5)
                if status == "200":
                    break
                if time.perf_counter() - started > timeout:
                    raise BenchError(f"/healthz did not answer 200 in {timeout} s:\n{_tail(log)}")
                time.sleep(0.5)
            print(f"  server up on {base_url} in {time.perf_counter() - started:.0f} s")
            yield base_url
        finally:
            _stop(process)


def measure_server(
    base_url: str, paths: list[tuple[str, str]], mode: str, seconds: float
) -> dict[str, dict]:
    """Check that every address answers 200 (on the warm server this also fills the page
    cache), then load each in turn."""
    for _, path in paths:
        status, _, _ = fetch(base_url, path)
        if status != "200":
            raise BenchError(f"{path} answered {status} on the {mode} server, not 200")
    if mode == "warm":
        for _, path in paths[1:]:
            _, _, cache = fetch(base_url, path)
            if cache != "hit":
                print(f"  note: {path} is not served from the page cache (X-Page-Cache: {cache})")
    results = {}
    for _, path in paths:
        result = measure(base_url, path, clients=CLIENTS, seconds=seconds)
        results[path] = result.as_dict()
        flag = f"  {result.errors} ERRORS {result.statuses}" if result.errors else ""
        print(
            f"  {mode} {path:48} {result.requests_per_second:8.1f} req/s  "
            f"p50 {result.p50_ms:7.1f} ms  p95 {result.p95_ms:7.1f} ms{flag}",
            flush=True,
        )
    return results


def bench_scale(scale: Scale, args, work: Path) -> dict:
    print(f"\n== {scale.title}", flush=True)
    database_url = _database_url(args.database_url, scale, args.quick)
    env = base_environment(database_url, work)
    result: dict = {"title": scale.title, "database": database_url}
    started = time.perf_counter()
    recreate_database(database_url)
    run_step("migrate", [PYTHON, "manage.py", "migrate", "--noinput", "--verbosity=0"], env)
    build_started = time.perf_counter()
    run_step("build data", [PYTHON, "-m", "bench.data", *scale.data_arguments()], env)
    result["build_seconds"] = round(time.perf_counter() - build_started, 1)
    if args.quick:
        run_step("full_clean() every row", [PYTHON, "-m", "bench.data", "--check"], env)
    described = json.loads(
        run_step("pick addresses", [PYTHON, "-m", "bench.data", "--urls"], env, capture=True)
    )
    paths = [tuple(pair) for pair in described["paths"]]
    result.update(rows=described["rows"], paths=paths, load_before=os.getloadavg())
    cold_env = {**env, "PAGE_CACHE_SECONDS": "0"}
    output = run_step(
        "in-process queries and time of each page",
        [PYTHON, "-m", "bench.inprocess", "--public"],
        cold_env,
        capture=True,
    )
    result["inprocess"] = {entry["path"]: entry for entry in json.loads(output)}
    if scale.big_area_partners:
        output = run_step(
            "admin pages in process",
            [PYTHON, "-m", "bench.inprocess", "--admin"],
            cold_env,
            capture=True,
        )
        result["admin"] = json.loads(output)

    for mode in MODES:
        mode_env = cold_env
        if mode == "warm":
            flush_redis(args.redis_url)
            mode_env = {**env, "REDIS_URL": args.redis_url, "PAGE_CACHE_SECONDS": "600"}
        print(f"  -- {mode} server", flush=True)
        with server(mode_env, work / f"serve-{scale.key}-{mode}.log") as base_url:
            result[mode] = measure_server(base_url, paths, mode, args.seconds)
        if mode == "warm":
            flush_redis(args.redis_url)

    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def _ratio(m: dict, trivial: dict) -> str:
    if not trivial["requests_per_second"]:
        return "-"
    return f"{100 * m['requests_per_second'] / trivial['requests_per_second']:.1f}"


def table(result: dict, seconds: float) -> str:
    """One line per address: its SQL queries and time for one request in process; under load,
    cold and warm req/s, p50 and p95, and the share of the trivial view's req/s; the share
    of warm answers from the page cache, the compressed size, and the errors (any answer
    but 200)."""
    paths = [path for _, path in result["paths"]]
    width = max(len(p) for p in paths) + 1
    head = (
        f"{'':{width}} {'1 request':^13}   {'cold (no page cache)':^34}   "
        f"{'warm (Redis page cache)':^41}\n"
        f"{'path':{width}} {'SQL q':>5} {'ms':>7}   "
        f"{'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'% triv':>7}   "
        f"{'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'% triv':>7} {'hit %':>6} "
        f"{'gz KB':>7} {'err':>4}"
    )
    lines = [
        f"{result['title']} — {CLIENTS} clients, {seconds:g} s per address, "
        f"data built in {result['build_seconds']:.0f} s, "
        f"load average before {result['load_before'][0]:.1f} on {os.cpu_count()} cores",
        head,
    ]
    for path in paths:
        single = result["inprocess"][path]
        cold, warm = result["cold"][path], result["warm"][path]
        cells = []
        for m, trivial in ((cold, result["cold"][paths[0]]), (warm, result["warm"][paths[0]])):
            cells.append(
                f"{m['requests_per_second']:8.1f} {m['p50_ms']:8.1f} {m['p95_ms']:8.1f} "
                f"{_ratio(m, trivial):>7}"
            )
        errors = cold["errors"] + warm["errors"]
        hits = 100 * warm["page_cache"].get("hit", 0) / max(1, warm["requests"])
        lines.append(
            f"{path:{width}} {single['queries']:5} {single['median_ms']:7.1f}   {cells[0]}   "
            f"{cells[1]} {hits:6.0f} {cold['mean_bytes'] / 1024:7.1f} {errors if errors else '':>4}"
        )
    for entry in result.get("admin", []):
        lines.append(
            f"admin (in process): {entry['name']}: {entry['queries']} queries, "
            f"{entry['median_ms']:.0f} ms (first {entry['first_ms']:.0f} ms), "
            f"{entry['bytes'] / 1024:.0f} KB — {entry['path']}"
        )
    return "\n".join(lines)


def comparison(results: dict) -> str:
    """Home page and national files at both scales: one request in process, and p50 and
    req/s under load on the cold server."""
    if not {"national", "ten_times"} <= results.keys():
        return ""
    national, ten_times = results["national"], results["ten_times"]
    lines = ["National → ten times, cold (no page cache)"]
    for path in COMPARED:
        single = [r["inprocess"][path]["median_ms"] for r in (national, ten_times)]
        before, after = national["cold"][path], ten_times["cold"][path]
        factor = after["p50_ms"] / before["p50_ms"] if before["p50_ms"] else float("nan")
        lines.append(
            f"  {path:12} 1 request {single[0]:6.1f} → {single[1]:6.1f} ms;  "
            f"p50 {before['p50_ms']:7.1f} → {after['p50_ms']:7.1f} ms (× {factor:.1f});  "
            f"{before['requests_per_second']:6.1f} → {after['requests_per_second']:6.1f} req/s"
        )
    return "\n".join(lines)


def errors_found(results: dict) -> list[str]:
    found = []
    for key, result in results.items():
        for mode in MODES:
            for path, m in result.get(mode, {}).items():
                if m["errors"]:
                    found.append(f"{key} {mode} {path}: {m['errors']} errors {m['statuses']}")
    return found


def _raise_on_sigterm(signum, frame) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        default=os.environ.get("BENCH_QUICK", "") not in ("", "0"),
        help="tiny data, one second per address (also BENCH_QUICK=1)",
    )
    parser.add_argument("--seconds", type=float, help="load per address (default 5, quick 1)")
    parser.add_argument("--scale", choices=[s.key for s in FULL], action="append")
    args = parser.parse_args(argv)
    args.seconds = args.seconds or (1.0 if args.quick else 5.0)
    args.database_url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL
    args.redis_url = os.environ.get("BENCH_REDIS_URL") or DEFAULT_REDIS_URL
    scales = [s for s in (QUICK if args.quick else FULL) if not args.scale or s.key in args.scale]
    # Ctrl-C and a plain kill both stop the servers on the way out (a shell that starts this
    # in the background may have set SIGINT to be ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _raise_on_sigterm)

    started = time.perf_counter()
    report: dict = {
        "started_at": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "quick": args.quick,
        "clients": CLIENTS,
        "seconds_per_address": args.seconds,
        "cpus": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
        "scales": {},
    }
    print(
        f"make bench: {len(scales)} scale(s), {CLIENTS} clients, {args.seconds:g} s per address; "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}"
    )
    work = Path(tempfile.mkdtemp(prefix="rentai-bench-"))
    try:
        flush_redis(args.redis_url)  # Redis is needed: fail now rather than after the build
        for scale in scales:
            report["scales"][scale.key] = bench_scale(scale, args, work)
    except BenchError as error:
        print(f"\nmake bench FAILED: {error}\n(server logs: {work})", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"\nmake bench interrupted (server logs: {work})", file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(work / "static", ignore_errors=True)  # the logs stay if it failed
    shutil.rmtree(work, ignore_errors=True)

    report["seconds"] = round(time.perf_counter() - started, 1)
    print()
    for result in report["scales"].values():
        print(table(result, args.seconds), end="\n\n")
    print(comparison(report["scales"]))
    problems = errors_found(report["scales"])
    for problem in problems:
        print(f"ERRORS: {problem}")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / ("quick.json" if args.quick else "latest.json")
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    print(f"\nmake bench took {report['seconds'] / 60:.1f} min; results in {out.relative_to(ROOT)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
