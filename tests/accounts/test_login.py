"""用户登录: account + password + image captcha; lockout; audit; redirects (SPEC §A3)."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from accounts.models import AuditEvent
from tests.factories import PASSWORD, ApplicantFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
LOCKOUT = "登录失败次数过多，账号已锁定15分钟，请稍后再试或使用验证码登录"
START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def login_data(username, password=PASSWORD, captcha="PASSED", **extra):
    return {"username": username, "password": password, "captcha_0": "k", "captcha_1": captcha, **extra}


def page(response) -> str:
    return response.content.decode()


def test_login_page_matches_the_seed(client):
    response = client.get(LOGIN)
    html = page(response)
    assert response.status_code == 200
    for text in (
        "用户登录",
        "验证码登录",
        'placeholder="请输入手机号码"',
        'placeholder="请输入密码"',
        'placeholder="请输入验证码"',
        ">登录</button>",
        "用户须知",
        "没有账号?",
        "立即注册",
        "机构注册",
        "个人注册",
        "全国文化市场技术监管与服务平台准入管理系统",
        "中华人民共和国文化和旅游部",
    ):
        assert text in html, text
    assert f'href="{reverse("accounts:register")}"' in html
    assert f'href="{reverse("accounts:login_sms")}"' in html


def test_login_page_shows_both_programmes_support_numbers_mct_first(client):
    html = page(client.get(LOGIN))
    mct, nrta = html.index('data-programme="mct"'), html.index('data-programme="nrta"')
    assert mct < nrta
    for number in ("400-0009373", "010-85166688", "010-86096235", "17801579644"):
        assert number in html


def test_login_page_for_nrta_shows_its_branding_and_numbers_first(client):
    html = page(client.get(LOGIN + "?programme=nrta"))
    assert html.index('data-programme="nrta"') < html.index('data-programme="mct"')
    assert "优秀网络视听作品推选活动申报系统" in html
    assert "国家广播电视总局 技术支持" in html
    assert 'placeholder="请输入登录账号或手机号码"' in html
    assert f'href="{reverse("accounts:login_sms")}?programme=nrta"' in html


def test_login_support_numbers_come_from_settings(client, settings):
    settings.PORTAL = {**settings.PORTAL, "MCT_SUPPORT_PHONES": ["400-1234567"]}
    html = page(client.get(LOGIN))
    assert "400-1234567" in html
    assert "400-0009373" not in html


def test_login_with_phone_succeeds_and_goes_home(client):
    user = ApplicantFactory(username="13900000001")
    response = client.post(LOGIN, login_data("13900000001"))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_with_login_account_is_case_insensitive(client):
    user = UserFactory(username="CultureOrg2026", phone=None)
    response = client.post(LOGIN, login_data("cultureorg2026"))
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_with_mobile_of_an_account_named_otherwise(client):
    user = UserFactory(username="person2026", phone="13700000009")
    response = client.post(LOGIN, login_data("13700000009"))
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_wrong_password_message_next_to_field_and_account_kept(client):
    ApplicantFactory(username="13900000002")
    response = client.post(LOGIN, login_data("13900000002", "Wrong2026password"))
    html = page(response)
    assert response.status_code == 200
    assert (
        '<div class="invalid-feedback d-block" id="id_password_error">账号或密码不正确，再失败4次账号将被锁定。</div>'
        in html
    )
    assert 'value="13900000002"' in html
    assert "Wrong2026password" not in html
    assert "_auth_user_id" not in client.session


def test_login_unknown_account_gets_the_same_message(client):
    response = client.post(LOGIN, login_data("13911112222", "Wrong2026password"))
    assert "账号或密码不正确，再失败4次账号将被锁定。" in page(response)


def test_login_wrong_captcha_is_a_captcha_error_not_a_login_failure(client):
    ApplicantFactory(username="13900000003")
    response = client.post(LOGIN, login_data("13900000003", captcha="WRONG"))
    html = page(response)
    assert response.status_code == 200
    assert '<div class="invalid-feedback d-block" id="id_captcha_error">图形验证码不正确，请重新输入。</div>' in html
    assert "账号或密码不正确" not in html
    assert 'value="13900000003"' in html
    assert AccessAttempt.objects.count() == 0
    assert not AuditEvent.objects.filter(action="login.failed").exists()


def test_login_missing_fields_are_reported_next_to_them(client):
    html = page(client.post(LOGIN, {"captcha_0": "k", "captcha_1": ""}))
    assert '<div class="invalid-feedback d-block" id="id_username_error">请输入手机号码或登录账号。</div>' in html
    assert '<div class="invalid-feedback d-block" id="id_password_error">请输入密码。</div>' in html
    assert '<div class="invalid-feedback d-block" id="id_captcha_error">请输入图形验证码。</div>' in html


def test_login_cancelled_account_cannot_log_in(client):
    user = ApplicantFactory(username="13900000004")
    user.cancelled_at = START
    user.save()
    response = client.post(LOGIN, login_data("13900000004"))
    assert "账号或密码不正确" in page(response)
    assert "_auth_user_id" not in client.session


def test_login_locks_account_and_ip_after_five_failures(client, time_machine):
    time_machine.move_to(START, tick=False)
    ApplicantFactory(username="13900000005")
    for left in (4, 3, 2, 1):
        response = client.post(LOGIN, login_data("13900000005", "Wrong2026password"))
        assert f"账号或密码不正确，再失败{left}次账号将被锁定。" in page(response)
    response = client.post(LOGIN, login_data("13900000005", "Wrong2026password"))
    assert response.status_code == 429
    html = page(response)
    assert LOCKOUT in html
    assert 'value="13900000005"' in html  # the typed account is kept
    assert f'href="{reverse("accounts:login_sms")}"' in html

    # Even the right password is refused while locked.
    response = client.post(LOGIN, login_data("13900000005"))
    assert response.status_code == 429
    assert LOCKOUT in page(response)
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login.locked", target="13900000005").exists()


def test_login_lock_is_released_after_fifteen_minutes(client, time_machine):
    time_machine.move_to(START, tick=False)
    user = ApplicantFactory(username="13900000006")
    for _ in range(5):
        client.post(LOGIN, login_data("13900000006", "Wrong2026password"))
    time_machine.move_to(START + timedelta(minutes=14), tick=False)
    assert client.post(LOGIN, login_data("13900000006")).status_code == 429
    time_machine.move_to(START + timedelta(minutes=15, seconds=1), tick=False)
    response = client.post(LOGIN, login_data("13900000006"))
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_lock_is_per_account_and_ip(client, time_machine):
    time_machine.move_to(START, tick=False)
    user = ApplicantFactory(username="13900000007")
    ApplicantFactory(username="13900000008")
    for _ in range(5):
        client.post(LOGIN, login_data("13900000007", "Wrong2026password"), REMOTE_ADDR="10.0.0.1")
    # Another account from the same address is not locked.
    response = client.post(LOGIN, login_data("13900000008", "Wrong2026password"), REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 200
    # The same account from another address can still log in.
    response = client.post(LOGIN, login_data("13900000007"), REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_lockout_counts_phone_and_account_name_together(client, time_machine):
    time_machine.move_to(START, tick=False)
    UserFactory(username="Person2026", phone="13700000010")
    for typed in ("13700000010", "person2026", "PERSON2026", "13700000010"):
        client.post(LOGIN, login_data(typed, "Wrong2026password"))
    response = client.post(LOGIN, login_data("Person2026", "Wrong2026password"))
    assert response.status_code == 429


def test_login_success_resets_the_failure_count(client, time_machine):
    time_machine.move_to(START, tick=False)
    ApplicantFactory(username="13900000011")
    for _ in range(4):
        client.post(LOGIN, login_data("13900000011", "Wrong2026password"))
    assert client.post(LOGIN, login_data("13900000011")).status_code == 302
    client.post("/accounts/logout/")
    response = client.post(LOGIN, login_data("13900000011", "Wrong2026password"))
    assert "再失败4次" in page(response)


def test_login_success_and_failure_are_audited_without_password(client, caplog):
    caplog.set_level(logging.DEBUG)
    user = ApplicantFactory(username="13900000012")
    client.post(LOGIN, login_data("13900000012", "Secret2026wrong"), REMOTE_ADDR="10.1.2.3")
    client.post(LOGIN, login_data("13900000012"), REMOTE_ADDR="10.1.2.3")
    failed = AuditEvent.objects.get(action="login.failed")
    assert (failed.actor, failed.target, str(failed.ip)) == (None, "13900000012", "10.1.2.3")
    success = AuditEvent.objects.get(action="login.success")
    assert (success.actor, success.target, str(success.ip)) == (user, "13900000012", "10.1.2.3")
    for event in AuditEvent.objects.all():
        assert "Secret2026wrong" not in str(event.detail) and PASSWORD not in str(event.detail)
    for attempt in AccessAttempt.objects.all():
        assert "Secret2026wrong" not in attempt.post_data
    assert "Secret2026wrong" not in caplog.text
    assert PASSWORD not in caplog.text


def test_login_with_a_forged_forwarded_for_header_is_audited_with_the_peer_address(client, settings):
    """X-Forwarded-For is only a hint: a value that is no IP address (PostgreSQL's inet refuses it) is ignored."""
    settings.BEHIND_PROXY = True
    ApplicantFactory(username="13900000014")
    response = client.post(
        LOGIN, login_data("13900000014", "Secret2026wrong"), REMOTE_ADDR="10.1.2.4", HTTP_X_FORWARDED_FOR="evil"
    )
    assert response.status_code == 200
    assert str(AuditEvent.objects.get(action="login.failed").ip) == "10.1.2.4"


def test_forwarded_for_counts_only_behind_a_proxy(client, settings):
    ApplicantFactory(username="13900000015")
    settings.BEHIND_PROXY = False
    client.post(
        LOGIN, login_data("13900000015", "Secret2026wrong"), REMOTE_ADDR="10.1.2.4", HTTP_X_FORWARDED_FOR="9.9.9.9"
    )
    settings.BEHIND_PROXY = True
    client.post(
        LOGIN, login_data("13900000015", "Secret2026wrong"), REMOTE_ADDR="10.1.2.4", HTTP_X_FORWARDED_FOR="9.9.9.9"
    )
    ips = [str(e.ip) for e in AuditEvent.objects.filter(action="login.failed").order_by("pk")]
    assert ips == ["10.1.2.4", "9.9.9.9"]


def test_login_respects_safe_next(client):
    ApplicantFactory(username="13900000013")
    response = client.post(LOGIN + "?next=/accounts/profile/", login_data("13900000013"))
    assert response["Location"] == "/accounts/profile/"


def test_login_next_is_kept_in_the_form(client):
    html = page(client.get(LOGIN + "?next=/accounts/profile/"))
    assert '<input type="hidden" name="next" value="/accounts/profile/">' in html


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "http://evil.example", "javascript:alert(1)"]
)
def test_login_refuses_open_redirect(client, target):
    ApplicantFactory(username="13900000014")
    response = client.post(LOGIN, login_data("13900000014", next=target))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_login_page_redirects_a_logged_in_user(client):
    user = ApplicantFactory()
    client.force_login(user)
    response = client.get(LOGIN + "?next=/accounts/profile/")
    assert response["Location"] == "/accounts/profile/"


def test_login_staff_use_the_same_page(client):
    staff = StaffFactory(username="hunanofficial")
    response = client.post(LOGIN, login_data("hunanofficial"))
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)
