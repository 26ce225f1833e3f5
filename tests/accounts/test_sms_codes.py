"""A4 SMS codes through the JSON endpoint (accounts:sms_send) and the no-JavaScript button:
captcha, purposes, throttling, secrecy of codes."""

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.hashers import check_password
from django.urls import reverse

from accounts.models import AuditEvent, SmsCode
from tests.accounts.test_registration_support import (
    CAPTCHA_OK,
    enterprise_data,
    field_errors,
    send_register_code,
)
from tests.conftest import last_sms_code
from tests.factories import ApplicantFactory, OrganisationFactory, StaffFactory

URL = reverse("accounts:sms_send")
REGISTER_URL = reverse("accounts:register")
NOON = datetime(2026, 3, 2, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
pytestmark = pytest.mark.django_db


def _send(client, phone="13812340001", purpose="register", **extra):
    return client.post(URL, {"phone": phone, "purpose": purpose, **CAPTCHA_OK, **extra})


def test_sms_send_register_success(client, sms_outbox):
    response = _send(client)

    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "message": "验证码已发送，5分钟内有效。",
        "retry_after": 60,
        "captcha_verified": True,
    }
    assert [(m.phone, m.template) for m in sms_outbox] == [("13812340001", "SMS_REGISTER")]
    assert len(sms_outbox[0].params["code"]) == 6 and sms_outbox[0].params["minutes"] == "5"
    record = SmsCode.objects.get()
    assert (record.phone, record.purpose, record.ip) == ("13812340001", "register", "127.0.0.1")
    assert AuditEvent.objects.get(action="sms.sent").target == "138****0001"


def test_sms_send_requires_captcha(client, sms_outbox):
    response = client.post(URL, {"phone": "13812340001", "purpose": "register"})

    assert response.status_code == 400
    assert response.json()["errors"] == {"captcha": ["请输入图形验证码。"]}
    assert sms_outbox == []


def test_sms_send_wrong_captcha(client, sms_outbox):
    response = _send(client, captcha_1="WRONG")

    assert response.status_code == 400
    assert response.json()["errors"] == {"captcha": ["图形验证码不正确，请重新输入。"]}
    assert sms_outbox == []


def test_sms_send_captcha_mark_lets_the_next_send_skip_captcha(client, sms_outbox):
    with time_machine.travel(NOON, tick=False) as traveller:
        assert _send(client).status_code == 200
        traveller.shift(timedelta(seconds=61))
        response = client.post(URL, {"phone": "13812340001", "purpose": "register"})
        other = client.post(URL, {"phone": "13812340002", "purpose": "register"})

    assert response.status_code == 200
    assert other.status_code == 400
    assert other.json()["errors"] == {"captcha": ["请输入图形验证码。"]}
    assert len(sms_outbox) == 2


@pytest.mark.parametrize(("phone", "message"), [("", "请输入手机号。"), ("23812340001", "请输入正确的11位手机号码。")])
def test_sms_send_bad_phone(client, phone, message, sms_outbox):
    response = _send(client, phone=phone)

    assert response.status_code == 400
    assert response.json()["errors"]["phone"] == [message]
    assert sms_outbox == []


@pytest.mark.parametrize("purpose", ["", "notice", "anything"])
def test_sms_send_unknown_purpose(client, purpose, sms_outbox):
    response = _send(client, purpose=purpose)

    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert list(response.json()["errors"]) == ["purpose"]
    assert sms_outbox == []


def test_sms_send_get_is_refused(client):
    assert client.get(URL).status_code == 405


def test_sms_send_register_refuses_registered_phone(client, sms_outbox):
    ApplicantFactory(username="13812340001")
    response = _send(client)

    assert response.status_code == 400
    assert response.json()["errors"] == {"phone": ["该手机号已注册，请直接登录。"]}
    assert sms_outbox == []


@pytest.mark.parametrize("purpose", ["login", "reset"])
def test_sms_send_login_does_not_reveal_registration(client, purpose, sms_outbox):
    ApplicantFactory(username="13812340001")

    known = _send(client, phone="13812340001", purpose=purpose)
    unknown = _send(client, phone="13812340002", purpose=purpose)

    assert (known.status_code, unknown.status_code) == (200, 200)
    assert (
        known.json()
        == unknown.json()
        == {
            "ok": True,
            "message": "如该手机号已注册，验证码已发送，5分钟内有效。",
            "retry_after": 60,
            "captcha_verified": True,
        }
    )
    assert [m.phone for m in sms_outbox] == ["13812340001"]


def test_sms_send_login_throttles_unknown_phones_too(client, sms_outbox):
    first = _send(client, phone="13812340002", purpose="login")
    second = _send(client, phone="13812340002", purpose="login")

    assert first.status_code == 200
    assert second.status_code == 429
    assert second.json()["message"] == "验证码发送过于频繁，请60秒后再试。"
    assert sms_outbox == []


def test_sms_send_login_skips_inactive_and_cancelled_accounts(client, sms_outbox):
    ApplicantFactory(username="13812340001", is_active=False)
    response = _send(client, phone="13812340001", purpose="login")

    assert response.status_code == 200
    assert sms_outbox == []


def test_sms_send_change_phone_needs_login(client, sms_outbox):
    response = _send(client, purpose="change-phone")

    assert response.status_code == 403
    assert response.json() == {"ok": False, "message": "请先登录。"}
    assert sms_outbox == []


def test_sms_send_change_phone_old_number(client, sms_outbox):
    user = ApplicantFactory(username="13812340001")
    client.force_login(user)
    response = client.post(URL, {"purpose": "change-phone", "target": "old", **CAPTCHA_OK})

    assert response.status_code == 200
    assert [m.phone for m in sms_outbox] == ["13812340001"]


def test_sms_send_change_phone_new_number_must_be_free(client, sms_outbox):
    client.force_login(ApplicantFactory(username="13812340001"))
    ApplicantFactory(username="13812340002")
    response = _send(client, phone="13812340002", purpose="change-phone")

    assert response.status_code == 400
    assert response.json()["errors"] == {"phone": ["该手机号已被其他账号使用。"]}


def test_sms_send_add_member_only_for_administrator(client, sms_outbox):
    org = OrganisationFactory()
    admin = ApplicantFactory(organisation=org)
    member = ApplicantFactory(organisation=org)

    client.force_login(member)
    refused = _send(client, phone="13812340009", purpose="add-member")
    client.force_login(admin)
    allowed = _send(client, phone="13812340009", purpose="add-member")

    assert refused.status_code == 403
    assert refused.json()["message"] == "您没有权限进行此操作。"
    assert allowed.status_code == 200
    assert [m.phone for m in sms_outbox] == ["13812340009"]


def test_sms_send_add_member_refuses_staff(client):
    client.force_login(StaffFactory())

    assert _send(client, phone="13812340009", purpose="add-member").status_code == 403


# --- throttling -------------------------------------------------------------
def test_sms_throttle_one_per_phone_per_minute(client, sms_outbox):
    with time_machine.travel(NOON, tick=False) as traveller:
        first = _send(client)
        traveller.shift(timedelta(seconds=30))
        second = _send(client)
        traveller.shift(timedelta(seconds=31))
        third = _send(client)

    assert (first.status_code, second.status_code, third.status_code) == (200, 429, 200)
    assert second.json() == {
        "ok": False,
        "message": "验证码发送过于频繁，请30秒后再试。",
        "retry_after": 30,
        "errors": {"sms_code": ["验证码发送过于频繁，请30秒后再试。"]},
        "captcha_verified": True,
    }
    assert len(sms_outbox) == 2


def test_sms_throttle_ten_per_phone_per_day(client, sms_outbox):
    statuses = []
    with time_machine.travel(NOON, tick=False) as traveller:
        for _ in range(11):
            statuses.append(_send(client))
            traveller.shift(timedelta(seconds=61))

    assert [r.status_code for r in statuses] == [200] * 10 + [429]
    assert statuses[-1].json()["message"] == "该手机号今日获取验证码次数已达上限，请明天再试。"
    assert len(sms_outbox) == 10


def test_sms_throttle_twenty_per_ip_per_hour(client, sms_outbox):
    with time_machine.travel(NOON, tick=False):
        statuses = [_send(client, phone=f"138123400{n:02d}").status_code for n in range(21)]
        last = _send(client, phone="13912340000")
        other_ip = client.post(
            URL, {"phone": "13912340001", "purpose": "register", **CAPTCHA_OK}, REMOTE_ADDR="10.0.0.9"
        )

    assert statuses == [200] * 20 + [429]
    assert last.json()["message"] == "当前网络获取验证码次数过多，请稍后再试。"
    assert other_ip.status_code == 200
    assert len(sms_outbox) == 21


def test_sms_throttle_without_javascript_shows_message_next_to_code(client, sms_outbox):
    data = enterprise_data()
    send_register_code(client, REGISTER_URL, data)
    response = client.post(REGISTER_URL, {**data, "action": "send_code"})

    assert field_errors(response, "sms_code") == ["验证码发送过于频繁，请60秒后再试。"]
    assert len(sms_outbox) == 1


def test_sms_gateway_failure_is_a_message_not_a_500(client, settings):
    settings.SMS_BACKEND = "tests.accounts.test_sms_codes.FailingBackend"
    response = _send(client)

    assert response.status_code == 503
    assert response.json()["message"] == "短信发送失败，请稍后再试。"


class FailingBackend:
    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        from accounts.sms import SmsDeliveryError

        raise SmsDeliveryError("gateway down")


# --- secrecy ----------------------------------------------------------------
def test_sms_codes_are_stored_hashed_and_never_logged(client, caplog):
    caplog.set_level(logging.DEBUG)
    data = enterprise_data()
    data["sms_code"] = send_register_code(client, REGISTER_URL, data)
    client.post(REGISTER_URL, {**data, "password2": "mismatch"})
    response = client.post(REGISTER_URL, data)
    code = last_sms_code("13812340001")

    assert response.status_code == 302
    record = SmsCode.objects.get()
    assert code not in record.code_hash
    assert check_password(code, record.code_hash)
    assert code not in caplog.text
    assert all(code not in str(e.detail) and code not in e.target for e in AuditEvent.objects.all())


def test_sms_code_is_never_echoed_in_the_page(client):
    data = enterprise_data()
    response = client.post(REGISTER_URL, {**data, "action": "send_code"})

    assert last_sms_code("13812340001") not in response.content.decode()
