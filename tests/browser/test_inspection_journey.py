"""日常巡查 end to end in headless Chromium: the 湖南 official finds an overdue programme from the /staff/
index, records a disposal (an empty note first: the error beside the field and on top), and exports the
filtered list; the unit sees the deadline warning on 受理状态. Screenshots go to $PORTAL_SCREENSHOTS
(1280 px, 390 px with no sideways scrolling, and JavaScript off)."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.admin.utils import quote
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from filings.enums import FilingKind
from filings.models import Session
from supervision.inspections import services
from supervision.inspections.enums import CaseStatus
from supervision.inspections.models import InspectionCase
from supervision.inspections.refresh import refresh
from tests.factories import ApplicantFactory, StaffFactory
from tests.filings.factories import EnterpriseFactory, make_filing, png_bytes

pytestmark = pytest.mark.django_db(transaction=True)
OVERDUE = "湘江夜话·线上曲艺专场"
NOTE = "已约谈单位负责人，责令于7日内补办备案。"


def log_in(page, account: str, password: str = "Demo2026portal"):
    page.goto(page.url_for("/accounts/login/"))
    page.get_by_label("账号", exact=True).fill(account)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_label("验证码", exact=True).fill("PASSED")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


def _with_axe(page):
    """axe-core loaded into every page of the context before the portal's scripts (an init script is not
    governed by the page's Content-Security-Policy)."""
    page.context.add_init_script(path=str(AXE))
    return page


def _axe(page, label: str, found: dict) -> None:
    """axe-core's serious and critical findings on the page (collected, asserted once at the end)."""
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.html.slice(0, 160))}))"""
    )
    if violations:
        found[label] = violations


def _programme(unit, name, days_ago, kind=FilingKind.DOMESTIC):
    filing = make_filing(organisation=unit, kind=kind, name=name)
    Session.objects.filter(version__filing=filing).update(starts_at=timezone.now() - timedelta(days=days_ago))
    return filing


def _setup():
    unit = EnterpriseFactory(name="湖南夜话文化传媒有限公司", province="430000")
    ApplicantFactory(organisation=unit, username="13900002222", full_name="李明")
    official = StaffFactory(username="hn-inspector", full_name="湖南文旅审核员")
    _programme(unit, OVERDUE, 40)
    _programme(unit, "柏林爱乐线上音乐季", 3, FilingKind.IMPORT)
    _programme(unit, "湘韵·网络民乐会", 25)
    beijing = EnterpriseFactory(name="北京某文化公司", province="110000")
    _programme(beijing, "北京的逾期节目", 45)
    refresh()
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.record_finding(
        official,
        platform="某短视频平台",
        url="https://live.example.cn/room/889900/a-very-long-address-that-must-wrap-on-a-phone-screen",
        unit_name="长沙夜色文化传播有限公司",
        credit_code="91430100MA4L8YX2KP",
        found_on=timezone.localdate(),
        programme_name="“夜色长沙”付费直播演唱会",
        description="直播间未显示备案编号。",
        files=[SimpleUploadedFile("直播间截图.png", png_bytes(), content_type="image/png")],
    )


def test_official_finds_overdue_programme_disposes_and_exports(new_page, shot):
    _setup()
    axe: dict = {}
    page = _with_axe(new_page())
    log_in(page, "hn-inspector")
    page.goto(page.url_for("/staff/"))
    card = page.get_by_test_id("queue-card").filter(has_text="日常巡查")
    expect(card.locator('[data-queue="pending"] strong')).to_have_text("3")
    shot(page, "inspection-staff-index-1280")
    card.get_by_role("link", name="未办结：逾期未备案 1 件").click()
    expect(page.locator("#result_list")).to_contain_text(OVERDUE)
    expect(page.locator("#result_list")).not_to_contain_text("北京的逾期节目")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    shot(page, "inspection-list-overdue-1280")

    with page.expect_download() as info:
        page.get_by_test_id("export-xlsx").click()
    sheet = load_workbook(io.BytesIO(open(info.value.path(), "rb").read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == "逾期未备案" and rows[1][2] == OVERDUE
    assert rows[1][4] == "湖南夜话文化传媒有限公司"

    page.get_by_role("link", name=OVERDUE).click()
    expect(page.get_by_test_id("case-status")).to_have_text("待处理")
    page.get_by_label("处理状态").select_option(label="已约谈")
    page.get_by_test_id("dispose-submit").click()  # no note: refused
    expect(page.locator("#error-summary-dispose")).to_contain_text("处置说明：请填写处置说明。")
    expect(page.locator("#id_note-error")).to_have_text("请填写处置说明。")
    expect(page.get_by_label("处理状态")).to_have_value("interviewed")
    shot(page, "inspection-case-error-1280")
    _axe(page, "case page with errors (1280)", axe)
    page.get_by_label("处置说明").fill(NOTE)
    page.get_by_test_id("dispose-submit").click()
    expect(page.locator("ul.messagelist")).to_contain_text("已保存处置记录")
    expect(page.get_by_test_id("case-status")).to_have_text("已约谈")
    expect(page.get_by_test_id("case-event").last).to_contain_text("待处理 → 已约谈")
    expect(page.get_by_test_id("case-event").last).to_contain_text(NOTE)
    shot(page, "inspection-case-disposed-1280")
    case = InspectionCase.objects.get(programme_name=OVERDUE)
    assert case.status == CaseStatus.INTERVIEWED

    page.goto(page.url_for("/staff/inspections/inspectioncase/?queue=interviewed"))
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    with page.expect_download() as info:
        page.get_by_test_id("export-xlsx").click()
    rows = list(load_workbook(io.BytesIO(open(info.value.path(), "rb").read())).active.iter_rows(values_only=True))
    assert [(r[1], r[2]) for r in rows[1:]] == [("已约谈", OVERDUE)]
    page.goto(page.url_for("/staff/inspections/inspectioncase/"))
    shot(page, "inspection-list-1280")
    _axe(page, "list (1280)", axe)
    page.goto(page.url_for("/staff/inspections/inspectioncase/add/"))
    shot(page, "inspection-finding-1280")
    _axe(page, "finding form (1280)", axe)
    page.get_by_test_id("finding-submit").click()  # empty: every required field says so, beside it and on top
    expect(page.locator("#error-summary-finding")).to_contain_text("统一社会信用代码：请填写统一社会信用代码。")
    shot(page, "inspection-finding-errors-1280")
    _axe(page, "finding form with errors (1280)", axe)

    patrol = InspectionCase.objects.get(kind="patrol")
    phone = _with_axe(new_page(viewport={"width": 390, "height": 844}))
    log_in(phone, "hn-inspector")
    for path, name in (
        ("/staff/", "inspection-staff-index-390"),
        ("/staff/inspections/inspectioncase/", "inspection-list-390"),
        (f"/staff/inspections/inspectioncase/{quote(case.public_id)}/change/", "inspection-case-390"),
        (f"/staff/inspections/inspectioncase/{quote(patrol.public_id)}/change/", "inspection-patrol-390"),
        ("/staff/inspections/inspectioncase/add/", "inspection-finding-390"),
    ):
        phone.goto(phone.url_for(path))
        assert phone.evaluate("document.documentElement.scrollWidth") == 390, path
        shot(phone, name)
        _axe(phone, f"{path} (390)", axe)

    nojs = new_page(java_script_enabled=False)
    log_in(nojs, "hn-inspector")
    nojs.goto(nojs.url_for(f"/staff/inspections/inspectioncase/{quote(case.public_id)}/change/"))
    nojs.get_by_label("处理状态").select_option(label="已处理")
    nojs.get_by_label("处置说明").fill("单位已补办备案申请，办结。")
    nojs.get_by_test_id("dispose-submit").click()
    expect(nojs.get_by_test_id("case-status")).to_have_text("已处理")
    shot(nojs, "inspection-case-nojs-1280")

    applicant = new_page()
    log_in(applicant, "13900002222")
    applicant.goto(applicant.url_for("/filings/status/"))
    warnings = applicant.get_by_test_id("deadline-warnings")
    expect(warnings).to_contain_text(OVERDUE)
    expect(warnings).to_contain_text("属于逾期备案")
    expect(warnings.locator('[data-stage="7"]')).to_contain_text("湘韵·网络民乐会")
    shot(applicant, "inspection-applicant-status-1280")
    mobile = _with_axe(new_page(viewport={"width": 390, "height": 844}))
    log_in(mobile, "13900002222")
    mobile.goto(mobile.url_for("/filings/status/"))
    assert mobile.evaluate("document.documentElement.scrollWidth") == 390
    shot(mobile, "inspection-applicant-status-390")
    _axe(mobile, "applicant 受理状态 (390)", axe)
    assert not axe, axe
