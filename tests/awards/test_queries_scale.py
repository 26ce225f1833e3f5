"""Issue 11: no NRTA page above 12 queries, and as many with 1 as with 25 nominations in the queue."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards import selectors
from review.staff import reviewer_change_url

from .factories import ProjectFactory, make_nomination, nrta_ministry, nrta_official
from .factories_review import submitted_many

pytestmark = pytest.mark.django_db
LIMIT = 12
# Each page's count as it is now, so a lowered cost cannot creep back: the user, then the page's own
# queries (session and the header's unread count come from the cache; the queue asks for the quarter once).
EXPECTED = {
    "official queue": 8,
    "official queue 待初审": 8,
    "ministry queue": 4,
    "official queue sorted": 8,
    "official queue searched": 8,
    "official detail": 7,
    "我的申报": 4,
    "applicant editor": 3,
    "applicant detail": 3,
}


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
    assert many == EXPECTED


def test_the_official_queue_asks_for_the_quarter_in_review_once(project, member):
    """The quota counter and the 季度 filter both need the quarter in provincial review: one query for it."""
    make_nomination(member, project, submit=True)
    official = Client()
    official.force_login(nrta_official())
    queue = reverse("staff:awards_nomination_changelist")
    official.get(queue)
    with CaptureQueriesContext(connection) as captured:
        page = official.get(queue)
    assert page.status_code == 200 and 'data-testid="quota-counter"' in page.content.decode()
    asked = [q["sql"] for q in captured.captured_queries if '"provincial_deadline" >=' in q["sql"]]
    assert len(asked) == 1


@pytest.mark.parametrize("days", [-40, -1, 0, 1, 30, 60, 120, 400])
def test_quarter_choices_holds_the_quarter_review_quarter_picks(project, days):
    """quarter_choices picks the quarter in review from its own rows: the same one as review_quarter."""
    from datetime import timedelta

    ProjectFactory(year=project.year, quarter=project.quarter, kind="individual")
    later = 1 + project.quarter % 4
    ProjectFactory(year=project.year + (project.quarter == 4), quarter=later, opens_at=project.opens_at)  # both open
    at = project.opens_at + timedelta(days=days)
    choices = selectors.quarter_choices(at)
    quarters = {selectors.Quarter(p.year, p.quarter) for p in project.__class__.objects.all()}
    assert sorted(choices, key=lambda q: (q.year, q.quarter), reverse=True) == choices
    assert set(choices) == quarters | {selectors.review_quarter(at)}


def test_quarter_choices_on_a_moved_deadline_day_adds_no_calendar_quarter(project):
    """Ministry staff moved the provincial deadline past the calendar's: on that day the round still runs."""
    from datetime import timedelta

    from awards import calendar

    project.provincial_deadline += timedelta(days=20)
    project.save(update_fields=["provincial_deadline"])
    at = calendar.start_of_day(project.provincial_deadline) + timedelta(hours=12)
    assert selectors.review_quarter(at) == selectors.Quarter(project.year, project.quarter)
    assert selectors.quarter_choices(at) == [selectors.Quarter(project.year, project.quarter)]
