"""Sign-up for a training: seats, no double sign-up, cancel, bad input kept, races on PostgreSQL, batched notice."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from review.models import OutboxEvent
from supervision.notices import services
from supervision.notices.models import SignUp

pytestmark = pytest.mark.django_db


def test_sign_up_and_cancel(client, training, hunan_unit, beijing_unit):
    url = reverse("notices:detail", args=[training.public_id])
    client.force_login(beijing_unit)
    assert client.post(url, {"name": "王五", "phone": "13900000000", "attendees": 1}).status_code == 404
    assert SignUp.objects.count() == 0
    client.force_login(hunan_unit)
    response = client.post(url, {"name": "李明", "phone": "13912345678", "attendees": 2}, follow=True)
    assert "报名成功。" in response.content.decode()
    assert "剩余 3 / 共 5" in response.content.decode()
    signup = SignUp.objects.get()
    assert (signup.name, signup.phone, signup.attendees, signup.organisation_id) == (
        "李明",
        "13912345678",
        2,
        hunan_unit.organisation_id,
    )
    again = client.post(url, {"name": "李明", "phone": "13912345678", "attendees": 1})
    assert again.status_code == 400 and "本单位已报名，请勿重复报名。" in again.content.decode()
    client.post(reverse("notices:cancel", args=[training.public_id]))
    signup.refresh_from_db()
    assert signup.cancelled_at is not None
    assert "剩余 5 / 共 5" in client.get(url).content.decode()


def test_capacity_and_bad_input(client, training, hunan_unit, hunan_unit2):
    url = reverse("notices:detail", args=[training.public_id])
    client.force_login(hunan_unit)
    client.post(url, {"name": "李明", "phone": "13912345678", "attendees": 4})
    client.force_login(hunan_unit2)
    full = client.post(url, {"name": "王芳", "phone": "13912345679", "attendees": 2})
    page = full.content.decode()
    assert full.status_code == 400 and "剩余名额不足，当前剩余 1 个。" in page and 'value="王芳"' in page
    bad = client.post(url, {"name": "", "phone": "12ab", "attendees": "x"})
    page = bad.content.decode()
    assert bad.status_code == 400
    assert "报名未成功，请检查以下内容。" in page and "请填写联系人。" in page and "请填写 11 位手机号码" in page
    assert "参加人数须为整数。" in page and 'value="12ab"' in page
    assert SignUp.objects.filter(organisation=hunan_unit2.organisation).count() == 0


def test_publishing_a_training_enqueues_once(hunan_official, hunan_unit, hunan_unit2, beijing_unit, training):
    events = [e for e in OutboxEvent.objects.all() if "湖南省备案业务培训" in e.payload.get("title", "")]
    assert len(events) == 1
    users = events[0].payload["user_ids"]
    assert hunan_unit.pk in users and hunan_unit2.pk in users and beijing_unit.pk not in users


def test_scope_of_publishing(hunan_official, beijing_official, training):
    from accounts.enums import Authority
    from supervision.notices.models import Notice

    with pytest.raises(services.NoticeError, match="省级审核人员只能面向本省本业务发布通知。"):
        services.save_notice(hunan_official, Notice(title="t", body="b", authority=Authority.MCT, province="110000"))
    with pytest.raises(services.NoticeError):
        services.publish(beijing_official, training)


@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_ups_never_overfill(training, hunan_unit, hunan_unit2):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter")
    barrier = threading.Barrier(2)
    results = []

    def go(user):
        barrier.wait()
        try:
            services.sign_up(user, training, name="甲", phone="13900000000", attendees=3)
            results.append("ok")
        except services.NoticeError as exc:
            results.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(u,)) for u in (hunan_unit, hunan_unit2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "剩余名额不足，当前剩余 2 个。"]
    assert SignUp.objects.filter(cancelled_at__isnull=True).count() == 1
