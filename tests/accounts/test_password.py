"""Password change (other sessions end) and the e-mail reset link for accounts without a mobile (SPEC §A3)."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import AuditEvent
from tests.factories import PASSWORD, ApplicantFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGE = "/accounts/password/change/"
RESET = "/accounts/password/reset/"
NEW = "Fresh2026Secret"


def page(response) -> str:
    return response.content.decode()


def error(html: str, field: str) -> list[str]:
    return re.findall(rf'id="id_{field}_error">(.*?)</div>', html)


# --- change -----------------------------------------------------------------------------
def test_password_change_page(client):
    client.force_login(ApplicantFactory())
    html = page(client.get(CHANGE))
    for text in ("修改密码", "原密码", "新密码", "确认新密码", "密码必须是数字、大写字母、小写字母，长度10-20"):
        assert text in html


def test_password_change_sets_password_keeps_this_session_and_ends_others(client):
    user = ApplicantFactory(username="13900000051")
    other_device = Client()
    other_device.force_login(user)
    client.force_login(user)
    response = client.post(CHANGE, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert response["Location"] == reverse("accounts:profile")
    user.refresh_from_db()
    assert user.check_password(NEW)
    html = page(client.get(reverse("accounts:profile")))
    assert "密码已修改，其他设备上的登录已失效。" in html
    assert other_device.get(reverse("accounts:profile"))["Location"].startswith("/accounts/login/")
    event = AuditEvent.objects.get(action="password.changed")
    assert (event.actor, event.target, event.detail) == (user, "13900000051", {"via": "change"})
    assert NEW not in str(event.detail) and PASSWORD not in str(event.detail)


def test_password_change_wrong_old_password(client):
    user = ApplicantFactory()
    client.force_login(user)
    html = page(client.post(CHANGE, {"old_password": "Wrong2026Secret", "new_password1": NEW, "new_password2": NEW}))
    assert error(html, "old_password") == ["原密码不正确，请重新输入。"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("new1", "new2", "field", "message"),
    [
        ("Short1a", "Short1a", "new_password1", "密码长度应为10-20位。"),
        ("alllowercase2026", "alllowercase2026", "new_password1", "密码必须同时包含数字、大写字母和小写字母。"),
        (NEW, "Fresh2026Other", "new_password2", "两次输入的密码不一致。"),
        (PASSWORD, PASSWORD, "new_password1", "新密码不能与原密码相同。"),
        ("", "", "new_password1", "请输入密码。"),
    ],
)
def test_password_change_validates_the_new_password(client, new1, new2, field, message):
    user = ApplicantFactory()
    client.force_login(user)
    html = page(client.post(CHANGE, {"old_password": PASSWORD, "new_password1": new1, "new_password2": new2}))
    assert error(html, field) == [message]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_change_anonymous_is_sent_to_login(client):
    assert client.get(CHANGE)["Location"] == "/accounts/login/?next=/accounts/password/change/"
    response = client.post(CHANGE, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert response["Location"].startswith("/accounts/login/")


# --- reset by e-mail ----------------------------------------------------------------------
@pytest.fixture
def institution_user():
    return UserFactory(username="OrgLogin2026", phone=None, email="contact@unit.example.cn")


def reset_request(client, username, email, **extra):
    return client.post(RESET, {"username": username, "email": email, "captcha_0": "k", "captcha_1": "PASSED"}, **extra)


def reset_link() -> str:
    (message,) = mail.outbox
    return re.search(r"http://127\.0\.0\.1:8000(/accounts/password/reset/\S+/)", message.body).group(1)


def test_password_reset_sends_a_one_time_link(client, institution_user):
    response = reset_request(client, "orglogin2026", "Contact@Unit.example.cn")
    assert response["Location"] == RESET + "?sent=1"
    assert "如果登录账号与电子邮箱匹配，我们已向该邮箱发送了重置密码的链接。" in page(client.get(response["Location"]))
    (message,) = mail.outbox
    assert message.to == ["contact@unit.example.cn"]
    assert message.subject == "重置密码 - 网络文化与视听节目备案申报门户"
    assert "OrgLogin2026" in message.body

    link = reset_link()
    response = client.get(link)
    assert response.status_code == 302  # the token moves into the session
    assert response["Location"].endswith("/set-password/")
    form_url = response["Location"]
    assert "设置新密码" in page(client.get(form_url))
    response = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert response["Location"] == reverse("accounts:login")
    institution_user.refresh_from_db()
    assert institution_user.check_password(NEW)
    assert AuditEvent.objects.filter(
        action="password.changed", actor=institution_user, detail__via="email-link"
    ).exists()

    # Single use: the same link no longer works.
    other = Client()
    html = page(other.get(link))
    assert "重置密码链接无效、已使用或已过期。请重新申请。" in html
    assert 'name="new_password1"' not in html


def test_password_reset_link_has_no_database_id(client, institution_user):
    reset_request(client, "OrgLogin2026", "contact@unit.example.cn")
    uid, token = reset_link().split("/")[4:6]
    assert uid != urlsafe_base64_encode(force_bytes(institution_user.pk))
    # A link built from the database id with a valid token is refused.
    guessed = f"/accounts/password/reset/{urlsafe_base64_encode(force_bytes(institution_user.pk))}/{token}/"
    assert "重置密码链接无效、已使用或已过期。请重新申请。" in page(client.get(guessed))


def test_password_reset_never_reveals_whether_the_account_exists(client, institution_user):
    known = reset_request(client, "OrgLogin2026", "contact@unit.example.cn")
    mail.outbox.clear()
    wrong_email = reset_request(client, "OrgLogin2026", "someone@else.example.cn")
    unknown = reset_request(client, "NoSuchLogin", "contact@unit.example.cn")
    assert known["Location"] == wrong_email["Location"] == unknown["Location"] == RESET + "?sent=1"
    assert mail.outbox == []
    assert AuditEvent.objects.filter(action="password.reset_requested", detail__matched=False).count() == 2


def test_password_reset_validates_the_new_password(client, institution_user):
    reset_request(client, "OrgLogin2026", "contact@unit.example.cn")
    form_url = client.get(reset_link())["Location"]
    html = page(client.post(form_url, {"new_password1": "orglogin2026A", "new_password2": "orglogin2026A"}))
    assert error(html, "new_password1") == ["密码与登录账号过于相似。"]
    institution_user.refresh_from_db()
    assert institution_user.check_password(PASSWORD)


def test_password_reset_wrong_captcha(client, institution_user):
    html = page(
        client.post(
            RESET,
            {"username": "OrgLogin2026", "email": "contact@unit.example.cn", "captcha_0": "k", "captcha_1": "WRONG"},
        )
    )
    assert error(html, "captcha") == ["图形验证码不正确，请重新输入。"]
    assert 'value="OrgLogin2026"' in html
    assert mail.outbox == []


def test_password_reset_is_rate_limited_per_ip(client, institution_user):
    for _ in range(5):
        reset_request(client, "OrgLogin2026", "contact@unit.example.cn", REMOTE_ADDR="10.9.9.9")
    response = reset_request(client, "OrgLogin2026", "contact@unit.example.cn", REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429
    assert "重置密码请求过于频繁，请一小时后再试。" in page(response)
    assert len(mail.outbox) == 5
    # Another address is not affected.
    assert reset_request(client, "OrgLogin2026", "contact@unit.example.cn", REMOTE_ADDR="10.9.9.8").status_code == 302


def test_password_reset_for_a_cancelled_account_sends_nothing(client, institution_user):
    from accounts.services.auth import cancel_account

    cancel_account(institution_user)
    reset_request(client, "OrgLogin2026", "contact@unit.example.cn")
    assert mail.outbox == []


def test_password_reset_garbage_link_is_invalid(client):
    html = page(client.get("/accounts/password/reset/not-a-token/abc-123/"))
    assert "重置密码链接无效、已使用或已过期。请重新申请。" in html


def test_password_change_wrong_old_password_is_limited(client, time_machine):
    time_machine.move_to("2026-03-02 09:00:00+08:00", tick=False)
    user = ApplicantFactory()
    client.force_login(user)
    wrong = {"old_password": "Wrong2026Secret", "new_password1": NEW, "new_password2": NEW}
    for _ in range(4):
        assert error(page(client.post(CHANGE, wrong)), "old_password") == ["原密码不正确，请重新输入。"]
    assert error(page(client.post(CHANGE, wrong)), "old_password") == ["密码错误次数过多，请15分钟后再试。"]
    right = {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    assert error(page(client.post(CHANGE, right)), "old_password") == ["密码错误次数过多，请15分钟后再试。"]
    assert AuditEvent.objects.filter(action="password.check_failed", actor=user).count() == 5
    time_machine.move_to("2026-03-02 09:15:01+08:00", tick=False)
    assert client.post(CHANGE, right)["Location"] == reverse("accounts:profile")
