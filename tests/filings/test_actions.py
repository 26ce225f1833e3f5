"""The applicant's buttons (修改, 撤回, 删除, 变更) come from one place: the engine's transitions and
the predicates of filings.services.actions, never from state names in templates."""

import re

import pytest
from django.urls import reverse

from filings.enums import FilingState
from filings.services.actions import NO_ACTIONS, ApplicantActions, applicant_actions, may_start_change
from review.engine import available_transitions

from .factories import make_change, make_filing

pytestmark = pytest.mark.django_db

S = FilingState


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (S.DRAFT, ApplicantActions(edit=True, withdraw=False, delete=True)),
        (S.SUBMITTED, ApplicantActions(edit=False, withdraw=True, delete=False)),
        (S.REVIEWING, ApplicantActions()),
        # numbered and open for editing: 作废 (kept with a record), never 删除
        (S.RETURNED, ApplicantActions(edit=True, withdraw=False, delete=False, void=True)),
        (S.APPROVED, ApplicantActions()),
        (S.REJECTED, ApplicantActions()),
    ],
)
def test_a_members_buttons_in_each_state(unit, member, other_member, hunan_official, state, expected):
    filing = make_filing(organisation=unit, by=member, state=state)

    assert applicant_actions(member, filing) == expected
    # 撤回 is offered exactly when the engine offers the transition.
    assert applicant_actions(member, filing).withdraw == (
        "withdraw" in [t.name for t in available_transitions(member, filing)]
    )
    # Nobody else gets a button: another unit's member, an official, nobody signed in.
    assert applicant_actions(other_member, filing) == NO_ACTIONS
    assert applicant_actions(hunan_official, filing) == NO_ACTIONS
    assert applicant_actions(None, filing) == NO_ACTIONS


def test_a_change_requests_buttons(unit, member, other_member):
    filing = make_filing(organisation=unit, by=member, state=S.APPROVED)
    change = make_change(filing, by=member)
    assert applicant_actions(member, change) == ApplicantActions(edit=True, withdraw=False, delete=True)
    assert applicant_actions(other_member, change) == NO_ACTIONS
    assert applicant_actions(member, None) == NO_ACTIONS


def test_only_an_approved_programme_may_change(unit, member):
    assert may_start_change(make_filing(organisation=unit, by=member, state=S.APPROVED))
    assert not may_start_change(make_filing(organisation=unit, by=member, state=S.SUBMITTED))


def _buttons(html: str) -> list[str]:
    return re.findall(r">(修改|撤回|删除|作废|查看已备案节目)<", html)


def test_detail_page_buttons_follow_the_actions(client, unit, member, other_member):
    submitted = make_filing(organisation=unit, by=member, state=S.SUBMITTED)
    returned = make_filing(organisation=unit, by=member, state=S.RETURNED)
    approved = make_filing(organisation=unit, by=member, state=S.APPROVED)

    client.force_login(other_member)  # the wrong user: another unit's
    assert client.get(reverse("filings:detail", args=[submitted.public_id])).status_code == 404

    client.force_login(member)
    page = client.get(reverse("filings:detail", args=[submitted.public_id])).content.decode()
    assert _buttons(page) == ["撤回"]
    assert "提交后不能修改。" in page
    page = client.get(reverse("filings:detail", args=[returned.public_id])).content.decode()
    assert _buttons(page) == ["修改", "作废"]
    assert "提交后不能修改。" not in page
    page = client.get(reverse("filings:detail", args=[approved.public_id])).content.decode()
    assert _buttons(page) == ["查看已备案节目"]
