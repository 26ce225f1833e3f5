"""初审 transitions per role, the provincial deadline at its edges, the round's closing by 系统, central units."""

import io
from datetime import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import AuditEvent
from awards.calendar import BEIJING
from awards.models import Nomination
from review.engine import NotPermitted, Refused, ReviewError, available_transitions, perform
from review.models import ReviewRecord
from review.staff import reviewer_change_url

from .factories import make_nomination, mct_ministry, nrta_ministry, nrta_official
from .factories_review import submitted

pytestmark = pytest.mark.django_db

LAST_SECOND = datetime(2026, 6, 30, 23, 59, 59, tzinfo=BEIJING)
NEXT_DAY = datetime(2026, 7, 1, 0, 0, 0, tzinfo=BEIJING)


def names(user, nomination) -> list[str]:
    return [t.name for t in available_transitions(user, nomination)]


def _closed_message(action: str) -> str:
    return f"本季度初审已于 2026-06-30 23:59:59 截止，不能再{action}。"


# --- who may do what ---------------------------------------------------------------------------


def test_only_the_bureau_s_officials_decide_the_initial_review(project, member):
    nomination = submitted(project)
    users = {
        "hunan": nrta_official("430000"),
        "beijing": nrta_official("110000"),
        "ministry": nrta_ministry(),
        "mct": mct_ministry(),
        "applicant": member,
    }

    offered = {who: names(user, nomination) for who, user in users.items()}

    assert offered == {
        "hunan": ["recommend", "not_recommend", "return"],
        "beijing": [],
        "ministry": [],  # 初审 is the provincial bureau's; the quota is theirs
        "mct": [],
        "applicant": [],
    }
    for who in ("beijing", "ministry", "mct", "applicant"):
        with pytest.raises(NotPermitted, match="您无权执行此操作。"):
            perform(nomination, "recommend", actor=users[who])
    assert Nomination.objects.get(pk=nomination.pk).state == "pending"
    perform(nomination, "recommend", actor=users["hunan"])
    assert Nomination.objects.get(pk=nomination.pk).state == "recommended"


def test_not_recommending_and_returning_need_a_reason_and_a_comment(
    client, project, django_capture_on_commit_callbacks
):
    first, second = submitted(project), submitted(project)
    official = nrta_official()
    client.force_login(official)

    no_reason = client.post(reviewer_change_url(first), {"transition": "not_recommend", "comment": "不符合"})
    no_comment = client.post(reviewer_change_url(first), {"transition": "return", "reason": "incomplete"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reviewer_change_url(first),
            {"transition": "not_recommend", "reason": "broadcast_dates", "comment": "首播不在本季度"},
        )
        client.post(reviewer_change_url(second), {"transition": "return", "reason": "incomplete", "comment": "补盖章"})

    assert no_reason.context["form"].errors == {"reason": ["请选择不推荐的原因。"]}
    assert no_comment.context["form"].errors == {"comment": ["请填写意见（退回修改时必须说明理由）。"]}
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, first.reason_category, first.reason_comment) == (
        "not_recommended",
        "broadcast_dates",
        "首播不在本季度",
    )
    assert (second.state, second.reason_category, second.reason_comment) == ("returned", "incomplete", "补盖章")
    record = ReviewRecord.objects.filter(object_id=first.pk, transition="not_recommend").get()
    assert (record.reason, record.comment, record.actor) == ("broadcast_dates", "首播不在本季度", official)
    detail = client.get(reviewer_change_url(first)).content.decode()
    assert '<span data-testid="reason-category">播出时间不符</span>' in detail
    assert '<span data-testid="reason-comment">首播不在本季度</span>' in detail
    assert sorted(AuditEvent.objects.filter(action="awards.decision").values_list("target", "detail__transition")) == [
        (first.reference, "not_recommend"),
        (second.reference, "return"),
    ]


def test_the_decision_buttons_leave_with_the_decision(client, project):
    nomination = submitted(project)
    official = nrta_official()
    perform(nomination, "recommend", actor=official)
    client.force_login(official)

    body = client.get(reviewer_change_url(nomination)).content.decode()
    again = client.post(reviewer_change_url(nomination), {"transition": "recommend"})

    assert 'name="transition"' not in body
    assert [str(m) for m in again.context["messages"]] == ["该申请已被其他审核人员处理，请刷新后查看最新状态。"]


# --- the provincial deadline ----------------------------------------------------------------------


def test_recommending_works_until_23_59_59_of_the_provincial_deadline(project, clock):
    nomination = submitted(project)
    clock.move_to(LAST_SECOND)

    perform(nomination, "recommend", actor=nrta_official())

    assert Nomination.objects.get(pk=nomination.pk).state == "recommended"


@pytest.mark.parametrize(
    ("name", "extra", "action"),
    [
        ("recommend", {}, "推荐"),
        ("not_recommend", {"reason": "other", "comment": "不推荐"}, "不推荐"),
        ("return", {"reason": "incomplete", "comment": "请补充"}, "退回修改"),
    ],
)
def test_from_00_00_00_the_next_day_every_decision_is_refused(project, clock, name, extra, action):
    nomination = submitted(project)
    clock.move_to(NEXT_DAY)

    with pytest.raises(Refused) as refused:
        perform(nomination, name, actor=nrta_official(), **extra)

    assert refused.value.message == _closed_message(action)
    assert Nomination.objects.get(pk=nomination.pk).state == "pending"


def test_past_the_deadline_the_detail_page_says_why(client, project, clock):
    nomination = submitted(project)
    clock.move_to(NEXT_DAY)
    client.force_login(nrta_official())

    response = client.post(reviewer_change_url(nomination), {"transition": "recommend"})

    assert [str(m) for m in response.context["messages"]] == [_closed_message("推荐")]
    assert "您无权执行此操作" not in response.content.decode()


def test_close_rounds_closes_what_is_pending_and_sends_the_recommended_to_experts(client, project, clock, member):
    waiting = make_nomination(member, project, submit=True, name="等待初审的作品")
    chosen = submitted(project)
    perform(chosen, "recommend", actor=nrta_official())

    clock.move_to(LAST_SECOND)
    call_command("close_rounds", stdout=io.StringIO())
    untouched = sorted(Nomination.objects.values_list("state", flat=True))
    clock.move_to(NEXT_DAY)
    call_command("close_rounds", stdout=io.StringIO())
    out = io.StringIO()
    call_command("close_rounds", stdout=out)  # a second run finds nothing to do

    assert untouched == ["pending", "recommended"]
    waiting.refresh_from_db()
    chosen.refresh_from_db()
    assert (waiting.state, waiting.reason_comment) == ("closed", "省级初审已于截止日期结束，该作品未获推荐。")
    assert chosen.state == "in_expert_review"
    records = ReviewRecord.objects.filter(transition__in=["close_round", "start_expert_review"]).order_by("object_id")
    assert [(r.object_id, r.transition, r.actor, r.actor_role, r.actor_name) for r in records] == sorted(
        [
            (waiting.pk, "close_round", None, "system", "系统"),
            (chosen.pk, "start_expert_review", None, "system", "系统"),
        ]
    )
    assert out.getvalue().strip() == "closed 0, sent to experts 0"
    # the applicant reads why
    client.force_login(member)
    page = client.get(reverse("awards:detail", args=[waiting.public_id])).content.decode()
    assert "省级初审已于截止日期结束，该作品未获推荐。" in page
    assert "逾期未审" in page


# --- 中央直属单位 -------------------------------------------------------------------------------------


def test_central_units_skip_the_provincial_step_and_officials_never_see_them(client, project):
    nomination = submitted(project, central=True, name="中央直属单位的纪录片")
    hunan, beijing, ministry = nrta_official("430000"), nrta_official("110000"), nrta_ministry()

    assert (nomination.state, nomination.province, nomination.bureau) == ("recommended", "", "000000")
    assert ReviewRecord.objects.filter(object_id=nomination.pk).values_list("transition", flat=True).get() == (
        "submit_to_nrta"
    )
    seen = {}
    for who, user in (("hunan", hunan), ("beijing", beijing), ("ministry", ministry)):
        client.force_login(user)
        seen[who] = (
            nomination.reference in client.get(reverse("staff:awards_nomination_changelist")).content.decode(),
            client.get(reviewer_change_url(nomination)).status_code,
        )
    assert seen == {"hunan": (False, 404), "beijing": (False, 404), "ministry": (True, 200)}
    with pytest.raises(ReviewError):
        perform(nomination, "not_recommend", actor=hunan, reason="other", comment="x")
    assert Nomination.objects.get(pk=nomination.pk).state == "recommended"
