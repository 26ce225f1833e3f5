"""Two test kinds on one model, declared like filings will declare theirs."""

from review.enums import Role
from review.notifications import notify_payload
from review.rules import may_review
from review.selectors import scope_for_reviewer
from review.workflow import Kind, Transition, register, transitions

from .models import Dossier

TRANSITIONS = transitions(
    Transition("submit", ("draft", "returned"), "submitted", Role.APPLICANT, "提交"),
    Transition("withdraw", ("submitted",), "draft", Role.APPLICANT, "撤回", refused_message="审批中的数据不可撤回"),
    Transition("accept", ("submitted",), "in_review", Role.REVIEWER, "受理"),
    Transition("approve", ("in_review",), "approved", Role.REVIEWER, "通过"),
    Transition("reject", ("in_review",), "rejected", Role.REVIEWER, "不通过", comment_required=True),
    Transition("return", ("in_review",), "returned", Role.REVIEWER, "退回修改", comment_required=True),
)
QUEUES = {"pending": ["submitted"], "in_review": ["in_review"], "done": ["approved", "rejected", "returned"]}


def _can_act(user, obj, transition):
    if transition.role == Role.APPLICANT:
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
            organisation=obj.organisation_id if transition.role != Role.APPLICANT else None,
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
            extra={"queues": QUEUES, "filter": {"type": key}},
        )
    )
