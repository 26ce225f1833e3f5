"""Issue 11: no NRTA page above 12 queries, and as many with 1 as with 25 nominations in the queue."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from review.staff import reviewer_change_url

from .factories import make_nomination, nrta_ministry, nrta_official
from .factories_review import submitted_many

pytestmark = pytest.mark.django_db
LIMIT = 12


def count(client, path: str) -> int:
    client.get(path)  # the first request of a session may write it
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200, path
    return len(captured.captured_queries)


def measure(project, member) -> dict[str, int]:
    official, ministry, unit = Client(), Client(), Client()
    official.force_login(nrta_official())
    ministry.force_login(nrta_ministry())
    unit.force_login(member)
    first = project.nominations.exclude(state="draft").order_by("pk").first()
    draft = project.nominations.filter(organisation=member.organisation, state="draft").order_by("pk").first()
    own = project.nominations.filter(organisation=member.organisation).exclude(state="draft").order_by("pk").first()
    queue = reverse("staff:awards_nomination_changelist")
    return {
        "official queue": count(official, queue),
        "official queue 待初审": count(official, queue + "?queue=pending"),
        "ministry queue": count(ministry, queue),
        "official queue sorted": count(official, queue + "?o=7.-9"),
        "official queue searched": count(official, queue + "?q=山河"),
        "official detail": count(official, reviewer_change_url(first)),
        "我的申报": count(unit, reverse("awards:mine")),
        "applicant editor": count(unit, reverse("awards:edit", args=[draft.public_id])),
        "applicant detail": count(unit, reverse("awards:detail", args=[own.public_id])),
    }


def test_every_nrta_page_has_at_most_12_queries_whatever_the_queue_holds(project, member):
    make_nomination(member, project)
    make_nomination(member, project, submit=True)
    submitted_many(project, 1)
    few = measure(project, member)

    submitted_many(project, 24)
    submitted_many(project, 5, province="110000")
    many = measure(project, member)

    assert many == few
    assert {name: n for name, n in many.items() if n > LIMIT} == {}
