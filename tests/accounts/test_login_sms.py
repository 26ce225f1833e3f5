"""验证码登录 (SMS code, purpose "login") and the offer to set a new password (SPEC §A3, §A4)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from accounts import sms
from accounts.models import AuditEvent
from accounts.services import sms_codes
from tests.conftest import last_sms_code
from tests.factories import PASSWORD, ApplicantFactory

pytestmark = pytest.mark.django_db

SMS_LOGIN = "/accounts/login/sms/"
PASSWORD_SET = "/accounts/password/set/"
START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def page(response) -> str:
    return response.content.decode()


def send_code(client, phone, **extra):
    return client.post(
        SMS_LOGIN,
        {"phone": phone, "captcha_0": "k", "captcha_1": "PASSED", "sms_code": "", "action": "send_code", **extra},
    )


def sms_login(client, phone, code, **extra):
    return client.post(SMS_LOGIN, {"phone": phone, "sms_code": code, "action": "login", **extra})


def test_sms_login_page_matches_the_seed(client):
    html = page(client.get(SMS_LOGIN))
    for text in (
        "用户登录",
        "验证码登录",
        'placeholder="请输入手机号码"',
        'placeholder="请输入验证码"',
        'placeholder="请输入短信验证码"',
        "获取验证码",
        ">登录</button>",
    ):
        assert text in html, text
    assert 'name="action" value="send_code"' in html
    assert 'data-purpose="login"' in html


def test_sms_login_send_code_without_javascript(client):
    ApplicantFactory(username="13900000021")
    response = send_code(client, "13900000021")
    html = page(response)
    assert response.status_code == 200
    assert "如该手机号已注册，验证码已发送，5分钟内有效。" in html
    assert 'value="13900000021"' in html
    assert "图形验证码已验证" in html
    assert [(m.phone, m.template) for m in sms.outbox] == [("13900000021", "SMS_LOGIN")]


def test_sms_login_send_code_needs_the_captcha(client):
    ApplicantFactory(username="13900000022")
    response = send_code(client, "13900000022", captcha_1="WRONG")
    assert "图形验证码不正确，请重新输入。" in page(response)
    assert sms.outbox == []


def test_sms_login_send_code_rejects_a_bad_number(client):
    response = send_code(client, "1234")
    assert "请输入正确的11位手机号码。" in page(response)
    assert sms.outbox == []


def test_sms_login_unknown_phone_gets_the_same_answer_and_no_sms(client):
    response = send_code(client, "13911119999")
    assert "如该手机号已注册，验证码已发送，5分钟内有效。" in page(response)
    assert sms.outbox == []


def test_sms_login_with_the_code_logs_in_and_offers_a_new_password(client):
    user = ApplicantFactory(username="13900000023")
    send_code(client, "13900000023")
    response = sms_login(client, "13900000023", last_sms_code("13900000023"))
    assert response.status_code == 302
    assert response["Location"] == PASSWORD_SET
    assert client.session["_auth_user_id"] == str(user.pk)
    assert AuditEvent.objects.filter(action="login.success", actor=user).count() == 1
    html = page(client.get(PASSWORD_SET))
    assert "设置新密码" in html
    assert f'<a class="btn btn-outline-secondary" href="{reverse("home")}" id="skip-password-set">跳过</a>' in html


def test_sms_login_keeps_a_safe_next_and_drops_an_unsafe_one(client):
    ApplicantFactory(username="13900000024")
    send_code(client, "13900000024", next="/accounts/profile/")
    response = sms_login(client, "13900000024", last_sms_code("13900000024"), next="/accounts/profile/")
    assert response["Location"] == PASSWORD_SET + "?next=%2Faccounts%2Fprofile%2F"
    assert 'href="/accounts/profile/" id="skip-password-set"' in page(client.get(response["Location"]))

    other = ApplicantFactory(username="13900000025")
    client.logout()
    send_code(client, "13900000025")
    response = sms_login(client, "13900000025", last_sms_code("13900000025"), next="https://evil.example/")
    assert response["Location"] == PASSWORD_SET
    assert client.session["_auth_user_id"] == str(other.pk)


def test_sms_login_wrong_code(client):
    ApplicantFactory(username="13900000026")
    send_code(client, "13900000026")
    code = last_sms_code("13900000026")
    wrong = "000000" if code != "000000" else "111111"
    response = sms_login(client, "13900000026", wrong)
    # The same words as for a phone without an account (tests/accounts/test_login_sms_privacy.py).
    assert "短信验证码不正确或已失效，请重新获取。" in page(response)
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login.sms_failed", target="13900000026").exists()


def test_sms_login_expired_code(client, time_machine):
    time_machine.move_to(START, tick=False)
    ApplicantFactory(username="13900000027")
    send_code(client, "13900000027")
    time_machine.move_to(START + timedelta(minutes=5, seconds=1), tick=False)
    response = sms_login(client, "13900000027", last_sms_code("13900000027"))
    assert "短信验证码已过期，请重新获取。" in page(response)
    assert "_auth_user_id" not in client.session


def test_sms_login_code_is_single_use(client):
    ApplicantFactory(username="13900000028")
    send_code(client, "13900000028")
    code = last_sms_code("13900000028")
    assert sms_login(client, "13900000028", code).status_code == 302
    client.post("/accounts/logout/")
    response = sms_login(client, "13900000028", code, captcha_0="k", captcha_1="PASSED")
    assert "请先获取短信验证码。" in page(response)
    assert "_auth_user_id" not in client.session


def test_sms_login_refuses_a_code_of_another_purpose(client):
    ApplicantFactory(username="13900000029")
    sms_codes.issue_code("13900000029", "register")
    response = sms_login(client, "13900000029", last_sms_code("13900000029"), captcha_0="k", captcha_1="PASSED")
    assert "请先获取短信验证码。" in page(response)
    assert "_auth_user_id" not in client.session


def test_sms_login_unknown_phone_cannot_log_in(client):
    send_code(client, "13911118888")
    response = sms_login(client, "13911118888", "123456")
    assert "短信验证码不正确或已失效，请重新获取。" in page(response)
    assert "_auth_user_id" not in client.session


def test_sms_login_without_a_solved_captcha_asks_for_it(client):
    ApplicantFactory(username="13900000030")
    response = sms_login(client, "13900000030", "123456")
    assert "请输入图形验证码。" in page(response)


def test_sms_login_works_while_the_password_login_is_locked(client):
    user = ApplicantFactory(username="13900000031")
    for _ in range(5):
        client.post(
            "/accounts/login/",
            {"username": "13900000031", "password": "Wrong2026password", "captcha_0": "k", "captcha_1": "PASSED"},
        )
    assert (
        client.post(
            "/accounts/login/",
            {"username": "13900000031", "password": PASSWORD, "captcha_0": "k", "captcha_1": "PASSED"},
        ).status_code
        == 429
    )
    send_code(client, "13900000031")
    assert sms_login(client, "13900000031", last_sms_code("13900000031")).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_sms_login_send_is_throttled(client):
    ApplicantFactory(username="13900000032")
    send_code(client, "13900000032")
    response = send_code(client, "13900000032")
    assert "验证码发送过于频繁，请60秒后再试。" in page(response)
    assert len(sms.outbox) == 1


# --- set a new password after an SMS login -------------------------------------------
def _sms_logged_in(client, phone):
    user = ApplicantFactory(username=phone)
    send_code(client, phone)
    sms_login(client, phone, last_sms_code(phone))
    return user


def test_password_set_after_sms_login_sets_the_password_and_keeps_the_session(client):
    user = _sms_logged_in(client, "13900000033")
    response = client.post(
        PASSWORD_SET,
        {"new_password1": "Brand2026NewPass", "new_password2": "Brand2026NewPass", "next": "/accounts/profile/"},
    )
    assert response["Location"] == "/accounts/profile/"
    user.refresh_from_db()
    assert user.check_password("Brand2026NewPass")
    assert client.get("/accounts/profile/").status_code == 200  # still logged in
    assert AuditEvent.objects.filter(action="password.changed", actor=user, detail__via="sms-login").exists()


def test_password_set_validates_the_new_password(client):
    user = _sms_logged_in(client, "13900000034")
    html = page(client.post(PASSWORD_SET, {"new_password1": "short", "new_password2": "short"}))
    assert "密码长度应为10-20位。" in html
    html = page(client.post(PASSWORD_SET, {"new_password1": "Brand2026NewPass", "new_password2": "Brand2026Other"}))
    assert "两次输入的密码不一致。" in html
    html = page(client.post(PASSWORD_SET, {"new_password1": "13900000034Ab", "new_password2": "13900000034Ab"}))
    assert '<div class="invalid-feedback d-block" id="id_new_password1_error">密码与登录账号过于相似。</div>' in html
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_set_needs_a_recent_sms_login(client, time_machine):
    time_machine.move_to(START, tick=True)
    user = ApplicantFactory(username="13900000035")
    client.force_login(user)  # by password: no SMS proof
    response = client.get(PASSWORD_SET)
    assert response["Location"] == reverse("accounts:password_change")

    client.logout()
    send_code(client, "13900000035")
    sms_login(client, "13900000035", last_sms_code("13900000035"))
    assert client.get(PASSWORD_SET).status_code == 200
    time_machine.move_to(START + timedelta(minutes=16), tick=False)
    client.get("/accounts/profile/")  # activity keeps the session alive
    assert client.get(PASSWORD_SET)["Location"] == reverse("accounts:password_change")


def test_password_set_anonymous_is_sent_to_login(client):
    response = client.get(PASSWORD_SET)
    assert response["Location"].startswith("/accounts/login/?next=")
