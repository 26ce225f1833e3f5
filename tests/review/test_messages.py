"""Message centre (消息): own messages only, read on opening, safe redirects, header count."""

import base64
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from review.models import Message
from review.outbox.views import message_token
from tests.factories import ApplicantFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/messages/"


def make_messages(user, count, **kwargs):
    now = timezone.now()
    return [
        Message.objects.create(
            recipient=user, title=f"通知{i:02d}", created_at=now - timedelta(minutes=count - i), **kwargs
        )
        for i in range(count)
    ]


def titles(response):
    return re.findall(r'<a href="/messages/[^"]+/" class="[^"]*">([^<]+)</a>', response.content.decode())


def test_messages_list_shows_own_messages_unread_first(client, applicant):
    old_read, newer_unread = make_messages(applicant, 2)
    Message.objects.filter(pk=old_read.pk).update(read_at=timezone.now())
    newest_read = Message.objects.create(recipient=applicant, title="最新已读", read_at=timezone.now())
    Message.objects.create(recipient=ApplicantFactory(), title="别人的消息")
    client.force_login(applicant)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert titles(response) == [newer_unread.title, newest_read.title, old_read.title]
    assert "别人的消息" not in response.content.decode()
    assert '<span class="badge bg-danger" data-testid="unread-count">1</span>' in response.content.decode()


def test_messages_list_paginates_by_20(client, applicant):
    make_messages(applicant, 25)
    client.force_login(applicant)

    first = client.get(LIST_URL)
    second = client.get(LIST_URL + "?page=2")

    assert titles(first) == [f"通知{i:02d}" for i in range(24, 4, -1)]
    assert titles(second) == [f"通知{i:02d}" for i in range(4, -1, -1)]
    assert "第 1 / 2 页" in first.content.decode()


def test_messages_list_query_count_is_constant(client, applicant, django_assert_max_num_queries):
    client.force_login(applicant)
    make_messages(applicant, 1)
    with django_assert_max_num_queries(50) as one:
        client.get(LIST_URL)
    make_messages(applicant, 30)
    with django_assert_max_num_queries(50) as many:
        client.get(LIST_URL)

    assert len(one.captured_queries) == len(many.captured_queries)
    assert len(many.captured_queries) <= 10


def test_messages_list_requires_login(client):
    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_message_open_marks_read_and_redirects_to_local_link(client, applicant):
    message = Message.objects.create(recipient=applicant, title="已受理", link="/filings/abc/")
    client.force_login(applicant)

    response = client.get(reverse("review:message_open", args=[message_token(message)]))

    assert response.status_code == 302
    assert response.url == "/filings/abc/"
    message.refresh_from_db()
    assert message.read_at is not None


@pytest.mark.parametrize("link", ["https://evil.example/phish", "//evil.example/x", "/\\evil.example", ""])
def test_message_open_never_redirects_off_site(client, applicant, link):
    message = Message.objects.create(recipient=applicant, title="请核对", body="正文内容", link=link)
    client.force_login(applicant)

    response = client.get(reverse("review:message_open", args=[message_token(message)]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "请核对" in content
    assert "正文内容" in content
    message.refresh_from_db()
    assert message.read_at is not None


def test_message_open_of_another_users_message_is_404(client, applicant):
    recipient = ApplicantFactory()
    other_message = Message.objects.create(recipient=recipient, title="别人的", link="/x/")
    client.force_login(applicant)

    response = client.get(reverse("review:message_open", args=[message_token(other_message)]))

    assert response.status_code == 404
    other_message.refresh_from_db()
    assert other_message.read_at is None
    # Its recipient opens it.
    client.force_login(recipient)
    response = client.get(reverse("review:message_open", args=[message_token(other_message)]))
    assert (response.status_code, response.url) == (302, "/x/")
    other_message.refresh_from_db()
    assert other_message.read_at is not None


def test_message_open_with_forged_token_is_404(client, applicant):
    message = Message.objects.create(recipient=applicant, title="x")
    client.force_login(applicant)

    assert client.get(f"/messages/{message.pk}/").status_code == 404
    assert client.get("/messages/MQ:1abc:forged/").status_code == 404


def test_mark_all_read_marks_only_own_messages(client, applicant):
    make_messages(applicant, 3)
    others = Message.objects.create(recipient=ApplicantFactory(), title="别人的")
    client.force_login(applicant)

    response = client.post(reverse("review:messages_read_all"), follow=True)

    assert response.redirect_chain == [(LIST_URL, 302)]
    assert "已将 3 条消息标为已读。" in response.content.decode()
    assert Message.objects.filter(recipient=applicant, read_at__isnull=True).count() == 0
    others.refresh_from_db()
    assert others.read_at is None
    assert 'data-testid="unread-count"' not in response.content.decode()


def test_mark_all_read_refuses_get(client, applicant):
    make_messages(applicant, 1)
    client.force_login(applicant)

    assert client.get(reverse("review:messages_read_all")).status_code == 405
    assert Message.objects.filter(read_at__isnull=True).count() == 1


def test_inbox_context_is_zero_for_anonymous(rf):
    from django.contrib.auth.models import AnonymousUser

    from review.outbox.context_processors import inbox

    request = rf.get("/")
    request.user = AnonymousUser()
    assert inbox(request) == {"unread_message_count": 0}


def _decodings(token: str) -> list[bytes]:
    found = []
    for part in re.split(r"[:.]", token):
        try:
            found.append(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
        except ValueError:
            pass
    return found


def test_message_link_does_not_reveal_the_database_id(client, applicant):
    message = Message.objects.create(recipient=applicant, title="已受理", link="/filings/abc/")
    client.force_login(applicant)
    token = message_token(message)

    assert str(message.pk).encode() not in _decodings(token)
    assert client.get(reverse("review:message_open", args=[token])).url == "/filings/abc/"
    assert client.get(reverse("review:message_open", args=[token[:-2] + "xx"])).status_code == 404
