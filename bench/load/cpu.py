"""CPU time the stack spends during the load run (what contention on a shared machine does not change).

    python bench/load/cpu.py snapshot STATE DBNAME > before.json
    python bench/load/cpu.py since before.json STATE DBNAME   → {"web": s, "worker": s, "nginx": s, "postgres": s}
    python bench/load/cpu.py run OUT -- COMMAND …               runs COMMAND, writes the CPU seconds it used to OUT

The processes are those of the stack's pid files (nginx, each web node, the Celery worker and beat) and
their children, and the PostgreSQL backends serving the stack's database. Processes gone in between
(a recycled worker) are missed, so the figures are a lower bound.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import psutil


def _group(name: str) -> str:
    if name.startswith("web-"):
        return "web"
    if name.startswith("worker-"):  # one worker per Celery queue (worker-default, worker-certificates, …)
        return "worker"
    return {"worker": "worker", "beat": "worker", "nginx": "nginx"}.get(name, name)


def snapshot(state: str, database: str) -> dict[str, list]:
    found: dict[str, list] = {}
    for pid_file in Path(state, "run").glob("*.pid"):
        try:
            top = psutil.Process(int(pid_file.read_text().strip()))
            processes = [top, *top.children(recursive=True)]
        except (ValueError, psutil.Error):
            continue
        for process in processes:
            try:
                times = process.cpu_times()
                found[str(process.pid)] = [_group(pid_file.stem), times.user + times.system]
            except psutil.Error:
                pass
    for process in psutil.process_iter(["pid", "cmdline"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if cmdline.startswith("postgres:") and f" {database} " in f"{cmdline} ":
            try:
                times = process.cpu_times()
                found[str(process.pid)] = ["postgres", times.user + times.system]
            except psutil.Error:
                pass
    return found


def since(before: dict[str, list], now: dict[str, list]) -> dict[str, float]:
    used: dict[str, float] = {}
    for pid, (group, seconds) in now.items():
        start = before.get(pid, [group, 0.0])[1]
        used[group] = used.get(group, 0.0) + max(0.0, seconds - start)
    return {group: round(seconds, 1) for group, seconds in sorted(used.items())}


def run(out: str, command: list[str]) -> int:
    """The load generator's own CPU (it shares the cores with the stack): user + system of it and its children."""
    import resource
    import subprocess

    status = subprocess.run(command, check=False).returncode
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    Path(out).write_text(f"{used.ru_utime + used.ru_stime:.1f}\n")
    return status


if __name__ == "__main__":
    if sys.argv[1] == "run":
        sys.exit(run(sys.argv[2], sys.argv[sys.argv.index("--") + 1 :]))
    if sys.argv[1] == "snapshot":
        json.dump(snapshot(sys.argv[2], sys.argv[3]), sys.stdout)
    else:
        with open(sys.argv[2], encoding="utf-8") as handle:
            print(json.dumps(since(json.load(handle), snapshot(sys.argv[3], sys.argv[4]))))
