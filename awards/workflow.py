"""The review workflow of nominations (参评作品), declared once here and carried out by
``review.engine.perform`` (loaded from ``AwardsConfig.ready``).

SPEC §D4::

    草稿 → 待初审 (the chosen provincial bureau) → 已推荐 | 未推荐 | 退回修改 → 专家评议 → 入选 | 未入选 → 已公布
    草稿 → 已推荐 directly for a 中央直属单位's nomination to 国家广播电视总局

``TRANSITIONS`` is the one data declaration for both kinds (机构类 and 个人类):
申报 in its two forms (applicant), the provincial 初审 (推荐 with the quota
guard, 不推荐 and 退回修改 with a structured reason), the round's closing at
the provincial deadline (系统). The expert round and publication add their
transitions to the same table.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.enums import Authority
from review.engine import Kind, Queue, Refused, Step, Transition, register, transitions
from review.engine.sequences import next_value
from review.enums import Role

from . import bureaus, rules
from .calendar import deadline_passed
from .certificates import AwardCertificates
from .enums import NominationState, ProjectKind, ReasonCategory
from .models import Nomination
from .services import publication, quota, ranking, validation

S = NominationState
APPLICANT = (Role.APPLICANT,)
# 初审 is the provincial bureau's: its officials decide (and the quota is theirs).
REVIEWERS = (Role.REVIEWER,)
NRTA_STAFF = (Role.MINISTRY,)
REFERENCE_PREFIX = "TY"
# The structured reasons of 退回修改 and 不推荐, for the transitions that need them.
REASONS = tuple(ReasonCategory.choices)


def submit_guard(nomination: Nomination, step: Step) -> None:
    """Re-checked inside the row lock: the deadline, the 申报台局 and the one-per-quarter rule."""
    closed = validation.project_closed_reason(nomination.project)
    if closed:
        raise Refused(closed)
    if nomination.bureau == bureaus.NRTA_BUREAU and not rules.may_choose_nrta(nomination.organisation):
        raise Refused(gettext("只有中央直属单位可以选择国家广播电视总局作为申报台局。"), field="bureau")
    if nomination.bureau != bureaus.NRTA_BUREAU and not bureaus.province_of(nomination.bureau):
        raise Refused(gettext("请选择有效的申报台局。"), field="bureau")
    other = validation.duplicate_of(nomination)
    if other is not None:
        raise Refused(validation.duplicate_message(nomination, other), field="name")


def central_only(nomination: Nomination, step: Step) -> None:
    submit_guard(nomination, step)
    if nomination.bureau != bureaus.NRTA_BUREAU:
        raise Refused(gettext("请选择有效的申报台局。"), field="bureau")


def provincial_round_open(nomination: Nomination, step: Step) -> None:
    """初审 closes at the provincial deadline (Beijing time, inclusive to 23:59:59)."""
    if deadline_passed(nomination.project.provincial_deadline, timezone.now()):
        raise Refused(
            gettext("本季度初审已于 %(day)s 23:59:59 截止，不能再%(action)s。")
            % {"day": nomination.project.provincial_deadline.isoformat(), "action": step.transition.label}
        )


def recommend_guard(nomination: Nomination, step: Step) -> None:
    """推荐: before the provincial deadline, and within the province's quota (the ledger row is locked)."""
    provincial_round_open(nomination, step)
    quota.reserve(nomination)


def select_guard(nomination: Nomination, step: Step) -> None:
    """入选 needs the quorum of expert scores (a work below it is not ranked)."""
    ranking.ensure_rankable(nomination)


SYSTEM_ONLY = (Role.SYSTEM,)

# The transitions of both kinds, in one table.
TRANSITIONS = transitions(
    Transition(
        "submit",
        (S.DRAFT, S.RETURNED),
        S.PENDING,
        APPLICANT,
        _("申报"),
        refused_message=_("申报后不能修改。"),
        guard=submit_guard,
    ),
    Transition(
        "submit_to_nrta",
        (S.DRAFT, S.RETURNED),
        S.RECOMMENDED,
        APPLICANT,
        _("申报"),
        refused_message=_("申报后不能修改。"),
        guard=central_only,
    ),
    # 初审 by the chosen provincial bureau (SPEC §D4).
    Transition("recommend", (S.PENDING,), S.RECOMMENDED, REVIEWERS, _("推荐"), guard=recommend_guard),
    Transition(
        "not_recommend",
        (S.PENDING,),
        S.NOT_RECOMMENDED,
        REVIEWERS,
        _("不推荐"),
        comment_required=True,
        reasons=REASONS,
        guard=provincial_round_open,
    ),
    Transition(
        "return",
        (S.PENDING,),
        S.RETURNED,
        REVIEWERS,
        _("退回修改"),
        comment_required=True,
        reasons=REASONS,
        guard=provincial_round_open,
    ),
    # The round closes at the provincial deadline (services.rounds, as 系统).
    Transition("close_round", (S.PENDING,), S.CLOSED, SYSTEM_ONLY, pgettext_lazy("nomination state", "逾期未审")),
    Transition(
        "start_expert_review",
        (S.RECOMMENDED,),
        S.IN_EXPERT_REVIEW,
        (Role.SYSTEM, Role.MINISTRY),
        _("转入专家评议"),
    ),
    # The expert round's outcome, decided by NRTA staff from the ranking.
    Transition("select", (S.IN_EXPERT_REVIEW,), S.SELECTED, NRTA_STAFF, _("入选"), guard=select_guard),
    Transition("not_select", (S.IN_EXPERT_REVIEW,), S.NOT_SELECTED, NRTA_STAFF, _("未入选")),
    # An objection upheld during 公示 takes a work out of the list.
    Transition("unselect", (S.SELECTED,), S.NOT_SELECTED, NRTA_STAFF, _("取消入选"), comment_required=True),
    # Publication: by NRTA staff, or by the system at the end of 公示.
    Transition(
        "publish", (S.SELECTED,), S.PUBLISHED, (Role.MINISTRY, Role.SYSTEM), _("公布"), guard=publication.publish_guard
    ),
    # A later withdrawal of a published work: recorded and shown, never deleted.
    Transition(
        "withdraw_result",
        (S.PUBLISHED,),
        S.WITHDRAWN,
        NRTA_STAFF,
        _("撤销"),
        comment_required=True,
        guard=publication.withdraw_guard,
    ),
)

# How each step reads in the 审核记录 the applicant sees.
HISTORY_LABELS = {
    "submit": _("已申报"),
    "submit_to_nrta": _("已申报（中央直属单位直接报送国家广播电视总局）"),
    "recommend": _("初审通过，已推荐"),
    "not_recommend": _("初审未通过，不推荐"),
    "return": _("退回修改"),
    "close_round": _("初审截止，逾期未审"),
    "start_expert_review": _("转入专家评议"),
    "select": _("入选"),
    "not_select": _("未入选"),
    "unselect": _("公示期异议成立，取消入选"),
    "publish": _("已公布"),
    "withdraw_result": _("已撤销入选资格"),
}

QUEUES = (
    Queue("pending", pgettext_lazy("review queue", "待初审"), (S.PENDING,)),
    Queue("recommended", pgettext_lazy("review queue", "已推荐"), (S.RECOMMENDED, S.IN_EXPERT_REVIEW, S.SELECTED)),
    # 退回修改 is still open (the applicant edits and resubmits): its own queue, never 已办结.
    Queue("returned", pgettext_lazy("review queue", "退回修改"), (S.RETURNED,)),
    Queue(
        "done",
        pgettext_lazy("review queue", "已办结"),
        (S.NOT_RECOMMENDED, S.CLOSED, S.NOT_SELECTED, S.PUBLISHED, S.WITHDRAWN),
    ),
)


# --- who may act ------------------------------------------------------------------------


def can_act(user, nomination: Nomination, transition: Transition) -> bool:
    if Role.APPLICANT in transition.roles:
        if not rules.is_member(user, nomination):
            return False
        # 申报 takes one form or the other by the chosen 申报台局.
        if transition.name == "submit":
            return nomination.bureau != bureaus.NRTA_BUREAU
        if transition.name == "submit_to_nrta":
            return nomination.bureau == bureaus.NRTA_BUREAU
        return True
    if Role.REVIEWER in transition.roles:
        # Nominations to 国家广播电视总局 have no provincial step.
        return rules.reviewer_may_see(user, nomination) and nomination.bureau != bureaus.NRTA_BUREAU
    return rules.is_nrta_ministry(user)


def nomination_queryset(kind: str):
    def queryset(user) -> QuerySet:
        scope = rules.reviewer_scope(user)
        qs = Nomination.objects.filter(kind=kind).exclude(state=S.DRAFT)
        return qs.none() if scope is None else qs.filter(scope)

    return queryset


# --- what else changes with a step -----------------------------------------------------------


def assign_reference(nomination: Nomination) -> list[str]:
    """TY-湘-2026Q1-0001: prefix, the bureau's abbreviation, quarter, sequence per bureau and quarter."""
    key = f"ref:{REFERENCE_PREFIX}:{nomination.year}Q{nomination.quarter}:{nomination.bureau}"
    seq = next_value(key)
    nomination.ref_seq = seq
    nomination.reference = (
        f"{REFERENCE_PREFIX}-{bureaus.abbr(nomination.bureau)}-{nomination.year}Q{nomination.quarter}-{seq:04d}"
    )
    return ["ref_seq", "reference"]


def apply_nomination(nomination: Nomination, step: Step) -> list[str]:
    name = step.transition.name
    fields: list[str] = []
    now = timezone.now()
    if name in ("submit", "submit_to_nrta"):
        if nomination.ref_seq is None:
            fields += assign_reference(nomination)
        nomination.province = bureaus.province_of(nomination.bureau)
        nomination.submitted_at = now
        nomination.similar_flag = validation.similar_note(nomination)
        fields += ["province", "submitted_at", "similar_flag"]
        if name == "submit_to_nrta":  # the central unit's own initial check is the decision
            nomination.decided_at = now
            fields.append("decided_at")
    elif name in ("recommend", "not_recommend", "close_round", "select", "not_select", "unselect"):
        nomination.decided_at = now
        fields.append("decided_at")
    if name in ("not_recommend", "return"):
        nomination.reason_category = step.reason
        nomination.reason_comment = step.comment
        fields += ["reason_category", "reason_comment"]
    if name == "close_round":
        nomination.reason_comment = gettext("省级初审已于截止日期结束，该作品未获推荐。")
        fields.append("reason_comment")
    return fields


# --- side effects --------------------------------------------------------------------------


def _link(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def side_effects(nomination: Nomination, transition: Transition, actor, comment: str):
    from review.outbox.notifications import notify_payload

    if transition.name in ("submit", "submit_to_nrta"):
        yield (
            "notify",
            notify_payload(
                reviewers={"authority": Authority.NRTA.value, "province": nomination.province},
                title=gettext("新的网络视听节目季度推优申报"),
                body=gettext("%(unit)s申报了《%(name)s》（申报编号 %(ref)s），请及时审核。")
                % {"unit": nomination.organisation.name, "name": nomination.name, "ref": nomination.reference},
                link=_link("staff:awards_nomination_change", nomination.public_id),
                email=True,
            ),
        )
        return
    if transition.name == "publish":
        yield "certificate.issue", {"kind": nomination.get_workflow_kind(), "id": nomination.pk}
    outcome = HISTORY_LABELS.get(transition.name)
    if outcome is None or transition.name in ("start_expert_review", "select", "not_select"):
        return  # the expert round's outcome is told when the list is published
    body = gettext("您申报的《%(name)s》（申报编号 %(ref)s）：%(outcome)s。") % {
        "name": nomination.name,
        "ref": nomination.reference,
        "outcome": outcome,
    }
    if comment:
        body += gettext("意见：%(comment)s") % {"comment": comment}
    yield (
        "notify",
        notify_payload(
            organisation=nomination.organisation_id,
            title=gettext("网络视听节目季度推优：%(outcome)s") % {"outcome": outcome},
            body=body,
            link=_link("awards:detail", nomination.public_id),
            email=True,
        ),
    )


# --- registration -----------------------------------------------------------------------------

KIND_LABELS = {
    ProjectKind.INSTITUTION: _("网络视听节目季度推优（机构类）"),
    ProjectKind.INDIVIDUAL: _("网络视听节目季度推优（个人类）"),
}


def kind_key(project_kind: str) -> str:
    return f"awards.{project_kind}"


def register_kinds() -> None:
    """Register 机构类 and 个人类 with the review engine (called once, from ``AwardsConfig.ready``)."""
    certificate = AwardCertificates()
    for kind in (ProjectKind.INSTITUTION, ProjectKind.INDIVIDUAL):
        register(
            Kind(
                key=kind_key(kind.value),
                model=Nomination,
                label=KIND_LABELS[kind],
                authority=Authority.NRTA.value,
                transitions=TRANSITIONS,
                can_act=can_act,
                reviewer_queryset=nomination_queryset(kind.value),
                queues=QUEUES,
                discriminator=Q(kind=kind.value),
                # the certificate sweep issues what a broker outage missed at publication
                approved_states=(S.PUBLISHED,),
                history_labels=HISTORY_LABELS,
                apply=apply_nomination,
                side_effects=side_effects,
                certificate=certificate,
            )
        )
