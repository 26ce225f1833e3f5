"""The filing editor in Chromium: rows in place with JavaScript, the same journey without, and a phone's width."""

import pytest
from django.urls import reverse

from filings.enums import FilingState
from filings.models import Filing, Performer
from tests.filings.factories import EnterpriseFactory, applicant, make_filing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, user):
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "Demo2026portal")
    page.fill("#id_captcha_1", "PASSED")
    page.click("button[type=submit]:has-text('登录')")
    page.wait_for_load_state()


@pytest.fixture
def draft():
    unit = EnterpriseFactory(name="浏览器在线编辑公司")
    user = applicant(unit, username="13812340000", full_name="孙编辑")
    return user, make_filing(organisation=unit, by=user, state=FilingState.DRAFT)


def test_row_add_updates_in_place_without_reloading(new_page, draft, shot):
    user, filing = draft
    page = new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, user)
    page.goto(page.url_for(reverse("filings:edit", args=[filing.public_id])))
    page.evaluate("window.__marker = 'still here'")
    page.fill("#id_programme-name", "未保存的名称")  # typed elsewhere: must survive the row add
    page.fill("#id_performers-new-name", "在线乐团")
    page.select_option("#id_performers-new-country", "CN")
    page.check("#id_performers-new-virtual_1")
    page.click("button[value='row-add:performers']")
    page.wait_for_selector("#section-performers td:has-text('在线乐团')")
    assert page.evaluate("window.__marker") == "still here"
    assert page.input_value("#id_programme-name") == "未保存的名称"
    assert page.input_value("#id_performers-new-name") == ""
    assert page.locator("#section-performers [data-saved]").inner_text() == "已保存。"
    assert Performer.objects.filter(name="在线乐团").count() == 1
    key = Performer.objects.get(name="在线乐团").key
    page.click(f"button[value='row-delete:performers:{key}']")
    page.wait_for_selector("#section-performers td:has-text('在线乐团')", state="detached")
    assert page.evaluate("window.__marker") == "still here"
    assert Performer.objects.filter(name="在线乐团").count() == 0
    shot(page, "editor-inplace-1280")


def test_without_javascript_row_save_check_and_submit(new_page, draft):
    user, filing = draft
    page = new_page(java_script_enabled=False)
    login(page, user)
    page.goto(page.url_for(reverse("filings:edit", args=[filing.public_id])))
    page.fill("#id_performers-new-name", "无脚本乐团")
    page.select_option("#id_performers-new-country", "CN")
    page.check("#id_performers-new-virtual_1")
    page.click("button[value='row-add:performers']")
    page.wait_for_selector("td:has-text('无脚本乐团')")
    page.fill("#id_programme-name", "无脚本音乐会")
    page.click("button[value='save:programme']")
    page.wait_for_selector("text=已保存。")
    page.click("button[value='check']")
    page.wait_for_selector("h1:has-text('核对信息')")
    assert "无脚本音乐会" in page.content() and "无脚本乐团" in page.content()
    page.click("button:has-text('确认提交')")
    page.wait_for_selector("#status-table")
    filing = Filing.objects.get(pk=filing.pk)
    assert filing.state == FilingState.SUBMITTED
    assert f"提交成功，受理编号 {filing.reference}" in page.content()


def test_editor_and_status_fit_a_phone(new_page, draft, shot):
    user, filing = draft
    page = new_page(viewport={"width": 390, "height": 844})
    login(page, user)
    for name, url in (
        ("editor", reverse("filings:edit", args=[filing.public_id])),
        ("status", reverse("filings:status")),
        ("check", reverse("filings:check", args=[filing.public_id])),
    ):
        page.goto(page.url_for(url))
        assert page.evaluate("document.documentElement.scrollWidth") == 390, name
        shot(page, f"{name}-390")
    page.goto(page.url_for(reverse("filings:edit", args=[filing.public_id])))
    width = page.evaluate("document.querySelector('#id_sessions-new-url').getBoundingClientRect().width")
    assert width > 250  # 播出地址 takes the card's width, not 26-50 px
    assert page.is_visible("button[value='row-add:sessions']")
