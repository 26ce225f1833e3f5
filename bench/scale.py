"""National-scale benchmark (issue 11): the pages officials and applicants wait on, at 1,000 and 100,000 filings.

For each size, a PostgreSQL database ``portal_bench_<size>`` is generated once by
``manage.py generate_volume`` (kept between runs; ``--regenerate`` makes it anew; migrations are
applied each run). The portal is then served by gunicorn with the production settings (3 workers
× 2 threads, as the issue measures) beside the anchor project bench/anchor — a separate minimal
Django project, no apps, no middleware — under the same gunicorn settings, and each page is loaded
with ``wrk -t2 -c16``, its rounds alternating with its anchor's (the same load on a shared machine).
Printed per page: requests/s, the anchor and the ratio, the goal, p99, errors, the queries and
server time of one request in-process, and the shapes of the slowest queries' plans (EXPLAIN ANALYZE).

    python bench/scale.py                     # 1,000 and 100,000 filings
    python bench/scale.py --sizes 1000        # quick
    python bench/scale.py --sizes 1000 100000 1000000
    python bench/scale.py --pages official_queue nrta_queue applicant_status   # some pages only

``make bench`` runs it with ``--sizes $(SCALE_SIZES)`` (default 1000 100000). Generation runs under the
production settings, hence ``generate_volume --force``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _median(values) -> float:
    """(Not the statistics module: run as a script, bench/ comes first on sys.path and
    bench/stats_pages.py's neighbours may shadow it.)"""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


sys.path.insert(0, str(ROOT))

from bench.run import _ms, free_port  # noqa: E402

PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/13")
SECRET = "bench-only-secret-key-" + "x" * 40
# page → (label, anchor, goal ratio)
PAGES = {
    "official_queue": ("official queue /staff/filings/filing/", "rows", 0.5),
    "applicant_status": ("applicant 受理状态", "rows", 0.5),
    "official_detail": ("official detail page", "rows", 0.3),
    "applicant_editor": ("applicant editor", "rows", 0.3),
    "nrta_queue": ("NRTA official queue /staff/awards/nomination/", "rows", 0.5),
    "verify": ("public /verify/<token>/", "hello", 0.7),
}


def psql(sql: str, database: str = "postgres") -> str:
    import psycopg2

    conn = psycopg2.connect(f"{PG}/{database}")
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0] if cursor.description else ""
    finally:
        conn.close()


def database_for(size: int, regenerate: bool, env: dict[str, str]) -> dict[str, str]:
    name = f"portal_bench_{size}"
    env = {**env, "DATABASE_URL": f"{PG}/{name}"}
    exists = psql(f"SELECT count(*) FROM pg_database WHERE datname = '{name}'") == 1  # noqa: S608 (name from an int)
    if exists and regenerate:
        psql(f'DROP DATABASE "{name}" WITH (FORCE)')
        exists = False
    if not exists:
        psql(f'CREATE DATABASE "{name}"')
    manage(env, "migrate", "--noinput", "-v", "0")
    have = int(psql("SELECT count(*) FROM filings_filing", name))
    if have < size:
        started = time.monotonic()
        nominations = max(20, size // 5)
        units = max(20, size // 50)
        print(f"  generating {size:,} filings, {nominations:,} nominations over {units:,} units …", flush=True)
        manage(
            env,
            "generate_volume",
            "--filings",
            str(size - have),
            "--nominations",
            str(nominations),
            "--units",
            str(units),
            "--force",  # the bench serves production settings; generate_volume refuses them otherwise
        )
        print(f"  generated in {time.monotonic() - started:.0f} s", flush=True)
    psql("ANALYZE", name)
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**os.environ, **env}, check=True)


def gunicorn(app: str, env: dict[str, str], port: int, health: str, log: Path) -> subprocess.Popen:
    binary = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    process = subprocess.Popen(
        [binary, app, "--bind", f"127.0.0.1:{port}", "--workers", "3", "--threads", "2", "--log-level", "warning"],
        cwd=ROOT,
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", health)
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
        if process.poll() is not None:
            raise SystemExit(f"gunicorn ({app}) exited:\n{log.read_text()[-3000:]}")
    raise SystemExit(f"gunicorn ({app}) did not start in time")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, 15)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:  # a loaded machine: workers still finishing keep-alive requests
        os.killpg(process.pid, 9)
        process.wait(timeout=30)


def wrk(port: int, path: str, seconds: int, headers: list[str]) -> dict[str, float]:
    args = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--timeout", "10s", "--latency"]
    for header in headers:
        args += ["-H", header]
    out = subprocess.run([*args, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True).stdout
    errors = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(x) for x in m.groups())
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p99": _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
        "errors": errors,
    }


def portal_env(workdir: Path) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "bench.scale_settings",  # production + no verify limit
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "REDIS_URL": REDIS,
        "STATIC_ROOT": str(workdir / "static"),
        "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
        "SITE_URL": "https://portal.example.cn",
        "VERIFY_RATE_LIMIT_PER_MINUTE": str(10**9),
        "LOG_LEVEL": "WARNING",
        "SMS_BACKEND": "locmem",
        "EMAIL_BACKEND": "locmem",
    }


def run_size(size: int, args, workdir: Path, anchor_port: int) -> dict:
    """Each page's rounds alternate with rounds of its anchor (served beside it all along): on a shared
    machine whose load moves, the ratio compares two figures taken under the same load."""
    print(f"\n== {size:,} filings ==", flush=True)
    env = database_for(size, args.regenerate, portal_env(workdir))
    probe = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "scale_probe.py")],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )
    if probe.returncode:
        raise SystemExit(f"probe failed:\n{probe.stderr[-4000:]}")
    pages = json.loads(probe.stdout.strip().splitlines()[-1])["pages"]
    port = free_port()
    server = gunicorn("portal.wsgi:application", env, port, "/healthz", workdir / f"portal-{size}.log")
    try:
        for name, page in pages.items():
            if page.get("status") != 200 or (args.pages and name not in args.pages):
                continue
            headers = ["X-Forwarded-Proto: https"] + ([f"Cookie: {page['cookie']}"] if page["cookie"] else [])
            anchor = PAGES[name][1]
            anchor_path = ANCHOR_PATHS[anchor]
            wrk(port, page["path"], 2, headers)  # warm every worker
            wrk(anchor_port, anchor_path, 1, [])
            runs, anchors = [], []
            for _ in range(args.rounds):
                anchors.append(wrk(anchor_port, anchor_path, args.seconds, [])["rps"])
                runs.append(wrk(port, page["path"], args.seconds, headers))
            page["rps"] = _median(r["rps"] for r in runs)
            page["p99"] = _median(r["p99"] for r in runs)
            page["errors"] = sum(r["errors"] for r in runs)
            page["anchor_rps"] = _median(anchors)
            page["ratio"] = page["rps"] / page["anchor_rps"]
            print(
                f"  {PAGES[name][0]:<48} {page['rps']:8.1f} req/s  {page['ratio']:.3f}× {anchor} "
                f"({page['anchor_rps']:.0f})  p99 {page['p99']:.0f} ms  {page['queries']} queries  "
                f"{page['server_ms']} ms  {page['errors']} errors",
                flush=True,
            )
    finally:
        stop(server)
    return pages


ANCHOR_PATHS = {"hello": "/hello/", "rows": "/rows/"}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100000])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--pages", nargs="+", choices=sorted(PAGES), help="load only these pages (default: all)")
    parser.add_argument("--json", help="write the results here too")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk (make bench installs it)")
    try:
        psql("SELECT 1")
    except Exception as error:  # noqa: BLE001 (no PostgreSQL here: say so, do not fail make bench)
        print(f"scale benchmark skipped (PostgreSQL at {PG}: {error})")
        return 0
    workdir = Path(tempfile.mkdtemp(prefix="portal-scale-"))
    anchor_server = None
    try:
        env = portal_env(workdir)
        manage({**env, "DATABASE_URL": f"{PG}/postgres"}, "collectstatic", "--noinput", "-v", "0")
        anchor_port = free_port()
        anchor_env = {"DJANGO_SETTINGS_MODULE": "bench.anchor.settings"}
        anchor_server = gunicorn("bench.anchor.wsgi:application", anchor_env, anchor_port, "/hello/", workdir / "a.log")
        results = {size: run_size(size, args, workdir, anchor_port) for size in args.sizes}
    finally:
        if anchor_server is not None:
            stop(anchor_server)
        shutil.rmtree(workdir, ignore_errors=True)
    print_table(results)
    if args.json:
        Path(args.json).write_text(json.dumps({"results": results}, ensure_ascii=False, indent=1))
    return 0


def print_table(results: dict[int, dict]) -> None:
    sizes = sorted(results)
    small = sizes[0]
    print(
        "\n| page | filings | req/s | anchor req/s | ratio | goal | vs smallest | queries | server ms | p99 ms | errors |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, (label, anchor, goal) in PAGES.items():
        for size in sizes:
            page = results[size].get(name)
            if page and page.get("status") == 200 and "rps" not in page:
                continue  # not loaded (--pages)
            if not page or "rps" not in page:
                print(f"| {label} | {size:,} | — (status {page and page.get('status')}) | | | | | | | | |")
                continue
            base = results[small].get(name, {}).get("rps")
            drift = f"{(page['rps'] / base - 1) * 100:+.0f} %" if base and size != small else "—"
            ok = "✓" if page["ratio"] >= goal else "✗"
            print(
                f"| {label} | {size:,} | {page['rps']:.1f} | {anchor} {page['anchor_rps']:.0f} | {page['ratio']:.3f}× "
                f"| ≥ {goal}× {ok} | {drift} | {page['queries']} | {page['server_ms']} | {page['p99']:.0f} | {page['errors']} |"
            )
    print("\nPlans of the slowest queries (EXPLAIN ANALYZE, node shapes):")
    for size in sizes:
        for name, page in results[size].items():
            for plan in page.get("plans", []):
                print(f"  [{size:,}] {name} ({plan['ms']} ms): " + " / ".join(s.strip() for s in plan["shape"][:4]))


if __name__ == "__main__":
    sys.exit(main())
