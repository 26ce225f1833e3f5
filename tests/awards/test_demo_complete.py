"""``manage.py demo`` shows a whole NRTA quarter cycle at once (issue 8, "Demo data and browser tests").

After the demo command on a fresh database: a quarter open to applicants today,
a quarter in provincial review with 湖南 at 9/10 (and works still 待初审), a
quarter in 公示, a published quarter with its certificates, nominations in every
state, an expert assigned with a demo login and work left to do, and the NRTA
accounts in the printed table; a second run changes nothing. Checked as the
people of the demo see it (pages through the test client) where that is what
they would check. The awards clock stands at 2026-06-01 10:00 Beijing time
(tests/awards/conftest.py); a second day, inside the two weeks after an
applicant deadline, has the previous quarter's round still open.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from awards import calendar, selectors
from awards.enums import NominationState, ObjectionStatus, ProjectKind
from awards.models import (
    ConflictDeclaration,
    ExpertAssignment,
    Nomination,
    Objection,
    Platform,
    Project,
    Publicity,
    QuotaLedger,
    Score,
)
from awards.services import publication
from awards.services.validation import project_closed_reason
from review.models import Certificate, OutboxEvent, ReviewRecord

# The demo commits as on `make run` (its certificates are issued by the outbox after each commit).
pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Demo2026portal"
HUNAN = "430000"
# Inside the two weeks after 2026 Q2's applicant deadline: Q3 takes nominations, Q2's round is still open.
AFTER_DEADLINE = datetime(2026, 6, 20, 10, 0, tzinfo=calendar.BEIJING)


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """What a second run must leave exactly as it was."""
    return {
        "nominations": sorted(Nomination.objects.values_list("public_id", "state", "reference", "updated_at")),
        "ledgers": sorted(QuotaLedger.objects.values_list("year", "quarter", "province", "used", "limit")),
        "records": ReviewRecord.objects.count(),
        "certificates": sorted(Certificate.objects.values_list("number", "status", "token")),
        "projects": Project.objects.count(),
        "platforms": Platform.objects.count(),
        "publicities": sorted(Publicity.objects.values_list("year", "quarter", "starts_on", "ends_on", "published_at")),
        "objections": Objection.objects.count(),
        "assignments": ExpertAssignment.objects.count(),
        "declarations": ConflictDeclaration.objects.count(),
        "scores": Score.objects.count(),
        "users": User.objects.count(),
        "outbox": OutboxEvent.objects.count(),
    }


def table_rows(output: str) -> dict[str, str]:
    """The printed table of demo accounts: {account: the rest of its line}."""
    table = output.split("演示账号（密码均为 Demo2026portal）：", 1)[1]
    rows = {}
    for line in table.splitlines():
        match = re.match(r"^(\S+)\s{2,}(.+)$", line)
        if match:
            rows[match[1]] = re.sub(r"\s{2,}", " | ", match[2].strip())
    return rows


def page(client, user: User | None, path: str) -> str:
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return re.sub(r"\s+", " ", response.content.decode())


def check_complete(client, output: str) -> dict:
    """Every promise of the demo; returns the quarters it found (for the caller's own checks)."""
    now = timezone.now()
    today = calendar.beijing_date(now)
    open_year, open_quarter = calendar.applicant_quarter(today)

    # 1. A quarter taking nominations today, both kinds, on the institution's 项目申报.
    open_projects = Project.objects.filter(year=open_year, quarter=open_quarter)
    assert sorted(open_projects.values_list("kind", flat=True)) == sorted(ProjectKind.values)
    assert [project_closed_reason(p) for p in open_projects] == ["", ""]
    institution = User.objects.get(username="instdemo")
    projects_page = page(client, institution, "/awards/")
    assert open_projects.get(kind=ProjectKind.INSTITUTION).title in projects_page

    # 2. A quarter in provincial review: 湖南 at 9/10, works still 待初审, the deadline ahead.
    review = selectors.review_quarter(now)
    ledger = QuotaLedger.objects.get(year=review.year, quarter=review.quarter, province=HUNAN)
    assert (ledger.used, ledger.limit) == (9, 10)
    hunan = Nomination.objects.filter(year=review.year, quarter=review.quarter, province=HUNAN)
    assert hunan.filter(state=NominationState.RECOMMENDED).count() == 9
    assert hunan.filter(state=NominationState.PENDING).count() >= 2
    assert not calendar.deadline_passed(
        Project.objects.filter(year=review.year, quarter=review.quarter).first().provincial_deadline, now
    )
    official = User.objects.get(username="nrta-hunan")
    queue = page(client, official, "/staff/awards/nomination/?queue=pending")
    assert f"{review.label}" in queue and "已推荐 9/10" in queue and "还可推荐 1 件" in queue

    # 3. A quarter in 公示 today, with 入选 works on its public page and an objection to dispose of.
    showing = [p for p in Publicity.objects.all() if publication.publicity_state(p, now).key == "open"]
    assert len(showing) == 1
    publicity = showing[0]
    selected = Nomination.objects.filter(year=publicity.year, quarter=publicity.quarter, state=NominationState.SELECTED)
    assert selected.exists()
    assert publicity.objections.filter(status=ObjectionStatus.PENDING).count() == 1
    public = page(client, None, f"/awards/publicity/{publicity.year}/{publicity.quarter}/")
    assert all(work.name in public for work in selected)

    # 4. A published quarter: its list public, a certificate for every work on it (the withdrawn one revoked).
    done = Publicity.objects.filter(published_at__isnull=False)
    assert done.count() == 1
    done = done.get()
    listed = Nomination.objects.filter(
        year=done.year, quarter=done.quarter, state__in=[NominationState.PUBLISHED, NominationState.WITHDRAWN]
    )
    certificates = {
        c.object_id: c.status for c in Certificate.objects.filter(kind__startswith="awards.", object_id__in=listed)
    }
    expected = {n.pk: "valid" if n.state == NominationState.PUBLISHED else "revoked" for n in listed}
    assert certificates == expected and "revoked" in expected.values()
    results = page(client, None, f"/awards/results/{done.year}/{done.quarter}/")
    assert all(n.name in results for n in listed)
    assert (done.year, done.quarter) < (publicity.year, publicity.quarter) < (open_year, open_quarter)

    # 5. Nominations in every state.
    states = Counter(Nomination.objects.values_list("state", flat=True))
    assert set(states) == set(NominationState.values), set(NominationState.values) - set(states)

    # 6. expert-1: a demo login, assigned to the quarter in 专家评议, with works left to declare and score.
    expert = User.objects.get(username="expert-1")
    assert expert.check_password(PASSWORD)
    works = Nomination.objects.filter(state=NominationState.IN_EXPERT_REVIEW)
    quarters = set(works.values_list("year", "quarter"))
    assignment = ExpertAssignment.objects.get(expert=expert)
    assert quarters == {(assignment.year, assignment.quarter)}
    assert works.exclude(scores__assignment=assignment).exists()
    tasks = page(client, expert, "/awards/expert/")
    assert "待声明利益冲突" in tasks

    # 7. The NRTA accounts in the printed table.
    rows = table_rows(output)
    assert rows["nrta-hunan"] == "国家广播电视总局 省级审核人员 | 湖南省"
    assert rows["nrta-ministry"] == "国家广播电视总局 部级工作人员 | -"
    assert rows["expert-1"] == "国家广播电视总局 评审专家 | -"
    for account in ("nrta-hunan", "nrta-ministry", "instdemo", "persondemo"):
        assert User.objects.get(username=account).check_password(PASSWORD), account
    return {"review": review, "publicity": publicity, "published": done}


def test_demo_holds_a_whole_quarter_cycle_and_a_second_run_changes_nothing(client):
    output = run_demo()
    found = check_complete(client, output)

    # On 2026-06-01: Q2 takes nominations and is the round under way; Q1 in 专家评议; 2025 Q4 in 公示;
    # 2025 Q3 published (one quarter each, so no 公示 holds works still being scored).
    assert (found["review"].year, found["review"].quarter) == (2026, 2)
    assert (found["publicity"].year, found["publicity"].quarter) == (2025, 4)
    assert (found["published"].year, found["published"].quarter) == (2025, 3)
    assert "湖南省推荐名额 已推荐 9/10，nrta-hunan 还可推荐 1 件" in output
    # The demo institution has a 退回修改 to correct, with the reason it reads.
    returned = Nomination.objects.get(organisation__administrator__username="instdemo", state=NominationState.RETURNED)
    assert (returned.get_reason_category_display(), returned.reason_comment) == (
        "材料不全",
        "版权承诺书未加盖单位公章，请补充盖章后的扫描件再申报。",
    )
    mine = page(client, User.objects.get(username="instdemo"), "/awards/mine/?tab=draft")
    assert returned.name in mine and "退回修改" in mine

    before = snapshot()
    again = run_demo()
    assert snapshot() == before
    assert "湖南省推荐名额 已推荐 9/10，nrta-hunan 还可推荐 1 件" in again


def test_demo_right_after_an_applicant_deadline_keeps_the_round_under_way(client, clock):
    clock.move_to(AFTER_DEADLINE)
    output = run_demo()
    found = check_complete(client, output)

    # Q3 takes nominations, but the round officials see is Q2's, open until 06-30.
    assert calendar.applicant_quarter(AFTER_DEADLINE.date()) == (2026, 3)
    assert (found["review"].year, found["review"].quarter) == (2026, 2)
