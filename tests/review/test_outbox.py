"""The transactional outbox: written with the state change, dispatched after commit, retried, never lost."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from kombu.exceptions import OperationalError

from review import outbox, tasks
from review.engine import perform
from review.enums import OutboxStatus
from review.models import Message, OutboxEvent
from review.outbox import registry
from tests.review.conftest import drain_outbox
from tests.review.factories import DossierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def flaky_handler():
    """A handler for topic "test.flaky" that fails while ``state["fail"]`` is true."""
    state = {"fail": True, "calls": []}

    def handle(payload):
        state["calls"].append(payload)
        if state["fail"]:
            raise ConnectionError("gateway down")

    registry._HANDLERS["test.flaky"] = handle
    yield state
    registry._HANDLERS.pop("test.flaky", None)


def test_dispatch_marks_event_done(hunan_official, applicant):
    dossier = DossierFactory(state="in_review", organisation=applicant.organisation)
    perform(dossier, "approve", actor=hunan_official)

    assert drain_outbox() == 3  # notify, then its e-mail and SMS events

    event = OutboxEvent.objects.get(topic="notify")
    assert event.status == OutboxStatus.DONE
    assert event.attempts == 1
    assert event.done_at is not None
    assert Message.objects.filter(recipient=applicant).count() == 1


def test_on_commit_dispatches_at_once(hunan_official, applicant, django_capture_on_commit_callbacks):
    dossier = DossierFactory(state="in_review", organisation=applicant.organisation)

    with django_capture_on_commit_callbacks(execute=True):
        perform(dossier, "approve", actor=hunan_official)

    assert OutboxEvent.objects.get(topic="notify").status == OutboxStatus.DONE
    assert Message.objects.get(recipient=applicant).title == f"{dossier.name}：通过"


def test_failing_handler_is_retried_later_and_not_lost(flaky_handler):
    event = outbox.enqueue("test.flaky", {"n": 1})

    assert outbox.dispatch_pending() == 0
    event.refresh_from_db()
    assert event.status == OutboxStatus.PENDING
    assert event.attempts == 1
    assert event.last_error == "ConnectionError: gateway down"
    assert event.available_at > timezone.now() + timedelta(seconds=50)

    # Not yet due: the periodic job leaves it alone.
    assert outbox.dispatch_pending() == 0
    assert len(flaky_handler["calls"]) == 1

    flaky_handler["fail"] = False
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert outbox.dispatch_pending() == 1
    event.refresh_from_db()
    assert event.status == OutboxStatus.DONE
    assert event.attempts == 2
    assert len(flaky_handler["calls"]) == 2


def test_handler_gives_up_after_max_attempts_as_failed(flaky_handler):
    event = outbox.enqueue("test.flaky", {})
    OutboxEvent.objects.filter(pk=event.pk).update(attempts=outbox.MAX_ATTEMPTS - 1)

    outbox.dispatch_pending()

    event.refresh_from_db()
    assert event.status == OutboxStatus.FAILED
    assert event.attempts == outbox.MAX_ATTEMPTS


def test_failed_handler_rolls_back_its_own_writes(applicant, settings):
    def half_done(payload):
        Message.objects.create(recipient=applicant, title="不应保留")
        raise RuntimeError("boom")

    registry._HANDLERS["test.half"] = half_done
    try:
        outbox.enqueue("test.half", {})
        outbox.dispatch_pending()
    finally:
        registry._HANDLERS.pop("test.half")

    assert Message.objects.count() == 0
    assert OutboxEvent.objects.get().status == OutboxStatus.PENDING


def test_broker_outage_commits_state_and_keeps_event_pending(
    hunan_official, applicant, monkeypatch, django_capture_on_commit_callbacks
):
    attempts = []

    def broker_down(*args, **kwargs):
        attempts.append(1)
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(tasks.dispatch_outbox, "delay", broker_down)
    dossier = DossierFactory(state="in_review", organisation=applicant.organisation)

    with django_capture_on_commit_callbacks(execute=True):
        perform(dossier, "approve", actor=hunan_official)

    assert attempts == [1]  # the after-commit kick tried the broker and did not raise
    dossier.refresh_from_db()
    assert dossier.state == "approved"
    event = OutboxEvent.objects.get()
    assert event.status == OutboxStatus.PENDING
    assert Message.objects.count() == 0

    monkeypatch.undo()
    call_command("dispatch_outbox")
    call_command("dispatch_outbox")  # the e-mail and SMS events queued by the first run

    event.refresh_from_db()
    assert event.status == OutboxStatus.DONE
    assert Message.objects.get(recipient=applicant).title == f"{dossier.name}：通过"
    assert [m.subject for m in mail.outbox] == [f"{dossier.name}：通过"]


def test_unknown_topic_stays_pending_with_error():
    event = outbox.enqueue("no.such.topic", {})

    outbox.dispatch_pending()

    event.refresh_from_db()
    assert event.status == OutboxStatus.PENDING
    assert event.last_error == "LookupError: no handler for topic 'no.such.topic'"
