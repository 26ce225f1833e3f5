"""The quota under concurrent 推荐 on PostgreSQL (row lock on the ledger inside the transition's guard).

Run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres PORTAL_TEST_DB_NAME=test_provincial_review
.venv/bin/python -m pytest -q -n 0 --create-db tests/awards/test_review_postgres.py
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connection, connections

from awards.models import Nomination, QuotaLedger
from awards.services.quota import raise_quota
from review.engine import Refused, perform
from review.models import ReviewRecord

from .factories import nrta_ministry, nrta_official
from .factories_review import submitted_many

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="needs PostgreSQL (DATABASE_URL)"
    ),
]


def _recommend_all_at_once(nominations, officials) -> list:
    """Each nomination recommended in its own thread (own connection), all released together."""
    barrier = threading.Barrier(len(nominations))

    def act(index: int):
        try:
            stale = Nomination.objects.get(pk=nominations[index].pk)  # everyone read 待初审
            barrier.wait(timeout=20)
            perform(stale, "recommend", actor=officials[index % len(officials)])
            return "recommended"
        except Refused as exc:
            return exc.message
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(nominations)) as pool:
        return list(pool.map(act, range(len(nominations))))


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_recommendations_leave_exactly_ten_then_twelve_after_a_raise(project):
    assert connection.vendor == "postgresql"
    officials = [nrta_official("430000"), nrta_official("430000")]  # two officials of one bureau
    ministry = nrta_ministry()
    works = submitted_many(project, 20)
    assert QuotaLedger.objects.count() == 0  # the first recommendations also race to create the ledger row

    first = _recommend_all_at_once(works, officials)

    full = "湖南省2026年第2季度的推荐名额已用完（已推荐 10/10），不能再推荐。如确需增加名额，请联系国家广播电视总局。"
    assert first.count("recommended") == 10
    assert [o for o in first if o != "recommended"] == [full] * 10
    assert Nomination.objects.filter(state="recommended").count() == 10
    assert QuotaLedger.objects.values_list("used", "limit").get() == (10, 10)
    assert ReviewRecord.objects.filter(transition="recommend").count() == 10

    raise_quota(
        year=2026,
        quarter=2,
        province="430000",
        new_limit=12,
        reason="优秀作品集中",
        approved_by=ministry,
        actor=ministry,
    )
    rest = [n for n in works if Nomination.objects.get(pk=n.pk).state == "pending"]
    second = _recommend_all_at_once(rest, officials)

    assert second.count("recommended") == 2
    assert [o for o in second if o != "recommended"] == [full.replace("10/10", "12/12")] * 8
    assert Nomination.objects.filter(state="recommended").count() == 12
    assert QuotaLedger.objects.values_list("used", "limit").get() == (12, 12)
    assert ReviewRecord.objects.filter(transition="recommend").count() == 12
