"""The "notify" outbox handler: messages, e-mail and SMS to the right people, once."""

import pytest
from django.core import mail

from accounts import sms
from accounts.enums import Authority, StaffLevel
from review import outbox
from review.enums import OutboxStatus
from review.models import Message, OutboxEvent
from review.outbox.notifications import handle_notify, notify_payload, recipients
from tests.factories import ApplicantFactory, StaffFactory, UserFactory
from tests.review.conftest import drain_outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(applicant):
    """The applicant's unit with a second member without e-mail or phone and an inactive member."""
    org = applicant.organisation
    quiet = UserFactory(organisation=org, username="quietmember", phone=None, email="")
    UserFactory(organisation=org, is_active=False)
    return org, applicant, quiet


def test_notify_payload_shape():
    payload = notify_payload(
        title="受理通知", body="已受理", link="/filings/x/", organisation=7, reviewers=("mct", "430000"), sms=True
    )

    assert {k: v for k, v in payload.items() if k != "at"} == {
        "organisation_id": 7,
        "user_ids": [],
        "reviewers": {"authority": "mct", "province": "430000"},
        "title": "受理通知",
        "body": "已受理",
        "link": "/filings/x/",
        "sms_template": "notice",
        "email": True,
    }


def test_notify_organisation_members_get_message_email_and_sms(unit, settings):
    org, applicant, quiet = unit
    outbox.enqueue(
        "notify",
        notify_payload(title="备案已通过", body="您的申请已通过。", link="/filings/a/", organisation=org, sms=True),
    )

    drain_outbox()

    assert sorted(Message.objects.values_list("recipient__username", "title", "link")) == sorted(
        [
            (applicant.username, "备案已通过", "/filings/a/"),
            (quiet.username, "备案已通过", "/filings/a/"),
        ]
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [applicant.email]
    assert mail.outbox[0].subject == "备案已通过"
    assert "您的申请已通过。" in mail.outbox[0].body
    assert f"{settings.SITE_URL}/filings/a/" in mail.outbox[0].body
    assert [(m.phone, m.template, m.params) for m in sms.outbox] == [
        (applicant.phone, settings.SMS_TEMPLATES["notice"], {"title": "备案已通过"})
    ]


def test_notify_without_sms_template_sends_no_sms(unit):
    org, applicant, _ = unit
    outbox.enqueue("notify", notify_payload(title="已提交", organisation=org, sms=False, email=False))

    drain_outbox()

    assert Message.objects.count() == 2
    assert sms.outbox == []
    assert mail.outbox == []


def test_notify_reviewers_of_province_and_ministry_of_authority(
    hunan_official, beijing_official, ministry, nrta_ministry
):
    StaffFactory(profile__level=StaffLevel.EXPERT, profile__authority=Authority.MCT, profile__province="")
    payload = notify_payload(title="新的备案申请", reviewers=("mct", "430000"))

    assert recipients(payload) == [hunan_official, ministry]


def test_notify_reviewers_without_province_reaches_ministry_only(hunan_official, ministry):
    assert recipients(notify_payload(title="x", reviewers={"authority": "mct", "province": ""})) == [ministry]


def test_notify_explicit_users_once_even_if_also_members(applicant):
    other = ApplicantFactory()
    payload = notify_payload(title="x", users=[applicant, other.pk], organisation=applicant.organisation)

    assert recipients(payload) == [applicant, other]


def test_notify_rerun_does_not_duplicate_messages(applicant):
    payload = notify_payload(title="退回修改", link="/f/1/", users=[applicant], email=False)

    handle_notify(payload)
    handle_notify(payload)  # e.g. the outbox retrying after a crash

    assert Message.objects.filter(recipient=applicant).count() == 1


def test_notify_sms_outage_retries_only_the_sms(applicant, monkeypatch):
    def gateway_down(*args, **kwargs):
        raise sms.SmsDeliveryError("gateway timeout")

    monkeypatch.setattr(sms, "send_sms", gateway_down)
    outbox.enqueue("notify", notify_payload(title="未通过", users=[applicant], sms=True))

    drain_outbox()

    statuses = dict(OutboxEvent.objects.values_list("topic", "status"))
    assert statuses == {
        "notify": OutboxStatus.DONE,
        "notify.email": OutboxStatus.DONE,
        "notify.sms": OutboxStatus.PENDING,
    }
    assert Message.objects.count() == 1
    assert len(mail.outbox) == 1

    monkeypatch.undo()
    OutboxEvent.objects.filter(topic="notify.sms").update(
        available_at=OutboxEvent.objects.get(topic="notify").created_at
    )
    drain_outbox()

    assert OutboxEvent.objects.get(topic="notify.sms").status == OutboxStatus.DONE
    assert [m.phone for m in sms.outbox] == [applicant.phone]
    assert len(mail.outbox) == 1  # not sent again
    assert Message.objects.count() == 1


def test_notify_title_with_a_line_break_still_reaches_the_inbox_by_email(unit):
    """A programme name posted with a line break ends up in the title; an e-mail subject may not hold one."""
    org, applicant, _quiet = unit
    outbox.enqueue("notify", notify_payload(title="《湘江\r\n音乐会》已通过", body="正文", organisation=org))

    drain_outbox()

    assert [m.subject for m in mail.outbox] == ["《湘江 音乐会》已通过"]
    assert OutboxEvent.objects.exclude(status=OutboxStatus.DONE).count() == 0
