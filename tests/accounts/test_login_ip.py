"""Lockout by the client's real address (behind the proxy) and a per-address limit for password spraying."""

from datetime import UTC, datetime, timedelta

import pytest
from axes.models import AccessAttempt

from accounts.models import AuditEvent
from tests.factories import PASSWORD, ApplicantFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
PROXY = "10.0.0.1"  # nginx: every request reaches Django from here
ACCOUNT_LOCKED = "登录失败次数过多，账号已锁定15分钟，请稍后再试或使用验证码登录"
IP_LOCKED = "当前网络登录失败次数过多，请15分钟后再试或使用验证码登录。"


def login_data(username, password=PASSWORD):
    return {"username": username, "password": password, "captcha_0": "k", "captcha_1": "PASSED"}


def via_proxy(client, client_ip, username, password=PASSWORD):
    return client.post(LOGIN, login_data(username, password), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{client_ip}")


def test_behind_the_proxy_an_attacker_locks_the_account_only_for_their_own_address(client, settings, time_machine):
    time_machine.move_to(START, tick=False)
    settings.BEHIND_PROXY = True
    victim = ApplicantFactory(username="13900000101")
    for _ in range(5):
        via_proxy(client, "203.0.113.9", "13900000101", "Wrong2026password")

    attacker_again = via_proxy(client, "203.0.113.9", "13900000101")
    assert attacker_again.status_code == 429
    assert ACCOUNT_LOCKED in attacker_again.content.decode()
    # axes recorded the attacker's address, not the proxy's.
    assert list(AccessAttempt.objects.values_list("username", "ip_address", "failures_since_start")) == [
        ("13900000101", "203.0.113.9", 5)
    ]

    from django.test import Client

    owner = Client()
    response = via_proxy(owner, "198.51.100.7", "13900000101")
    assert response.status_code == 302
    assert owner.session["_auth_user_id"] == str(victim.pk)


def test_without_the_proxy_a_forged_forwarded_for_does_not_dodge_the_lock(client, settings, time_machine):
    time_machine.move_to(START, tick=False)
    settings.BEHIND_PROXY = False
    ApplicantFactory(username="13900000102")
    for n in range(5):
        client.post(
            LOGIN,
            login_data("13900000102", "Wrong2026password"),
            REMOTE_ADDR="10.7.7.7",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )

    response = client.post(
        LOGIN, login_data("13900000102"), REMOTE_ADDR="10.7.7.7", HTTP_X_FORWARDED_FOR="198.51.100.99"
    )
    assert response.status_code == 429
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["10.7.7.7"]


def test_spraying_twenty_accounts_from_one_address_locks_that_address(client, settings, time_machine):
    time_machine.move_to(START, tick=False)
    settings.BEHIND_PROXY = True
    targets = [ApplicantFactory(username=f"139000002{n:02d}") for n in range(21)]
    for user in targets[:19]:
        response = via_proxy(client, "203.0.113.50", user.username, "Spray2026password")
        assert response.status_code == 200
        assert "账号或密码不正确" in response.content.decode()
    # The 20th failure locks the address.
    assert via_proxy(client, "203.0.113.50", targets[19].username, "Spray2026password").status_code == 200
    assert AuditEvent.objects.filter(action="login.ip_locked", target="203.0.113.50").count() == 1

    # Now even a right password is not checked from there: a clear message, typed account kept.
    response = via_proxy(client, "203.0.113.50", targets[20].username)
    assert response.status_code == 429
    html = response.content.decode()
    assert IP_LOCKED in html
    assert f'value="{targets[20].username}"' in html
    assert "_auth_user_id" not in client.session

    # Another address is not slowed; nor is an account of the sprayed list from elsewhere.
    from django.test import Client

    elsewhere = Client()
    assert via_proxy(elsewhere, "198.51.100.8", targets[0].username).status_code == 302
    assert elsewhere.session["_auth_user_id"] == str(targets[0].pk)

    # 15 minutes later the address may try again.
    time_machine.move_to(START + timedelta(minutes=15, seconds=1), tick=False)
    response = via_proxy(client, "203.0.113.50", targets[20].username)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(targets[20].pk)


def test_fewer_failures_than_the_limit_across_accounts_lock_nothing(client, settings, time_machine):
    time_machine.move_to(START, tick=False)
    settings.LOGIN_FAILURES_PER_IP = 3
    users = [ApplicantFactory(username=f"139000003{n:02d}") for n in range(3)]
    for user in users[:2]:
        client.post(LOGIN, login_data(user.username, "Wrong2026password"), REMOTE_ADDR="10.8.8.8")

    response = client.post(LOGIN, login_data(users[2].username), REMOTE_ADDR="10.8.8.8")
    assert response.status_code == 302

    client.post("/accounts/logout/")
    client.post(LOGIN, login_data(users[0].username, "Wrong2026password"), REMOTE_ADDR="10.8.8.8")
    locked = client.post(LOGIN, login_data(users[1].username), REMOTE_ADDR="10.8.8.8")
    assert locked.status_code == 429  # the third failure (a success did not reset the address's count)
    assert IP_LOCKED in locked.content.decode()


def test_a_sprayed_address_cannot_use_the_superuser_admin_login_either(client, settings, time_machine):
    time_machine.move_to(START, tick=False)
    settings.LOGIN_FAILURES_PER_IP = 2
    UserFactory(username="root-admin", is_superuser=True, is_staff=True)
    for name in ("a-user", "b-user"):
        client.post(LOGIN, login_data(name, "Wrong2026password"), REMOTE_ADDR="10.6.6.6")

    response = client.post(
        "/admin/login/?next=/admin/", {"username": "root-admin", "password": PASSWORD}, REMOTE_ADDR="10.6.6.6"
    )

    assert "_auth_user_id" not in client.session
    assert response.status_code == 200  # the admin form says the password is wrong; nothing was checked
    other = client.post(
        "/admin/login/?next=/admin/", {"username": "root-admin", "password": PASSWORD}, REMOTE_ADDR="10.6.6.7"
    )
    assert other.status_code == 302
    assert other["Location"] == "/admin/"
