"""The certificate provider of filings: 网演备 / 网演审 numbers, the document, the verify page's live data."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common import regions
from common.validators import mask_email, mask_name
from review.certificates import CertificateProvider, CertificateSpec, Wording

from . import countries
from .enums import FilingKind, FilingState
from .models import Filing

S = FilingState
MINISTRY_NAME = "文化和旅游部"
CERTIFICATE_PREFIX = {FilingKind.DOMESTIC: "网演备", FilingKind.IMPORT: "网演审"}


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
