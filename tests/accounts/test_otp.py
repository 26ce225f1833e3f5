"""TOTP second factor for staff: set-up with a QR code, then verification."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.enums import StaffLevel
from accounts.models import AuditEvent
from accounts.services.otp_enrolment import issue_enrolment_code
from accounts.services.staff import staff_needs_otp
from tests.factories import ApplicantFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

SETUP = "/accounts/otp/setup/"
ENROL = "/accounts/otp/enrol/"
VERIFY = "/accounts/otp/verify/"
START = datetime(2026, 4, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def token(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def wrong(device: TOTPDevice) -> str:
    return f"{(int(token(device)) + 1) % 1_000_000:06d}"


def enrol(client, user) -> None:
    """First enrolment starts with the administrator's 绑定授权码 (tests/accounts/test_otp_enforced.py)."""
    issued = issue_enrolment_code(None, user, system=True)
    response = client.post(ENROL, {"enrolment_code": issued.code})
    assert response.status_code == 302


@pytest.fixture
def official(client):
    user = StaffFactory(username="mct-ministry-x", profile__level=StaffLevel.MINISTRY)
    client.force_login(user)
    return user


def test_otp_urls():
    assert reverse("accounts:otp_setup") == SETUP
    assert reverse("accounts:otp_verify") == VERIFY


@time_machine.travel(START, tick=False)
def test_otp_setup_shows_qr_svg_and_secret(client, official):
    enrol(client, official)
    response = client.get(SETUP)

    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=official)
    assert device.confirmed is False
    html = response.content.decode()
    assert "<svg" in html and "<?xml" not in html
    assert response.context["secret"].replace(" ", "") in device.config_url
    assert "确认绑定" in html
    # A second visit reuses the pending device instead of creating another.
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=official).count() == 1


def test_otp_setup_confirm_with_first_token_verifies_session(client, official):
    with time_machine.travel(START, tick=False) as traveller:
        enrol(client, official)
        client.get(SETUP)
        device = TOTPDevice.objects.get(user=official)

        bad = client.post(SETUP, {"code": wrong(device)})
        assert bad.status_code == 200
        assert bad.context["form"].errors == {"code": ["动态口令不正确，请确认手机时间准确后重新输入。"]}
        assert TOTPDevice.objects.get(pk=device.pk).confirmed is False

        traveller.shift(5)  # past the throttle delay of the failed try
        device.refresh_from_db()
        good = client.post(SETUP, {"code": token(device)})
        # (inside the travel: the session's expiry date is computed from the travelled clock)
        assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id

    assert good.status_code == 302
    assert good["Location"] == reverse("staff:index")
    device.refresh_from_db()
    assert device.confirmed is True
    assert AuditEvent.objects.filter(action="otp.device_confirmed", target="mct-ministry-x").count() == 1


def test_otp_setup_rejects_non_numeric_code(client, official):
    enrol(client, official)
    client.get(SETUP)

    response = client.post(SETUP, {"code": "12ab56"})

    assert response.context["form"].errors == {"code": ["动态口令为6位数字。"]}


def test_otp_verify_after_new_login(official, settings):
    settings.STAFF_OTP_REQUIRED_FOR_MINISTRY = True
    device = TOTPDevice.objects.create(user=official, name="phone", confirmed=True)
    browser = Client()
    browser.force_login(official)
    with time_machine.travel(START, tick=False) as traveller:
        page = browser.get(VERIFY + "?next=/staff/")
        assert page.status_code == 200
        assert "动态口令验证" in page.content.decode()
        assert staff_needs_otp(page.wsgi_request.user) is True

        bad = browser.post(VERIFY + "?next=/staff/", {"code": wrong(device), "next": "/staff/"})
        assert bad.status_code == 200
        assert bad.context["form"].errors == {"code": ["动态口令不正确或尝试过于频繁，请稍后重新输入。"]}
        assert DEVICE_ID_SESSION_KEY not in browser.session

        traveller.shift(5)
        device.refresh_from_db()
        good = browser.post(VERIFY, {"code": token(device), "next": "/staff/"})
        assert browser.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
        again = browser.get(VERIFY + "?next=/staff/")
        assert again.status_code == 302  # already verified in this session
        assert staff_needs_otp(again.wsgi_request.user) is False

    assert good.status_code == 302
    assert good["Location"] == "/staff/"
    actions = list(AuditEvent.objects.filter(action__startswith="otp.").values_list("action", flat=True))
    assert sorted(actions) == ["otp.failed", "otp.verified"]


def test_otp_verify_ignores_foreign_next(official):
    device = TOTPDevice.objects.create(user=official, name="phone", confirmed=True)
    browser = Client()
    browser.force_login(official)
    with time_machine.travel(START, tick=False):
        response = browser.post(VERIFY, {"code": token(device), "next": "https://evil.example.com/"})

    assert response["Location"] == reverse("staff:index")


def test_otp_verify_without_device_leads_to_setup(client, official):
    response = client.get(VERIFY)

    assert response.status_code == 302
    assert response["Location"] == SETUP


def test_otp_setup_with_confirmed_device_needs_verification_first(client, official):
    TOTPDevice.objects.create(user=official, name="phone", confirmed=True)

    response = client.get(SETUP)

    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next={SETUP}"
    assert TOTPDevice.objects.filter(user=official).count() == 1


def test_otp_replacing_device_after_verification_removes_old(client, official):
    old = TOTPDevice.objects.create(user=official, name="old", confirmed=True)
    with time_machine.travel(START, tick=False) as traveller:
        client.post(VERIFY, {"code": token(old)})
        traveller.shift(60)
        page = client.get(SETUP)
        assert "绑定新的动态口令后，原来的动态口令将失效。" in page.content.decode()
        new = TOTPDevice.objects.get(user=official, confirmed=False)
        client.post(SETUP, {"code": token(new)})

    assert list(TOTPDevice.objects.filter(user=official).values_list("pk", flat=True)) == [new.pk]


def test_otp_superuser_may_set_up(client):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    enrol(client, root)

    assert client.get(SETUP).status_code == 200


def test_otp_pages_refused_for_applicants(client, official):
    client.force_login(ApplicantFactory())

    assert client.get(SETUP).status_code == 403
    assert client.get(VERIFY).status_code == 403
    assert not TOTPDevice.objects.exists()
    # Staff, once enrolled, have the setup page.
    client.force_login(official)
    enrol(client, official)
    assert client.get(SETUP).status_code == 200


def test_otp_pages_need_login(client):
    for url in (SETUP, VERIFY):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
