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
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common import regions
from review.staff import ReviewableAdmin, reviewer_site
from review.staff.rows import Cell

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


def _version_once(obj, version_id: int):
    """``selectors.version_detail`` once per page: the review context and the files both show it."""
    known = obj.__dict__.setdefault("_version_detail", {})
    if version_id not in known:
        known[version_id] = selectors.version_detail(version_id)
    return known[version_id]


def _version_label(reference, current_id, current_name, application_name) -> str:
    """``str(filing)`` from plain values: the current (else the application's) version's name."""
    name = current_name if current_id is not None else application_name
    return f"{reference or gettext('草稿')} {name or gettext('（未命名）')}"


def _change_label(reference, filing_reference, number) -> str:
    """``str(change)`` from plain values."""
    return gettext("%(ref)s 变更（第%(n)s版）") % {"ref": reference or filing_reference, "n": number}


def _parts(parts) -> str:
    return "、".join(str(ChangePart(p).label) for p in parts or () if p in ChangePart.values)


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


@admin.register(Filing, site=reviewer_site)
class FilingAdmin(ReviewableAdmin):
    workflow_kinds = ("filing.domestic", "filing.import")
    unconfirmed_transitions = ("accept",)  # 受理 decides nothing; 通过 / 不通过 / 退回修改 are confirmed first
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
    # current_version too: each row's __str__ (the action checkbox's label) reads it
    list_select_related = ("organisation", "application_version", "current_version")
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

    def get_list_cells(self, request):
        return {
            "reference": Cell("reference"),
            "programme_name": Cell("application_version__name", lambda name: name or ""),
            "unit_name": Cell("organisation__name"),
            "review_kind": self.kind_cell("kind", lambda kind: f"filing.{kind}"),
            "review_state": self.state_cell(),
            "province_name": Cell("province", regions.name),
            "submitted_at": Cell("submitted_at"),
        }

    def get_list_row_label(self, request):
        return Cell(
            ("reference", "current_version_id", "current_version__name", "application_version__name"), _version_label
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

    def confirmation_note(self, obj, transition):
        note = super().confirmation_note(obj, transition)
        if transition.name == "approve":
            return gettext("通过后将签发电子证照（备案证明，附核验二维码），申请单位可下载。") + note
        return note

    def get_review_context(self, request, obj):
        version = _version_once(obj, obj.application_version_id)
        return {**_version_context(version, obj.kind), "filing": obj, "kind_label": FilingKind(obj.kind).label}

    def get_review_files(self, request, obj):
        return _material_files(_version_once(obj, obj.application_version_id))


@admin.register(ChangeRequest, site=reviewer_site)
class ChangeRequestAdmin(ReviewableAdmin):
    workflow_kinds = ("filing.change",)
    unconfirmed_transitions = ("accept",)
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
        "reference",
        "filing__reference",
        "version__name",
        "base_version__name",
        "organisation__name",
        "organisation__credit_code",
    )
    review_detail_template = "filings/admin/change_detail.html"
    export_fields = (
        (_("受理编号"), "reference"),
        (_("节目受理编号"), "filing__reference"),
        (_("网络演出剧(节)目名称"), "version__name"),
        (_("申报单位"), "organisation__name"),
        (_("统一社会信用代码"), "organisation__credit_code"),
        (_("所属省份"), lambda obj: regions.name(obj.province)),
        (_("变更项"), lambda obj: _parts(obj.parts)),
        (_("状态"), lambda obj: obj.state_label),
        (_("提交时间"), lambda obj: _local(obj.submitted_at)),
        (_("审核完成时间"), lambda obj: _local(obj.decided_at)),
    )

    def get_list_cells(self, request):
        return {
            "filing_reference": Cell("reference"),
            "programme_name": Cell("version__name"),
            "unit_name": Cell("organisation__name"),
            "parts_display": Cell("parts", _parts),
            "review_state": self.state_cell(),
            "province_name": Cell("province", regions.name),
            "submitted_at": Cell("submitted_at"),
        }

    def get_list_row_label(self, request):
        return Cell(("reference", "filing__reference", "version__number"), _change_label)

    @admin.display(description=_("受理编号"), ordering="reference")
    def filing_reference(self, obj):
        return obj.reference  # the change's own (WY-湘-2026-000001-BG01), tied to the programme's

    @admin.display(description=_("网络演出剧(节)目名称"), ordering="version__name")
    def programme_name(self, obj):
        return obj.version.name

    @admin.display(description=_("申报单位"), ordering="organisation__name")
    def unit_name(self, obj):
        return obj.organisation.name

    @admin.display(description=_("变更项"))
    def parts_display(self, obj):
        return _parts(obj.parts)

    @admin.display(description=_("所属省份"), ordering="province")
    def province_name(self, obj):
        return regions.name(obj.province)

    def get_audit_target(self, obj) -> str:
        return f"{obj.filing.reference} 变更 {obj.public_id}"

    def confirmation_note(self, obj, transition):
        note = super().confirmation_note(obj, transition)
        if transition.name == "approve":
            return gettext("通过后变更内容即时生效，证照核验页显示变更后的备案信息。") + note
        return note

    def get_review_context(self, request, obj):
        kind = obj.filing.kind
        version = _version_once(obj, obj.version_id)
        return {
            **_version_context(version, kind),
            "filing": obj.filing,
            "change": obj,
            "kind_label": FilingKind(kind).label,
            "parts_labels": [ChangePart(p).label for p in obj.parts if p in ChangePart.values],
            "sections_diff": diff.diff_versions(obj.base_version, obj.version, kind=kind),
        }

    def get_review_files(self, request, obj):
        return _material_files(_version_once(obj, obj.version_id))
