"""统计分析 cached per scope and period: the second view costs no aggregate, a transition shows at once,
and one scope never reads another's figures."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.enums import Authority, StaffLevel
from filings.enums import FilingState
from tests.factories import StaffFactory
from tests.filings.factories import EnterpriseFactory, make_filing

pytestmark = pytest.mark.django_db
MCT = "/supervision/statistics/mct/"
HUNAN, BEIJING = "430000", "110000"


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.STATISTICS_CACHE_SECONDS = 600


def staff(level=StaffLevel.PROVINCE, province=HUNAN):
    return StaffFactory(profile__authority=Authority.MCT, profile__level=level, profile__province=province)


def province_rows(client):
    response = client.get(MCT + "export/province.csv")
    assert response.status_code == 200
    _header, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return {r[0]: r[1:] for r in rows}


def aggregates(queries) -> int:
    return sum("COUNT(" in q["sql"] and "filings_" in q["sql"] for q in queries.captured_queries)


def test_second_view_reads_the_cache_and_a_submission_shows_at_once(client, django_capture_on_commit_callbacks):
    hunan_unit = EnterpriseFactory(province=HUNAN)
    make_filing(organisation=hunan_unit, state=FilingState.SUBMITTED)
    client.force_login(staff())
    with CaptureQueriesContext(connection) as first:
        assert province_rows(client)["湖南省"][0] == "1"
    with CaptureQueriesContext(connection) as second:
        assert province_rows(client)["湖南省"][0] == "1"
        assert client.get(MCT).status_code == 200  # the page and its exports share the tables
    assert aggregates(first) >= 5
    assert aggregates(second) == 0

    with django_capture_on_commit_callbacks(execute=True):  # the engine tells after its commit
        make_filing(organisation=hunan_unit, state=FilingState.APPROVED)  # 提交, 受理, 通过
    assert province_rows(client)["湖南省"][0] == "2"


def test_one_scope_never_reads_another_scopes_tables(client):
    make_filing(organisation=EnterpriseFactory(province=HUNAN), state=FilingState.SUBMITTED)
    make_filing(organisation=EnterpriseFactory(province=BEIJING), state=FilingState.SUBMITTED)
    client.force_login(staff(StaffLevel.MINISTRY, ""))
    assert set(province_rows(client)) == {"湖南省", "北京市"}
    client.force_login(staff())
    assert set(province_rows(client)) == {"湖南省"}
    client.force_login(staff(province=BEIJING))
    assert set(province_rows(client)) == {"北京市"}


def test_no_cache_when_switched_off(client, settings):
    settings.STATISTICS_CACHE_SECONDS = 0
    make_filing(organisation=EnterpriseFactory(province=HUNAN), state=FilingState.SUBMITTED)
    client.force_login(staff())
    province_rows(client)
    with CaptureQueriesContext(connection) as again:
        province_rows(client)
    assert aggregates(again) >= 5
