"""The certificate provider of NRTA 推优: 视听推优〔2026〕第1季度第001号, issued by 国家广播电视总局
to each published work, with its verify page worded for works (作品), not programmes."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from review.certificates import CertificateProvider, CertificateSpec, Wording

from . import bureaus
from .enums import NominationState, ProjectKind
from .models import Nomination
from .services.publication import recommending_unit

ISSUER = bureaus.NRTA_NAME


class AwardCertificates(CertificateProvider):
    """推优证书 of works published in a quarter's list."""

    template_name = "review/certificates/certificate.html"
    wording = Wording(
        title_label=_("作品名称"),
        reference_label=_("申报编号"),
        details_heading=_("作品推优信息"),
        details_note=_("以上为该作品当前的推优信息，以国家广播电视总局公布的名单为准。"),
        pdf_note=_("本证书以核验页面显示的状态为准；扫描二维码可查看该作品的最新推优信息。"),
    )

    def spec(self, nomination: Nomination) -> CertificateSpec:
        year, quarter = nomination.year, nomination.quarter
        kind = str(ProjectKind(nomination.kind).label)
        values = {
            "unit": nomination.organisation.name,
            "title": nomination.name,
            "bureau": nomination.bureau_name,
            "year": year,
            "quarter": quarter,
            "kind": kind,
        }
        if nomination.to_nrta:  # a 中央直属单位 reports its works to 国家广播电视总局 directly
            statement = gettext(
                "%(unit)s直接报送的《%(title)s》经专家评议，入选%(year)s年第%(quarter)s季度"
                "网络视听节目推优名单（%(kind)s），特发此证。"
            )
        else:
            statement = gettext(
                "%(unit)s申报的《%(title)s》经%(bureau)s推荐、专家评议，入选%(year)s年第%(quarter)s季度"
                "网络视听节目推优名单（%(kind)s），特发此证。"
            )
        return CertificateSpec(
            organisation=nomination.organisation,
            province=nomination.province,
            title=nomination.name,
            reference=nomination.reference,
            issuing_department=ISSUER,
            # One counter per quarter, nationwide: 视听推优〔2026〕第1季度第001号.
            sequence_key=f"cert:视听推优:{year}:Q{quarter}",
            format_number=lambda n: f"视听推优〔{year}〕第{quarter}季度第{n:03d}号",
            kind_label=gettext("网络视听节目季度推优"),
            heading=gettext("网络视听节目季度推优证书"),
            statement=statement % values,
            details=[
                (gettext("作品类型"), nomination.get_work_type_display()),
                (gettext("播出平台"), nomination.platform.name if nomination.platform_id else ""),
                (gettext("出品机构"), nomination.producer),
                (gettext("制作机构"), nomination.maker),
                (gettext("推荐单位"), recommending_unit(nomination)),
                (gettext("推优季度"), gettext("%(year)s年第%(quarter)s季度") % {"year": year, "quarter": quarter}),
            ],
        )

    def public_details(self, nomination: Nomination) -> list[tuple[str, str]]:
        status = {
            NominationState.PUBLISHED: gettext("已公布入选"),
            NominationState.WITHDRAWN: gettext("已撤销入选资格"),
        }.get(nomination.state, nomination.get_state_display())
        rows = [
            (gettext("推优状态"), status),
            (gettext("作品名称"), nomination.name),
            (gettext("作品类型"), nomination.get_work_type_display()),
            (gettext("申报单位"), nomination.organisation.name),
            (gettext("播出平台"), nomination.platform.name if nomination.platform_id else ""),
            (gettext("首播日期"), nomination.first_broadcast),
            (gettext("出品机构"), nomination.producer),
            (gettext("制作机构"), nomination.maker),
            (gettext("推荐单位"), recommending_unit(nomination)),
            (
                gettext("推优季度"),
                gettext("%(year)s年第%(quarter)s季度") % {"year": nomination.year, "quarter": nomination.quarter},
            ),
        ]
        if nomination.decided_at:
            rows.append((gettext("入选时间"), timezone.localtime(nomination.decided_at).strftime("%Y-%m-%d")))
        return rows

    def verify_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("organisation", "platform")

    def on_status_changed(self, certificate, status: str, *, actor, note: str) -> None:
        """注销 of a 推优证书 withdraws the work's result (撤销), so the published list and the
        certificate agree; ``withdraw_result`` itself revokes the certificate the other way round."""
        from review.enums import CertificateStatus

        from .services.publication import withdraw_result

        if status != CertificateStatus.REVOKED:
            return
        nomination = Nomination.objects.filter(pk=certificate.object_id).first()
        if nomination is not None and nomination.state == NominationState.PUBLISHED:
            withdraw_result(nomination, reason=note, actor=actor)
