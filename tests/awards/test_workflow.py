"""申报 through the shared engine: transitions offered, references, history, notifications, resubmission."""

from io import StringIO

import pytest

from awards.bureaus import NRTA_BUREAU
from awards.enums import NominationState
from awards.forms import NominationForm
from awards.services import nominations as services
from awards.services.errors import AwardError
from review.engine import available_transitions, history, perform
from review.models import Message

from .factories import InstitutionFactory, applicant, make_nomination, nrta_official


def names(user, nomination):
    return [t.name for t in available_transitions(user, nomination)]


def test_available_transitions_by_bureau_and_user(member, other_member, project):
    central = applicant(InstitutionFactory(is_central=True, name="中央单位"))
    provincial = make_nomination(member, project)
    to_nrta = make_nomination(central, project, name="总局作品", bureau=NRTA_BUREAU)

    assert names(member, provincial) == ["submit"]
    assert names(central, to_nrta) == ["submit_to_nrta"]
    assert names(other_member, provincial) == []
    assert names(nrta_official("430000"), provincial) == []  # a draft: nothing for reviewers


def test_references_count_per_bureau_and_quarter(member, other_member, project):
    a = make_nomination(member, project, name="作品一", submit=True)
    b = make_nomination(member, project, name="作品二", submit=True)
    c = make_nomination(other_member, project, name="作品三", bureau="110000", submit=True)

    assert [a.reference, b.reference, c.reference] == ["TY-湘-2026Q2-0001", "TY-湘-2026Q2-0002", "TY-京-2026Q2-0001"]


def test_history_records_the_submission(member, project):
    nomination = make_nomination(member, project, submit=True)

    records = history(nomination)

    assert [(r.transition, r.from_state, r.to_state, r.actor_id) for r in records] == [
        ("submit", "draft", "pending", member.pk)
    ]


def test_submission_notifies_the_bureau_officials(member, project, django_capture_on_commit_callbacks):
    hunan, beijing = nrta_official("430000"), nrta_official("110000")

    with django_capture_on_commit_callbacks(execute=True):
        make_nomination(member, project, submit=True)

    assert Message.objects.filter(recipient=hunan, title="新的网络视听节目季度推优申报").count() == 1
    assert Message.objects.filter(recipient=beijing).count() == 0


def test_returned_nomination_is_edited_and_resubmitted_with_its_reference(member, project):
    nomination = make_nomination(member, project, submit=True)
    official = nrta_official("430000")
    perform(nomination, "return", actor=official, comment="请补充版权证明", reason="copyright")
    nomination.refresh_from_db()

    form = NominationForm(instance=nomination, organisation=member.organisation)
    edited = services.save_draft(member, values={"maker": "新的制作机构"}, nomination=nomination)
    again = services.submit(member, edited)

    assert (nomination.state, nomination.reason_category, nomination.reason_comment) == (
        NominationState.RETURNED,
        "copyright",
        "请补充版权证明",
    )
    assert form.fields["bureau"].disabled is True  # it goes back to the bureau that returned it
    assert (again.state, again.reference, again.maker) == (
        NominationState.PENDING,
        nomination.reference,
        "新的制作机构",
    )
    assert [r.transition for r in history(again)] == ["submit", "return", "submit"]


def test_submitted_nomination_cannot_be_saved(member, project):
    nomination = make_nomination(member, project, submit=True)

    with pytest.raises(AwardError, match="申报后不能修改。"):
        services.save_draft(member, values={"name": "改名"}, nomination=nomination)


def test_demo_data_is_idempotent(db, monkeypatch):
    from django.core.management import call_command

    from awards.models import Nomination, Platform, Project

    # The applicant side's demo alone (the other quarters: tests/awards/test_demo_complete.py).
    monkeypatch.setattr("awards.demo.demo_quarters.populate", lambda stdout: None)
    call_command("demo", stdout=StringIO())
    first = (Platform.objects.count(), Project.objects.count(), Nomination.objects.count())
    call_command("demo", stdout=StringIO())

    assert (Platform.objects.count(), Project.objects.count(), Nomination.objects.count()) == first
    assert first[0] == 8 and first[2] == 5
    states = sorted(Nomination.objects.values_list("state", flat=True))
    assert states == ["draft", "draft", "pending", "pending", "pending"]
