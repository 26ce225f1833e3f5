"""Two reviewers acting on the same application at the same moment (PostgreSQL row locks)."""

import threading

import pytest
from django.conf import settings
from django.db import connection, connections

from review.engine import TransitionNotAllowed, perform
from review.models import OutboxEvent, ReviewRecord
from tests.review.factories import DossierFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="needs PostgreSQL (DATABASE_URL)"
    ),
]


@pytest.mark.django_db(transaction=True)
def test_race_approve_and_return_at_once_exactly_one_wins(hunan_official, ministry):
    dossier = DossierFactory(state="in_review")
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def act(name: str, actor, comment: str) -> None:
        try:
            stale = type(dossier).objects.get(pk=dossier.pk)  # both read "in_review"
            barrier.wait(timeout=10)
            perform(stale, name, actor=actor, comment=comment)
            outcomes[name] = "won"
        except TransitionNotAllowed as exc:
            outcomes[name] = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=act, args=("approve", hunan_official, "")),
        threading.Thread(target=act, args=("return", ministry, "请补充材料")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(type(v).__name__ if not isinstance(v, str) else v for v in outcomes.values()) == [
        "TransitionNotAllowed",
        "won",
    ]
    loser = next(v for v in outcomes.values() if isinstance(v, TransitionNotAllowed))
    assert loser.message == "该申请已被其他审核人员处理，请刷新后查看最新状态。"
    winner = next(k for k, v in outcomes.items() if v == "won")
    dossier.refresh_from_db()
    assert dossier.state == {"approve": "approved", "return": "returned"}[winner]
    assert ReviewRecord.objects.count() == 1
    assert ReviewRecord.objects.get().transition == winner
    assert OutboxEvent.objects.filter(topic="notify").count() == 1
    assert connection.vendor == "postgresql"
