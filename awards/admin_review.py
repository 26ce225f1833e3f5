"""The provincial initial review (初审) of nominations on the reviewers' site (/staff/).

:class:`NominationAdmin` is a ``review.staff.ReviewableAdmin``: its rows are
the kinds' reviewer querysets (an NRTA provincial official: nominations to
their own bureau in their province; NRTA ministry staff: all of them, the
central units' ones to 国家广播电视总局 included; anyone else: nothing), its
detail page is read-only with the engine's buttons (推荐 / 不推荐 / 退回修改,
the last two with a structured reason), and a refusal of a guard (the quota,
the provincial deadline) is shown as the guard words it.

On top of the base it adds the 登记表 columns and detail, the 版权承诺书
download (scoped like the rows), the live quota counter and the deadline
countdown (queue, detail and /staff/ index), and the quota pages of
:mod:`awards.admin_quota`. Every staff decision is written to the audit log.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin import SimpleListFilter
from django.dispatch import receiver
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import audit
from accounts.enums import Authority
from common import regions
from common.files import private_file_response
from review.engine import SYSTEM, transition_committed
from review.engine import rules as engine_rules
from review.staff import ReviewableAdmin, reviewer_site
from review.staff.rows import Cell

from . import bureaus, selectors
from .admin_quota import QuotaViewsMixin
from .enums import NominationState, ReasonCategory, WorkType
from .models import Nomination

# States whose last decision carries a reason the applicant reads.
REASON_STATES = (NominationState.RETURNED, NominationState.NOT_RECOMMENDED, NominationState.CLOSED)


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _minutes(value) -> str:
    """45.0 → "45", 45.5 → "45.5"."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class QuarterFilter(SimpleListFilter):
    """季度 of the nomination (the quarters that have projects; one query)."""

    title = _("季度")
    parameter_name = "quarter"

    def lookups(self, request, model_admin):
        return [(q.key, q.label) for q in selectors.quarter_choices()]

    def queryset(self, request, queryset):
        quarter = selectors.parse_quarter(self.value())
        if quarter is None:
            return queryset
        return queryset.filter(year=quarter.year, quarter=quarter.quarter)


@admin.register(Nomination, site=reviewer_site)
class NominationAdmin(QuotaViewsMixin, ReviewableAdmin):
    workflow_kinds = ("awards.institution", "awards.individual")
    list_display = (
        "reference",
        "work_name",
        "work_type_label",
        "unit_name",
        "bureau_label",
        "platform_name",
        "first_broadcast",
        "review_state",
        "submitted_at",
        "similar_mark",
    )
    list_display_links = ("reference", "work_name")
    list_select_related = ("organisation", "platform")
    list_filter = (QuarterFilter, "work_type")
    search_fields = ("name", "organisation__name", "organisation__credit_code", "reference")
    search_help_text = _("可按作品名称、申报单位、统一社会信用代码、申报编号搜索。")
    change_list_template = "admin/awards/nomination/change_list.html"
    review_change_template = "admin/awards/nomination/review_detail.html"
    review_detail_template = "admin/awards/nomination/_detail.html"
    export_fields = (
        (_("申报编号"), "reference"),
        (_("作品名称"), "name"),
        (_("作品类型"), "get_work_type_display"),
        (_("项目类型"), "get_kind_display"),
        (_("申报单位"), "organisation__name"),
        (_("统一社会信用代码"), "organisation__credit_code"),
        (_("申报台局"), lambda obj: obj.bureau_name),
        (_("所属省份"), lambda obj: regions.name(obj.province)),
        (_("集数"), "episodes"),
        (_("单集时长(分钟)"), lambda obj: _minutes(obj.episode_minutes)),
        (_("总时长(分钟)"), lambda obj: _minutes(obj.total_minutes)),
        (_("首播日期"), "first_broadcast"),
        (_("播出完毕日期"), "broadcast_end"),
        (_("播出平台"), "platform__name"),
        (_("版权所属机构(个人)"), "copyright_owner"),
        (_("出品机构"), "producer"),
        (_("制作机构"), "maker"),
        (_("状态"), "get_state_display"),
        (_("申报时间"), lambda obj: _local(obj.submitted_at)),
        (_("审核时间"), lambda obj: _local(obj.decided_at)),
        (_("原因类别"), "get_reason_category_display"),
        (_("相似作品提示"), "similar_flag"),
    )

    # --- columns ----------------------------------------------------------------------
    def get_list_cells(self, request):
        work_types = {value: str(label) for value, label in WorkType.choices}
        return {
            "reference": Cell("reference"),
            "work_name": Cell("name"),
            "work_type_label": Cell("work_type", lambda value: work_types.get(value, value)),
            "unit_name": Cell("organisation__name"),
            "bureau_label": Cell("bureau", bureaus.name),
            "platform_name": Cell("platform__name", lambda name: name or ""),
            "first_broadcast": Cell("first_broadcast"),
            "review_state": self.state_cell(),
            "submitted_at": Cell("submitted_at"),
            "similar_mark": Cell("similar_flag", self._similar_mark),
        }

    def get_list_row_label(self, request):
        return Cell(
            ("reference", "name"), lambda ref, name: f"{ref or gettext('草稿')} {name or gettext('（未命名）')}"
        )

    @admin.display(description=_("作品名称"), ordering="name")
    def work_name(self, obj):
        return obj.name

    @admin.display(description=_("作品类型"), ordering="work_type")
    def work_type_label(self, obj):
        return obj.get_work_type_display()

    @admin.display(description=_("申报单位"), ordering="organisation__name")
    def unit_name(self, obj):
        return obj.organisation.name

    @admin.display(description=_("申报台局"), ordering="bureau")
    def bureau_label(self, obj):
        return obj.bureau_name

    @admin.display(description=_("播出平台"), ordering="platform__name")
    def platform_name(self, obj):
        return obj.platform.name if obj.platform_id else ""

    @admin.display(description=_("相似作品提示"))
    def similar_mark(self, obj):
        return self._similar_mark(obj.similar_flag)

    @staticmethod
    def _similar_mark(flag: str):
        if not flag:
            return "—"
        return format_html(
            '<span class="award-similar" title="{}" data-testid="similar-flag">{}</span>', flag, gettext("有相似作品")
        )

    # --- the queue: quota counter and countdown -------------------------------------------
    def changelist_view(self, request, extra_context=None):
        extra = {
            "quota": selectors.quota_status(request.user),
            "is_nrta_ministry": engine_rules.is_ministry(request.user, Authority.NRTA),
            "quota_url": reverse("staff:awards_nomination_quota"),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra)

    def queue_summary(self, request):
        """The /staff/ index card, with 已推荐 7/10 and the countdown (officials) or the quota pages (ministry)."""
        summary = super().queue_summary(request)
        notes = []
        status = selectors.quota_status(request.user)
        if status is not None:
            notes.append(
                {"text": f"{status.quarter.label} {status.counter_label}", "testid": "quota-counter", "url": ""}
            )
            notes.append({"text": status.deadline_label, "testid": "deadline-countdown", "url": ""})
        elif engine_rules.is_ministry(request.user, Authority.NRTA):
            notes.append(
                {
                    "text": gettext("各省推荐名额使用情况"),
                    "testid": "quota-table-link",
                    "url": reverse("staff:awards_nomination_quota"),
                }
            )
            notes.append(
                {
                    "text": gettext("调整推荐名额"),
                    "testid": "quota-raise-link",
                    "url": reverse("staff:awards_nomination_quota_raise"),
                }
            )
        summary["notes"] = notes
        return summary

    # --- URLs: the pledge download and the quota pages ---------------------------------------
    def get_urls(self):
        own = [
            path(
                "<str:public_id>/pledge/",
                self.admin_site.admin_view(self.pledge_view),
                name="awards_nomination_pledge",
            ),
        ]
        return self.quota_urls() + own + super().get_urls()

    def pledge_view(self, request, public_id: str):
        """The 版权承诺书 of a nomination the reviewer may see (404 otherwise), audited."""
        obj = self.get_object(request, public_id)
        if obj is None or not obj.pledge:
            raise Http404(gettext("未找到该申请，或您无权查看。"))
        audit.record(
            "awards.pledge_downloaded", request=request, target=obj.reference or obj.public_id, public_id=obj.public_id
        )
        return private_file_response(
            obj.pledge.name,
            filename=obj.pledge_name or "版权承诺书.pdf",
            content_type="application/pdf",
            storage=obj.pledge.storage,
        )

    # --- the detail page --------------------------------------------------------------------
    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation", "platform", "project")

    def get_audit_target(self, obj) -> str:
        return obj.reference or obj.public_id

    def get_review_context(self, request, obj):
        quarter = selectors.Quarter(obj.year, obj.quarter)
        reason = ""
        if obj.state in REASON_STATES and (obj.reason_category or obj.reason_comment):
            reason = ReasonCategory(obj.reason_category).label if obj.reason_category in ReasonCategory.values else ""
        return {
            "nomination": obj,
            "bureau_name": obj.bureau_name,
            "province_name": regions.name(obj.province),
            "episode_minutes": _minutes(obj.episode_minutes),
            "total_minutes": _minutes(obj.total_minutes),
            "pledge_url": reverse("staff:awards_nomination_pledge", args=[obj.public_id]) if obj.pledge else "",
            "show_reason": obj.state in REASON_STATES and bool(obj.reason_category or obj.reason_comment),
            "reason_label": reason,
            "quota": selectors.quota_status(request.user, quarter),
            "deadline_label": selectors.deadline_text(obj.project.provincial_deadline),
            "to_nrta": obj.to_nrta,
        }


# --- every decision in the audit log ------------------------------------------------------------


@receiver(transition_committed, sender=Nomination, dispatch_uid="awards.audit_decision")
def audit_decision(sender, obj, kind, transition, actor, **kwargs) -> None:
    """A reviewer's or NRTA staff's step on a nomination (推荐, 不推荐, 退回修改, 入选 …), once committed."""
    if actor is SYSTEM or not transition.is_review:
        return
    audit.record(
        "awards.decision",
        actor=actor,
        target=obj.reference or obj.public_id,
        public_id=obj.public_id,
        transition=transition.name,
        state=obj.state,
        reason=obj.reason_category if transition.reasons else "",
    )
