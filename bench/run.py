"""Certificate benchmark (``make bench``): PDF rendering and the verification page.

In one run, on a temporary SQLite database and private folder prepared here:

1. renders N certificates (default 20) in this one warm process through the
   portal's pipeline (``review.certificates.render_and_store``: fetch, template,
   QR code, WeasyPrint, atomic file write, database update) and, for each, a
   bare WeasyPrint render of the same HTML with one warm FontConfiguration;
   prints the medians and their ratio (target ≤ 1.2×);
2. counts the verification view's database queries on a cache miss (≤ 3) and
   a hit (0);
3. serves the portal with gunicorn (as deployed: gthread workers) and loads
   ``/verify/<token>/`` and a bare Django view under the same settings with 32
   concurrent connections (``wrk`` when installed, else a Python load
   generator); prints requests/s, p50 and p99 (targets: ≥ 0.7× the bare view,
   p99 < 100 ms).

``--strict`` makes the exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _prepare_environment(workdir: Path) -> dict[str, str]:
    env = {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SQLITE_PATH": str(workdir / "bench.sqlite3"),
        "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
        "SITE_URL": os.environ.get("SITE_URL", "https://portal.example.cn"),
        "SMS_BACKEND": "locmem",
        "EMAIL_BACKEND": "locmem",
    }
    os.environ.update(env)
    os.environ.pop("DATABASE_URL", None)  # always the temporary SQLite database
    return env


# --- 1. rendering -------------------------------------------------------------------------------


def make_certificates(n: int):
    """N+1 approved domestic filings (real workflow, real data) and their certificates (not rendered yet),
    with the median time of issuing one (the number, the QR code and the public data are made then)."""
    from django.db import transaction

    from filings.enums import FilingState
    from review.certificates import issue_certificate
    from tests.filings.factories import EnterpriseFactory, applicant, make_filing

    unit = EnterpriseFactory(name="湖南芒果网络演艺有限公司", province="430000")
    member = applicant(unit, full_name="李小龙")
    result, issue_times = [], []
    for i in range(n + 1):  # one more to warm up
        with transaction.atomic():
            filing = make_filing(
                organisation=unit, by=member, state=FilingState.APPROVED, name=f"湘江夜话·线上音乐会（第{i + 1}场）"
            )
        start = time.perf_counter()
        result.append(issue_certificate(f"filing.{filing.kind}", filing.pk))
        issue_times.append(time.perf_counter() - start)
    return result, statistics.median(issue_times[1:]) * 1000


def bench_render(certificates) -> dict[str, float]:
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from common import pdf
    from review.certificates import render_and_store, render_html

    warm, *measured = certificates
    render_and_store(warm.pk)  # the process is warm from here: fonts, templates, imports
    bare_config = FontConfiguration()
    HTML(string=render_html(warm), base_url=pdf.base_url()).write_pdf(font_config=bare_config)

    ours, bare, cold = [], [], []
    for certificate in measured:
        html = render_html(certificate)  # the bare render gets the same HTML, built outside its timing
        start = time.perf_counter()
        render_and_store(certificate.pk)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        HTML(string=html, base_url=pdf.base_url()).write_pdf(font_config=bare_config)
        bare.append(time.perf_counter() - start)
    for certificate in measured[:5]:  # WeasyPrint's default: a new FontConfiguration per document
        html = render_html(certificate)
        start = time.perf_counter()
        HTML(string=html, base_url=pdf.base_url()).write_pdf()
        cold.append(time.perf_counter() - start)
    return {
        "ours_ms": statistics.median(ours) * 1000,
        "bare_ms": statistics.median(bare) * 1000,
        "cold_ms": statistics.median(cold) * 1000,
        "ours_p90_ms": sorted(ours)[int(len(ours) * 0.9) - 1] * 1000,
    }


# --- 2. query counts ----------------------------------------------------------------------------


def count_queries(token: str) -> tuple[int, int, int]:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    url = f"/verify/{token}/"
    cache.clear()
    with CaptureQueriesContext(connection) as miss:
        first = client.get(url)
    with CaptureQueriesContext(connection) as hit:
        second = client.get(url)
    assert first.status_code == second.status_code == 200, (first.status_code, second.status_code)
    return len(miss), len(hit), len(first.content)


# --- 3. HTTP ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict[str, str], port: int, workers: int, threads: int, log: Path) -> subprocess.Popen:
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    process = subprocess.Popen(
        [
            gunicorn,
            "portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--log-level",
            "warning",
        ],
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
            conn.request("GET", "/bench/bare/")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited:\n{log.read_text()[-2000:]}")
    raise SystemExit("gunicorn did not start in time")


def warm(port: int, path: str, count: int = 300) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for _ in range(count):
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * _UNITS[unit]


def load_wrk(port: int, path: str, connections: int, seconds: int) -> dict[str, float]:
    threads = max(1, min(connections, os.cpu_count() or 1))
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    errors = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(x) for x in m.groups())
    return {"rps": rps, "p50": p50, "p99": p99, "errors": errors}


def load_python(port: int, path: str, connections: int, seconds: int) -> dict[str, float]:
    """Threads with keep-alive http.client connections; latencies of every request."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client():
        local, bad = [], 0
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < stop:
            start = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            local.append((time.perf_counter() - start) * 1000)
        with lock:
            latencies.extend(local)
            errors[0] += bad

    threads = [threading.Thread(target=client) for _ in range(connections)]
    begin = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - begin
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50": latencies[len(latencies) // 2],
        "p99": latencies[int(len(latencies) * 0.99) - 1],
        "errors": errors[0],
    }


def bench_http(
    env, token: str, *, connections: int, seconds: int, workers: int, threads: int, rounds_count: int, workdir: Path
):
    port = free_port()
    process = start_gunicorn(env, port, workers, threads, workdir / "gunicorn.log")
    load = load_wrk if shutil.which("wrk") else load_python
    verify_path, bare_path = f"/verify/{token}/", "/bench/bare/"
    try:
        for p in (bare_path, verify_path):
            warm(port, p)
        rounds = {"bare": [], "verify": []}
        for _ in range(rounds_count):  # alternate, so drift of the machine hits both alike
            rounds["bare"].append(load(port, bare_path, connections, seconds))
            rounds["verify"].append(load(port, verify_path, connections, seconds))
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)

    def merged(runs):  # medians over the rounds: robust to a burst of other work on the machine
        return {
            "rps": statistics.median(r["rps"] for r in runs),
            "p50": statistics.median(r["p50"] for r in runs),
            "p99": statistics.median(r["p99"] for r in runs),
            "p99_max": max(r["p99"] for r in runs),
            "errors": sum(r["errors"] for r in runs),
        }

    return merged(rounds["verify"]), merged(rounds["bare"]), load.__name__.replace("load_", "")


# --- the table ------------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=20, help="certificates to render (default 20)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=8, help="duration of each HTTP load round")
    # One process per CPU with 8 threads each: on a 2-CPU machine this gave the shortest tails for both
    # views (deploy/entrypoint.sh takes GUNICORN_WORKERS/GUNICORN_THREADS the same way).
    parser.add_argument("--workers", type=int, default=int(os.environ.get("GUNICORN_WORKERS", os.cpu_count() or 2)))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("GUNICORN_THREADS", 8)))
    parser.add_argument("--rounds", type=int, default=3, help="alternating load rounds per view (medians reported)")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    env = _prepare_environment(workdir)
    import django

    django.setup()
    from django.core.management import call_command

    print(f"准备临时数据库 / preparing a temporary database in {workdir} …", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    certificates, issue_ms = make_certificates(args.n)

    print(f"渲染 / rendering {args.n} certificates …", flush=True)
    render = bench_render(certificates)
    miss, hit, page_bytes = count_queries(certificates[1].token)

    http_result = None
    if not args.skip_http:
        print(
            f"压测 / loading the verify page and a bare view with gunicorn "
            f"({args.workers} workers × {args.threads} threads), {args.connections} connections …",
            flush=True,
        )
        http_result = bench_http(
            env,
            certificates[1].token,
            connections=args.connections,
            seconds=args.seconds,
            workers=args.workers,
            threads=args.threads,
            rounds_count=args.rounds,
            workdir=workdir,
        )

    import weasyprint

    rows: list[tuple[str, str, str, str]] = []
    misses = 0

    def row(measure: str, value: str, target: str = "", ok: bool | None = None) -> None:
        nonlocal misses
        if ok is False:
            misses += 1
        rows.append((measure, value, target, "" if ok is None else ("ok" if ok else "MISSED")))

    ratio = render["ours_ms"] / render["bare_ms"]
    row("PDF: portal pipeline, median ms/PDF", f"{render['ours_ms']:.1f}")
    row("PDF: bare WeasyPrint, same HTML, warm fonts, median ms", f"{render['bare_ms']:.1f}")
    row("PDF: ratio portal / bare", f"{ratio:.2f}×", "≤ 1.20×", ratio <= 1.2)
    row("PDF: bare WeasyPrint, new FontConfiguration per PDF (info)", f"{render['cold_ms']:.1f}")
    row("PDF: portal pipeline, p90 ms", f"{render['ours_p90_ms']:.1f}")
    row("issue (number, QR code, public data snapshot; before the render), median ms (info)", f"{issue_ms:.1f}")
    row("verify: queries on a cache miss", str(miss), "≤ 3", miss <= 3)
    row("verify: queries on a cache hit", str(hit), "0", hit == 0)
    if http_result:
        verify, bare, tool = http_result
        rps_ratio = verify["rps"] / bare["rps"]
        row(f"HTTP ({tool}): bare view req/s", f"{bare['rps']:.0f}")
        row(f"HTTP ({tool}): verify page req/s", f"{verify['rps']:.0f}")
        row("HTTP: ratio verify / bare", f"{rps_ratio:.2f}×", "≥ 0.70×", rps_ratio >= 0.7)
        row(
            "HTTP: bare view p50 / p99 ms (worst round's p99)",
            f"{bare['p50']:.1f} / {bare['p99']:.1f} ({bare['p99_max']:.0f})",
        )
        row(
            "HTTP: verify page p50 / p99 ms (worst round's p99)",
            f"{verify['p50']:.1f} / {verify['p99']:.1f} ({verify['p99_max']:.0f})",
            "p99 < 100",
            verify["p99"] < 100,
        )
        row(
            "HTTP: errors (non-2xx, socket)",
            f"{verify['errors'] + bare['errors']}",
            "0",
            verify["errors"] + bare["errors"] == 0,
        )
        row("HTTP: verify page size, bytes", str(page_bytes))

    widths = [max(len(r[i]) for r in rows + [("measure", "value", "target", "")]) for i in range(4)]
    print()
    print(
        f"证照基准 / certificate benchmark — N={args.n}, {os.cpu_count()} CPU, Python {platform.python_version()}, "
        f"WeasyPrint {weasyprint.__version__}, gunicorn {args.workers}×{args.threads} (gthread), "
        f"{args.connections} connections, {args.rounds}×{args.seconds}s per view"
    )
    line = "+".join("-" * (w + 2) for w in widths)
    print(line)
    print(" | ".join(h.ljust(w) for h, w in zip(("measure", "value", "target", ""), widths, strict=True)))
    print(line)
    for r in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
    print(line)
    print("all targets met" if not misses else f"{misses} target(s) missed")
    shutil.rmtree(workdir, ignore_errors=True)
    return 1 if (misses and args.strict) else 0


if __name__ == "__main__":
    raise SystemExit(main())
