"""The review side of the tests' dummy programme: two kinds on one model, declared as filings declare theirs.

    草稿 → 待受理 → 审核中 → 已通过 | 未通过 | 退回修改;  待受理 → 草稿 (撤回);  待受理 → 已截止 (系统)

It proves the contract of ``review.engine``: roles as data, a guard that
refuses 通过 with the programme's own reason inside the row lock, and a
transition only the system actor may perform (closing at a deadline).
"""

from django.db.models import Q

from review.engine import Kind, Queue, Refused, Step, Transition, register, transitions
from review.engine.rules import may_review
from review.engine.selectors import scope_for_reviewer
from review.enums import Role
from review.outbox.notifications import notify_payload

from .models import Dossier

APPLICANT = (Role.APPLICANT,)
REVIEWERS = (Role.REVIEWER, Role.MINISTRY)


def all_experts_scored(dossier: Dossier, step: Step) -> None:
    """The 通过 guard: it reads the locked row, so a score given a moment ago counts."""
    if dossier.scores_missing:
        raise Refused(f"尚有{dossier.scores_missing}位专家未评分，不能通过。")


TRANSITIONS = transitions(
    Transition("submit", ("draft", "returned"), "submitted", APPLICANT, "提交"),
    Transition("withdraw", ("submitted",), "draft", APPLICANT, "撤回", refused_message="审批中的数据不可撤回"),
    Transition("accept", ("submitted",), "in_review", REVIEWERS, "受理"),
    Transition("approve", ("in_review",), "approved", REVIEWERS, "通过", guard=all_experts_scored),
    Transition("reject", ("in_review",), "rejected", REVIEWERS, "不通过", comment_required=True),
    Transition("return", ("in_review",), "returned", REVIEWERS, "退回修改", comment_required=True),
    # Scheduled: what nobody accepted by the deadline is closed by the system (SYSTEM only).
    Transition("close", ("submitted",), "closed", (Role.SYSTEM,), "截止关闭"),
)
QUEUES = (
    Queue("pending", "待受理", ("submitted",)),
    Queue("in_review", "审核中", ("in_review",)),
    Queue("done", "已办结", ("approved", "rejected", "returned", "closed")),
)


def _can_act(user, obj, transition):
    if Role.APPLICANT in transition.roles:
        return user.organisation_id == obj.organisation_id
    return may_review(user, authority="mct", province=obj.province)


def _queryset(type_):
    def reviewer_queryset(user):
        qs = Dossier.objects.filter(type=type_).exclude(state="draft").select_related("organisation")
        return scope_for_reviewer(qs, user, authority="mct")

    return reviewer_queryset


def _side_effects(obj, transition, actor, comment):
    yield (
        "notify",
        notify_payload(
            title=f"{obj.name}：{transition.label}",
            body=comment,
            link=f"/test/{obj.public_id}/",
            organisation=obj.organisation_id if Role.APPLICANT not in transition.roles else None,
            reviewers=("mct", obj.province) if transition.name == "submit" else None,
            sms=transition.name in ("approve", "reject", "return"),
        ),
    )


for key, label in (("domestic", "国产测试"), ("import", "进口测试")):
    register(
        Kind(
            key=f"test.{key}",
            model=Dossier,
            label=label,
            authority="mct",
            transitions=TRANSITIONS,
            can_act=_can_act,
            reviewer_queryset=_queryset(key),
            side_effects=_side_effects,
            queues=QUEUES,
            discriminator=Q(type=key),
        )
    )
