"""The header's unread count comes from a per-user cache (review.outbox.unread): no query on a
typical page, and every write that changes a user's unread messages shows on that user's next page
(and on nobody else's)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from review.models import Message
from review.outbox import unread
from review.outbox.notifications import handle_notify, notify_payload
from review.outbox.views import message_token
from tests.factories import ApplicantFactory

pytestmark = pytest.mark.django_db

PAGE = "/"  # the home page: any page that shows the header would do


def header_count(client) -> int:
    response = client.get(PAGE)
    assert response.status_code == 200
    found = re.search(r'data-testid="unread-count">(\d+)<', response.content.decode())
    return int(found.group(1)) if found else 0


@pytest.fixture
def pair(client, applicant):
    """The recipient's client, and another signed-in user's client."""
    from django.test import Client

    other = ApplicantFactory()
    other_client = Client()
    client.force_login(applicant)
    other_client.force_login(other)
    Message.objects.create(recipient=other, title="别人的旧消息")
    return client, applicant, other_client, other


def test_second_page_runs_no_query_for_the_count(client, applicant):
    Message.objects.create(recipient=applicant, title="通知")
    client.force_login(applicant)
    assert header_count(client) == 1

    with CaptureQueriesContext(connection) as page:
        assert header_count(client) == 1

    assert not [q["sql"] for q in page.captured_queries if "review_message" in q["sql"]]


def test_a_notification_shows_on_the_recipients_next_page_only(pair):
    client, applicant, other_client, other = pair
    assert (header_count(client), header_count(other_client)) == (0, 1)  # both counts now cached

    handle_notify(notify_payload(title="新通知", users=[applicant], email=False))  # bulk_create: no signal

    assert (header_count(client), header_count(other_client)) == (1, 1)


def test_a_message_saved_directly_shows_on_the_next_page(pair):
    client, applicant, other_client, other = pair
    assert (header_count(client), header_count(other_client)) == (0, 1)

    Message.objects.create(recipient=applicant, title="直接写入")

    assert (header_count(client), header_count(other_client)) == (1, 1)


def test_opening_a_message_lowers_only_the_readers_count(pair):
    client, applicant, other_client, other = pair
    first, _second = (Message.objects.create(recipient=applicant, title=f"通知{i}") for i in range(2))
    Message.objects.create(recipient=other, title="别人的新消息")
    assert (header_count(client), header_count(other_client)) == (2, 2)

    assert client.get(reverse("review:message_open", args=[message_token(first)])).status_code == 200

    assert (header_count(client), header_count(other_client)) == (1, 2)


def test_mark_all_read_clears_only_the_readers_count(pair):
    client, applicant, other_client, other = pair
    Message.objects.create(recipient=applicant, title="通知")
    assert (header_count(client), header_count(other_client)) == (1, 1)

    client.post(reverse("review:messages_read_all"))

    assert (header_count(client), header_count(other_client)) == (0, 1)


def test_deleting_a_message_lowers_the_count(pair):
    client, applicant, other_client, other = pair
    message = Message.objects.create(recipient=applicant, title="通知")
    assert header_count(client) == 1

    message.delete()

    assert header_count(client) == 0


def test_a_count_cached_before_the_commit_is_dropped_after_it(applicant, django_capture_on_commit_callbacks):
    """A page rendered between the write and its commit may cache the old figure: the commit drops it."""
    with django_capture_on_commit_callbacks(execute=True):
        Message.objects.create(recipient=applicant, title="通知")
        unread.cache.set(unread._key(applicant.pk), 0)  # what a concurrent page could have stored

    assert unread.cache.get(unread._key(applicant.pk)) is None
    assert unread.unread_count(applicant) == 1


def test_on_the_embedded_default_the_loops_messages_show_at_once(pair, settings):
    """make run: the background loop (another process, its own local cache) sends the notifications, so
    the web process cannot be told to drop its entry: it counts instead of caching."""
    client, applicant, other_client, other = pair
    settings.BACKGROUND_LOOP_TASKS = True
    assert header_count(client) == 0
    # as the loop's process writes it: nothing reaches this process's cache
    Message.objects.bulk_create([Message(recipient=applicant, title="后台循环发出的通知")])

    assert (header_count(client), header_count(other_client)) == (1, 1)
