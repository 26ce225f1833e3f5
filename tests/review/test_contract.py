"""The contract a programme implements (review.engine, review.outbox, review.certificates): what it refuses."""

from __future__ import annotations

import logging

import pytest
from django.db import transaction

from awards.services.errors import AwardError
from filings.services.errors import FilingError
from review import engine
from review.certificates import CertificateError
from review.engine import (
    Kind,
    Queue,
    ReviewError,
    Transition,
    get_kind,
    perform,
    register,
    transition_committed,
    transitions,
)
from review.engine import registry as engine_registry
from review.enums import Role
from review.models import ReviewRecord
from review.outbox import handler, handler_of
from review.outbox import registry as outbox_registry
from tests.review.factories import DossierFactory
from tests.review.reviewtestapp.models import Dossier

REVIEWERS = (Role.REVIEWER, Role.MINISTRY)


@pytest.fixture
def scratch_registry(monkeypatch):
    """Kinds registered by a test are forgotten after it."""
    monkeypatch.setattr(engine_registry, "_REGISTRY", dict(engine_registry._REGISTRY))


def a_kind(key: str = "contract.scratch", **overrides) -> Kind:
    values = {
        "key": key,
        "model": Dossier,
        "label": "契约测试",
        "authority": "mct",
        "transitions": transitions(Transition("accept", ("submitted",), "in_review", REVIEWERS, "受理")),
        "can_act": lambda user, obj, transition: True,
        "reviewer_queryset": lambda user: Dossier.objects.none(),
    }
    return Kind(**{**values, **overrides})


# --- registration ------------------------------------------------------------------------------


def test_a_kind_registered_twice_raises_and_the_first_stays(scratch_registry):
    first = register(a_kind())
    with pytest.raises(ValueError) as info:
        register(a_kind(label="第二个"))
    assert str(info.value) == "kind 'contract.scratch' is registered already"
    assert get_kind("contract.scratch") is first


def test_an_existing_kind_cannot_be_replaced(scratch_registry):
    domestic = get_kind("test.domestic")
    with pytest.raises(ValueError) as info:
        register(a_kind("test.domestic"))
    assert str(info.value) == "kind 'test.domestic' is registered already"
    assert get_kind("test.domestic") is domestic


def test_register_takes_a_kind_only(scratch_registry):
    with pytest.raises(TypeError) as info:
        register({"key": "contract.dict", "model": Dossier})
    assert str(info.value) == "register() takes a Kind, not dict"


# --- transitions ---------------------------------------------------------------------------------


def test_a_transition_without_a_role_raises():
    with pytest.raises(TypeError) as info:
        Transition("accept", ("submitted",), "in_review", (), "受理")
    assert str(info.value) == "transition 'accept' names no role"


def test_a_transition_with_an_unknown_role_raises():
    with pytest.raises(TypeError) as info:
        Transition("accept", ("submitted",), "in_review", (Role.REVIEWER, "reviewr"), "受理")
    assert str(info.value) == "transition 'accept': unknown roles ['reviewr']"


def test_transitions_with_a_name_declared_twice_raise():
    accept = Transition("accept", ("submitted",), "in_review", REVIEWERS, "受理")
    again = Transition("accept", ("in_review",), "approved", REVIEWERS, "通过")
    with pytest.raises(TypeError) as info:
        transitions(accept, again)
    assert str(info.value) == "transition 'accept' declared twice"


def test_a_transition_filed_under_another_name_raises():
    accept = Transition("accept", ("submitted",), "in_review", REVIEWERS, "受理")
    with pytest.raises(TypeError) as info:
        a_kind(transitions={"approve": accept})
    assert str(info.value) == "kind 'contract.scratch': transition 'accept' filed under 'approve'"


# --- kinds ---------------------------------------------------------------------------------------


def test_a_queue_naming_an_unknown_state_raises():
    with pytest.raises(TypeError) as info:
        a_kind(queues=(Queue("pending", "待受理", ("submitted",)), Queue("done", "已办结", ("approvd",))))
    assert str(info.value) == "kind 'contract.scratch': queue 'done' names unknown states ['approvd']"


def test_approved_states_naming_an_unknown_state_raise():
    with pytest.raises(TypeError) as info:
        a_kind(approved_states=("approved",))
    assert str(info.value) == "kind 'contract.scratch': approved_states names unknown states ['approved']"


def test_history_labels_of_an_unknown_transition_raise():
    with pytest.raises(TypeError) as info:
        a_kind(history_labels={"acept": "已受理"})
    assert str(info.value) == "kind 'contract.scratch': history labels for unknown transitions ['acept']"


def test_a_kind_takes_no_untyped_extra():
    with pytest.raises(TypeError):
        a_kind(extra={"queues": ()})


# --- transition_committed --------------------------------------------------------------------------


@pytest.fixture
def committed():
    """The keyword arguments of every transition_committed sent during the test."""
    calls: list[dict] = []

    def receiver(sender, **kwargs):
        calls.append({"sender": sender, **kwargs})

    transition_committed.connect(receiver, dispatch_uid="test_contract.committed")
    yield calls
    transition_committed.disconnect(dispatch_uid="test_contract.committed")


@pytest.mark.django_db
def test_transition_committed_is_sent_after_commit_with_the_step(
    committed, django_capture_on_commit_callbacks, hunan_official
):
    dossier = DossierFactory(state="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        result = perform(dossier, "accept", actor=hunan_official)
        assert committed == []  # not inside the transaction
    assert len(committed) == 1
    call = committed[0]
    assert call["sender"] is Dossier
    assert call["obj"] == result and call["obj"].state == "in_review"
    assert call["kind"] is get_kind("test.domestic")
    assert call["transition"] is get_kind("test.domestic").transitions["accept"]
    assert call["actor"] == hunan_official


@pytest.mark.django_db(transaction=True)
def test_transition_committed_is_not_sent_when_the_transaction_rolls_back(committed, hunan_official):
    dossier = DossierFactory(state="submitted")
    with pytest.raises(RuntimeError), transaction.atomic():
        perform(dossier, "accept", actor=hunan_official)
        raise RuntimeError("the caller's work failed after the step")
    assert committed == []
    dossier.refresh_from_db()
    assert dossier.state == "submitted"
    assert ReviewRecord.objects.count() == 0

    perform(dossier, "accept", actor=hunan_official)  # autocommit: sent at once
    assert [(c["obj"].pk, c["transition"].name) for c in committed] == [(dossier.pk, "accept")]


@pytest.mark.django_db
def test_a_failing_receiver_is_logged_and_does_not_break_the_transition(
    committed, django_capture_on_commit_callbacks, hunan_official, caplog
):
    def broken(sender, **kwargs):
        raise RuntimeError("receiver bug")

    transition_committed.connect(broken, dispatch_uid="test_contract.broken")
    try:
        dossier = DossierFactory(state="submitted")
        with caplog.at_level(logging.ERROR, logger="review.engine.perform"):
            with django_capture_on_commit_callbacks(execute=True):
                perform(dossier, "accept", actor=hunan_official)
    finally:
        transition_committed.disconnect(dispatch_uid="test_contract.broken")
    dossier.refresh_from_db()
    assert dossier.state == "in_review"
    assert ReviewRecord.objects.get().transition == "accept"
    assert len(committed) == 1  # the other receivers still ran
    failures = [r for r in caplog.records if r.getMessage().startswith("transition_committed receiver")]
    assert [r.getMessage() for r in failures] == [
        "transition_committed receiver test_a_failing_receiver_is_logged_and_does_not_break_the_transition"
        ".<locals>.broken failed"
    ]
    assert failures[0].exc_info[1].args == ("receiver bug",)


# --- outbox ----------------------------------------------------------------------------------------


def test_an_outbox_topic_handled_twice_raises(monkeypatch):
    monkeypatch.setattr(outbox_registry, "_HANDLERS", dict(outbox_registry._HANDLERS))

    @handler("contract.topic")
    def first(payload):
        return None

    with pytest.raises(ValueError) as info:

        @handler("contract.topic")
        def second(payload):
            return None

    assert str(info.value) == "outbox topic 'contract.topic' has a handler already"
    assert handler_of("contract.topic") is first


def test_the_certificate_issue_topic_has_its_handler_already():
    with pytest.raises(ValueError):
        handler("certificate.issue")(lambda payload: None)


# --- one error base --------------------------------------------------------------------------------


def test_review_error_is_the_one_base_of_user_facing_refusals():
    for error in (
        engine.Refused,
        engine.NotPermitted,
        engine.CommentRequired,
        engine.TransitionNotAllowed,
        CertificateError,
        AwardError,
        FilingError,
    ):
        assert issubclass(error, ReviewError), error
    refusal = AwardError("名额已用完", field="quota")
    assert (refusal.message, refusal.field, str(refusal)) == ("名额已用完", "quota", "名额已用完")
