"""The review workflow of filings, import reviews and their change requests.

Declared once here (loaded from ``FilingsConfig.ready``) and carried out by
``review.engine.perform``:

    草稿 → 待受理 → 审核中 → 已通过 | 未通过 | 退回修改;  待受理 → 草稿 (撤回);  退回修改 → 待受理
"""

from __future__ import annotations

from django.db.models import Max, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.enums import Authority
from common import regions
from review.engine import Kind, Queue, Refused, ReviewError, Step, Transition, register, transitions
from review.engine.sequences import next_value
from review.enums import Role

from . import rules
from .certificates import (
    CERTIFICATE_HISTORY_LABELS,
    CERTIFICATE_TRANSITIONS,
    CHANGE_HISTORY_LABELS,
    CHANGE_TRANSITIONS,
    FilingCertificates,
)
from .enums import FilingKind, FilingState
from .models import ChangeRequest, Filing, FilingVersion

S = FilingState
REFERENCE_PREFIX = {FilingKind.DOMESTIC: "WY", FilingKind.IMPORT: "JK"}

APPLICANT = (Role.APPLICANT,)
# Ministry staff may do whatever provincial officials may (the national view).
REVIEWERS = (Role.REVIEWER, Role.MINISTRY)

TRANSITIONS = transitions(
    Transition("submit", (S.DRAFT, S.RETURNED), S.SUBMITTED, APPLICANT, _("提交")),
    Transition(
        "withdraw",
        (S.SUBMITTED,),
        S.DRAFT,
        APPLICANT,
        _("撤回"),
        refused_message=_("审批中的数据不可撤回"),
    ),
    # 作废 (with a reason): an application or change with a reference is kept, never deleted.
    Transition(
        "void",
        (S.DRAFT, S.RETURNED),
        S.VOIDED,
        APPLICANT,
        _("作废"),
        comment_required=True,
        refused_message=_("该申请当前不能作废。"),
        guard=lambda obj, step: _must_have_reference(obj),
    ),
    Transition("accept", (S.SUBMITTED,), S.REVIEWING, REVIEWERS, _("受理")),
    Transition("approve", (S.REVIEWING,), S.APPROVED, REVIEWERS, _("通过")),
    Transition("reject", (S.REVIEWING,), S.REJECTED, REVIEWERS, _("不通过"), comment_required=True),
    Transition("return", (S.REVIEWING,), S.RETURNED, REVIEWERS, _("退回修改"), comment_required=True),
)

# How each step reads in the 审核记录 the applicant sees.
HISTORY_LABELS = {
    "submit": _("已提交"),
    "withdraw": _("已撤回"),
    "accept": _("已受理"),
    "approve": _("审核通过"),
    "reject": _("审核未通过"),
    "return": _("退回修改"),
    "void": _("已作废"),
}


def kind_of(obj) -> str:
    """domestic | import, for a Filing or a ChangeRequest."""
    return obj.kind if isinstance(obj, Filing) else obj.filing.kind


def _must_have_reference(obj) -> None:
    """作废 is for what has a reference; a draft never submitted is simply 删除."""
    if not obj.reference:
        raise Refused(gettext("未提交过的草稿没有受理编号，请直接删除。"))


# --- who may act ---------------------------------------------------------------


def can_act(user, obj, transition: Transition) -> bool:
    if Role.APPLICANT in transition.roles:
        return rules.is_member(user, obj)
    return rules.reviewer_may_see(user, kind_of(obj), obj.province)


def filing_queryset(kind: str):
    def queryset(user) -> QuerySet:
        scope = rules.reviewer_scope(user)
        qs = Filing.objects.filter(kind=kind).exclude(state=S.DRAFT)
        return qs.none() if scope is None else qs.filter(scope)

    return queryset


def change_queryset(user) -> QuerySet:
    scope = rules.reviewer_scope(user, kind_field="filing__kind")
    qs = ChangeRequest.objects.exclude(state=S.DRAFT)
    return qs.none() if scope is None else qs.filter(scope)


# --- what else changes with a step ---------------------------------------------


def assign_reference(filing: Filing) -> list[str]:
    """WY-湘-2026-000123 / JK-湘-2026-000045: prefix, province, year, sequence per province and year."""
    province = filing.organisation.province
    region = regions.get(province)
    if region is None:
        raise ReviewError(gettext("本单位尚未确定所属省份，请联系所在地文化和旅游行政部门。"))
    year = timezone.localdate().year
    prefix = REFERENCE_PREFIX[filing.kind]
    seq = next_value(f"ref:{prefix}:{year}:{province}")
    filing.province = province
    filing.ref_year = year
    filing.ref_seq = seq
    filing.reference = f"{prefix}-{region.abbr}-{year}-{seq:06d}"
    return ["province", "ref_year", "ref_seq", "reference"]


def assign_change_reference(change: ChangeRequest) -> list[str]:
    """WY-湘-2026-000001-BG01: the programme's reference and the change's number for that programme."""
    filing = Filing.objects.select_for_update().get(pk=change.filing_id)  # numbers per programme, one at a time
    last = ChangeRequest.objects.filter(filing_id=filing.pk).aggregate(m=Max("ref_seq"))["m"] or 0
    change.ref_seq = last + 1
    change.reference = f"{filing.reference}-BG{change.ref_seq:02d}"
    return ["ref_seq", "reference"]


def apply_filing(filing: Filing, step: Step) -> list[str]:
    transition = step.transition
    fields: list[str] = []
    now = timezone.now()
    if transition.name == "submit":
        if filing.ref_seq is None:
            fields += assign_reference(filing)
        filing.submitted_at = now
        fields.append("submitted_at")
    elif transition.name in ("approve", "reject"):
        filing.decided_at = now
        filing.decided_by_ministry = step.role == Role.MINISTRY
        fields += ["decided_at", "decided_by_ministry"]
        if transition.name == "approve":
            filing.current_version_id = filing.application_version_id
            fields.append("current_version")
    elif transition.name == "return":
        _withdraw_pledge(filing.application_version_id)
    return fields


def _withdraw_pledge(version_id: int | None) -> None:
    """A returned application is edited again, so the pledge must be given again before resubmitting."""
    if version_id is not None:
        FilingVersion.objects.filter(pk=version_id).update(pledged=False, pledged_at=None)


def apply_change(change: ChangeRequest, step: Step) -> list[str]:
    transition = step.transition
    fields: list[str] = []
    now = timezone.now()
    if transition.name == "submit":
        change.province = change.filing.province
        change.submitted_at = now
        fields += ["province", "submitted_at"]
        if change.ref_seq is None:
            fields += assign_change_reference(change)
    elif transition.name in ("approve", "reject"):
        change.decided_at = now
        fields.append("decided_at")
        if transition.name == "approve":
            filing = Filing.objects.select_for_update().get(pk=change.filing_id)
            filing.current_version_id = change.version_id
            filing.updated_at = now
            filing.save(update_fields=["current_version", "updated_at"])
    elif transition.name == "return":
        _withdraw_pledge(change.version_id)
    return fields


# --- side effects ----------------------------------------------------------------


def _link(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _payload(*, title, body, link, organisation=None, reviewers=None) -> dict:
    from review.outbox.notifications import notify_payload

    return notify_payload(
        title=title, body=body, link=link, organisation=organisation, reviewers=reviewers, sms=True, email=True
    )


def _describe(obj) -> tuple[str, str, str]:
    """(type label, programme name, reference) for messages."""
    if isinstance(obj, Filing):
        version = obj.application_version
        return str(FilingKind(obj.kind).label), (version.name if version else ""), obj.reference
    return gettext("网络演出剧(节)目变更"), obj.version.name, obj.reference


def side_effects(obj, transition: Transition, actor, comment: str):
    label, name, reference = _describe(obj)
    is_filing = isinstance(obj, Filing)
    if transition.name == "submit":
        by_ministry = rules.reviewed_by_ministry(kind_of(obj))
        admin_link = _link(
            "staff:filings_filing_change" if is_filing else "staff:filings_changerequest_change", obj.public_id
        )
        yield (
            "notify",
            _payload(
                reviewers={"authority": Authority.MCT.value, "province": "" if by_ministry else obj.province},
                title=gettext("新的%(type)s待受理") % {"type": label},
                body=gettext("%(unit)s提交了《%(name)s》（受理编号 %(ref)s），请及时受理。")
                % {"unit": obj.organisation.name, "name": name, "ref": reference},
                link=admin_link,
            ),
        )
        return
    if not transition.is_review:
        return
    outcome = {
        "accept": gettext("已受理"),
        "approve": gettext("审核通过"),
        "reject": gettext("审核未通过"),
        "return": gettext("退回修改"),
    }[transition.name]
    body = gettext("您单位的《%(name)s》（%(type)s，受理编号 %(ref)s）%(outcome)s。") % {
        "name": name,
        "type": label,
        "ref": reference,
        "outcome": outcome,
    }
    if comment:
        body += gettext("意见：%(comment)s") % {"comment": comment}
    yield (
        "notify",
        _payload(
            organisation=obj.organisation_id,
            title=gettext("%(type)s%(outcome)s") % {"type": label, "outcome": outcome},
            body=body,
            link=_link("filings:detail" if is_filing else "filings:change_detail", obj.public_id),
        ),
    )
    if transition.name == "approve" and is_filing:
        yield "certificate.issue", {"kind": obj.get_workflow_kind(), "id": obj.pk}


# --- registration -------------------------------------------------------------------

QUEUES = (
    Queue("pending", pgettext_lazy("review queue", "待受理"), (S.SUBMITTED,)),
    Queue("in_review", pgettext_lazy("review queue", "审核中"), (S.REVIEWING,)),
    # 退回修改 is still open (the applicant edits and resubmits): its own queue, never 已办结.
    Queue("returned", pgettext_lazy("review queue", "退回修改"), (S.RETURNED,)),
    Queue("done", pgettext_lazy("review queue", "已办结"), (S.APPROVED, S.REJECTED)),
)
# The programme follows its certificate (filings.certificates): those states are 已办结 too.
FILING_QUEUES = (*QUEUES[:3], Queue("done", QUEUES[3].label, (*QUEUES[3].states, S.SUSPENDED, S.REVOKED, S.EXPIRED)))
CHANGE_QUEUES = (*QUEUES[:3], Queue("done", QUEUES[3].label, (*QUEUES[3].states, S.CLOSED)))


def register_kinds() -> None:
    for kind in (FilingKind.DOMESTIC, FilingKind.IMPORT):
        register(
            Kind(
                key=f"filing.{kind.value}",
                model=Filing,
                label=kind.label,
                authority=Authority.MCT.value,
                transitions=TRANSITIONS | CERTIFICATE_TRANSITIONS,
                can_act=can_act,
                reviewer_queryset=filing_queryset(kind.value),
                queues=FILING_QUEUES,
                discriminator=Q(kind=kind.value),
                # the certificate sweep issues what was missed while the broker was down
                approved_states=(S.APPROVED,),
                history_labels={**HISTORY_LABELS, **CERTIFICATE_HISTORY_LABELS},
                apply=apply_filing,
                side_effects=side_effects,
                certificate=FilingCertificates(),
            )
        )
    register(
        Kind(
            key="filing.change",
            model=ChangeRequest,
            label=_("网络演出剧(节)目变更"),
            authority=Authority.MCT.value,
            transitions=TRANSITIONS | CHANGE_TRANSITIONS,
            can_act=can_act,
            reviewer_queryset=change_queryset,
            queues=CHANGE_QUEUES,
            history_labels={**HISTORY_LABELS, **CHANGE_HISTORY_LABELS},
            apply=apply_change,
            side_effects=side_effects,
            # an approved change alters what the programme's verify page shows
            certificate_subject=lambda change: change.filing,
        )
    )


register_kinds()
