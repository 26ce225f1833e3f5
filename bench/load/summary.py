"""The load run's figures (locust's CSV) as the table `make load` prints and `make bench` repeats.

    python bench/load/summary.py PREFIX OUT.md [--strict] [--note TEXT]

PREFIX is locust's ``--csv`` prefix (PREFIX_stats.csv). Targets (issue 10): 0 errors and p95 under
300 ms over the whole run. ``--strict``: exit status 1 when one is missed.

``--nginx-log`` (the stack's access log, format "timed" of scripts/stack.sh) adds the same percentiles as
nginx measured them (``$request_time``: from the request's first byte to the response's last, so without the
load generator's own delays: locust shares the 2 cores and parses every page), for the lines written after
``--since`` (epoch seconds), grouped by method and path with ids folded. ``--locust-cpu`` (seconds) says how
much of the cores the load generator itself took.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
from datetime import datetime

P95_TARGET_MS = 300


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("prefix")
    parser.add_argument("out")
    parser.add_argument("--strict", action="store_true")
    parser.add_argument("--note", default="")
    parser.add_argument("--cpu", default="", help="bench/load/cpu.py's figures of the run (JSON)")
    parser.add_argument("--nginx-log", default="", help="the stack's nginx access log (format 'timed')")
    parser.add_argument("--since", type=float, default=0.0, help="epoch seconds: the run's start")
    parser.add_argument("--locust-cpu", type=float, default=None, help="CPU seconds the load generator used")
    args = parser.parse_args()
    with open(f"{args.prefix}_stats.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    lines = [
        "| request | count | failures | median ms | p95 ms | p99 ms | max ms | req/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    total = None
    for row in rows:
        if row["Name"] == "Aggregated":
            total = row
            continue
        lines.append(_line(f"{row['Type']} {row['Name']}", row))
    if total is None:
        print("load: no requests were made", file=sys.stderr)
        return 1
    lines.append(_line("**all**", total))
    failures, p95 = int(total["Failure Count"]), float(total["95%"] or 0)
    met = failures == 0 and p95 < P95_TARGET_MS
    verdict = (
        f"{'met' if met else 'MISSED'}: {failures} errors (target 0), p95 {p95:.0f} ms (target < {P95_TARGET_MS} ms), "
        f"{float(total['Requests/s']):.1f} requests/s; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    cpu_line = ""
    if args.cpu and os.path.exists(args.cpu):
        with open(args.cpu, encoding="utf-8") as handle:
            cpu = json.load(handle)
        count = int(total["Request Count"]) or 1
        if cpu:
            per_request = {group: seconds * 1000 / count for group, seconds in cpu.items()}
            cpu_line = (
                "CPU time per request (contention-independent; web = gunicorn, postgres = the stack's backends, "
                "worker = Celery incl. certificates): "
                + ", ".join(f"{group} {ms:.0f} ms" for group, ms in per_request.items())
                + f"; total {sum(per_request.values()):.0f} ms, i.e. {sum(cpu.values()) / _seconds(rows):.2f} "
                "of the 2 cores on average"
            )
    if args.locust_cpu is not None:
        cpu_line += f"\n\nThe load generator (locust) itself: {args.locust_cpu / _seconds(rows):.2f} of the 2 cores."
    server = nginx_table(args.nginx_log, args.since) if args.nginx_log and os.path.exists(args.nginx_log) else []
    errors = []
    if os.path.exists(f"{args.prefix}_failures.csv"):
        with open(f"{args.prefix}_failures.csv", encoding="utf-8") as handle:
            errors = [f"* {r['Occurrences']}× {r['Method']} {r['Name']}: {r['Error']}" for r in csv.DictReader(handle)]
    text = "\n".join(
        [
            "## Load (make load: locust against the stack)",
            "",
            args.note,
            "",
            *lines,
            "",
            verdict,
            cpu_line,
            "",
            *server,
            *errors,
            "",
        ]
    )
    with open(args.out, "w", encoding="utf-8") as handle:
        handle.write(text)
    print(text)
    return 1 if args.strict and not met else 0


LINE = re.compile(
    r'\[(?P<time>[^\]]+)\] "(?P<method>[A-Z]+) (?P<path>[^ ?"]*)[^"]*" (?P<status>\d{3}) .* rt=(?P<rt>[\d.]+) urt=(?P<urt>[\d.,: -]+)$'
)
# ids in paths (public ids, tokens, numbers) folded so that one kind of request is one row
ID = re.compile(r"/(?=[A-Za-z0-9_-]*\d)[A-Za-z0-9_-]{6,}(?=/|$)|/\d+(?=/|$)")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else 0.0


def nginx_table(path: str, since: float) -> list[str]:
    """Median, p95 and p99 of the requests as nginx timed them (static files left out), by method and path."""
    groups: dict[str, list[float]] = {}
    with open(path, encoding="utf-8", errors="replace") as handle:
        for raw in handle:
            found = LINE.search(raw.rstrip("\n"))
            if not found or found["path"].startswith("/static/"):
                continue
            when = datetime.strptime(found["time"], "%d/%b/%Y:%H:%M:%S %z").timestamp()
            if when < since:
                continue
            key = f"{found['method']} {ID.sub('/:id', found['path'])}"
            groups.setdefault(key, []).append(float(found["rt"]) * 1000)
    if not groups:
        return []
    every = [ms for values in groups.values() for ms in values]
    lines = [
        "As nginx timed them (server side: the web node, its database and nginx, without the load generator):",
        "",
        "| request | count | median ms | p95 ms | p99 ms |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for key, values in sorted(groups.items(), key=lambda item: -len(item[1])):
        lines.append(
            f"| {key} | {len(values)} | {_percentile(values, 0.5):.0f} | {_percentile(values, 0.95):.0f} | "
            f"{_percentile(values, 0.99):.0f} |"
        )
    lines.append(
        f"| **all** | {len(every)} | {_percentile(every, 0.5):.0f} | {_percentile(every, 0.95):.0f} | "
        f"{_percentile(every, 0.99):.0f} |"
    )
    met = _percentile(every, 0.95) < P95_TARGET_MS
    lines += [
        "",
        f"server-side p95 {_percentile(every, 0.95):.0f} ms: {'met' if met else 'MISSED'} (target < {P95_TARGET_MS} ms)",
        "",
    ]
    return lines


def _seconds(rows: list[dict]) -> float:
    """The run's length: requests / (requests per second) of the aggregated row."""
    total = next(r for r in rows if r["Name"] == "Aggregated")
    rate = float(total["Requests/s"]) or 1.0
    return max(1.0, int(total["Request Count"]) / rate)


def _line(name: str, row: dict) -> str:
    return (
        f"| {name} | {row['Request Count']} | {row['Failure Count']} | {float(row['50%'] or 0):.0f} | "
        f"{float(row['95%'] or 0):.0f} | {float(row['99%'] or 0):.0f} | {float(row['Max Response Time']):.0f} | "
        f"{float(row['Requests/s']):.2f} |"
    )


if __name__ == "__main__":
    sys.exit(main())
