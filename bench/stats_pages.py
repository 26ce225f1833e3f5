"""Statistics benchmark (``make bench``): every 统计分析 page and export on a generated PostgreSQL volume.

The database ``BENCH_STATS_DB`` (default postgres://postgres@127.0.0.1:5432/portal_bench_100000, the database bench/scale.py makes for 100,000 filings) is generated
once with ``manage.py generate_volume --filings 100000 --nominations 20000 --units 2000`` (kept between
runs; ``--regenerate`` makes it anew). Printed per page and viewer: the server time of a cold page (the
tables' cache emptied before each of 3 requests: the aggregates themselves, median), of a cached one (median
of 5: supervision.statistics.cache) and their numbers of queries, in-process through the test client.
Target: every page under one second — cold.

    python bench/stats_pages.py [--filings 100000] [--regenerate] [--strict]
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
DB = os.environ.get("BENCH_STATS_DB", "postgres://postgres@127.0.0.1:5432/portal_bench_100000")
PAGES = (
    ("mct-ministry", "mct", "ministry", "", "/supervision/statistics/mct/"),
    ("mct-hunan", "mct", "province", "430000", "/supervision/statistics/mct/"),
    ("mct-ministry", "mct", "ministry", "", "/supervision/statistics/mct/export/time_province.xlsx"),
    ("nrta-ministry", "nrta", "ministry", "", "/supervision/statistics/nrta/"),
    ("nrta-hunan", "nrta", "province", "430000", "/supervision/statistics/nrta/"),
    ("nrta-ministry", "nrta", "ministry", "", "/supervision/statistics/nrta/export/reasons.csv"),
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


def prepare(filings: int, regenerate: bool) -> dict[str, str]:
    name = DB.rsplit("/", 1)[1]
    env = {**os.environ, "DATABASE_URL": DB, "DJANGO_SETTINGS_MODULE": "portal.settings.dev"}
    exists = _psql(f"SELECT count(*) FROM pg_database WHERE datname = '{name}'") == 1  # noqa: S608 (our own name)
    if exists and regenerate:
        _psql(f'DROP DATABASE "{name}" WITH (FORCE)')
        exists = False
    if not exists:
        _psql(f'CREATE DATABASE "{name}"')
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    have = _psql("SELECT count(*) FROM filings_filing", name)
    if have < filings:
        args = ["--filings", str(filings - have), "--nominations", str(filings // 5), "--units", str(filings // 50)]
        subprocess.run([*manage, "generate_volume", *args], cwd=ROOT, env=env, check=True)
    os.environ.update({"DATABASE_URL": DB, "DJANGO_SETTINGS_MODULE": "portal.settings.dev"})
    return env


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--filings", type=int, default=100_000)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--strict", action="store_true")
    args = parser.parse_args(argv)
    try:
        prepare(args.filings, args.regenerate)
    except Exception as error:  # noqa: BLE001 (no PostgreSQL here: say so, do not fail make bench)
        print(f"statistics benchmark skipped (PostgreSQL at {DB}: {error})")
        return 0
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import StaffProfile, User
    from filings.models import Filing

    print(f"\n统计分析 benchmark — {Filing.objects.count():,} filings, PostgreSQL, in-process (test client)")
    print(f"{'viewer':<14} {'page':<58} {'cold ms':>8} {'queries':>7} {'cached ms':>9} {'queries':>7}")
    from supervision.statistics import cache as stats_cache

    def timed(client, path, cold: bool):
        if cold:
            stats_cache.bump()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            assert client.get(path, secure=True).status_code == 200, path
            return (time.perf_counter() - started) * 1000, len(queries.captured_queries)

    missed = 0
    for username, authority, level, province, path in PAGES:
        user, _ = User.objects.get_or_create(username=f"bench-stats-{username}", defaults={"full_name": "统计"})
        StaffProfile.objects.get_or_create(
            user=user, defaults={"authority": authority, "level": level, "province": province}
        )
        client = Client()
        client.force_login(user)
        timed(client, path, cold=True)  # warm-up (connections, templates)
        cold = sorted(timed(client, path, cold=True) for _i in range(3))[1]
        warm = sorted(timed(client, path, cold=False) for _i in range(5))[2]
        missed += cold[0] >= 1000
        print(f"{username:<14} {path:<58} {cold[0]:>8.0f} {cold[1]:>7} {warm[0]:>9.0f} {warm[1]:>7}")
    print(
        f"target: every page < 1000 ms cold (cache: {stats_cache.seconds()} s) —",
        "ok" if not missed else f"MISSED on {missed} page(s)",
    )
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    raise SystemExit(main())
