"""The reviewers' queues of filings and change requests are written by review.staff.rows (issue 11): one
query of plain values and the admin's own markup, cell for cell, without its per-cell machinery."""

from __future__ import annotations

import re

import pytest
from django.contrib.admin.utils import quote
from django.urls import reverse
from django.utils import timezone

from filings.admin import ChangeRequestAdmin, FilingAdmin
from filings.enums import FilingKind, FilingState
from filings.models import Filing
from tests.review.lean_rows import both_renderings, cells, table_body

from .factories import EnterpriseFactory, make_change, make_filing, ministry, official

pytestmark = pytest.mark.django_db
QUEUE = reverse("staff:filings_filing_changelist")
CHANGES = reverse("staff:filings_changerequest_changelist")


@pytest.fixture
def rows(db):
    hunan = EnterpriseFactory(name="湖南<星辰>文化传媒有限公司", province="430000")
    beijing = EnterpriseFactory(name="北京示例文化传媒有限公司", province="110000")
    made = {
        "submitted": make_filing(organisation=hunan, state=FilingState.SUBMITTED, name="湘江夜话 & 春"),
        "reviewing": make_filing(organisation=hunan, state=FilingState.REVIEWING, name="岳麓书声"),
        "approved": make_filing(organisation=hunan, state=FilingState.APPROVED, name="洞庭秋月"),
        "returned": make_filing(organisation=hunan, state=FilingState.RETURNED, name=""),
        "import": make_filing(organisation=hunan, kind=FilingKind.IMPORT, state=FilingState.SUBMITTED, name="海外来客"),
        "beijing": make_filing(organisation=beijing, state=FilingState.SUBMITTED, name="京城夜曲"),
    }
    made["change"] = make_change(made["approved"], state=FilingState.SUBMITTED, name="洞庭秋月（新版）")
    return made


@pytest.mark.parametrize(
    "params",
    [{}, {"queue": "pending"}, {"o": "2.-7"}, {"q": "湖南"}, {"status": "approved"}, {"type": "filing.import"}],
)
def test_the_filing_queue_is_the_admins_own_markup(client, monkeypatch, rows, params):
    client.force_login(official("430000"))

    lean, own = both_renderings(client, monkeypatch, FilingAdmin, QUEUE, params)

    assert lean == own
    assert lean.count("<tr>") == len(re.findall(r'class="action-select"', lean)) > 0


def test_the_ministry_queue_and_the_change_queue_are_the_admins_own_markup(client, monkeypatch, rows):
    client.force_login(ministry())
    for params in ({}, {"province": "110000"}, {"o": "-3"}):
        lean, own = both_renderings(client, monkeypatch, FilingAdmin, QUEUE, params)
        assert lean == own and "<tr>" in lean, params
    client.force_login(official("430000"))
    lean, own = both_renderings(client, monkeypatch, ChangeRequestAdmin, CHANGES)
    assert lean == own
    assert rows["change"].reference in lean


def test_a_row_shows_what_the_official_reads_and_links_to_its_review_page(client, rows):
    client.force_login(official("430000"))

    body = table_body(client.get(QUEUE, {"queue": "pending"}).content.decode())

    submitted = rows["submitted"]
    when = timezone.localtime(submitted.submitted_at)
    row = next(r for r in cells(body) if r[1] == submitted.reference)
    assert row[2:7] == [
        "湘江夜话 &amp; 春",
        "湖南&lt;星辰&gt;文化传媒有限公司",
        "国产网络演出剧(节)目备案",
        "待受理",
        "湖南省",
    ]
    assert row[7].startswith(f"{when.year}年{when.month}月{when.day}日")
    assert f'value="{submitted.pk}"' in body
    link = f'<th class="field-reference"><a href="/staff/filings/filing/{quote(submitted.public_id)}/change/?_changelist_filters=queue%3Dpending">'
    assert link in body
    assert f'aria-label="选择此对象执行操作 - {submitted.reference} 湘江夜话 &amp; 春"' in body


def test_rows_are_scoped_the_right_province_sees_them_another_does_not(client, rows):
    client.force_login(official("430000"))
    hunan = client.get(QUEUE).content.decode()
    client.force_login(official("110000"))
    beijing = client.get(QUEUE).content.decode()

    assert rows["submitted"].reference in hunan and rows["beijing"].reference not in hunan
    assert rows["beijing"].reference in beijing and rows["submitted"].reference not in beijing


def test_the_queue_never_renders_cell_by_cell_and_reads_its_rows_once(client, monkeypatch, rows):
    from django.contrib.admin.templatetags import admin_list
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def refuse(*args, **kwargs):
        raise AssertionError("items_for_result called")

    monkeypatch.setattr(admin_list, "items_for_result", refuse)
    client.force_login(official("430000"))
    client.get(QUEUE)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(QUEUE)
    reads = [q["sql"] for q in captured.captured_queries if q["sql"].startswith('SELECT "filings_filing"."id" AS "pk"')]
    assert page.status_code == 200
    assert len(reads) == 1
    assert Filing.objects.filter(province="430000").exclude(state="draft").count() == page.content.decode().count(
        'class="action-select"'
    )
