"""review.engine.perform: the one function that changes state."""

import pytest
from django.db import transaction

from review.engine import CommentRequired, NotPermitted, TransitionNotAllowed, available_transitions, perform
from review.enums import OutboxStatus, Role
from review.models import OutboxEvent, ReviewRecord
from tests.review.factories import DossierFactory

pytestmark = pytest.mark.django_db


def test_perform_allowed_path_changes_state_and_writes_one_record(hunan_official):
    dossier = DossierFactory(state="submitted")

    result = perform(dossier, "accept", actor=hunan_official, comment="  收到  ")

    dossier.refresh_from_db()
    assert result.state == "in_review"
    assert dossier.state == "in_review"
    records = list(ReviewRecord.objects.all())
    assert len(records) == 1
    record = records[0]
    assert (record.kind, record.transition, record.action_label) == ("test.domestic", "accept", "受理")
    assert (record.from_state, record.to_state) == ("submitted", "in_review")
    assert record.actor == hunan_official
    assert record.actor_name == "湘审核"
    assert record.actor_role == Role.REVIEWER
    assert record.comment == "收到"


def test_perform_wrong_state_is_refused_with_message(hunan_official):
    dossier = DossierFactory(state="submitted")

    with pytest.raises(TransitionNotAllowed) as excinfo:
        perform(dossier, "approve", actor=hunan_official)

    assert excinfo.value.message == "该申请已被其他审核人员处理，请刷新后查看最新状态。"
    dossier.refresh_from_db()
    assert dossier.state == "submitted"
    assert ReviewRecord.objects.count() == 0


def test_perform_uses_the_refused_message_of_the_transition(applicant):
    dossier = DossierFactory(state="in_review", organisation=applicant.organisation)

    with pytest.raises(TransitionNotAllowed) as excinfo:
        perform(dossier, "withdraw", actor=applicant)

    assert excinfo.value.message == "审批中的数据不可撤回"


def test_perform_checks_the_state_found_in_the_database_not_the_callers(hunan_official):
    dossier = DossierFactory(state="in_review")
    stale = type(dossier).objects.get(pk=dossier.pk)
    perform(dossier, "approve", actor=hunan_official)

    with pytest.raises(TransitionNotAllowed):
        perform(stale, "return", actor=hunan_official, comment="请补充材料")

    assert ReviewRecord.objects.count() == 1
    stale.refresh_from_db()
    assert stale.state == "approved"


def test_perform_applicant_cannot_do_a_reviewer_transition(applicant):
    dossier = DossierFactory(state="submitted", organisation=applicant.organisation)

    with pytest.raises(NotPermitted) as excinfo:
        perform(dossier, "accept", actor=applicant)

    assert excinfo.value.message == "您无权执行此操作。"
    dossier.refresh_from_db()
    assert dossier.state == "submitted"


def test_perform_reviewer_of_another_province_is_not_permitted(beijing_official, hunan_official):
    dossier = DossierFactory(state="submitted")  # 湖南

    with pytest.raises(NotPermitted):
        perform(dossier, "accept", actor=beijing_official)

    assert ReviewRecord.objects.count() == 0
    assert perform(dossier, "accept", actor=hunan_official).state == "in_review"  # the province's own


def test_perform_ministry_of_other_authority_is_not_permitted(nrta_ministry, ministry):
    dossier = DossierFactory(state="submitted")

    with pytest.raises(NotPermitted):
        perform(dossier, "accept", actor=nrta_ministry)

    assert ReviewRecord.objects.count() == 0
    assert perform(dossier, "accept", actor=ministry).state == "in_review"  # the dossier's own authority


def test_perform_ministry_may_act_in_any_province(ministry):
    dossier = DossierFactory(state="submitted", province="110000")

    perform(dossier, "accept", actor=ministry)

    record = ReviewRecord.objects.get()
    assert record.actor_role == Role.MINISTRY


def test_perform_comment_required_refuses_blank_comment(hunan_official):
    dossier = DossierFactory(state="in_review")

    with pytest.raises(CommentRequired) as excinfo:
        perform(dossier, "reject", actor=hunan_official, comment="   ")

    assert excinfo.value.message == "请填写意见（不通过时必须说明理由）。"
    dossier.refresh_from_db()
    assert dossier.state == "in_review"
    assert ReviewRecord.objects.count() == 0


def test_perform_unknown_transition_is_refused(hunan_official):
    dossier = DossierFactory(state="submitted")

    with pytest.raises(TransitionNotAllowed) as excinfo:
        perform(dossier, "publish", actor=hunan_official)

    assert excinfo.value.message == "不支持的操作。"


def test_available_transitions_depend_on_role_state_and_scope(hunan_official, beijing_official, applicant):
    dossier = DossierFactory(state="in_review", organisation=applicant.organisation)

    assert [t.name for t in available_transitions(hunan_official, dossier)] == ["approve", "reject", "return"]
    assert available_transitions(beijing_official, dossier) == []
    assert available_transitions(applicant, dossier) == []


def test_perform_writes_outbox_event_in_the_same_transaction(hunan_official):
    dossier = DossierFactory(state="in_review")

    perform(dossier, "approve", actor=hunan_official)

    event = OutboxEvent.objects.get()
    assert event.topic == "notify"
    assert event.status == OutboxStatus.PENDING
    assert event.payload["title"] == f"{dossier.name}：通过"
    assert event.payload["organisation_id"] == dossier.organisation_id
    assert event.payload["sms_template"] == "notice"


def test_perform_rolled_back_with_the_callers_transaction_leaves_no_event(hunan_official):
    dossier = DossierFactory(state="in_review")

    with pytest.raises(RuntimeError):
        with transaction.atomic():
            perform(dossier, "approve", actor=hunan_official)
            raise RuntimeError("later failure in the same request")

    dossier.refresh_from_db()
    assert dossier.state == "in_review"
    assert OutboxEvent.objects.count() == 0
    assert ReviewRecord.objects.count() == 0
