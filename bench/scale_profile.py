"""Where one request of a list page spends its time (issue 11), in-process, against a generated database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_100000 \
        .venv/bin/python bench/scale_profile.py official_queue [--top 30] [--repeat 20]

Pages: official_queue, nrta_queue, applicant_status (the actors of bench/scale_probe.py). Prints the
median server time, the queries (count, total ms, the slowest), then cProfile's functions sorted by
cumulative time and the time by area (queries, templates, the admin's cell rendering, middleware).
Runs under the bench's settings (bench.scale_settings, production) unless DJANGO_SETTINGS_MODULE is set.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.scale_settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("SMS_BACKEND", "locmem")
os.environ.setdefault("EMAIL_BACKEND", "locmem")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/13")
# production serves hashed static names: collected once into this folder (manage.py collectstatic)
os.environ.setdefault("STATIC_ROOT", str(ROOT / "var" / "scale-profile-static"))

import django  # noqa: E402

django.setup()

if not Path(os.environ["STATIC_ROOT"], "staticfiles.json").exists():
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", "-v", "0")

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.enums import Authority  # noqa: E402
from accounts.models import Organisation  # noqa: E402
from bench.scale_probe import HUNAN, logged_in, staff  # noqa: E402

AREAS = {
    "queries (cursor execute)": ("django/db/backends/utils.py", "_execute"),
    "template rendering": ("django/template/base.py", "render"),
    "admin cells (items_for_result)": ("django/contrib/admin/templatetags/admin_list.py", "items_for_result"),
    "lean rows (review.staff.rows)": ("review/staff/rows.py", "rows"),
    "session load": ("django/contrib/sessions/backends/base.py", "_get_session"),
    "user load": ("django/contrib/auth/__init__.py", "get_user"),
}


def client_and_path(page: str):
    if page == "official_queue":
        return logged_in(staff("bench-mct-hunan", Authority.MCT)), "/staff/filings/filing/"
    if page == "nrta_queue":
        return logged_in(staff("bench-nrta-hunan", Authority.NRTA)), "/staff/awards/nomination/"
    if page == "applicant_status":
        unit = (
            Organisation.objects.filter(province=HUNAN, kind="enterprise", administrator__isnull=False)
            .annotate(n=Count("filings"))
            .order_by("-n", "id")
            .first()
        )
        return logged_in(unit.administrator), "/filings/status/"
    raise SystemExit(f"unknown page {page}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("page")
    parser.add_argument("--path", help="another path for the same actor (e.g. with a query string)")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    client, path = client_and_path(args.page)
    path = args.path or path
    assert client.get(path, secure=True).status_code == 200
    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        client.get(path, secure=True)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    print(f"{path}: median {timings[len(timings) // 2]:.1f} ms, min {timings[0]:.1f} ms over {args.repeat}")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, secure=True)
    queries = captured.captured_queries
    print(
        f"{len(queries)} queries, {sum(float(q['time']) for q in queries) * 1000:.1f} ms, {len(response.content)} bytes"
    )
    for q in sorted(queries, key=lambda q: float(q["time"]), reverse=True)[:5]:
        print(f"  {float(q['time']) * 1000:6.1f} ms  {q['sql'][:160]}")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        client.get(path, secure=True)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = max(v[3] for v in stats.stats.values()) / 5
    print(f"\nprofiled: {total * 1000:.1f} ms per request (with profiler overhead); by area:")
    for label, (file_end, func) in AREAS.items():
        cum = max(
            (v[3] for (f, _l, name), v in stats.stats.items() if f.endswith(file_end) and name == func), default=0
        )
        if cum:
            print(f"  {label:<34} {cum / 5 * 1000:7.1f} ms  {cum / 5 / total * 100:5.1f} %")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
