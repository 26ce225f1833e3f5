"""公布: after the 公示 ends NRTA staff publish, or the system job does; every 入选 work → 已公布
(its certificate follows through the outbox); the engine refuses 公布 any other way."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import AuditEvent
from awards import tasks
from awards.enums import NominationState, ObjectionStatus
from awards.models import Objection, Publicity
from awards.services import publication
from portal.management.commands import run_periodic
from review.engine import SYSTEM, Refused, perform
from review.models import Certificate, ReviewRecord
from tests.awards.factories import mct_ministry, nrta_ministry, nrta_official
from tests.awards.factories_publication import PublicityFactory, WorkFactory
from tests.review.conftest import drain_outbox

pytestmark = pytest.mark.django_db

S = NominationState
AFTER_END = "2026-06-07 00:00:00+08:00"  # the 公示 (06-01 … 06-06) is over
LAST_SECOND = "2026-06-06 23:59:59+08:00"


@pytest.fixture
def works():
    return [WorkFactory(name="山河新歌"), WorkFactory(name="洞庭之歌"), WorkFactory(individual=True, name="外婆家")]


@pytest.fixture
def publicity(works):
    return PublicityFactory()


def staff_client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def states(works) -> list[str]:
    for w in works:
        w.refresh_from_db()
    return [w.state for w in works]


def test_staff_publish_after_the_publicity_ends_and_not_before(
    publicity, works, clock, django_capture_on_commit_callbacks
):
    user = nrta_ministry(full_name="李总局")
    url = f"/staff/awards/publicity/{publicity.public_id}/publish/"
    clock.move_to(LAST_SECOND)
    staff = staff_client(user)
    page = staff.get(url)
    assert "公示期至 2026-06-06 结束，公示期结束后才能公布。" in page.content.decode()
    staff.post(url)
    assert states(works) == [S.SELECTED] * 3
    clock.move_to(AFTER_END)
    staff = staff_client(user)  # a new sign-in: the session above has gone idle meanwhile
    confirm = staff.get(url).content.decode()
    assert "公布后，以下 3 件作品将进入正式名单" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(url)
    assert response.status_code == 302
    assert states(works) == [S.PUBLISHED] * 3
    publicity.refresh_from_db()
    assert publicity.published_by == user and publicity.published_at is not None
    records = ReviewRecord.objects.filter(transition="publish")
    assert [(r.actor, r.from_state, r.to_state) for r in records] == [(user, S.SELECTED, S.PUBLISHED)] * 3
    assert AuditEvent.objects.filter(action="awards.results_published", target="2026Q1", actor=user).count() == 1
    # A second publication is refused with a message.
    again = staff.post(url, follow=True)
    assert "本季度推优结果已于" in again.content.decode()
    assert ReviewRecord.objects.filter(transition="publish").count() == 3


def test_only_nrta_ministry_staff_publish(publicity, works, clock):
    clock.move_to(AFTER_END)
    url = f"/staff/awards/publicity/{publicity.public_id}/publish/"
    for user in (nrta_official("430000"), mct_ministry()):
        assert staff_client(user).post(url).status_code == 403
        with pytest.raises(publication.NotPermitted):
            publication.publish_quarter(publicity, actor=user)
    assert states(works) == [S.SELECTED] * 3
    assert staff_client(nrta_ministry()).post(url).status_code == 302
    assert states(works) == [S.PUBLISHED] * 3


def test_pending_objection_holds_the_publication(publicity, works, clock):
    objection = Objection.objects.create(
        publicity=publicity, nomination=works[0], contact_name="王", contact_phone="13812345678", reason="不符"
    )
    clock.move_to(AFTER_END)
    staff = nrta_ministry()
    with pytest.raises(publication.PublicationError) as refused:
        publication.publish_quarter(publicity, actor=staff)
    assert refused.value.message == "尚有 1 件异议未处理，处理完毕后才能公布。"
    assert publication.publish_due() == {"quarters": 0, "works": 0, "waiting": 1}
    assert states(works) == [S.SELECTED] * 3
    publication.dispose_objection(objection, decision=ObjectionStatus.ACCEPTED, note="异议成立", actor=staff)
    assert publication.publish_due() == {"quarters": 1, "works": 2, "waiting": 0}
    assert states(works) == [S.NOT_SELECTED, S.PUBLISHED, S.PUBLISHED]


def test_system_job_publishes_at_the_end_of_the_publicity_not_before(publicity, works, clock):
    clock.move_to(LAST_SECOND)
    out = io.StringIO()
    call_command("publish_results", stdout=out)
    assert out.getvalue().strip() == "published 0 quarter(s), 0 work(s); 0 waiting for objections to be disposed of"
    assert states(works) == [S.SELECTED] * 3
    clock.move_to(AFTER_END)
    out = io.StringIO()
    call_command("publish_results", stdout=out)
    assert out.getvalue().strip() == "published 1 quarter(s), 3 work(s); 0 waiting for objections to be disposed of"
    assert states(works) == [S.PUBLISHED] * 3
    publicity.refresh_from_db()
    assert publicity.published_by is None
    records = ReviewRecord.objects.filter(transition="publish")
    assert {(r.actor, r.actor_name, r.actor_role) for r in records} == {(None, "系统", "system")}
    assert AuditEvent.objects.get(action="awards.results_published").detail["by_system"] is True
    # Idempotent: a second run finds nothing.
    assert publication.publish_due() == {"quarters": 0, "works": 0, "waiting": 0}


def test_the_job_is_a_task_a_command_and_a_periodic_job(publicity, works, clock, settings):
    clock.move_to(AFTER_END)
    assert run_periodic.PERIODS["publish_results"] == 600
    assert settings.CELERY_BEAT_SCHEDULE["publish-results"]["task"] == tasks.publish_results.name
    assert tasks.publish_results.delay().get() == {"quarters": 1, "works": 3, "waiting": 0}  # eager in tests
    assert states(works) == [S.PUBLISHED] * 3


def test_publishing_issues_one_certificate_per_work_numbered_in_list_order(
    publicity, works, clock, django_capture_on_commit_callbacks
):
    clock.move_to(AFTER_END)
    with django_capture_on_commit_callbacks(execute=True):
        publication.publish_quarter(publicity, actor=SYSTEM)
    with django_capture_on_commit_callbacks(execute=True):
        drain_outbox()
    certificates = list(Certificate.objects.order_by("number"))
    assert [(c.title, c.number, c.kind) for c in certificates] == [
        ("山河新歌", "视听推优〔2026〕第1季度第001号", "awards.institution"),
        ("洞庭之歌", "视听推优〔2026〕第1季度第002号", "awards.institution"),
        ("外婆家", "视听推优〔2026〕第1季度第003号", "awards.individual"),
    ]
    assert {c.issuing_department for c in certificates} == {"国家广播电视总局"}
    # Running the outbox or the sweep again issues nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        drain_outbox()
    assert Certificate.objects.count() == 3


def test_engine_refuses_publish_outside_the_quarter_publication(publicity, works):
    """A 公布 button elsewhere (the nomination's page) cannot publish one work before its quarter."""
    staff = nrta_ministry()
    with pytest.raises(Refused) as refused:
        perform(works[0], "publish", actor=staff)
    assert "公示期结束且异议处理完毕后才能公布" in refused.value.message
    assert states(works)[0] == S.SELECTED


def test_engine_refuses_withdraw_without_its_record(publicity, works, clock):
    clock.move_to(AFTER_END)
    publication.publish_quarter(publicity, actor=SYSTEM)
    with pytest.raises(Refused) as refused:
        perform(works[0], "withdraw_result", actor=nrta_ministry(), comment="理由")
    assert refused.value.message == "请在“公示与公布”中撤销该作品，并填写撤销理由。"
    assert states(works)[0] == S.PUBLISHED


def test_publishing_an_empty_list_after_every_work_was_taken_out(clock):
    work = WorkFactory(state=S.NOT_SELECTED)
    publicity = PublicityFactory()
    clock.move_to(AFTER_END)
    assert publication.publish_quarter(publicity, actor=nrta_ministry()) == 0
    assert Publicity.objects.get().published_at is not None
    work.refresh_from_db()
    assert work.state == S.NOT_SELECTED
