"""A change request has its own visible reference tied to the programme's (issue 12): WY-湘-2026-000001-BG01,
shown in 受理状态, the success message, the staff queue and the record, never the programme's alone."""

import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse

from filings.enums import FilingState
from filings.models import ChangeRequest
from filings.services.changes import start_change

from .factories import make_change, make_filing
from .helpers import browser_post

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_each_submitted_change_gets_the_next_number_of_its_programme(unit, member, hunan_official):
    filing = make_filing(organisation=unit, by=member, state=FilingState.APPROVED)
    other = make_filing(organisation=unit, by=member, state=FilingState.APPROVED)
    draft = make_change(filing, by=member)
    assert (draft.reference, draft.ref_seq) == ("", None)  # a draft has none yet
    from filings.services import lifecycle

    lifecycle.delete_draft(member, draft)

    first = make_change(filing, by=member, state=FilingState.APPROVED)
    assert first.reference == f"{filing.reference}-BG01"
    second = make_change(filing, by=member, state=FilingState.SUBMITTED)
    assert second.reference == f"{filing.reference}-BG02"
    assert make_change(other, by=member, state=FilingState.SUBMITTED).reference == f"{other.reference}-BG01"
    # withdrawing and submitting again keeps the number
    from review.engine import perform

    second = perform(second, "withdraw", actor=member)
    second = perform(second, "submit", actor=member)
    assert ChangeRequest.objects.get(pk=second.pk).reference == f"{filing.reference}-BG02"


def test_the_change_reference_is_in_the_success_message_and_in_status(member_client, unit, member):
    filing = make_filing(organisation=unit, by=member, state=FilingState.APPROVED)
    change = start_change(member, filing, ["programme"])
    url = reverse("filings:change_edit", args=[change.public_id])
    browser_post(member_client, url, "save", {"programme-platform": "新的播出平台", "pledge-pledged": "on"})
    response = member_client.post(reverse("filings:change_check", args=[change.public_id]), follow=True)
    expected = f"{filing.reference}-BG01"
    body = text(response)
    assert f"提交成功，受理编号 {expected}。" in body
    rows = re.findall(r'<td data-label="受理编号" class="text-nowrap">([^<]+)</td>', body)
    assert sorted(rows) == sorted([filing.reference, expected])  # two rows, two different numbers
    detail = text(member_client.get(reverse("filings:change_detail", args=[change.public_id])))
    assert f'data-testid="reference">{expected}</dd>' in detail
    assert f'节目受理编号</dt><dd class="col-sm-4 text-break">{filing.reference}</dd>' in detail


def test_the_staff_queue_and_record_show_the_change_reference(client, unit, member, hunan_official, beijing_official):
    filing = make_filing(organisation=unit, by=member, state=FilingState.APPROVED)
    change = make_change(filing, by=member, state=FilingState.SUBMITTED)
    expected = f"{filing.reference}-BG01"
    client.force_login(hunan_official)
    queue = text(client.get(reverse("staff:filings_changerequest_changelist")))
    assert expected in queue
    found = text(client.get(reverse("staff:filings_changerequest_changelist") + f"?q={expected}"))
    assert expected in found
    record = text(client.get(reverse("staff:filings_changerequest_change", args=[change.public_id])))
    assert f"<dd>{expected}</dd>" in record and f"<dd>{filing.reference}</dd>" in record
    export = client.get(reverse("staff:filings_changerequest_export", args=["csv"]))
    assert expected in b"".join(export.streaming_content if export.streaming else [export.content]).decode("utf-8-sig")
    # the wrong official sees neither the row nor the record
    client.force_login(beijing_official)
    assert expected not in text(client.get(reverse("staff:filings_changerequest_changelist")))
    assert client.get(reverse("staff:filings_changerequest_change", args=[change.public_id])).status_code in (302, 404)


def test_the_migration_numbers_changes_submitted_before_it(unit, member):
    filing = make_filing(organisation=unit, by=member, state=FilingState.APPROVED)
    old = make_change(filing, by=member, state=FilingState.APPROVED)
    newer = make_change(filing, by=member, state=FilingState.SUBMITTED)
    ChangeRequest.objects.update(reference="")  # as before the migration (the number is given again)
    migration = importlib.import_module("filings.migrations.0003_change_reference_and_void")
    migration.number_changes(apps, None)
    assert ChangeRequest.objects.get(pk=old.pk).reference == f"{filing.reference}-BG01"
    assert ChangeRequest.objects.get(pk=newer.pk).reference == f"{filing.reference}-BG02"
