"""通知公告与培训 in headless Chromium: a 湖南 training notice is seen (home page, list, detail) and signed up
for by a 湖南 unit, and seen nowhere by a 北京 unit, which gets 404 on its address. Phone width and JavaScript
off too; screenshots to $PORTAL_SCREENSHOTS."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.enums import Authority
from supervision.notices.enums import NoticeKind
from supervision.notices.models import SignUp
from tests.factories import ApplicantFactory, OrganisationFactory, StaffFactory
from tests.supervision.notices.conftest import make_notice

pytestmark = pytest.mark.django_db(transaction=True)
TITLE = "湖南省网络演出备案业务培训班"


def log_in(page, account: str):
    page.goto(page.url_for("/accounts/login/"))
    page.get_by_label("账号", exact=True).fill(account)
    page.get_by_label("密码", exact=True).fill("Demo2026portal")
    page.get_by_label("验证码", exact=True).fill("PASSED")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


@pytest.fixture
def training():
    official = StaffFactory(full_name="湖南文旅审核员")
    now = timezone.now()
    return make_notice(
        official,
        kind=NoticeKind.TRAINING,
        title=TITLE,
        authority=Authority.MCT,
        province="430000",
        starts_at=now + timedelta(days=7),
        place="长沙市岳麓区",
        capacity=30,
        signup_deadline=now + timedelta(days=5),
    )


def test_hunan_unit_sees_and_signs_up_beijing_unit_sees_nothing(new_page, shot, training):
    hunan = OrganisationFactory(activated=True, name="湖南星辰文化传媒有限公司", province="430000")
    ApplicantFactory(organisation=hunan, username="13900002222", full_name="李明")
    beijing = OrganisationFactory(activated=True, name="北京示例文化有限公司", province="110000")
    ApplicantFactory(organisation=beijing, username="13900003333", full_name="王京")
    detail = f"/supervision/notices/{training.public_id}/"

    page = new_page()
    log_in(page, "13900002222")
    page.goto(page.url_for("/"))
    page.get_by_role("link", name=TITLE).first.click()
    expect(page).to_have_url(re.compile(re.escape(detail) + "$"))
    expect(page.get_by_text("长沙市岳麓区")).to_be_visible()
    page.get_by_role("button", name="提交报名").click()  # empty: the errors, nothing stored
    expect(page.get_by_role("alert")).to_contain_text("报名未成功")
    assert SignUp.objects.count() == 0
    page.get_by_label("联系人").fill("李明")
    page.get_by_label("联系电话").fill("13900002222")
    page.get_by_label("参加人数").fill("2")
    page.get_by_role("button", name="提交报名").click()
    expect(page.locator("#my-signup")).to_contain_text("本单位已报名：李明，2 人。")
    assert SignUp.objects.get().organisation_id == hunan.pk
    shot(page, "notice-training-signed-up-1280")

    phone = new_page(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    log_in(phone, "13900002222")
    phone.goto(phone.url_for("/supervision/notices/"))
    expect(phone.get_by_role("link", name=TITLE)).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "notice-list-390-nojs")

    other = new_page()
    log_in(other, "13900003333")
    for path in ("/", "/supervision/notices/"):
        other.goto(other.url_for(path))
        expect(other.get_by_text(TITLE)).to_have_count(0)
    response = other.goto(other.url_for(detail))
    assert response.status == 404
    expect(other.get_by_text(TITLE)).to_have_count(0)
    shot(other, "notice-beijing-404-1280")
