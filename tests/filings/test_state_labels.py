"""One wording per state everywhere (issue 12): the 受理状态 filter, its rows, the detail badge, the 审核记录,
the staff queue's filter and rows read the same word for an approved application."""

import re

import pytest
from django.urls import reverse

from filings.enums import FilingKind, FilingState

from .factories import make_filing

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.parametrize("kind", [FilingKind.DOMESTIC, FilingKind.IMPORT])
def test_an_approved_application_reads_the_same_word_on_every_applicant_page(member_client, unit, member, kind):
    filing = make_filing(organisation=unit, by=member, kind=kind, state=FilingState.APPROVED)
    word = str(FilingState.APPROVED.label)
    assert word == "已通过"

    status = text(member_client.get(reverse("filings:status")))
    assert f'<option value="approved">{word}</option>' in status
    assert re.search(rf'data-label="状态"><span class="badge [^"]*">{word}</span>', status)

    detail = text(member_client.get(reverse("filings:detail", args=[filing.public_id])))
    assert re.search(rf'data-testid="state">{word}</span>', detail)
    history_states = re.findall(r"<td>(已\w+|待受理|审核中)</td> <td>", detail)
    assert word in history_states
    for page in (status, detail):
        assert "已备案</span>" not in page


def test_the_staff_queue_filter_and_rows_use_the_same_word(client, hunan_official, unit, member):
    make_filing(organisation=unit, by=member, state=FilingState.APPROVED)
    client.force_login(hunan_official)
    body = text(client.get(reverse("staff:filings_filing_changelist")))
    assert "已通过" in body
    assert not re.search(r">\s*已备案\s*<", body)
    export = client.get(reverse("staff:filings_filing_export", args=["csv"]))
    assert export.status_code == 200
    csv = b"".join(export.streaming_content if export.streaming else [export.content]).decode("utf-8-sig")
    assert "已通过" in csv and "已备案" not in csv
