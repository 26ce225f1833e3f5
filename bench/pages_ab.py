"""Before/after of the detail page, the editor and /verify/<token>/ in one run (issue 11).

bench/scale.py measures one checkout against its anchors; on a shared machine whose load moves by
a factor of three within minutes, two runs of it an hour apart do not compare. This serves two
checkouts of the portal side by side (``--before`` and ``--after``, e.g. a ``git archive`` of an
older commit and this one) on the same generated database, under the same gunicorn settings as
bench/scale.py, beside the bare 25-row and "hello" anchors, and loads them in alternating rounds:
anchor, before, after, so every figure of a round shares the machine's load of that moment.

    python bench/pages_ab.py --before /tmp/old --after . --size 100000 --seconds 5 --rounds 3

The database must exist already (bench/scale.py generates portal_bench_<size>).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench import scale  # noqa: E402
from bench.run import free_port  # noqa: E402

PAGES = {"official_detail": "rows", "applicant_editor": "rows", "verify": "hello"}


def _tree(path: str, workdir: Path, env: dict[str, str], name: str) -> dict:
    tree = Path(path).resolve()
    tree_env = {**env, "STATIC_ROOT": str(workdir / name / "static"), "PRIVATE_MEDIA_ROOT": str(workdir / name)}
    run = {"cwd": tree, "env": {**os.environ, **tree_env, "PYTHONPATH": str(tree)}, "check": True}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], **run)
    probe = subprocess.run(
        [sys.executable, str(tree / "bench" / "scale_probe.py")], **run, capture_output=True, text=True
    )
    pages = json.loads(probe.stdout.strip().splitlines()[-1])["pages"]
    return {"tree": tree, "env": tree_env, "pages": {k: v for k, v in pages.items() if k in PAGES}}


def _serve(tree: Path, env: dict[str, str], log: Path):
    """bench/scale.py's gunicorn (3 workers × 2 threads), serving ``tree``'s code (gunicorn puts its working
    directory first on the path)."""
    port = free_port()
    binary = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    process = subprocess.Popen(
        [binary, "portal.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "3", "--threads", "2"],
        cwd=tree,
        env={**os.environ, **env, "PYTHONPATH": str(tree)},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return process, port
        except OSError:
            time.sleep(0.2)
        if process.poll() is not None:
            raise SystemExit(f"gunicorn ({tree}) exited:\n{log.read_text()[-3000:]}")
    raise SystemExit(f"gunicorn ({tree}) did not start in time")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True)
    parser.add_argument("--after", default=str(ROOT))
    parser.add_argument("--size", type=int, default=100000)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="portal-pages-ab-"))
    env = {**scale.portal_env(workdir), "DATABASE_URL": f"{scale.PG}/portal_bench_{args.size}"}
    servers = []
    try:
        trees = {
            name: _tree(path, workdir, env, name) for name, path in (("before", args.before), ("after", args.after))
        }
        anchor = scale.gunicorn(
            "bench.anchor.wsgi:application",
            {"DJANGO_SETTINGS_MODULE": "bench.anchor.settings"},
            anchor_port := free_port(),
            "/hello/",
            workdir / "anchor.log",
        )
        servers.append(anchor)
        ports = {}
        for name, tree in trees.items():
            process, ports[name] = _serve(tree["tree"], tree["env"], workdir / f"{name}.log")
            servers.append(process)
        print(f"\n{args.size:,} filings, {args.rounds} rounds of {args.seconds} s (anchor, before, after)")
        print("| page | before req/s | after req/s | anchor req/s | before ratio | after ratio | queries | server ms |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for page, anchor_name in PAGES.items():
            figures: dict[str, list[float]] = {"anchor": [], "before": [], "after": []}
            anchor_path = scale.ANCHOR_PATHS[anchor_name]
            for name in ("before", "after"):
                found = trees[name]["pages"][page]
                headers = ["X-Forwarded-Proto: https"] + ([f"Cookie: {found['cookie']}"] if found["cookie"] else [])
                scale.wrk(ports[name], found["path"], 2, headers)  # warm every worker
            for _ in range(args.rounds):
                figures["anchor"].append(scale.wrk(anchor_port, anchor_path, args.seconds, [])["rps"])
                for name in ("before", "after"):
                    found = trees[name]["pages"][page]
                    headers = ["X-Forwarded-Proto: https"] + ([f"Cookie: {found['cookie']}"] if found["cookie"] else [])
                    figures[name].append(scale.wrk(ports[name], found["path"], args.seconds, headers)["rps"])
            before, after, base = (scale._median(figures[k]) for k in ("before", "after", "anchor"))
            b, a = trees["before"]["pages"][page], trees["after"]["pages"][page]
            print(
                f"| {page} | {before:.1f} | {after:.1f} | {anchor_name} {base:.0f} | {before / base:.3f}× | "
                f"{after / base:.3f}× | {b['queries']} → {a['queries']} | {b['server_ms']} → {a['server_ms']} |",
                flush=True,
            )
    finally:
        for process in servers:
            scale.stop(process)
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
