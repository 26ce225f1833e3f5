"""The ministry's second factor guards every request of its session, and a first TOTP device
needs the administrator's 绑定授权码 (issue 12, Security)."""

from datetime import datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.enums import Authority, StaffLevel
from accounts.models import AuditEvent, OtpEnrolmentCode
from accounts.services.otp_enrolment import issue_enrolment_code
from filings.enums import FilingState
from filings.models import Material
from review.models import Message
from tests.factories import ApplicantFactory, StaffFactory, UserFactory
from tests.filings.factories import make_filing
from tests.review.certtestapp.factories import ProgrammeFactory, issue

pytestmark = pytest.mark.django_db

VERIFY = "/accounts/otp/verify/"
SETUP = "/accounts/otp/setup/"
ENROL = "/accounts/otp/enrol/"
START = datetime(2026, 4, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def token(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def required(settings):
    settings.STAFF_OTP_REQUIRED_FOR_MINISTRY = True


@pytest.fixture
def minister():
    return StaffFactory(username="mct-ministry-t", profile__level=StaffLevel.MINISTRY)


@pytest.fixture
def protected(minister):
    """One URL of each kind a ministry session reaches: zip, a certificate PDF, an uploaded file, messages, /staff/."""
    certificate = issue(ProgrammeFactory())
    filing = make_filing(state=FilingState.SUBMITTED)
    material = Material.objects.filter(version_id=filing.application_version_id).first()
    Message.objects.create(recipient=minister, title="测试通知", body="正文")
    return {
        "/certificates/zip/": "application/zip",
        f"/certificates/{certificate.public_id}/pdf/": "application/pdf",
        f"/filings/files/{material.token}/": material.content_type,
        "/messages/": "text/html; charset=utf-8",
        "/staff/": "text/html; charset=utf-8",
    }


def test_a_password_only_ministry_session_reaches_nothing_until_it_verifies(required, minister, protected):
    device = TOTPDevice.objects.create(user=minister, name="phone", confirmed=True)
    browser = Client()
    browser.force_login(minister)  # the password was right: nothing more

    for url in protected:
        response = browser.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{VERIFY}?next={quote(url, safe='')}", url
        assert b"%PDF" not in body(response)

    verified = browser.post(VERIFY, {"code": token(device), "next": "/certificates/zip/"})
    assert verified["Location"] == "/certificates/zip/"
    assert browser.session[DEVICE_ID_SESSION_KEY] == device.persistent_id

    for url, content_type in protected.items():
        response = browser.get(url)
        assert (response.status_code, response["Content-Type"]) == (200, content_type), url
    assert body(browser.get(next(u for u in protected if u.endswith("/pdf/")))).startswith(b"%PDF-")


def test_only_ministry_staff_owe_the_second_factor_and_only_when_it_is_required(settings, minister, protected):
    official = StaffFactory(profile__province="430000")  # provincial: no second factor required
    TOTPDevice.objects.create(user=minister, name="phone", confirmed=True)
    browser = Client()
    browser.force_login(official)
    settings.STAFF_OTP_REQUIRED_FOR_MINISTRY = True
    assert browser.get("/messages/").status_code == 200
    assert browser.get("/staff/").status_code == 200

    browser.force_login(minister)
    assert browser.get("/messages/").status_code == 302
    settings.STAFF_OTP_REQUIRED_FOR_MINISTRY = False
    assert browser.get("/messages/").status_code == 200
    assert browser.get("/certificates/zip/").status_code == 200


def test_the_otp_pages_logout_static_and_healthz_stay_open(required, minister):
    TOTPDevice.objects.create(user=minister, name="phone", confirmed=True)
    browser = Client()
    browser.force_login(minister)

    assert browser.get(VERIFY).status_code == 200
    assert browser.get("/healthz").status_code == 200
    assert browser.get("/accounts/logout/").status_code == 200
    # Not redirected to OTP (the tests collect no static files, hence the 404 of the file itself).
    assert browser.get("/static/css/portal.css").status_code == 404
    assert browser.get("/").status_code == 302
    assert browser.get("/accounts/profile/").status_code == 302
    logout = browser.post("/accounts/logout/")
    assert logout["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in browser.session


def test_a_post_from_an_unverified_session_changes_nothing(required, minister):
    TOTPDevice.objects.create(user=minister, name="phone", confirmed=True)
    message = Message.objects.create(recipient=minister, title="测试通知", body="正文")
    browser = Client()
    browser.force_login(minister)

    response = browser.post("/messages/read-all/")

    assert response["Location"] == f"{VERIFY}?next=%2Fmessages%2Fread-all%2F"
    message.refresh_from_db()
    assert message.read_at is None


def test_a_ministry_session_without_a_device_is_led_to_enrolment_and_sees_no_secret(required, minister):
    browser = Client()
    browser.force_login(minister)

    first = browser.get("/certificates/zip/")
    assert first["Location"] == f"{VERIFY}?next=%2Fcertificates%2Fzip%2F"
    second = browser.get(first["Location"])
    assert second["Location"] == f"{SETUP}?next=%2Fcertificates%2Fzip%2F"
    third = browser.get(second["Location"])
    assert third["Location"] == f"{ENROL}?next=%2Fcertificates%2Fzip%2F"
    page = browser.get(third["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "首次绑定动态口令，须先输入管理员为您的账号签发的绑定授权码。" in html
    assert "<svg" not in html
    assert not TOTPDevice.objects.filter(user=minister).exists()


# --- the 绑定授权码 -------------------------------------------------------------------------


def test_first_enrolment_needs_the_administrators_code_and_the_code_works_once(required, minister):
    browser = Client()
    browser.force_login(minister)
    issued = issue_enrolment_code(None, minister, system=True)

    wrong = browser.post(ENROL, {"enrolment_code": "ABCD-EFGH-JKLM"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors == {"enrolment_code": ["授权码不正确或已失效，请核对或向管理员重新申请。"]}
    html = wrong.content.decode()
    assert "请修改以下问题后再提交：" in html and 'value="ABCD-EFGH-JKLM"' in html
    assert not TOTPDevice.objects.filter(user=minister).exists()

    accepted = browser.post(ENROL, {"enrolment_code": issued.code.lower().replace("-", " ")})
    assert accepted["Location"] == SETUP
    page = browser.get(SETUP)
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=minister, confirmed=False)
    done = browser.post(SETUP, {"code": token(device)})
    assert done["Location"] == "/staff/"
    device.refresh_from_db()
    assert device.confirmed is True
    assert OtpEnrolmentCode.objects.get(user=minister).used_at is not None
    assert browser.get("/certificates/zip/").status_code == 200

    # The same code cannot bind a second device (say, the attacker's) once used.
    device.delete()
    other = Client()
    other.force_login(minister)
    again = other.post(ENROL, {"enrolment_code": issued.code})
    assert again.context["form"].errors == {"enrolment_code": ["授权码不正确或已失效，请核对或向管理员重新申请。"]}


def test_an_enrolment_code_is_bound_to_its_account_expires_and_tries_are_limited(required, minister):
    colleague = StaffFactory(username="mct-ministry-u", profile__level=StaffLevel.MINISTRY)
    with time_machine.travel(START, tick=False) as traveller:
        theirs = issue_enrolment_code(None, colleague, system=True)
        browser = Client()
        browser.force_login(minister)
        assert browser.post(ENROL, {"enrolment_code": theirs.code}).status_code == 200  # not minister's code

        mine = issue_enrolment_code(None, minister, system=True)
        traveller.shift(timedelta(hours=72, seconds=1))
        browser.force_login(minister)  # (a new session in the travelled clock)
        late = browser.post(ENROL, {"enrolment_code": mine.code})
        assert late.context["form"].errors == {"enrolment_code": ["授权码不正确或已失效，请核对或向管理员重新申请。"]}

        fresh = issue_enrolment_code(None, minister, system=True)  # a new code: a new count of tries
        for _ in range(5):
            browser.post(ENROL, {"enrolment_code": "WRONG-WRONG-WRONG"})
        locked = browser.post(ENROL, {"enrolment_code": fresh.code})
        assert locked.context["form"].errors == {"enrolment_code": ["授权码错误次数过多，请15分钟后再试。"]}
        traveller.shift(timedelta(minutes=15, seconds=1))
        assert browser.post(ENROL, {"enrolment_code": fresh.code})["Location"] == SETUP


def test_a_new_code_voids_the_earlier_one():
    official = StaffFactory()
    old = issue_enrolment_code(None, official, system=True)
    new = issue_enrolment_code(None, official, system=True)
    browser = Client()
    browser.force_login(official)

    assert browser.post(ENROL, {"enrolment_code": old.code}).status_code == 200
    assert browser.post(ENROL, {"enrolment_code": new.code})["Location"] == SETUP
    assert OtpEnrolmentCode.objects.filter(user=official).count() == 1


def test_a_setup_page_opened_before_the_code_shows_nothing_and_a_replacement_needs_no_code(minister):
    browser = Client()
    browser.force_login(minister)
    assert browser.get(SETUP)["Location"] == ENROL
    assert browser.post(SETUP, {"code": "123456"})["Location"] == ENROL
    assert not TOTPDevice.objects.filter(user=minister).exists()

    current = TOTPDevice.objects.create(user=minister, name="old", confirmed=True)
    assert browser.post(VERIFY, {"code": token(current)}).status_code == 302
    page = browser.get(SETUP)  # the current device proves the person: no code asked
    assert page.status_code == 200
    assert "绑定新的动态口令后，原来的动态口令将失效。" in page.content.decode()


def test_applicants_get_no_enrolment_page(client):
    client.force_login(ApplicantFactory())

    assert client.get(ENROL).status_code == 403
    assert client.post(ENROL, {"enrolment_code": "ABCD-EFGH-JKLM"}).status_code == 403


def test_who_may_issue_an_enrolment_code():
    from django.core.exceptions import PermissionDenied

    official = StaffFactory(profile__province="430000")
    mct_minister = StaffFactory(profile__level=StaffLevel.MINISTRY)
    nrta_minister = StaffFactory(profile__level=StaffLevel.MINISTRY, profile__authority=Authority.NRTA)
    root = UserFactory(is_superuser=True, is_staff=True)

    assert issue_enrolment_code(mct_minister, official).code.count("-") == 2
    assert issue_enrolment_code(root, mct_minister).code.count("-") == 2
    for actor, target in (
        (nrta_minister, official),  # another authority
        (official, mct_minister),  # a provincial official
        (mct_minister, mct_minister),  # oneself
        (None, official),  # nobody, outside the server's command
    ):
        with pytest.raises(PermissionDenied):
            issue_enrolment_code(actor, target)
    with pytest.raises(PermissionDenied):
        issue_enrolment_code(root, ApplicantFactory())  # applicants use no second factor
    issued = AuditEvent.objects.filter(action="otp.enrolment_code_issued").values_list("actor", "target")
    assert sorted(issued) == sorted([(mct_minister.pk, official.username), (root.pk, mct_minister.username)])


def test_the_command_issues_a_code_that_works(minister, capsys):
    call_command("issue_otp_enrolment_code", minister.username)
    out = capsys.readouterr().out
    code = out.split("绑定授权码: ")[1].split()[0]
    assert out.startswith(f"{minister.username} 的绑定授权码: ")
    assert "有效期至 " in out and "仅可使用一次" in out
    browser = Client()
    browser.force_login(minister)
    assert browser.post(ENROL, {"enrolment_code": code})["Location"] == SETUP
    assert AuditEvent.objects.get(action="otp.enrolment_code_issued").detail["system"] is True


def test_the_superuser_admin_issues_codes_for_the_selected_reviewers_once_shown(client):
    root = UserFactory(username="root-x", is_superuser=True, is_staff=True)
    official = StaffFactory(username="mct-hunan-x")
    applicant = ApplicantFactory()
    client.force_login(root)

    response = client.post(
        "/admin/accounts/user/",
        {"action": "issue_otp_enrolment_codes", "_selected_action": [official.pk, applicant.pk]},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "no-store" in response["Cache-Control"]
    code = html.split('data-testid="enrolment-code">')[1].split("<")[0]
    assert "mct-hunan-x" in html
    assert f"{applicant.username}：该账号不使用动态口令。" in html
    browser = Client()
    browser.force_login(official)
    assert browser.post(ENROL, {"enrolment_code": code})["Location"] == SETUP
    assert AuditEvent.objects.filter(action="otp.enrolment_code_issued", actor=root).count() == 1

    # Someone who is not a superuser never reaches the action.
    client.force_login(official)
    refused = client.post(
        "/admin/accounts/user/", {"action": "issue_otp_enrolment_codes", "_selected_action": [official.pk]}
    )
    assert refused.status_code == 302
    assert OtpEnrolmentCode.objects.filter(user=official).count() == 1


def test_the_second_factor_check_costs_the_same_queries_for_one_and_many_messages(
    required, minister, django_assert_num_queries
):
    device = TOTPDevice.objects.create(user=minister, name="phone", confirmed=True)
    browser = Client()
    browser.force_login(minister)
    browser.post(VERIFY, {"code": token(device)})
    Message.objects.create(recipient=minister, title="第1条", body="正文")
    with django_assert_num_queries(QUERIES_MESSAGES):
        assert browser.get("/messages/").status_code == 200
    for n in range(2, 12):
        Message.objects.create(recipient=minister, title=f"第{n}条", body="正文")
    with django_assert_num_queries(QUERIES_MESSAGES):
        response = browser.get("/messages/")
    assert response.content.decode().count("第1") >= 2  # 第1条, 第10条, 第11条


QUERIES_MESSAGES = 5  # 1 message or 11 alike; the OTP device read once (session, unread count: cache)
