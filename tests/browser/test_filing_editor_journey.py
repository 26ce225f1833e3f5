"""The main applicant journey in Debian's Chromium (Playwright), with JavaScript on.

新建国产网络演出剧(节)目备案 → 基本信息 → 节目信息 (回看 fields appear) → rows → 材料 → 承诺书 → 提交 → 受理状态.
"""

import pytest

from filings.enums import FilingState
from filings.models import Filing
from tests.filings.factories import EnterpriseFactory, applicant, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def chromium_page(page):
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def test_domestic_filing_journey(chromium_page, tmp_path):
    page = chromium_page
    unit = EnterpriseFactory(name="浏览器测试文化公司")
    user = applicant(unit, username="13812345678", full_name="赵测试")
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "Demo2026portal")
    page.fill("#id_captcha_1", "PASSED")
    page.click("button[type=submit]:has-text('登录')")
    page.goto(page.base_url + "/filings/")
    page.click("text=国产网络演出剧(节)目备案")
    assert page.locator("text=请先填写并保存基本信息。").count() == 5

    page.select_option("#id_basic-filler", label="赵测试")
    page.select_option("#id_basic-manager", label="赵测试")
    page.fill("#id_basic-email", "zhao@example.cn")
    page.click("button[value='save:basic']")
    page.wait_for_selector("#id_programme-name")

    page.fill("#id_programme-name", "浏览器音乐会")
    page.fill("#id_programme-safety_officer", "钱安全")
    page.fill("#id_programme-contact", "孙联系")
    page.check("#id_programme-first_recorded_1")
    page.fill("#id_programme-video_url", "https://video.example.cn/a.mp4")
    assert not page.is_visible("#id_programme-replay_url")
    page.check("#id_programme-replay_0")
    assert page.is_visible("#id_programme-replay_url")
    page.check("#id_programme-replay_type_1")  # 长期: no dates
    assert not page.is_visible("#id_programme-replay_from")
    page.fill("#id_programme-replay_url", "https://replay.example.cn/a")
    page.fill("#id_programme-platform", "示例平台")
    page.fill("#id_programme-synopsis", "简介")
    page.fill("#id_performers-new-name", "示例乐队")
    page.select_option("#id_performers-new-country", "CN")
    page.check("#id_performers-new-virtual_1")
    page.click("button[value='row-add:performers']")
    page.wait_for_selector("text=示例乐队")

    page.fill("#id_sessions-new-name", "首场")
    page.select_option("#id_sessions-new-type", "live")
    page.fill("#id_sessions-new-starts_at", "2026-12-01T19:30")
    page.fill("#id_sessions-new-url", "https://live.example.cn/1")
    page.check("#id_joint-joint_broadcast_1")
    report = tmp_path / "自审报告.pdf"
    report.write_bytes(pdf_bytes())
    licence = tmp_path / "版权.pdf"
    licence.write_bytes(pdf_bytes("licence"))
    page.set_input_files("#id_material-self_review", str(report))
    page.set_input_files("#id_material-copyright", str(licence))
    page.check("#id_pledge-pledged")
    page.click("button[value='check']")
    page.wait_for_selector("h1:has-text('核对信息')")
    page.click("button:has-text('确认提交')")
    page.wait_for_selector("#status-table")
    assert "提交成功" in page.content()
    filing = Filing.objects.get()
    assert filing.state == FilingState.SUBMITTED
    assert page.locator("#status-table").inner_text().count(filing.reference) == 1
    version = filing.application_version
    assert (version.name, version.sessions.count(), version.materials.count()) == ("浏览器音乐会", 1, 2)
