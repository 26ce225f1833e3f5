"""Run by bench/scale.py under the portal's production settings, against one generated database.

Finds (or makes) the benchmark's actors and objects, logs them in, measures each page in-process
(queries, server time, the slowest queries' plans) and prints one JSON object on stdout:
{"pages": {name: {"path", "cookie", "queries", "server_ms", "plans"}}, "cookie_name": …}.
"""

from __future__ import annotations

import json
import os
import sys
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
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.enums import Authority, StaffLevel  # noqa: E402
from accounts.models import Organisation, StaffProfile, User  # noqa: E402
from filings.models import Filing  # noqa: E402
from review.models import Certificate  # noqa: E402

HUNAN = "430000"


def staff(username: str, authority: str) -> User:
    user, _ = User.objects.get_or_create(username=username, defaults={"full_name": "压测审核员", "is_staff": True})
    StaffProfile.objects.get_or_create(
        user=user, defaults={"authority": authority, "level": StaffLevel.PROVINCE, "province": HUNAN}
    )
    return user


def logged_in(user: User | None) -> Client:
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    if user is not None:
        client.force_login(user)
    return client


def plan_shape(sql: str) -> list[str]:
    """The node lines of EXPLAIN ANALYZE (no costs): what the plan does, not its numbers."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + sql)
        lines = [row[0] for row in cursor.fetchall()]
    return [line.rstrip() for line in lines if "->" in line or not line.startswith(" ")][:8]


def measure(client: Client, path: str, repeat: int = 7) -> dict:
    first = client.get(path, secure=True)
    if first.status_code != 200:
        return {"path": path, "status": first.status_code}
    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path, secure=True)
            timings.append((time.perf_counter() - started) * 1000)
    assert response.status_code == 200, (path, response.status_code)
    slowest = sorted(captured.captured_queries, key=lambda q: float(q["time"]), reverse=True)[:2]
    plans = []
    for query in slowest:
        sql = query["sql"]
        if sql.lstrip().upper().startswith("SELECT"):
            plans.append({"ms": round(float(query["time"]) * 1000, 1), "shape": plan_shape(sql)})
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    return {
        "path": path,
        "status": 200,
        "queries": len(captured.captured_queries),
        "server_ms": round(_median(timings), 1),
        "plans": plans,
        "cookie": f"{settings.SESSION_COOKIE_NAME}={cookie.value}" if cookie else "",
    }


def main() -> None:
    pages: dict[str, dict] = {}
    official = logged_in(staff("bench-mct-hunan", Authority.MCT))
    pages["official_queue"] = measure(official, "/staff/filings/filing/")
    filing = Filing.objects.filter(province=HUNAN).exclude(state="draft").order_by("-submitted_at", "-id").first()
    if filing is not None:
        pages["official_detail"] = measure(official, f"/staff/filings/filing/{filing.public_id}/change/")

    nrta = logged_in(staff("bench-nrta-hunan", Authority.NRTA))
    pages["nrta_queue"] = measure(nrta, "/staff/awards/nomination/")

    unit = (
        Organisation.objects.filter(province=HUNAN, kind="enterprise", administrator__isnull=False)
        .annotate(n=Count("filings"))
        .order_by("-n", "id")
        .first()
    )
    if unit is not None:
        applicant = logged_in(unit.administrator)
        pages["applicant_status"] = measure(applicant, "/filings/status/")
        draft = Filing.objects.filter(organisation=unit, state="draft").order_by("id").first()
        if draft is not None:
            pages["applicant_editor"] = measure(applicant, f"/filings/applications/{draft.public_id}/edit/")

    certificate = Certificate.objects.filter(status="valid").order_by("id").first()
    if certificate is not None:
        pages["verify"] = measure(logged_in(None), f"/verify/{certificate.token}/")
    print(json.dumps({"pages": pages, "filings": Filing.objects.count()}, ensure_ascii=False))


if __name__ == "__main__":
    main()
