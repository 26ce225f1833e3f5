"""日常巡查 benchmark: the refresh job and the officials' list on a 100,000-filing PostgreSQL volume.

The database ``BENCH_INSPECTIONS_DB`` (default postgres://postgres@127.0.0.1:5432/portal_bench_inspections)
is made once as a copy of bench/scale.py's ``portal_bench_100000`` (``manage.py generate_volume
--filings 100000``), so the cases the refresh opens stay out of the other benchmarks' database. Printed: the
first refresh (opens every case) and a second one (nothing to do), then the server time (median of 5,
in-process through the test client) and queries of the /staff/ index, the list (plain, filtered, searched,
a far page), a case page and the xlsx export, for a 湖南 official and for ministry staff.
Target: every list page under one second.

    python bench/inspections.py [--strict]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = os.environ.get("BENCH_INSPECTIONS_DB", "postgres://postgres@127.0.0.1:5432/portal_bench_inspections")
SOURCE = os.environ.get("BENCH_INSPECTIONS_SOURCE", "portal_bench_100000")
LIST = "/staff/inspections/inspectioncase/"
PAGES = (
    ("/staff/", False),
    (LIST, True),
    (LIST + "?kind=overdue&queue=pending", True),
    (LIST + "?q=%E9%9F%B3%E4%B9%90", True),  # 音乐
    (LIST + "?p=20", True),
    ("/supervision/statistics/mct/", False),
)


def _psql(sql: str, database: str = "postgres"):
    import psycopg2

    base, _name = DB.rsplit("/", 1)
    conn = psycopg2.connect(f"{base}/{database}")
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0] if cursor.description else None
    finally:
        conn.close()


def prepare() -> None:
    name = DB.rsplit("/", 1)[1]
    if _psql(f"SELECT count(*) FROM pg_database WHERE datname = '{name}'") != 1:  # noqa: S608 (our own name)
        if _psql(f"SELECT count(*) FROM pg_database WHERE datname = '{SOURCE}'") != 1:  # noqa: S608
            sys.exit(f"{SOURCE} is missing: run bench/scale.py --sizes 100000 first")
        print(f"copying {SOURCE} to {name} …", flush=True)
        _psql(f'CREATE DATABASE "{name}" TEMPLATE "{SOURCE}"')
    env = {**os.environ, "DATABASE_URL": DB, "DJANGO_SETTINGS_MODULE": "portal.settings.dev"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)


def _staff(username: str, level: str, province: str):
    from accounts.models import StaffProfile, User

    user, _ = User.objects.get_or_create(username=username, defaults={"full_name": username})
    StaffProfile.objects.update_or_create(
        user=user, defaults={"authority": "mct", "level": level, "province": province}
    )
    return User.objects.get(pk=user.pk)


def run(strict: bool) -> int:
    os.environ["DATABASE_URL"] = DB
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.admin.utils import quote
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from filings.models import Filing
    from supervision.inspections.models import InspectionCase
    from supervision.inspections.refresh import refresh

    settings.ALLOWED_HOSTS = ["*"]
    print(f"filings {Filing.objects.count():,}")
    for label in ("refresh", "refresh again"):
        started = time.monotonic()
        result = refresh()
        print(f"{label:14} {time.monotonic() - started:6.2f} s  {result.as_dict()}", flush=True)
    print(
        f"cases {InspectionCase.objects.count():,} (湖南 {InspectionCase.objects.filter(province='430000').count():,})"
    )
    slow = []
    for user in (_staff("bench-insp-hunan", "province", "430000"), _staff("bench-insp-ministry", "ministry", "")):
        client = Client()
        client.force_login(user)
        case = InspectionCase.objects.filter(**({"province": "430000"} if "hunan" in user.username else {})).first()
        pages = [
            *PAGES,
            (f"{LIST}{quote(case.public_id)}/change/", True),
            (f"{LIST}export/xlsx/?kind=unapproved", False),
        ]
        for url, is_list in pages:
            times = []
            for _ in range(5 if "export" not in url else 1):
                # DEBUG's query log is a deque of 9,000: full after the refresh, it would capture nothing
                reset_queries()
                with CaptureQueriesContext(connection) as ctx:
                    started = time.monotonic()
                    response = client.get(url)
                    times.append(time.monotonic() - started)
                assert response.status_code == 200, (url, response.status_code)
            median = sorted(times)[len(times) // 2]  # (bench/ may hold a statistics.py: no stdlib import)
            if is_list and median >= 1.0:
                slow.append(url)
            print(f"{user.username:20} {url[:72]:72} {median * 1000:8.1f} ms  {len(ctx.captured_queries):3} queries")
    if slow:
        print("over one second:", *slow)
    return 1 if strict and slow else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true", help="exit 1 when a list page takes a second or more")
    args = parser.parse_args()
    prepare()
    return run(args.strict)


if __name__ == "__main__":
    sys.exit(main())
