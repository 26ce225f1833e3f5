"""The certificate provider of filings: 网演备 / 网演审 numbers, the document, the verify page's live data."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common import regions
from common.validators import mask_email, mask_name
from review.certificates import CertificateProvider, CertificateSpec, Wording
from review.engine import SYSTEM, Transition, perform, transitions
from review.enums import CertificateStatus, Role

from . import countries
from .enums import OPEN_STATES, FilingKind, FilingState
from .models import ChangeRequest, Filing

S = FilingState
MINISTRY_NAME = "文化和旅游部"
CERTIFICATE_PREFIX = {FilingKind.DOMESTIC: "网演备", FilingKind.IMPORT: "网演审"}


# The programme follows its certificate's status (system steps: done by the certificate's
# status change, which records who, when and why; never offered as a button).
_SYS = (Role.SYSTEM,)
CERTIFICATE_TRANSITIONS = transitions(
    Transition("certificate_suspend", (S.APPROVED,), S.SUSPENDED, _SYS, _("证照暂扣")),
    Transition("certificate_restore", (S.SUSPENDED,), S.APPROVED, _SYS, _("证照恢复有效")),
    Transition("certificate_revoke", (S.APPROVED, S.SUSPENDED), S.REVOKED, _SYS, _("证照注销")),
    Transition("certificate_expire", (S.APPROVED, S.SUSPENDED), S.EXPIRED, _SYS, _("证照失效")),
)
CHANGE_TRANSITIONS = transitions(
    Transition(
        "certificate_close", tuple(x for x in OPEN_STATES if x != S.DRAFT), S.CLOSED, _SYS, _("关闭（证照状态变更）")
    ),
)
CERTIFICATE_HISTORY_LABELS = {
    "certificate_suspend": _("证照暂扣"),
    "certificate_restore": _("证照恢复有效"),
    "certificate_revoke": _("证照注销"),
    "certificate_expire": _("证照失效"),
}
CHANGE_HISTORY_LABELS = {"certificate_close": _("变更已关闭（证照状态变更）")}
_FOLLOW = {
    CertificateStatus.SUSPENDED: "certificate_suspend",
    CertificateStatus.VALID: "certificate_restore",
    CertificateStatus.REVOKED: "certificate_revoke",
    CertificateStatus.EXPIRED: "certificate_expire",
}


def follow_certificate(filing_id: int, status: str, note: str) -> None:
    """The programme takes the certificate's status; an open change request is closed (with a
    record) when the programme leaves 已备案 — it could no longer be approved."""
    filing = Filing.objects.filter(pk=filing_id).first()
    name = _FOLLOW.get(status)
    if filing is None or name is None or filing.state not in CERTIFICATE_TRANSITIONS[name].sources:
        return
    comment = gettext("证照%(status)s：%(note)s") % {"status": CertificateStatus(status).label, "note": note}
    if status != CertificateStatus.VALID:
        for change in ChangeRequest.objects.filter(filing_id=filing.pk, state__in=list(OPEN_STATES)):
            if change.state == S.DRAFT:  # never submitted: discarded (recorded in the audit log)
                _discard_draft_change(change, comment)
            else:
                perform(change, "certificate_close", actor=SYSTEM, comment=comment)
    perform(filing, name, actor=SYSTEM, comment=comment)


def _discard_draft_change(change: ChangeRequest, comment: str) -> None:
    from accounts import audit

    from .services.versions import delete_material_rows

    version = change.version
    delete_material_rows(version.materials.all())
    audit.record(
        "filings.change_discarded",
        actor=None,
        target=change.public_id,
        reference=change.filing.reference,
        reason=comment[:500],
    )
    change.delete()
    version.delete()


class FilingCertificates(CertificateProvider):
    """Certificates of approved domestic filings and import reviews."""

    wording = Wording(
        title_label=_("节目名称"),
        details_heading=_("节目当前备案信息"),
        details_note=_("以上为该节目当前有效的备案信息，经批准的变更即时更新；个人信息已做脱敏处理。"),
        pdf_note=_("本证明以核验页面显示的状态为准；节目信息如有变更，以核验页面显示的最新备案信息为准。"),
    )

    def spec(self, filing: Filing) -> CertificateSpec:
        return certificate(filing)

    def public_details(self, filing: Filing) -> list[tuple[str, str]]:
        return public_details(filing)

    def on_status_changed(self, certificate, status: str, *, actor, note: str) -> None:
        follow_certificate(certificate.object_id, status, note)

    def verify_queryset(self, queryset: QuerySet) -> QuerySet:
        """What public_details reads, fetched up front for the verification page's snapshot."""
        return queryset.select_related("organisation", "current_version").prefetch_related(
            "current_version__sessions", "current_version__performers", "current_version__partners"
        )


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
    # No 状态 row: the verify page shows the certificate's own status, never a workflow state
    # of the programme (已备案, 变更审核中 …).
    version = filing.current_version
    if version is None:
        return []
    sessions = list(version.sessions.all())
    performers = list(version.performers.all())
    partners = list(version.partners.all())
    platforms = [version.platform] + [p.platform for p in partners if p.platform]
    rows = [
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
