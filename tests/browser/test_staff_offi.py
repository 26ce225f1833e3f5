"""/staff/ in Chromium (issue 12, officials): a decision is confirmed (with and without JavaScript), a missing
comment keeps the reviewer at the decision form with the error at the top and at the focused field; the
ministry's 单位管理 and 审核人员账号 pages; no sideways scroll at 390 px.

Screenshots (PORTAL_SCREENSHOTS): staff-*.png."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from accounts.enums import Authority, StaffLevel
from filings.enums import FilingState
from filings.models import Filing
from tests.factories import OrganisationFactory, StaffFactory
from tests.filings.factories import EnterpriseFactory, make_filing

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def signed_in(new_page, user, **options):
    """A browser context carrying a session of ``user`` (made by the test client: no login form here)."""
    client = Client()
    client.force_login(user)
    page = new_page(**options)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": page.base_url}])
    return page


def detail(filing) -> str:
    return f"/staff/filings/filing/{filing.public_id}/change/"


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def reviewing_filing():
    unit = EnterpriseFactory(name="湖南示例文化传媒有限公司")
    return make_filing(organisation=unit, state=FilingState.REVIEWING, name="湘江音乐会")


def hunan_official():
    return StaffFactory(full_name="湘审核", profile__province="430000")


def test_a_missing_comment_keeps_the_reviewer_at_the_decision_and_approve_is_confirmed(new_page, shot):
    filing = reviewing_filing()
    page = signed_in(new_page, hunan_official())
    page.goto(page.url_for(detail(filing)))

    page.locator("#content-main .buttons").get_by_role("button", name="退回修改", exact=True).click()

    expect(page).to_have_url(re.compile(r"#review-act$"))
    expect(page.get_by_test_id("review-errors")).to_contain_text("审核意见：请填写意见（退回修改时必须说明理由）。")
    expect(page.locator("#comment-errors")).to_have_text("请填写意见（退回修改时必须说明理由）。")
    expect(page.get_by_label("审核意见")).to_be_focused()
    assert page.evaluate("window.scrollY") > 0  # not back at the top of the page
    assert page.evaluate("document.getElementById('id_comment').getBoundingClientRect().top") < 900
    shot(page, "staff-decision-error-1280")

    page.get_by_label("审核意见").fill("材料齐全，同意备案。")
    page.locator("#content-main .buttons").get_by_role("button", name="通过", exact=True).click()
    confirm = page.get_by_test_id("review-confirm")
    expect(confirm).to_contain_text("请确认：通过")
    expect(confirm).to_contain_text("通过后将签发电子证照")
    expect(confirm).to_contain_text("材料齐全，同意备案。")
    expect(page.get_by_test_id("confirm-button")).to_be_focused()
    assert Filing.objects.get(pk=filing.pk).state == FilingState.REVIEWING
    shot(page, "staff-decision-confirm-1280")

    page.get_by_test_id("confirm-button").click()
    expect(page.get_by_test_id("review-state")).to_have_text("已通过")
    expect(page.get_by_test_id("review-outcome")).to_contain_text("已通过")
    expect(page.get_by_test_id("review-outcome")).to_be_in_viewport()
    shot(page, "staff-decision-done-1280")


def test_the_confirmation_works_without_javascript(new_page, shot):
    filing = reviewing_filing()
    page = signed_in(new_page, hunan_official(), java_script_enabled=False)
    page.goto(page.url_for(detail(filing)))

    page.get_by_label("审核意见").fill("请补充演员名单。")
    page.locator("#content-main .buttons").get_by_role("button", name="退回修改", exact=True).click()
    expect(page.get_by_test_id("review-confirm")).to_contain_text("请确认：退回修改")
    shot(page, "staff-decision-confirm-nojs")

    page.get_by_role("button", name="取消，返回修改").click()
    expect(page.get_by_label("审核意见")).to_have_value("请补充演员名单。")
    assert Filing.objects.get(pk=filing.pk).state == FilingState.REVIEWING

    page.locator("#content-main .buttons").get_by_role("button", name="退回修改", exact=True).click()
    page.get_by_test_id("confirm-button").click()
    expect(page.get_by_test_id("review-state")).to_have_text("退回修改")
    assert Filing.objects.get(pk=filing.pk).state == FilingState.RETURNED
    shot(page, "staff-decision-done-nojs")


def test_the_decision_pages_fit_a_phone(new_page, shot):
    filing = reviewing_filing()
    page = signed_in(new_page, hunan_official(), viewport=PHONE)
    page.goto(page.url_for(detail(filing)))
    assert no_sideways_scroll(page)
    page.locator("#content-main .buttons").get_by_role("button", name="不通过", exact=True).click()
    assert no_sideways_scroll(page)
    shot(page, "staff-decision-error-390")
    page.get_by_label("审核意见").fill("内容不符合要求。")
    page.locator("#content-main .buttons").get_by_role("button", name="不通过", exact=True).click()
    expect(page.get_by_test_id("review-confirm")).to_be_visible()
    assert no_sideways_scroll(page)
    shot(page, "staff-decision-confirm-390")
    page.goto(page.url_for("/staff/filings/filing/?queue=returned"))
    assert no_sideways_scroll(page)
    page.goto(page.url_for("/staff/"))
    expect(page.locator('[data-queue="returned"]').first).to_contain_text("退回修改")
    shot(page, "staff-index-390")


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, PHONE], ids=["1280", "390"])
def test_ministry_manages_accounts_and_units(new_page, shot, viewport):
    width = viewport["width"]
    ministry = StaffFactory(full_name="部级审核", profile__level=StaffLevel.MINISTRY, profile__authority=Authority.NRTA)
    unit = OrganisationFactory(kind="institution", name="湖南示例网络视听机构", province="430000")
    page = signed_in(new_page, ministry, viewport=viewport)

    page.goto(page.url_for("/staff/"))
    shot(page, f"staff-index-ministry-{width}")
    page.goto(page.url_for("/staff/accounts/staffprofile/"))
    expect(page.locator("h1")).to_have_text("审核人员账号")
    page.get_by_role("link", name="新增审核人员").click()
    page.get_by_role("button", name="创建账号").click()  # nothing filled in
    expect(page.get_by_test_id("form-errors")).to_contain_text("登录账号：请输入登录账号。")
    expect(page.get_by_label("登录账号")).to_be_focused()
    assert no_sideways_scroll(page)
    shot(page, f"staff-account-add-errors-{width}")
    page.get_by_label("登录账号").fill(f"expert-new-{width}")
    page.get_by_label("姓名").fill("新专家")
    page.get_by_label("级别").select_option("expert")
    page.get_by_role("button", name="创建账号").click()
    expect(page.get_by_test_id("initial-password")).to_be_visible()
    assert no_sideways_scroll(page)
    shot(page, f"staff-account-created-{width}")
    page.get_by_role("link", name="查看账号").click()
    page.get_by_label("停用原因").fill("测试停用")
    page.get_by_role("button", name="停用账号").click()
    expect(page.get_by_test_id("account-status")).to_have_text("已停用")
    assert no_sideways_scroll(page)
    shot(page, f"staff-account-disabled-{width}")

    page.goto(page.url_for("/staff/accounts/organisation/"))
    expect(page.locator("h1")).to_have_text("单位管理")
    assert no_sideways_scroll(page)
    shot(page, f"staff-units-{width}")
    page.goto(page.url_for(f"/staff/accounts/organisation/{unit.pk}/change/"))
    page.get_by_label("新的所属省份").select_option("110000")
    page.get_by_label("调整原因").fill("注册地迁至北京")
    page.get_by_role("button", name="确认调整").click()
    expect(page.get_by_test_id("unit-province")).to_have_text("北京市")
    expect(page.get_by_test_id("province-history")).to_contain_text("湖南省 → 北京市")
    assert no_sideways_scroll(page)
    shot(page, f"staff-unit-{width}")
