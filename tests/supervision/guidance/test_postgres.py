"""Two officials answering the same question at once on PostgreSQL: one answer, the other told."""

import threading

import pytest
from django.conf import settings
from django.db import connections

from supervision.guidance import services
from supervision.guidance.enums import Category, MessageKind, ThreadState
from supervision.guidance.models import Thread
from tests.factories import ApplicantFactory, OrganisationFactory, StaffFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="needs PostgreSQL (DATABASE_URL)"
    ),
]


def _run_together(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, func):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = func()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test checks
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_answers_at_once_make_one_answer():
    member = ApplicantFactory(organisation=OrganisationFactory(province="430000"))
    one, two = StaffFactory(), StaffFactory()
    thread = services.ask(member, subject="并发答复", category=Category.OTHER, text="问题")
    outcomes = _run_together(
        lambda: services.post(one, Thread.objects.get(pk=thread.pk), kind=MessageKind.ANSWER, text="答复一"),
        lambda: services.post(two, Thread.objects.get(pk=thread.pk), kind=MessageKind.ANSWER, text="答复二"),
    )
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], services.GuidanceError)
    assert errors[0].message == "该咨询已被其他人员处理，请刷新页面后查看。"
    thread.refresh_from_db()
    assert thread.state == ThreadState.ANSWERED and thread.message_count == 2
    assert [m.kind for m in thread.messages.all()] == ["question", "answer"]
