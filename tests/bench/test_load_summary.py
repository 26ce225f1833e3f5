"""bench/load/summary.py: the load run's table, and the server side of it from nginx's timed log."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["Type", "Name", "Request Count", "Failure Count", "50%", "95%", "99%", "Max Response Time", "Requests/s"]


def _stats(prefix: Path, p95: str) -> None:
    with open(f"{prefix}_stats.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerow(["GET", "受理状态", "100", "0", "30", p95, "900", "1000", "10"])
        writer.writerow(["", "Aggregated", "100", "0", "30", p95, "900", "1000", "10"])


def _log(path: Path) -> None:
    lines = []
    for i in range(100):
        # 90 fast status pages, 10 slow editor pages of two different filings (one row once the ids are folded)
        target, seconds = (
            ("/filings/status/", 0.020) if i < 90 else (f"/filings/applications/Ab{i}cDeFgH12/edit/", 0.400)
        )
        lines.append(
            f'127.0.0.1 - - [04/Dec/2026:20:59:{i % 60:02d} +0000] "GET {target}?tab=1 HTTP/1.1" 200 26182 "-" '
            f'"python-requests/2.34.2" rt={seconds:.3f} urt={seconds - 0.001:.3f}'
        )
    lines.append(
        '127.0.0.1 - - [04/Dec/2026:20:59:59 +0000] "GET /static/css/portal.css HTTP/1.1" 200 9 "-" "x" rt=0.000 urt=-'
    )
    lines.append(
        '127.0.0.1 - - [04/Dec/2026:20:00:00 +0000] "GET /filings/status/ HTTP/1.1" 200 9 "-" "x" rt=9.000 urt=9.000'
    )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run(tmp_path: Path, p95: str, *extra: str) -> subprocess.CompletedProcess:
    prefix = tmp_path / "stats"
    _stats(prefix, p95)
    _log(tmp_path / "nginx.log")
    since = "1796417940"  # 2026-12-04 20:59:00 UTC: the line of 20:00 is before the run
    return subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench/load/summary.py"),
            str(prefix),
            str(tmp_path / "out.md"),
            "--nginx-log",
            str(tmp_path / "nginx.log"),
            "--since",
            since,
            "--locust-cpu",
            "60",
            *extra,
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_server_side_table_folds_ids_leaves_out_static_files_and_earlier_lines(tmp_path):
    done = run(tmp_path, "250")
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "out.md").read_text(encoding="utf-8")
    assert "| GET /filings/status/ | 90 | 20 | 20 | 20 |" in text
    assert "| GET /filings/applications/:id/edit/ | 10 | 400 | 400 | 400 |" in text
    assert "| **all** | 100 | 20 | 400 | 400 |" in text
    assert "server-side p95 400 ms: MISSED (target < 300 ms)" in text
    assert "/static/" not in text
    assert "The load generator (locust) itself: 6.00 of the 2 cores." in text  # 60 s over a 10 s run


def test_strict_fails_when_the_clients_p95_misses_and_passes_when_it_is_met(tmp_path):
    assert run(tmp_path, "450", "--strict").returncode == 1
    assert run(tmp_path, "250", "--strict").returncode == 0
