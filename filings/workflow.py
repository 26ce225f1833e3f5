"""The review workflow of filings, import reviews and their change requests.

Declared once here (loaded from ``FilingsConfig.ready``) and carried out by
``review.services.perform``:

    草稿 → 待受理 → 审核中 → 已通过 | 未通过 | 退回修改;  待受理 → 草稿 (撤回);  退回修改 → 待受理
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.enums import Authority
from portal import regions
from portal.validators import mask_email, mask_name
from review.certificates import CertificateSpec
from review.enums import Role
from review.sequences import next_value
from review.services import TransitionError, role_of
from review.workflow import Kind, Transition, register, transitions

from . import countries, rules
from .enums import FilingKind, FilingState
from .models import ChangeRequest, Filing, FilingVersion

S = FilingState
MINISTRY_NAME = "文化和旅游部"
REFERENCE_PREFIX = {FilingKind.DOMESTIC: "WY", FilingKind.IMPORT: "JK"}
CERTIFICATE_PREFIX = {FilingKind.DOMESTIC: "网演备", FilingKind.IMPORT: "网演审"}

TRANSITIONS = transitions(
    Transition("submit", (S.DRAFT, S.RETURNED), S.SUBMITTED, Role.APPLICANT, _("提交")),
    Transition(
        "withdraw",
        (S.SUBMITTED,),
        S.DRAFT,
        Role.APPLICANT,
        _("撤回"),
        refused_message=_("审批中的数据不可撤回"),
    ),
    Transition("accept", (S.SUBMITTED,), S.REVIEWING, Role.REVIEWER, _("受理")),
    Transition("approve", (S.REVIEWING,), S.APPROVED, Role.REVIEWER, _("通过")),
    Transition("reject", (S.REVIEWING,), S.REJECTED, Role.REVIEWER, _("不通过"), comment_required=True),
    Transition("return", (S.REVIEWING,), S.RETURNED, Role.REVIEWER, _("退回修改"), comment_required=True),
)

# How each step reads in the 审核记录 the applicant sees.
HISTORY_LABELS = {
    "submit": _("已提交"),
    "withdraw": _("已撤回"),
    "accept": _("已受理"),
    "approve": _("审核通过"),
    "reject": _("审核未通过"),
    "return": _("退回修改"),
}


def kind_of(obj) -> str:
    """domestic | import, for a Filing or a ChangeRequest."""
    return obj.kind if isinstance(obj, Filing) else obj.filing.kind


# --- who may act ---------------------------------------------------------------


def can_act(user, obj, transition: Transition) -> bool:
    if transition.role == Role.APPLICANT:
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
        raise TransitionError(gettext("本单位尚未确定所属省份，请联系所在地文化和旅游行政部门。"))
    year = timezone.localdate().year
    prefix = REFERENCE_PREFIX[filing.kind]
    seq = next_value(f"ref:{prefix}:{year}:{province}")
    filing.province = province
    filing.ref_year = year
    filing.ref_seq = seq
    filing.reference = f"{prefix}-{region.abbr}-{year}-{seq:06d}"
    return ["province", "ref_year", "ref_seq", "reference"]


def apply_filing(filing: Filing, transition: Transition, actor, comment: str) -> list[str]:
    fields: list[str] = []
    now = timezone.now()
    if transition.name == "submit":
        if filing.ref_seq is None:
            fields += assign_reference(filing)
        filing.submitted_at = now
        fields.append("submitted_at")
    elif transition.name in ("approve", "reject"):
        filing.decided_at = now
        filing.decided_by_ministry = role_of(actor) == Role.MINISTRY
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


def apply_change(change: ChangeRequest, transition: Transition, actor, comment: str) -> list[str]:
    fields: list[str] = []
    now = timezone.now()
    if transition.name == "submit":
        change.province = change.filing.province
        change.submitted_at = now
        fields += ["province", "submitted_at"]
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
    from review.notifications import notify_payload

    return notify_payload(
        title=title, body=body, link=link, organisation=organisation, reviewers=reviewers, sms=True, email=True
    )


def _describe(obj) -> tuple[str, str, str]:
    """(type label, programme name, reference) for messages."""
    if isinstance(obj, Filing):
        version = obj.application_version
        return str(FilingKind(obj.kind).label), (version.name if version else ""), obj.reference
    return gettext("网络演出剧(节)目变更"), obj.version.name, obj.filing.reference


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
    if transition.role != Role.REVIEWER:
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


# --- certificate and public page --------------------------------------------------


def certificate(filing: Filing) -> CertificateSpec:
    region = regions.get(filing.province)
    abbr = region.abbr if region else ""
    decided = timezone.localdate(filing.decided_at) if filing.decided_at else timezone.localdate()
    year = decided.year
    prefix = CERTIFICATE_PREFIX[filing.kind]
    department = MINISTRY_NAME if filing.decided_by_ministry or region is None else region.culture_dept
    version = filing.current_version
    sessions = list(version.sessions.all())
    first = min((s.starts_at for s in sessions), default=None)
    details = [
        (gettext("单位名称"), filing.organisation.name),
        (gettext("统一社会信用代码"), filing.organisation.credit_code or ""),
        (gettext("网络演出剧(节)目名称"), version.name),
        (gettext("受理编号"), filing.reference),
        (gettext("播出平台"), version.platform),
        (gettext("场次数"), str(len(sessions))),
    ]
    if first:
        details.append((gettext("首场演出时间"), timezone.localtime(first).strftime("%Y-%m-%d %H:%M")))

    def format_number(n: int) -> str:
        return f"{prefix}〔{year}〕{abbr}字第{n:06d}号"

    return CertificateSpec(
        organisation=filing.organisation,
        province=filing.province,
        title=version.name,
        reference=filing.reference,
        issuing_department=department,
        sequence_key=f"cert:{prefix}:{year}:{filing.province}",
        format_number=format_number,
        kind_label=str(FilingKind(filing.kind).label),
        details=details,
    )


def public_details(filing: Filing) -> list[tuple[str, str]]:
    """The live, current approved data for the public verify page (personal data masked)."""
    version = filing.current_version
    if version is None:
        return [(gettext("状态"), filing.state_label)]
    status = filing.state_label
    if filing.state == S.APPROVED:
        pending = filing.changes.filter(state__in=[S.SUBMITTED, S.REVIEWING]).exists()
        if pending:
            status = gettext("%(status)s（变更审核中）") % {"status": status}
    sessions = list(version.sessions.all())
    performers = list(version.performers.all())
    partners = list(version.partners.all())
    platforms = [version.platform] + [p.platform for p in partners if p.platform]
    rows = [
        (gettext("状态"), status),
        (gettext("类型"), str(FilingKind(filing.kind).label)),
        (gettext("单位名称"), filing.organisation.name),
        (gettext("统一社会信用代码"), filing.organisation.credit_code or ""),
        (gettext("受理编号"), filing.reference),
        (gettext("网络演出剧(节)目名称"), version.name),
        (gettext("播出平台"), "；".join(dict.fromkeys(p for p in platforms if p))),
        (gettext("内容安全负责人"), mask_name(version.safety_officer)),
        (gettext("演出联系人(申报单位)"), mask_name(version.contact)),
        (gettext("电子邮件"), mask_email(version.email)),
        (
            gettext("演员/团体"),
            "；".join(f"{p.name}（{countries.name(p.country)}）" for p in performers),
        ),
        (
            gettext("场次信息"),
            "；".join(
                f"{s.name} {s.get_type_display()} {timezone.localtime(s.starts_at):%Y-%m-%d %H:%M} {s.url}"
                for s in sessions
            ),
        ),
    ]
    if version.replay:
        if version.replay_type == "period" and version.replay_from and version.replay_to:
            period = f"{version.replay_from:%Y-%m-%d} — {version.replay_to:%Y-%m-%d}"
        else:
            period = gettext("长期")
        rows.append((gettext("回看期限"), period))
    if partners:
        rows.append((gettext("联合播出企业"), "；".join(p.company for p in partners)))
    if filing.decided_at:
        rows.append((gettext("审核通过时间"), timezone.localtime(filing.decided_at).strftime("%Y-%m-%d")))
    return rows


# --- registration -------------------------------------------------------------------


def verify_queryset(queryset):
    """What public_details reads, fetched up front for the verification page's snapshot."""
    return queryset.select_related("organisation", "current_version").prefetch_related(
        "current_version__sessions", "current_version__performers", "current_version__partners"
    )


EXTRA = {
    "history_labels": HISTORY_LABELS,
    "queues": {
        "pending": [S.SUBMITTED],
        "in_review": [S.REVIEWING],
        "done": [S.APPROVED, S.REJECTED, S.RETURNED],
    },
}


def register_kinds() -> None:
    for kind in (FilingKind.DOMESTIC, FilingKind.IMPORT):
        register(
            Kind(
                key=f"filing.{kind.value}",
                model=Filing,
                label=kind.label,
                authority=Authority.MCT.value,
                transitions=TRANSITIONS,
                can_act=can_act,
                reviewer_queryset=filing_queryset(kind.value),
                apply=apply_filing,
                side_effects=side_effects,
                certificate=certificate,
                public_details=public_details,
                extra={
                    **EXTRA,
                    "filter": {"kind": kind.value},
                    "verify_queryset": verify_queryset,
                    # the certificate sweep issues what was missed while the broker was down
                    "approved_states": [S.APPROVED],
                },
            )
        )
    register(
        Kind(
            key="filing.change",
            model=ChangeRequest,
            label=_("网络演出剧(节)目变更"),
            authority=Authority.MCT.value,
            transitions=TRANSITIONS,
            can_act=can_act,
            reviewer_queryset=change_queryset,
            apply=apply_change,
            side_effects=side_effects,
            extra={**EXTRA, "certificate_subject": lambda change: change.filing},
        )
    )


register_kinds()
