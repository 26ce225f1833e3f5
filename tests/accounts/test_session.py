"""Session expiry (30 min idle, 12 h absolute), keep-alive, form restore after expiry, logout (SPEC §A3)."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from tests.factories import PASSWORD, ApplicantFactory

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
PROFILE = "/accounts/profile/"
CANCEL = "/accounts/cancel/"
KEEPALIVE = "/accounts/keepalive/"
EXPIRED = "您长时间未操作，登录已过期，请重新登录。"


def page(response) -> str:
    return response.content.decode()


def login(client, user, **extra):
    return client.post(
        "/accounts/login/",
        {"username": user.username, "password": PASSWORD, "captcha_0": "k", "captcha_1": "PASSED", **extra},
    )


@pytest.fixture
def user(time_machine):
    time_machine.move_to(START, tick=False)
    return ApplicantFactory(username="13900000041")


def test_session_expires_after_thirty_idle_minutes(client, user, time_machine):
    login(client, user)
    time_machine.move_to(START + timedelta(minutes=29), tick=False)
    assert client.get(PROFILE).status_code == 200
    time_machine.move_to(START + timedelta(minutes=29 + 31), tick=False)
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Faccounts%2Fprofile%2F"
    assert "_auth_user_id" not in client.session
    html = page(client.get(response["Location"]))
    assert EXPIRED in html
    assert '<input type="hidden" name="next" value="/accounts/profile/">' in html


def test_session_expires_after_twelve_hours_even_when_active(client, user, time_machine):
    login(client, user)
    minutes = 0
    while minutes + 25 < 12 * 60:
        minutes += 25
        time_machine.move_to(START + timedelta(minutes=minutes), tick=False)
        assert client.get(PROFILE).status_code == 200, minutes
    time_machine.move_to(START + timedelta(hours=12, minutes=1), tick=False)
    response = client.get(PROFILE)
    assert response["Location"].startswith("/accounts/login/")
    assert EXPIRED in page(client.get(response["Location"]))


def test_session_form_posted_after_expiry_comes_back_filled_after_login(client, user, time_machine):
    login(client, user)
    time_machine.move_to(START + timedelta(minutes=31), tick=False)
    response = client.post(CANCEL, {"reason": "单位业务调整", "password": PASSWORD})
    assert response["Location"] == "/accounts/login/?next=%2Faccounts%2Fcancel%2F"
    user.refresh_from_db()
    assert user.cancelled_at is None  # the late post did nothing

    response = login(client, user, next=CANCEL)
    assert response["Location"] == CANCEL
    html = page(client.get(CANCEL))
    data = json.loads(
        re.search(r'<script id="restore-form-data" type="application/json">(.*?)</script>', html).group(1)
    )
    assert data == {"reason": ["单位业务调整"]}
    assert PASSWORD not in html
    # Restored once only.
    assert 'id="restore-form-data"' not in page(client.get(CANCEL))


def test_session_form_is_refilled_only_for_the_person_who_typed_it(client, user, time_machine):
    login(client, user)
    time_machine.move_to(START + timedelta(minutes=31), tick=False)
    client.post(CANCEL, {"reason": "单位业务调整", "password": PASSWORD})

    colleague = ApplicantFactory(username="13900000043", organisation=user.organisation)
    login(client, colleague, next=CANCEL)
    html = page(client.get(CANCEL))
    assert 'id="restore-form-data"' not in html
    assert "单位业务调整" not in html


def test_session_expiry_never_stashes_sms_codes(client, user, time_machine):
    """The phone-change page names its codes old_code / new_code: they are secrets too."""
    login(client, user)
    time_machine.move_to(START + timedelta(minutes=31), tick=False)
    client.post(
        "/accounts/phone/change/",
        {"new_phone": "13900000042", "old_code": "123456", "new_code": "654321", "sms_code": "111111"},
    )
    assert client.session["stashed_form"]["data"] == {"new_phone": ["13900000042"]}


def test_session_base_page_has_the_expiry_warning_with_keepalive(client, user):
    client.force_login(user)
    html = page(client.get(PROFILE))
    assert 'id="session-warning"' in html
    assert f'data-keepalive="{reverse("accounts:keepalive")}"' in html
    assert 'data-idle="1800" data-warn="120"' in html
    assert "延长登录" in html


def test_session_anonymous_page_has_no_warning(client):
    assert 'id="session-warning"' not in page(client.get("/accounts/login/"))


def test_keepalive_json_extends_the_session(client, user, time_machine):
    login(client, user)
    time_machine.move_to(START + timedelta(minutes=25), tick=False)
    response = client.post(KEEPALIVE, headers={"X-Requested-With": "fetch"})
    assert response.json() == {"ok": True, "expires_in": 1800}
    time_machine.move_to(START + timedelta(minutes=25 + 29), tick=False)
    assert client.get(PROFILE).status_code == 200


def test_keepalive_reports_the_absolute_limit(client, user, time_machine):
    login(client, user)
    minutes = 0
    while minutes < 11 * 60 + 50:
        minutes += 25
        time_machine.move_to(START + timedelta(minutes=min(minutes, 11 * 60 + 50)), tick=False)
        client.post(KEEPALIVE, headers={"X-Requested-With": "fetch"})
    response = client.post(KEEPALIVE, headers={"X-Requested-With": "fetch"})
    assert response.json() == {"ok": True, "expires_in": 600}


def test_keepalive_without_javascript_returns_to_the_page(client, user):
    client.force_login(user)
    response = client.post(KEEPALIVE, HTTP_REFERER="http://testserver/accounts/profile/")
    assert response["Location"] == "http://testserver/accounts/profile/"
    response = client.post(KEEPALIVE, HTTP_REFERER="https://evil.example/accounts/profile/")
    assert response["Location"] == reverse("home")
    response = client.post(KEEPALIVE)
    assert response["Location"] == reverse("home")


def test_keepalive_anonymous(client):
    response = client.post(KEEPALIVE, headers={"X-Requested-With": "fetch"})
    assert response.status_code == 401
    assert response.json() == {"ok": False, "login_url": "/accounts/login/"}
    assert client.post(KEEPALIVE)["Location"] == "/accounts/login/"


def test_keepalive_after_expiry_does_not_extend(client, user, time_machine):
    login(client, user)
    time_machine.move_to(START + timedelta(minutes=31), tick=False)
    response = client.post(KEEPALIVE, headers={"X-Requested-With": "fetch"})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_keepalive_get_goes_home(client, user):
    client.force_login(user)
    assert client.get(KEEPALIVE)["Location"] == reverse("home")


# --- logout ---------------------------------------------------------------------------
def test_logout_get_asks_for_confirmation(client, user):
    client.force_login(user)
    response = client.get("/accounts/logout/")
    html = page(response)
    assert response.status_code == 200
    assert "确定要退出当前账号吗？" in html
    assert '<form method="post" action="/accounts/logout/"' in html
    assert client.session["_auth_user_id"] == str(user.pk)


def test_logout_post_logs_out_audits_and_goes_to_login(client, user):
    client.force_login(user)
    response = client.post("/accounts/logout/")
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="logout", actor=user).count() == 1
    assert "您已安全退出。" in page(client.get(response["Location"]))


def test_logout_anonymous(client):
    assert client.get("/accounts/logout/")["Location"] == reverse("accounts:login")
    assert client.post("/accounts/logout/")["Location"] == reverse("accounts:login")
    assert not AuditEvent.objects.filter(action="logout").exists()
