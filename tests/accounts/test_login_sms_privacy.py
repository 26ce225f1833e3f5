"""验证码登录 tells nobody whether a phone is registered, and nobody can use up a real user's
code or keep their phone waiting (SPEC §A3/§A4; issue 12, Security)."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.models import SmsCode
from tests.conftest import last_sms_code
from tests.factories import ApplicantFactory

pytestmark = pytest.mark.django_db

SMS_LOGIN = "/accounts/login/sms/"
SEND = reverse("accounts:sms_send")
NOON = datetime(2026, 3, 2, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
CAPTCHA = {"captcha_0": "k", "captcha_1": "PASSED"}
ONE_MESSAGE = "短信验证码不正确或已失效，请重新获取。"


def send_code(client, phone, **extra):
    return client.post(SMS_LOGIN, {"phone": phone, **CAPTCHA, "sms_code": "", "action": "send_code"}, **extra)


def sms_login(client, phone, code, **extra):
    return client.post(SMS_LOGIN, {"phone": phone, "sms_code": code, "action": "login", **CAPTCHA}, **extra)


def code_errors(response) -> list[str]:
    return list(response.context["form"].errors.get("sms_code", []))


def visible_text(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_a_wrong_code_reads_the_same_for_a_registered_and_an_unknown_phone(client):
    ApplicantFactory(username="13900000401")
    registered, unknown = Client(), Client()

    sent = [send_code(registered, "13900000401"), send_code(unknown, "13911110401")]
    answers = [sms_login(registered, "13900000401", "000000"), sms_login(unknown, "13911110401", "000000")]

    assert visible_text(sent[0]).replace("13900000401", "PHONE") == visible_text(sent[1]).replace(
        "13911110401", "PHONE"
    )
    assert [code_errors(r) for r in answers] == [[ONE_MESSAGE], [ONE_MESSAGE]]
    assert [r.status_code for r in answers] == [200, 200]
    # Page for page, only the typed phone differs.
    assert visible_text(answers[0]).replace("13900000401", "PHONE") == visible_text(answers[1]).replace(
        "13911110401", "PHONE"
    )
    # A sixth wrong try reads the same too (no "还可尝试N次", no "错误次数过多" for one of them only).
    for _ in range(5):
        last = [sms_login(registered, "13900000401", "000000"), sms_login(unknown, "13911110401", "000000")]
    assert [code_errors(r) for r in last] == [[ONE_MESSAGE], [ONE_MESSAGE]]


def test_guesses_from_a_session_that_asked_no_code_do_not_use_up_the_owners_tries(client):
    owner = ApplicantFactory(username="13900000402")
    send_code(client, "13900000402")
    code = last_sms_code("13900000402")

    attacker = Client()
    for guess in ("000000", "111111", "222222", "333333", "444444", "555555", "666666"):
        if guess == code:
            continue
        response = sms_login(attacker, "13900000402", guess)
        assert code_errors(response) == ["请先获取短信验证码。"]
        assert "_auth_user_id" not in attacker.session
    assert list(SmsCode.objects.filter(phone="13900000402").values_list("attempts", "used_at")) == [(0, None)]

    response = sms_login(client, "13900000402", code)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_the_same_answer_without_a_request_whether_or_not_the_phone_is_registered(client):
    ApplicantFactory(username="13900000403")

    answers = [sms_login(Client(), "13900000403", "123456"), sms_login(Client(), "13911110403", "123456")]

    assert [code_errors(r) for r in answers] == [["请先获取短信验证码。"], ["请先获取短信验证码。"]]


def test_the_requesting_session_still_has_five_tries_then_needs_a_new_code(client):
    ApplicantFactory(username="13900000404")
    send_code(client, "13900000404")
    code = last_sms_code("13900000404")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        assert code_errors(sms_login(client, "13900000404", wrong)) == [ONE_MESSAGE]

    response = sms_login(client, "13900000404", code)  # the right code, too late

    assert code_errors(response) == [ONE_MESSAGE]
    assert "_auth_user_id" not in client.session


def test_sends_refused_by_the_address_limit_start_no_cool_down_and_no_daily_count(client, settings, sms_outbox):
    attacker_ip, victim = "203.0.113.20", "13900000405"
    ApplicantFactory(username=victim)
    attacker = Client(REMOTE_ADDR=attacker_ip)
    with time_machine.travel(NOON, tick=False) as traveller:
        for n in range(settings.SMS_THROTTLE_IP_PER_HOUR):  # the address's whole hour, on other phones
            assert attacker.post(SEND, {"phone": f"1381234{n:04d}", "purpose": "login", **CAPTCHA}).status_code == 200
        # Ten more, a minute apart, at the victim's phone: each refused for the address.
        for _ in range(10):
            refused = attacker.post(SEND, {"phone": victim, "purpose": "login", **CAPTCHA})
            assert refused.status_code == 429
            assert refused.json()["message"] == "当前网络获取验证码次数过多，请稍后再试。"
            traveller.shift(timedelta(seconds=61))
        traveller.move_to(NOON + timedelta(minutes=11), tick=False)  # same hour, same day

        # The owner, elsewhere, is not kept waiting and still has the whole day's ten codes.
        owner = Client(REMOTE_ADDR="198.51.100.5")
        statuses = []
        for _ in range(11):
            statuses.append(owner.post(SEND, {"phone": victim, "purpose": "login", **CAPTCHA}).status_code)
            traveller.shift(timedelta(seconds=61))

    assert statuses == [200] * 10 + [429]
    assert [m.phone for m in sms_outbox].count(victim) == 10
