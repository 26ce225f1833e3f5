"""NRTA side of supervision: the 行政指导 link, the guidance wording per programme, the quota in the statistics."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from accounts.enums import Authority, OrganisationKind, StaffLevel
from awards import bureaus, calendar, demo_quarters
from awards.enums import NominationState
from awards.models import QUOTA_DEFAULT, Nomination, QuotaLedger
from tests.awards.factories import InstitutionFactory, ProjectFactory, applicant, make_nomination, set_state
from tests.factories import ApplicantFactory, OrganisationFactory, StaffFactory

HUNAN = "430000"
NRTA_STATS = "/supervision/statistics/nrta/"
# Late 2026 Q4 (as on the review's `make run`): Q1–Q3 are past quarters of the statistics' default period.
NOW = datetime(2026, 12, 4, 10, 0, tzinfo=calendar.BEIJING)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def nrta_institution():
    org = OrganisationFactory(name="湖南示例网络视听机构", kind=OrganisationKind.INSTITUTION, province=HUNAN)
    return ApplicantFactory(organisation=org, username="nrtainst", phone=None)


def rows_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    _header, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return {r[0]: r[1:] for r in rows}  # {季度: [申报, 推荐, 推荐名额, 已用名额, 使用率]}


# --- 1. the 行政指导 link ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_nrta_institution_sees_the_guidance_link_and_the_page_opens(client):
    client.force_login(nrta_institution())
    home = client.get(reverse("home")).content.decode()
    link = f'href="{reverse("guidance:list")}"'
    assert 'data-testid="header-guidance"' in home and link in home
    assert client.get(reverse("guidance:list")).status_code == 200


@pytest.mark.django_db
def test_anonymous_visitor_and_officials_do_not_see_the_guidance_link(client):
    assert 'data-testid="header-guidance"' not in client.get(reverse("home")).content.decode()
    client.force_login(StaffFactory(profile__authority=Authority.NRTA))
    assert 'data-testid="header-guidance"' not in client.get(reverse("home")).content.decode()


# --- 2. the intro of 我的咨询 per programme ------------------------------------------------------------------


@pytest.mark.django_db
def test_guidance_intro_is_worded_per_programme(client):
    client.force_login(nrta_institution())
    nrta = client.get(reverse("guidance:list")).content.decode()
    assert "网络视听节目" in nrta and "省级广播电视局" in nrta
    assert "网络演出剧" not in nrta

    client.force_login(ApplicantFactory(organisation=OrganisationFactory(name="湖南示例文化公司", province=HUNAN)))
    mct = client.get(reverse("guidance:list")).content.decode()
    assert "网络演出剧（节）目内容自审" in mct and "广播电视局" not in mct


# --- 3. the quota of past quarters in the NRTA statistics ----------------------------------------------------


def recommended_without_ledger(year: int, quarter: int, n: int) -> None:
    """``n`` works of 湖南 written past 推荐 (as the demo writes its history), no ledger row for the quarter."""
    project = ProjectFactory(year=year, quarter=quarter)
    user = applicant(InstitutionFactory(name=f"湖南机构{year}{quarter}", province=HUNAN))
    with time_machine.travel(calendar.start_of_day(project.applicant_deadline) - timedelta(days=3), tick=False):
        for i in range(n):
            nomination = make_nomination(user, project, submit=True, name=f"作品{year}Q{quarter}-{i}")
            set_state(nomination, NominationState.IN_EXPERT_REVIEW)


@pytest.mark.django_db
def test_a_quarter_with_recommended_works_shows_a_quota_at_least_as_large(client, clock):
    recommended_without_ledger(2026, 2, 3)
    assert not QuotaLedger.objects.exists()
    for profile in ({"profile__province": HUNAN}, {"profile__level": StaffLevel.MINISTRY}):
        client.force_login(StaffFactory(profile__authority=Authority.NRTA, **profile))
        row = rows_of(client, NRTA_STATS + "export/quarter.csv")["2026Q2"]
        assert int(row[1]) == 3
        assert int(row[2]) >= 3
        province = rows_of(client, NRTA_STATS + "export/province.csv")["湖南省"]
        assert int(province[2]) == QUOTA_DEFAULT  # one quarter, 湖南 at the default


@pytest.mark.django_db
def test_demo_history_has_the_ledger_its_recommendations_left(clock):
    recommended_without_ledger(2026, 1, 2)
    demo_quarters._history_ledgers()
    demo_quarters._history_ledgers()  # idempotent
    ledger = QuotaLedger.objects.get(year=2026, quarter=1, province=HUNAN)
    assert (ledger.used, ledger.limit) == (2, QUOTA_DEFAULT)


@pytest.mark.django_db(transaction=True)
def test_make_run_demo_every_quarter_with_recommended_works_has_its_quota_and_use(client, clock):
    call_command("demo", stdout=StringIO())
    client.force_login(StaffFactory(profile__authority=Authority.NRTA, profile__level=StaffLevel.MINISTRY))
    rows = rows_of(client, NRTA_STATS + "export/quarter.csv")
    past = {k: v for k, v in rows.items() if int(v[1]) > 0}
    assert len(past) >= 3, rows
    for label, row in past.items():
        year, quarter = int(label[:4]), int(label[5])
        central = Nomination.objects.filter(year=year, quarter=quarter, bureau=bureaus.NRTA_BUREAU).exclude(
            state="draft"
        )
        provincial = int(row[1]) - central.filter(state__in=demo_quarters.PAST_RECOMMEND).count()
        assert int(row[2]) >= int(row[1]), (label, row)
        assert int(row[3]) == provincial, (label, row)
