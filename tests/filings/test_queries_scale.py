"""Issue 11: no MCT page above 12 queries, and the same number whatever the volume.

Each page is loaded on a small generated volume (portal.volume, as bench/scale.py makes at 1,000 and
100,000 filings), then again, for the same viewer and object, after ten times as many filings, change
requests and units were added: the counts must be equal and at most ``LIMIT``.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.enums import Authority, StaffLevel
from accounts.models import Organisation
from filings.enums import FilingState
from filings.models import ChangeRequest, Filing
from portal import volume
from review.models import Certificate
from review.staff import reviewer_change_url
from tests.factories import StaffFactory
from tests.filings.factories import make_filing

pytestmark = pytest.mark.django_db
LIMIT = 12
HUNAN = "430000"
# Each page's count as it is now, so a lowered cost cannot creep back: the user, then the page's own
# queries (the session and the header's unread count come from the cache).
EXPECTED = {
    "official queue": 3,
    "official queue 待受理": 3,
    "ministry queue": 3,
    "official detail": 9,
    "change queue": 3,
    "official queue sorted": 3,
    "official queue searched": 3,
    "official home": 2,
    "applicant 受理状态": 5,
    "applicant 受理状态 filtered": 5,
    "applicant 受理状态 page 2": 5,
    "applicant programmes": 5,
    "applicant detail": 8,
    "applicant programme": 9,
    "applicant editor": 8,
    "applicant home": 4,
    "public verify": 0,
}


def grow(filings: int, units: int, seed: int) -> None:
    volume.generate(filings=filings, nominations=0, units=units, seed=seed, say=lambda *_: None)


def official(level=StaffLevel.PROVINCE, province=HUNAN):
    return StaffFactory(
        is_staff=True, profile__authority=Authority.MCT, profile__level=level, profile__province=province
    )


def count(client, path: str, marker: str = "") -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    if marker:
        assert marker in response.content.decode(), path
    return len(captured.captured_queries)


@pytest.fixture
def volume_small():
    grow(60, 5, seed=11)  # one unit in 湖南 of five
    hunan = Filing.objects.filter(province=HUNAN).exclude(state=FilingState.DRAFT)
    assert hunan.exists()


def _pages(client_official, client_ministry, client_unit):
    filing = (
        Filing.objects.filter(province=HUNAN).exclude(state=FilingState.DRAFT).order_by("-submitted_at", "-pk").first()
    )
    approved = Filing.objects.filter(province=HUNAN, state=FilingState.APPROVED).order_by("pk").first()
    change = ChangeRequest.objects.exclude(state=FilingState.DRAFT).filter(province=HUNAN).order_by("pk").first()
    unit = filing.organisation
    draft = Filing.objects.filter(organisation=unit, state=FilingState.DRAFT).order_by("pk").first()
    pages = {
        "official queue": (client_official, reverse("staff:filings_filing_changelist"), filing.reference),
        "official queue 待受理": (client_official, reverse("staff:filings_filing_changelist") + "?queue=pending", ""),
        "ministry queue": (client_ministry, reverse("staff:filings_filing_changelist"), ""),
        "official detail": (client_official, reviewer_change_url(filing), filing.reference),
        "change queue": (client_official, reverse("staff:filings_changerequest_changelist"), ""),
        "official queue sorted": (client_official, reverse("staff:filings_filing_changelist") + "?o=3.-7", ""),
        "official queue searched": (client_official, reverse("staff:filings_filing_changelist") + "?q=WY", ""),
        "official home": (client_official, reverse("home"), ""),
        "applicant 受理状态": (client_unit, reverse("filings:status"), ""),
        "applicant 受理状态 filtered": (client_unit, reverse("filings:status") + "?type=domestic&state=submitted", ""),
        "applicant 受理状态 page 2": (client_unit, reverse("filings:status") + "?page=2", ""),
        "applicant programmes": (client_unit, reverse("filings:programmes"), ""),
        "applicant home": (client_unit, reverse("home"), ""),
        "applicant detail": (client_unit, reverse("filings:detail", args=[filing.public_id]), filing.reference),
    }
    if change is not None:
        pages["change detail"] = (client_official, reviewer_change_url(change), "")
    if approved is not None and approved.organisation_id == unit.pk:
        pages["applicant programme"] = (client_unit, reverse("filings:programme", args=[approved.public_id]), "")
    if draft is not None:
        pages["applicant editor"] = (client_unit, reverse("filings:edit", args=[draft.public_id]), "")
    certificate = Certificate.objects.filter(status="valid").order_by("pk").first()
    if certificate is not None:  # anonymous, from its cache after the first visit: no query at all
        pages["public verify"] = (Client(), f"/verify/{certificate.token}/", certificate.number)
    return pages, unit


def test_every_page_has_at_most_12_queries_and_as_many_at_ten_times_the_volume(volume_small, client):
    hunan, ministry, unit_client = Client(), Client(), Client()
    hunan.force_login(official())
    ministry.force_login(official(StaffLevel.MINISTRY, ""))
    pages, unit = _pages(hunan, ministry, unit_client)
    unit_client.force_login(Organisation.objects.get(pk=unit.pk).administrator)
    for c, path, _m in pages.values():  # sessions, caches of the first request
        c.get(path)
    small = {name: count(c, path, marker) for name, (c, path, marker) in pages.items()}

    grow(600, 50, seed=12)  # ten times the filings, units and changes
    large = {name: count(c, path, marker) for name, (c, path, marker) in pages.items()}

    assert large == small
    assert {name: n for name, n in large.items() if n > LIMIT} == {}
    assert large["public verify"] == 0
    assert large == {name: EXPECTED[name] for name in large}


def test_the_queue_counts_at_most_cap_rows_and_says_so(client, hunan_official, unit, member, monkeypatch):
    """The COUNT behind the pages stops at the cap: a 100,000-row history costs what 1,000 rows do."""
    from review.staff.pagination import CappedPaginator

    for _i in range(5):
        make_filing(organisation=unit, by=member, state=FilingState.SUBMITTED, complete=False)
    client.force_login(hunan_official)
    url = reverse("staff:filings_filing_changelist")

    from filings.admin import FilingAdmin

    monkeypatch.setattr(FilingAdmin, "list_per_page", 2)
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url).content.decode()
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"] and "filings_filing" in q["sql"]]
    assert len(counts) == 1 and "LIMIT 4" in counts[0]  # never over the whole history
    assert page.count('class="action-checkbox"') == 2
    assert 'data-testid="count-capped"' in page and "超过 3 条" in page
    assert client.get(url, {"p": 2}).content.decode().count('class="action-checkbox"') == 1  # up to the cap

    monkeypatch.setattr(CappedPaginator, "cap", 10)
    page = client.get(url).content.decode()
    assert page.count('class="action-checkbox"') == 2
    assert 'data-testid="count-capped"' not in page
    assert client.get(url, {"p": 3}).content.decode().count('class="action-checkbox"') == 1  # all 5

    monkeypatch.setattr(CappedPaginator, "cap", 3)
    export = client.get(reverse("staff:filings_filing_export", args=["csv"]))  # the export is not capped
    content = b"".join(export.streaming_content) if export.streaming else export.content
    assert len(content.decode("utf-8-sig").strip().splitlines()) == 1 + 5
