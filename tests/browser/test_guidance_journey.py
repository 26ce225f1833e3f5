"""行政指导 end to end in headless Chromium: a unit asks with an attachment, the 湖南 official answers
in /staff/, the unit finds the answer through 消息 and on the thread page. Screenshots go to
$PORTAL_SCREENSHOTS (1280 px, 390 px with no sideways scrolling, and JavaScript off)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from supervision.guidance.models import Thread
from tests.browser.files import minimal_pdf
from tests.factories import ApplicantFactory, OrganisationFactory, StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)
SUBJECT = "线上音乐会的内容自审记录"


def log_in(page, account: str, password: str = "Demo2026portal"):
    page.goto(page.url_for("/accounts/login/"))
    page.get_by_label("账号", exact=True).fill(account)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_label("验证码", exact=True).fill("PASSED")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def test_applicant_asks_official_answers_applicant_reads(new_page, shot, tmp_path):
    unit = OrganisationFactory(activated=True, name="湖南星辰文化传媒有限公司", province="430000")
    ApplicantFactory(organisation=unit, username="13900001111", full_name="李明")
    StaffFactory(username="hn-official", full_name="湖南文旅审核员")
    pdf = tmp_path / "自审报告.pdf"
    pdf.write_bytes(minimal_pdf())

    applicant = new_page()
    log_in(applicant, "13900001111")
    applicant.goto(applicant.url_for("/filings/"))
    applicant.get_by_test_id("nav-guidance").click()
    expect(applicant.get_by_role("heading", name="我的咨询")).to_be_visible()
    applicant.get_by_test_id("guidance-new").click()
    applicant.get_by_role("button", name="提交咨询").click()  # empty: errors beside the fields and on top
    expect(applicant.locator("#error-summary")).to_contain_text("请填写咨询主题。")
    shot(applicant, "guidance-new-errors-1280")
    applicant.get_by_label("咨询主题").fill(SUBJECT)
    applicant.get_by_label("咨询类别").select_option(label="内容自审标准")
    applicant.get_by_label("咨询内容").fill("内容自审记录需要保存多久？")
    applicant.get_by_label("附件（选填，pdf、jpg、png，最多5个）").set_input_files(str(pdf))
    applicant.get_by_role("button", name="提交咨询").click()
    expect(applicant.locator(".portal-messages")).to_contain_text("咨询已提交")
    expect(applicant.get_by_test_id("guidance-state")).to_have_text("待答复")
    expect(applicant.get_by_role("link", name="自审报告.pdf")).to_be_visible()
    shot(applicant, "guidance-thread-asked-1280")

    official = new_page()
    log_in(official, "hn-official")
    official.goto(official.url_for("/staff/guidance/thread/"))
    official.get_by_role("link", name=SUBJECT).click()
    expect(official.get_by_test_id("guidance-message")).to_have_count(1)
    expect(official.get_by_role("link", name="自审报告.pdf")).to_be_visible()
    official.get_by_label("答复内容").fill("审核记录应留存备查，备案时提交自审报告。")
    official.get_by_role("button", name="答复", exact=True).click()
    expect(official.locator("ul.messagelist")).to_contain_text("已答复")
    expect(official.get_by_test_id("guidance-state")).to_have_text("已答复")
    shot(official, "guidance-staff-thread-1280")
    official.goto(official.url_for("/staff/guidance/thread/"))
    shot(official, "guidance-staff-queue-1280")

    applicant.goto(applicant.url_for("/messages/"))
    applicant.get_by_role("link", name=re.compile("您的行政指导咨询已答复")).click()
    thread = Thread.objects.get()
    expect(applicant).to_have_url(re.compile(f"/supervision/guidance/threads/{thread.public_id}/"))
    expect(applicant.get_by_test_id("guidance-state")).to_have_text("已答复")
    expect(applicant.get_by_test_id("guidance-message").nth(1)).to_contain_text("审核记录应留存备查")
    shot(applicant, "guidance-thread-answered-1280")

    phone = new_page(viewport={"width": 390, "height": 844})
    log_in(phone, "13900001111")
    for path, name in (
        ("/supervision/guidance/", "guidance-list-390"),
        ("/supervision/guidance/new/", "guidance-new-390"),
        (f"/supervision/guidance/threads/{thread.public_id}/", "guidance-thread-390"),
    ):
        phone.goto(phone.url_for(path))
        assert phone.evaluate("document.documentElement.scrollWidth") == 390, path
        shot(phone, name)

    nojs = new_page(java_script_enabled=False)
    log_in(nojs, "13900001111")
    nojs.goto(nojs.url_for(f"/supervision/guidance/threads/{thread.public_id}/"))
    nojs.get_by_label("补充说明").fill("谢谢，另请问回看是否需要重新审核？")
    nojs.get_by_role("button", name="提交", exact=True).click()
    expect(nojs.get_by_test_id("guidance-state")).to_have_text("待答复")
    shot(nojs, "guidance-thread-nojs-1280")
