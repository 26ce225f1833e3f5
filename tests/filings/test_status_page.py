"""受理状态 at national scale (issue 11): the count stops at a cap and says so, rows carry what they show (one
query each kind, whatever the unit holds), and a unit sees its own rows only."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from filings.enums import FilingKind, FilingState
from review.staff.pagination import CappedPaginator

from .factories import EnterpriseFactory, applicant, make_change, make_filing

pytestmark = pytest.mark.django_db
STATUS = reverse("filings:status")


def listed(html: str) -> list[list[str]]:
    rows = re.findall(r'<tr data-testid="status-row">(.*?)</tr>', html, re.S)
    return [[re.sub(r"<[^>]+>|\s+", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)] for row in rows]


def test_the_status_count_stops_at_the_cap_and_says_so(member_client, unit, member, monkeypatch):
    for i in range(5):
        make_filing(organisation=unit, by=member, state=FilingState.DRAFT, complete=False, name=f"草稿{i}")
    monkeypatch.setattr(CappedPaginator, "cap", 3)

    with CaptureQueriesContext(connection) as captured:
        html = member_client.get(STATUS).content.decode()

    counts = [
        q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT COUNT(*)") and "UNION" in q["sql"]
    ]
    assert len(counts) == 1 and "LIMIT 4" in counts[0]  # never over the unit's whole history
    assert 'data-testid="count-capped"' in html and "超过 3 条" in html
    assert len(listed(html)) == 3

    monkeypatch.setattr(CappedPaginator, "cap", 10)
    html = member_client.get(STATUS).content.decode()
    assert 'data-testid="count-capped"' not in html
    assert len(listed(html)) == 5


def test_rows_show_type_name_state_and_a_change_as_its_programmes_type(member_client, unit, member):
    approved = make_filing(organisation=unit, by=member, state=FilingState.APPROVED, name="洞庭秋月")
    change = make_change(approved, by=member, state=FilingState.SUBMITTED)
    imported = make_filing(organisation=unit, by=member, kind=FilingKind.IMPORT, state=FilingState.DRAFT, name="")

    rows = listed(member_client.get(STATUS).content.decode())

    by_reference = {row[3]: row for row in rows}
    assert by_reference[change.reference][1:5] == [
        "演出变更（国产网络演出剧(节)目备案）",
        "洞庭秋月",
        change.reference,
        "待受理",
    ]
    assert by_reference[approved.reference][1:5] == [
        "国产网络演出剧(节)目备案",
        "洞庭秋月",
        approved.reference,
        "已通过",
    ]
    assert by_reference["—"][1:5] == ["进口网络演出剧(节)目内容审查", "（未命名）", "—", "草稿"]
    assert imported.reference == ""


def test_a_unit_sees_its_own_rows_and_not_another_units(client, unit, member):
    own = make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED, name="本单位节目")
    other_unit = EnterpriseFactory(name="另一家文化公司")
    other = make_filing(organisation=other_unit, state=FilingState.SUBMITTED, name="别家节目")

    client.force_login(member)
    mine = client.get(STATUS).content.decode()
    client.force_login(applicant(other_unit))
    theirs = client.get(STATUS).content.decode()

    assert own.reference in mine and other.reference not in mine
    assert other.reference in theirs and own.reference not in theirs


def test_the_rows_are_read_in_as_many_queries_for_two_rows_as_for_twenty(member_client, unit, member):
    def queries() -> int:
        member_client.get(STATUS)
        with CaptureQueriesContext(connection) as captured:
            member_client.get(STATUS)
        return len(captured.captured_queries)

    approved = make_filing(organisation=unit, by=member, state=FilingState.APPROVED)
    make_change(approved, by=member, state=FilingState.SUBMITTED)
    few = queries()
    for _i in range(9):
        make_change(make_filing(organisation=unit, by=member, state=FilingState.APPROVED), by=member)
    assert queries() == few
