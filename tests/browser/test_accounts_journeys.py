"""End-to-end journeys of SPEC §A in a real browser (headless Chromium), in Chinese.

Each test asserts what a person sees on the page: headings, the messages next to
fields, the flash messages, the qualification block of the home page.
The SMS codes come from the ``locmem`` backend (the live server runs in this process).
"""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from accounts.models import Organisation, User
from tests.conftest import last_sms_code
from tests.factories import PASSWORD, ApplicantFactory, LegacyLicenceFactory

pytestmark = pytest.mark.django_db(transaction=True)

UNIT = "长沙星光演艺有限公司"
CREDIT_CODE = "91430100MA4L12345A"
LEGACY_ACCOUNT = "legacy-hunan-001"
LICENCE_NO = "湘网文〔2024〕0101-001号"
NEW_PASSWORD = "Xingguang2026go"


def legacy_licence():
    """The demo's unclaimed legacy account for 长沙星光演艺有限公司."""
    return LegacyLicenceFactory(
        licence_no=LICENCE_NO,
        unit_name=UNIT,
        credit_code=CREDIT_CODE,
        scope="网络演出剧（节）目、网络音乐、网络表演",
        valid_from=date(2024, 1, 1),
        valid_to=date(2028, 12, 31),
        province="430000",
        account=LEGACY_ACCOUNT,
    )


def captcha_input(page):
    return page.get_by_role("textbox", name=re.compile(r"^图形验证码"))


def fill_enterprise_identity(page, *, phone, credit_code, full_name="李星光"):
    page.get_by_label("企业名称").fill(UNIT)
    page.get_by_label("登录人姓名").fill(full_name)
    page.get_by_label("登录人手机号").fill(phone)
    page.get_by_label("统一社会信用代码").fill(credit_code)


def fill_enterprise_secrets(page, code):
    page.get_by_label("短信验证码").fill(code)
    page.get_by_label(re.compile(r"^\s*密码")).fill(NEW_PASSWORD)
    page.get_by_label("确认密码").fill(NEW_PASSWORD)
    page.get_by_label("阅读并接受协议").check()


def flash(page):
    return page.locator(".portal-messages")


def log_in(page, account, password=NEW_PASSWORD):
    expect(page.get_by_role("link", name="用户登录")).to_have_attribute("aria-current", "page")
    page.get_by_label("账号", exact=True).fill(account)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_label("验证码", exact=True).fill("PASSED")
    page.get_by_role("button", name="登录", exact=True).click()


def test_enterprise_registration_to_activated_home(page, shot):
    legacy_licence()
    phone = "13912345678"
    page.goto(page.url_for("/accounts/register/"))
    expect(page.get_by_role("heading", name="经营单位用户注册")).to_be_visible()
    expect(page.locator("#div_id_phone")).to_contain_text("建议使用经营单位法定代表人手机号")

    # Bad input on the way: a wrong check character in the credit code.
    fill_enterprise_identity(page, phone=phone, credit_code="91430100MA4L12345B")
    captcha_input(page).fill("PASSED")
    page.get_by_role("button", name="注册", exact=True).click()
    expect(page.locator("#div_id_credit_code")).to_contain_text("统一社会信用代码校验位不正确，请核对后重新输入。")
    expect(page.get_by_label("统一社会信用代码")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#error-summary")).to_contain_text("请修改以下问题后再提交：")
    expect(page.get_by_label("企业名称")).to_have_value(UNIT)
    expect(page.get_by_label("登录人手机号")).to_have_value(phone)
    shot(page, "01-register-error")
    assert not Organisation.objects.exists()

    # 获取验证码 through JavaScript (accounts:sms_send), then register.
    page.get_by_label("统一社会信用代码").fill(CREDIT_CODE)
    captcha_input(page).fill("PASSED")
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator("#id_sms_code_smsstatus")).to_have_text("验证码已发送，5分钟内有效。")
    expect(page.get_by_text("图形验证码已验证")).to_be_visible()
    expect(page.locator(".sms-send-button")).to_be_disabled()
    expect(page.locator(".sms-send-button")).to_contain_text("秒后重新获取")
    fill_enterprise_secrets(page, last_sms_code(phone))
    page.get_by_role("button", name="注册", exact=True).click()

    expect(page).to_have_url(page.url_for("/accounts/login/"))
    expect(flash(page)).to_contain_text(f"注册成功，登录账号为手机号{phone}，请使用手机号和密码登录。")
    expect(page.locator("#login-support")).to_contain_text("如遇问题请拨打")
    shot(page, "02-login")

    log_in(page, phone)
    expect(page).to_have_url(page.url_for("/"))
    expect(page.get_by_test_id("header-unit")).to_have_text(UNIT)
    qualification = page.get_by_test_id("qualification")
    expect(qualification).to_have_attribute("data-state", "inactive")
    expect(qualification).to_contain_text("未激活")

    page.get_by_role("link", name="激活资质").click()
    expect(page.get_by_role("heading", name="资质激活")).to_be_visible()
    expect(page.get_by_text(f"统一社会信用代码 {CREDIT_CODE}")).to_be_visible()
    page.get_by_label("原平台账号").fill(LEGACY_ACCOUNT)
    page.get_by_label("原平台密码").fill("WrongPassword1")
    page.get_by_role("button", name="激活").click()
    expect(page.locator("#error-summary")).to_contain_text("原平台账号或密码不正确。")
    expect(page.get_by_label("原平台账号")).to_have_value(LEGACY_ACCOUNT)
    page.get_by_label("原平台密码").fill(PASSWORD)
    shot(page, "03-activation")
    page.get_by_role("button", name="激活").click()

    expect(page).to_have_url(page.url_for("/"))
    expect(flash(page)).to_contain_text(
        f"资质激活成功（许可证编号 {LICENCE_NO}），现在可以进行网络演出剧（节）目备案申请。"
    )
    qualification = page.get_by_test_id("qualification")
    expect(qualification).to_have_attribute("data-state", "active")
    expect(qualification).to_contain_text("已激活")
    expect(page.get_by_test_id("licence-no")).to_have_text(LICENCE_NO)
    expect(qualification).to_contain_text("网络演出剧（节）目、网络音乐、网络表演")
    expect(page.get_by_test_id("licence-validity")).to_have_text("2024-01-01 至 2028-12-31")
    expect(page.get_by_test_id("activate-button")).to_have_count(0)
    shot(page, "04-home-activated")


def test_enterprise_registration_without_javascript(new_page, shot):
    page = new_page(java_script_enabled=False)
    phone = "13912340001"
    page.goto(page.url_for("/accounts/register/"))
    fill_enterprise_identity(page, phone=phone, credit_code=CREDIT_CODE, full_name="王星")
    captcha_input(page).fill("PASSED")
    # Without JavaScript the button submits the form; the page comes back with the typed values.
    page.get_by_role("button", name="获取验证码").click()
    expect(flash(page)).to_contain_text("验证码已发送，5分钟内有效。")
    expect(page.get_by_test_id("captcha-verified")).to_have_text("✓ 图形验证码已验证")
    expect(page.get_by_label("企业名称")).to_have_value(UNIT)
    expect(page.get_by_label("登录人姓名")).to_have_value("王星")
    expect(page.get_by_label("登录人手机号")).to_have_value(phone)
    expect(page.get_by_label("统一社会信用代码")).to_have_value(CREDIT_CODE)
    expect(page.locator("#error-summary")).to_have_count(0)
    shot(page, "05-register-nojs-code-sent")

    fill_enterprise_secrets(page, last_sms_code(phone))
    page.get_by_role("button", name="注册", exact=True).click()
    expect(page).to_have_url(page.url_for("/accounts/login/"))
    expect(flash(page)).to_contain_text(f"注册成功，登录账号为手机号{phone}，请使用手机号和密码登录。")

    log_in(page, phone)
    expect(page).to_have_url(page.url_for("/"))
    expect(page.get_by_test_id("qualification")).to_contain_text("未激活")
    expect(page.get_by_test_id("activate-button")).to_have_text("激活资质")


def test_institution_registration_then_login(page, shot):
    page.goto(page.url_for("/accounts/register/institution/"))
    expect(page.get_by_role("heading", name="机构注册")).to_be_visible()
    page.get_by_label("机构名称").fill("湖南网络视听示例中心")
    page.get_by_label("事业单位").check()
    page.get_by_label("统一社会信用代码").fill("12430000MB1234567W")
    page.get_by_label("电子邮箱").fill("shiting@example.cn")
    page.get_by_label("联系人").fill("赵联络")
    page.get_by_label("联系电话").fill("0731-84567890")
    page.get_by_label("登录账号").fill("hn-center")  # a hyphen is not allowed
    page.get_by_label(re.compile(r"^\s*登录密码")).fill(NEW_PASSWORD)
    page.get_by_label("确认密码").fill(NEW_PASSWORD)
    captcha_input(page).fill("PASSED")
    page.get_by_label("阅读并接受协议").check()
    page.get_by_role("button", name="注册", exact=True).click()

    expect(page.locator("#div_id_login_account")).to_contain_text("登录账号只能由字母和数字组成，长度4-30位。")
    expect(page.get_by_label("机构名称")).to_have_value("湖南网络视听示例中心")
    expect(page.get_by_label("事业单位")).to_be_checked()
    expect(page.get_by_label("联系电话")).to_have_value("0731-84567890")
    page.get_by_label("登录账号").fill("hncenter01")
    page.get_by_label(re.compile(r"^\s*登录密码")).fill(NEW_PASSWORD)
    page.get_by_label("确认密码").fill(NEW_PASSWORD)
    captcha_input(page).fill("PASSED")
    page.get_by_role("button", name="注册", exact=True).click()

    expect(page).to_have_url(page.url_for("/accounts/login/"))
    expect(flash(page)).to_contain_text("注册成功，登录账号为hncenter01，请使用登录账号和密码登录。")
    log_in(page, "hncenter01")
    expect(page).to_have_url(page.url_for("/"))
    expect(page.get_by_test_id("header-unit")).to_have_text("湖南网络视听示例中心")
    expect(page.get_by_role("heading", name="业务办理")).to_be_visible()
    expect(page.get_by_test_id("qualification")).to_have_count(0)  # only enterprises activate
    shot(page, "06-home-institution")


def test_login_locked_after_five_wrong_passwords(page, shot):
    user = ApplicantFactory(username="13800000003")
    page.goto(page.url_for("/accounts/login/"))
    for left in (4, 3, 2, 1):
        log_in(page, user.username, password="NotThePassword1")
        expect(page.locator("#id_password_error")).to_have_text(f"账号或密码不正确，再失败{left}次账号将被锁定。")
        expect(page.get_by_label("账号", exact=True)).to_have_value(user.username)
    log_in(page, user.username, password="NotThePassword1")
    lockout = "登录失败次数过多，账号已锁定15分钟，请稍后再试或使用验证码登录"
    expect(page.locator("#lockout-message")).to_contain_text(lockout)
    shot(page, "07-login-locked")

    # Even the right password is refused while locked; the way out is the SMS login.
    log_in(page, user.username, password=PASSWORD)
    expect(page.locator("#lockout-message")).to_contain_text(lockout)
    expect(page).to_have_url(page.url_for("/accounts/login/"))
    page.locator("#lockout-message").get_by_role("link", name="使用验证码登录").click()
    expect(page.get_by_role("link", name="验证码登录")).to_have_attribute("aria-current", "page")


def test_sms_login_then_set_new_password(page, shot):
    user = ApplicantFactory(username="13800000004")
    page.goto(page.url_for("/accounts/login/"))
    page.get_by_role("link", name="验证码登录", exact=True).click()
    expect(page).to_have_url(page.url_for("/accounts/login/sms/"))
    page.get_by_label("手机号码").fill(user.phone)
    page.get_by_label("验证码", exact=True).fill("PASSED")
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator("#id_sms_code_smsstatus")).to_have_text("如该手机号已注册，验证码已发送，5分钟内有效。")
    page.get_by_label("短信验证码").fill(last_sms_code(user.phone))
    page.get_by_role("button", name="登录", exact=True).click()

    # Logged in; the portal offers to set a new password (the way back after a forgotten one).
    expect(page).to_have_url(page.url_for("/accounts/password/set/"))
    expect(page.get_by_role("heading", name="设置新密码")).to_be_visible()
    expect(page.get_by_text("您已通过短信验证码登录。")).to_be_visible()
    expect(page.get_by_role("link", name="跳过")).to_be_visible()
    shot(page, "08-password-set-offer")
    page.get_by_label("新密码", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("确认新密码").fill(NEW_PASSWORD)
    page.get_by_role("button", name="保存新密码").click()

    expect(page).to_have_url(page.url_for("/"))
    expect(flash(page)).to_contain_text("新密码已设置，下次可使用新密码登录。")
    expect(page.get_by_test_id("header-unit")).to_have_text(user.organisation.name)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    page.get_by_role("button", name="退出").click()
    expect(flash(page)).to_contain_text("您已安全退出。")
    page.goto(page.url_for("/accounts/login/"))
    log_in(page, user.username, password=NEW_PASSWORD)
    expect(page).to_have_url(page.url_for("/"))
    assert User.objects.get(pk=user.pk).last_login is not None
