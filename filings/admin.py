"""Filings on the reviewers' admin site (/staff/): the queues of applications and of change requests.

Both are ``review.admin.ReviewableAdmin`` subclasses: scoped querysets (the
kinds' reviewer querysets), read-only detail pages, review actions through
``review.engine.perform``, exports. This module adds the columns, search,
export fields and the read-only fragments (materials with their protected
download links; the side-by-side diff of a change request).
"""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common import regions
from review.staff import ReviewableAdmin, reviewer_site

from . import diff, selectors
from .enums import ChangePart, FilingKind, MaterialItem
from .models import ChangeRequest, Filing
from .services.validation import basic_labels


def _material_files(version) -> list[tuple[str, str]]:
    return [
        (f"{MaterialItem(m.item).label}：{m.original_name}", reverse("filings:download", args=[m.token]))
        for m in version.materials.all()
    ]


def _version_context(version, kind: str) -> dict:
    by_item: dict[str, list] = {}
    for m in version.materials.all():
        by_item.setdefault(m.item, []).append(m)
    return {
        "version": version,
        "labels": basic_labels(kind),
        "material_items": [(label, by_item.get(item, [])) for item, label in MaterialItem.choices],
    }


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


@admin.register(Filing, site=reviewer_site)
class FilingAdmin(ReviewableAdmin):
    workflow_kinds = ("filing.domestic", "filing.import")
    list_display = (
        "reference",
        "programme_name",
        "unit_name",
        "review_kind",
        "review_state",
        "province_name",
        "submitted_at",
    )
    list_display_links = ("reference", "programme_name")
    list_select_related = ("organisation", "application_version")
    search_fields = (
        "reference",
        "application_version__name",
        "current_version__name",
        "organisation__name",
        "organisation__credit_code",
    )
    review_detail_template = "filings/admin/filing_detail.html"
    export_fields = (
        (_("受理编号"), "reference"),
        (_("类型"), "get_kind_display"),
        (_("网络演出剧(节)目名称"), "application_version__name"),
        (_("申报单位"), "organisation__name"),
        (_("统一社会信用代码"), "organisation__credit_code"),
        (_("所属省份"), lambda obj: regions.name(obj.province)),
        (_("状态"), lambda obj: obj.state_label),
        (_("播出平台"), "application_version__platform"),
        (_("提交时间"), lambda obj: _local(obj.submitted_at)),
        (_("审核完成时间"), lambda obj: _local(obj.decided_at)),
    )

    @admin.display(description=_("网络演出剧(节)目名称"), ordering="application_version__name")
    def programme_name(self, obj):
        return obj.application_version.name if obj.application_version else ""

    @admin.display(description=_("申报单位"), ordering="organisation__name")
    def unit_name(self, obj):
        return obj.organisation.name

    @admin.display(description=_("所属省份"), ordering="province")
    def province_name(self, obj):
        return regions.name(obj.province)

    def get_review_context(self, request, obj):
        version = selectors.version_detail(obj.application_version_id)
        return {**_version_context(version, obj.kind), "filing": obj, "kind_label": FilingKind(obj.kind).label}

    def get_review_files(self, request, obj):
        return _material_files(selectors.version_detail(obj.application_version_id))


@admin.register(ChangeRequest, site=reviewer_site)
class ChangeRequestAdmin(ReviewableAdmin):
    workflow_kinds = ("filing.change",)
    list_display = (
        "filing_reference",
        "programme_name",
        "unit_name",
        "parts_display",
        "review_state",
        "province_name",
        "submitted_at",
    )
    list_display_links = ("filing_reference", "programme_name")
    list_select_related = ("organisation", "filing", "version")
    search_fields = (
        "filing__reference",
        "version__name",
        "base_version__name",
        "organisation__name",
        "organisation__credit_code",
    )
    review_detail_template = "filings/admin/change_detail.html"
    export_fields = (
        (_("受理编号"), "filing__reference"),
        (_("网络演出剧(节)目名称"), "version__name"),
        (_("申报单位"), "organisation__name"),
        (_("统一社会信用代码"), "organisation__credit_code"),
        (_("所属省份"), lambda obj: regions.name(obj.province)),
        (_("变更项"), lambda obj: "、".join(str(ChangePart(p).label) for p in obj.parts if p in ChangePart.values)),
        (_("状态"), lambda obj: obj.state_label),
        (_("提交时间"), lambda obj: _local(obj.submitted_at)),
        (_("审核完成时间"), lambda obj: _local(obj.decided_at)),
    )

    @admin.display(description=_("受理编号"), ordering="filing__reference")
    def filing_reference(self, obj):
        return obj.filing.reference

    @admin.display(description=_("网络演出剧(节)目名称"), ordering="version__name")
    def programme_name(self, obj):
        return obj.version.name

    @admin.display(description=_("申报单位"), ordering="organisation__name")
    def unit_name(self, obj):
        return obj.organisation.name

    @admin.display(description=_("变更项"))
    def parts_display(self, obj):
        return "、".join(str(ChangePart(p).label) for p in obj.parts if p in ChangePart.values)

    @admin.display(description=_("所属省份"), ordering="province")
    def province_name(self, obj):
        return regions.name(obj.province)

    def get_audit_target(self, obj) -> str:
        return f"{obj.filing.reference} 变更 {obj.public_id}"

    def get_review_context(self, request, obj):
        kind = obj.filing.kind
        version = selectors.version_detail(obj.version_id)
        return {
            **_version_context(version, kind),
            "filing": obj.filing,
            "change": obj,
            "kind_label": FilingKind(kind).label,
            "parts_labels": [ChangePart(p).label for p in obj.parts if p in ChangePart.values],
            "sections_diff": diff.diff_versions(obj.base_version, obj.version, kind=kind),
        }

    def get_review_files(self, request, obj):
        return _material_files(selectors.version_detail(obj.version_id))
