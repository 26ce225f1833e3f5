"""撤回 and 作废 through their confirmation pages in Chromium (issue 12): with JavaScript, without it, and at a
phone's width; a change's own reference in 受理状态; an individual's header shows the name once."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.enums import OrganisationKind
from filings.enums import FilingState
from filings.models import Filing
from tests.factories import ApplicantFactory, OrganisationFactory
from tests.filings.factories import EnterpriseFactory, applicant, make_change, make_filing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, user):
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "Demo2026portal")
    page.fill("#id_captcha_1", "PASSED")
    page.click("button[type=submit]:has-text('登录')")
    page.wait_for_load_state()


def no_sideways_scroll(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") == width


@pytest.fixture
def unit_user():
    unit = EnterpriseFactory(name="浏览器确认页公司")
    return applicant(unit, username="13812340011", full_name="周确认")


@pytest.mark.parametrize(
    ("label", "options"),
    [
        ("desktop", {}),
        ("phone", {"viewport": {"width": 390, "height": 844}}),
        ("nojs", {"java_script_enabled": False}),
    ],
)
def test_withdraw_then_void_through_the_confirmation_pages(new_page, unit_user, shot, label, options):
    filing = make_filing(organisation=unit_user.organisation, by=unit_user, state=FilingState.SUBMITTED)
    approved = make_filing(organisation=unit_user.organisation, by=unit_user, state=FilingState.APPROVED)
    change = make_change(approved, by=unit_user, state=FilingState.SUBMITTED)
    width = options.get("viewport", {}).get("width", 1280)
    page = new_page(**options)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    login(page, unit_user)

    page.goto(page.url_for(reverse("filings:status")))
    row = page.locator("[data-testid=status-row]", has_text=filing.reference)
    expect(page.locator("[data-testid=status-row]", has_text=change.reference)).to_contain_text(
        f"{approved.reference}-BG01"
    )
    shot(page, f"appl-status-{label}")
    row.get_by_role("link", name="撤回").click()
    expect(page.get_by_role("heading", name="撤回申请")).to_be_visible()
    expect(page.get_by_test_id("confirm-summary")).to_contain_text(filing.reference)
    expect(page.get_by_test_id("confirm-consequence")).to_contain_text("撤回后申请回到草稿状态")
    if width == 390:
        no_sideways_scroll(page, 390)
    shot(page, f"appl-confirm-withdraw-{label}")
    assert Filing.objects.get(pk=filing.pk).state == FilingState.SUBMITTED
    page.get_by_role("button", name="确认撤回").click()
    expect(page.locator(".portal-messages")).to_contain_text("已撤回")
    assert Filing.objects.get(pk=filing.pk).state == FilingState.DRAFT

    row = page.locator("[data-testid=status-row]", has_text=filing.reference)
    expect(row.get_by_role("link", name="删除")).to_have_count(0)
    row.get_by_role("link", name="作废").click()
    expect(page.get_by_role("heading", name="作废申请")).to_be_visible()
    page.get_by_role("button", name="确认作废").click()  # no reason: refused at the top and beside the field
    expect(page.locator("#error-summary")).to_contain_text("请填写作废原因。")
    expect(page.locator("#id_reason-error")).to_have_text("请填写作废原因。")
    if width == 390:
        no_sideways_scroll(page, 390)
    shot(page, f"appl-confirm-void-error-{label}")
    page.get_by_label("作废原因").fill("演出计划取消")
    page.get_by_role("button", name="确认作废").click()
    expect(page.locator(".portal-messages")).to_contain_text("已作废，申请记录已保留。")
    row = page.locator("[data-testid=status-row]", has_text=filing.reference)
    expect(row.locator(".badge")).to_have_text("已作废")
    if width == 390:
        no_sideways_scroll(page, 390)
    shot(page, f"appl-status-voided-{label}")
    row.get_by_role("link", name="查看").click()
    expect(page.get_by_test_id("state")).to_have_text("已作废")
    expect(page.locator("#history")).to_contain_text("演出计划取消")
    shot(page, f"appl-detail-voided-{label}")
    assert dialogs == []  # the page asked, not a script dialog
    assert Filing.objects.get(pk=filing.pk).state == FilingState.VOIDED


def test_an_individuals_header_names_the_person_once(new_page, shot):
    person = OrganisationFactory(kind=OrganisationKind.INDIVIDUAL, name="陈晓雨", activated=True)
    user = ApplicantFactory(organisation=person, full_name="陈晓雨", username="13812340022")
    page = new_page(viewport={"width": 390, "height": 844})
    login(page, user)
    page.goto(page.url_for("/"))
    header = page.locator("header.portal-header").inner_text()
    assert header.count("陈晓雨") == 1
    shot(page, "appl-header-individual-phone")
