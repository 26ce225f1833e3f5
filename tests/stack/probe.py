"""One step of a stack test, run inside the stack's own environment (``python -m tests.stack.probe ACTION [ARG]``).

The fault tests (tests/stack/test_stack_faults.py) run under the test settings; what
they prepare or check in the stack's database is done here, in a subprocess with the
stack's production settings (``scripts/stack.sh env``), and answered as one JSON line.

* ``draft`` — a new activated unit in 湖南 with its administrator, a complete domestic draft
  filing ready for 提交, a provincial MCT official to be notified, and a logged-in session of
  the applicant (cookie name and value), as the login page would have made it;
* ``approved`` — a new unit with a domestic filing submitted, accepted and approved by an
  official (its certificate is issued by the worker, through the outbox);
* ``filing PK [REVIEWER]`` — what the database holds of that filing: state, review records, outbox
  events by status, the messages of that reviewer about it, its certificates and their files;
* ``decide PK REVIEWER`` — that official accepts and approves it (as 受理 then 审核通过 in /staff/);
* ``stats_session`` — a provincial MCT official of 湖南 and a logged-in session (the 统计分析 pages);
* ``stats_expected VIEWER`` — the MCT tables that official sees by default, computed on the primary;
* ``burst N`` / ``burst_state MARK REVIEWER`` — N notifications committed one by one; how many are done and
  how many messages (distinct) the official got;
* ``sweep`` / ``dispatch`` — what beat runs every 5 minutes / every minute, now.
"""

from __future__ import annotations

import json
import os
import random
import sys


def _fresh_sequences() -> None:
    """factory_boy counts from 0 in each process: start where no earlier probe did."""
    from tests.factories import LegacyLicenceFactory, OrganisationFactory, UserFactory
    from tests.filings.factories import FilingVersionFactory

    start = random.SystemRandom().randrange(10**6, 10**7)
    for factory_class in (OrganisationFactory, UserFactory, LegacyLicenceFactory, FilingVersionFactory):
        factory_class.reset_sequence(start)


def draft() -> dict:
    from django.conf import settings
    from django.test import Client

    from accounts.models import User
    from tests.filings.factories import EnterpriseFactory, applicant, make_filing, official

    _fresh_sequences()
    unit = EnterpriseFactory(name=f"故障演练文化传媒有限公司{random.randrange(10**6)}")
    member = applicant(unit)
    # One probe official of the province, reused: every reviewer of the province is notified of each
    # submission, so a new one per run would make every later submission notify more people.
    reviewer = User.objects.filter(username="stack-probe-official").first() or official(
        unit.province, username="stack-probe-official"
    )
    filing = make_filing(organisation=unit, by=member, name="湘江夜话·故障演练专场")
    client = Client()
    client.force_login(member)
    return {
        "filing": filing.pk,
        "public_id": filing.public_id,
        "reviewer": reviewer.pk,
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "cookie": client.cookies[settings.SESSION_COOKIE_NAME].value,
    }


def approved() -> dict:
    from filings.enums import FilingState
    from tests.filings.factories import EnterpriseFactory, applicant, make_filing

    _fresh_sequences()
    unit = EnterpriseFactory(name=f"证书演练文化传媒有限公司{random.randrange(10**6)}")
    filing = make_filing(organisation=unit, by=applicant(unit), state=FilingState.APPROVED, name="被中断的证书")
    return {"filing": filing.pk, "public_id": filing.public_id}


def filing(pk: str, reviewer: str = "") -> dict:
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType

    from filings.models import Filing
    from review import certificates as certs
    from review.models import Certificate, Message, OutboxEvent, ReviewRecord

    obj = Filing.objects.get(pk=int(pk))
    content_type = ContentType.objects.get_for_model(Filing)
    certificates = list(Certificate.objects.filter(content_type=content_type, object_id=obj.pk))
    files = sorted(
        path.name
        for path in (settings.PRIVATE_MEDIA_ROOT / "certificates").rglob("*.pdf")
        if any(path.stem == str(c.public_id) for c in certificates)
    )
    reference = obj.reference or "-"
    return {
        "state": obj.state,
        "reference": obj.reference,
        "records": ReviewRecord.objects.filter(content_type=content_type, object_id=obj.pk).count(),
        "outbox": {
            status: OutboxEvent.objects.filter(payload__icontains=reference, status=status).count()
            for status in ("pending", "done", "failed")
        }
        if obj.reference
        else {},
        "messages": Message.objects.filter(body__contains=reference, recipient_id=int(reviewer or 0)).count(),
        "certificates": len(certificates),
        "numbers": [c.number for c in certificates],
        "with_pdf": sum(1 for c in certificates if certs.has_pdf(c)),
        "files": files,
    }


def decide(pk: str, reviewer: str) -> dict:
    from accounts.models import User
    from filings.models import Filing
    from review.engine import perform

    official = User.objects.get(pk=int(reviewer))
    obj = Filing.objects.get(pk=int(pk))
    for step in ("accept", "approve"):
        obj = perform(obj, step, actor=official)
    return filing(pk, reviewer)


def stats_session() -> dict:
    """A provincial MCT official of 湖南 (reused) and a logged-in session of theirs: the 统计分析 pages."""
    from django.conf import settings
    from django.test import Client

    from accounts.models import User
    from tests.filings.factories import official

    viewer = User.objects.filter(username="stack-stats-official").first() or official(
        "430000", username="stack-stats-official"
    )
    client = Client()
    client.force_login(viewer)
    return {
        "viewer": viewer.pk,
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "cookie": client.cookies[settings.SESSION_COOKIE_NAME].value,
    }


def stats_expected(viewer: str) -> dict:
    """The MCT tables that official's page shows by default, computed on the primary (the replica not
    used), as the CSV export writes their cells; the cached tables are dropped first."""
    from accounts.models import User
    from common import replica
    from supervision.statistics import cache, mct
    from supervision.statistics.forms import MonthForm

    cache.bump()
    replica._down_until = float("inf")
    user = User.objects.get(pk=int(viewer))
    first, last = MonthForm(None, national=False).period()
    tables = {t.key: [[str(cell) for cell in row] for row in t.rows] for t in mct.tables(user, first, last, "")}
    return {"tables": {key: tables[key] for key in ("type_state", "province", "month")}}


def burst(count: str) -> dict:
    """``count`` notifications to the probe official, each committed on its own (as many requests would):
    in-site messages only; returns the burst's mark (in every title) and the official."""
    import time

    from accounts.models import User
    from review.outbox import enqueue
    from review.outbox.notifications import TOPIC, notify_payload
    from tests.filings.factories import official

    viewer = User.objects.filter(username="stack-probe-official").first() or official(
        "430000", username="stack-probe-official"
    )
    mark = f"burst-{random.randrange(10**9)}"
    started = time.monotonic()
    for n in range(int(count)):
        enqueue(TOPIC, notify_payload(title=f"{mark} {n}", users=[viewer], email=False))  # autocommit: kicks at once
    return {"mark": mark, "reviewer": viewer.pk, "seconds": round(time.monotonic() - started, 3)}


def burst_state(mark: str, reviewer: str) -> dict:
    from review.models import Message, OutboxEvent

    events = OutboxEvent.objects.filter(payload__title__startswith=mark + " ")
    titles = list(
        Message.objects.filter(recipient_id=int(reviewer), title__startswith=mark + " ").values_list("title", flat=True)
    )
    return {
        "pending": events.filter(status="pending").count(),
        "done": events.filter(status="done").count(),
        "messages": len(titles),
        "distinct": len(set(titles)),
    }


def sweep() -> dict:
    from review import certificates as certs

    return {"swept": certs.sweep(min_age_seconds=0)}


def dispatch() -> dict:
    from review.outbox.dispatch import dispatch_pending

    return {"dispatched": dispatch_pending()}


ACTIONS = {
    "draft": draft,
    "approved": approved,
    "filing": filing,
    "decide": decide,
    "stats_session": stats_session,
    "stats_expected": stats_expected,
    "burst": burst,
    "burst_state": burst_state,
    "sweep": sweep,
    "dispatch": dispatch,
}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
    import django

    django.setup()
    action, *args = sys.argv[1:]
    result = ACTIONS[action](*args)
    print("PROBE " + json.dumps(result, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
