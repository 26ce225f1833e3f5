"""Certificates (证照) on the reviewers' admin site (/staff/review/certificate/).

Scoped like the rest of the site: provincial officials see their authority's
certificates of their province, ministry staff all of their authority's.
Filters by type, province, issue date and status; download one PDF; a zip of
the filtered list (or of the selected rows) streamed to the browser; 注销
(revocation) with a reason, by ministry staff only.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.filters import DateFieldListFilter, SimpleListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common import regions

from .. import certificates as certs
from ..engine import all_kinds, rules
from ..models import Certificate
from ..staff.actions import SafeSelectionMixin
from ..staff.sites import reviewer_site
from .views import pdf_response, zip_response


class CertificateKindFilter(SimpleListFilter):
    title = _("类型")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        profile = rules.staff_profile(request.user)
        if profile is None:
            return []
        return [(k.key, k.label) for k in all_kinds() if k.certificate is not None and k.authority == profile.authority]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


class CertificateProvinceFilter(SimpleListFilter):
    """Ministry staff only: an official sees one province anyway."""

    title = _("省份")
    parameter_name = "province"

    def lookups(self, request, model_admin):
        return list(regions.REGION_CHOICES) if rules.is_ministry(request.user) else []

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(province=value) if value in regions.BY_CODE else queryset


class CertificateChangeList(ChangeList):
    """Rows are addressed by their random public id (no database ids in URLs)."""

    def url_for_result(self, result):
        return reverse(
            f"{self.model_admin.admin_site.name}:review_certificate_change",
            args=(quote(result.public_id),),
            current_app=self.model_admin.admin_site.name,
        )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("注销原因"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        error_messages={"required": _("请填写注销原因。")},
    )


@admin.register(Certificate, site=reviewer_site)
class CertificateAdmin(SafeSelectionMixin, admin.ModelAdmin):
    list_display = (
        "number",
        "kind_display",
        "title",
        "organisation_name",
        "province_display",
        "issued_on",
        "status_display",
        "pdf_link",
    )
    list_display_links = ("number",)
    list_filter = (
        CertificateKindFilter,
        CertificateProvinceFilter,
        ("issued_on", DateFieldListFilter),
        "status",
    )
    search_fields = ("number", "title", "reference", "organisation__name", "organisation__credit_code")
    list_select_related = ("organisation",)
    list_per_page = 50
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER  # a count per filter option would cost a query each
    ordering = ("-issued_on", "-pk")
    actions = ["download_selected_zip"]
    fields = (
        "number",
        "kind_display",
        "title",
        "organisation_name",
        "province_display",
        "reference",
        "issuing_department",
        "issued_on",
        "status_display",
        "revoked_reason",
        "revoked_at",
        "pdf_link",
        "verify_link",
    )
    readonly_fields = fields
    change_list_template = "review/certificate_admin_change_list.html"
    change_form_template = "review/certificate_admin_change_form.html"

    # --- permissions: view only, scoped --------------------------------------------------
    def has_module_permission(self, request) -> bool:
        return rules.is_queue_worker(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        if not rules.is_queue_worker(request.user):
            return False
        return obj is None or certs.visible_certificates(request.user).filter(pk=obj.pk).exists()

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return certs.visible_certificates(request.user).select_related("organisation")

    def get_changelist(self, request, **kwargs):
        return CertificateChangeList

    def get_object(self, request, object_id, from_field=None):
        return self.get_queryset(request).filter(public_id=object_id).first()

    def history_view(self, request, object_id, extra_context=None):
        raise Http404

    # --- columns ----------------------------------------------------------------------------
    @admin.display(description=_("类型"), ordering="kind")
    def kind_display(self, obj):
        return certs.kind_label(obj)

    @admin.display(description=_("持证单位"), ordering="organisation__name")
    def organisation_name(self, obj):
        return obj.organisation.name

    @admin.display(description=_("省份"), ordering="province")
    def province_display(self, obj):
        return regions.name(obj.province) if obj.province else "—"

    @admin.display(description=_("状态"), ordering="status")
    def status_display(self, obj):
        css = "color:#198754" if obj.status == "valid" else "color:#b02a37;font-weight:bold"
        return format_html('<span style="{}">{}</span>', css, obj.get_status_display())

    @admin.display(description=_("PDF"))
    def pdf_link(self, obj):
        if not obj.pdf.name:
            return gettext("证照生成中")
        url = reverse(f"{self.admin_site.name}:review_certificate_pdf", args=(quote(obj.public_id),))
        return format_html('<a href="{}">{}</a>', url, gettext("下载"))

    @admin.display(description=_("核验地址"))
    def verify_link(self, obj):
        url = certs.verify_url(obj)
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, url)

    # --- URLs ----------------------------------------------------------------------------------
    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("zip/", view(self.zip_view), name="review_certificate_zip"),
            path("<path:object_id>/pdf/", view(self.pdf_view), name="review_certificate_pdf"),
            path("<path:object_id>/revoke/", view(self.revoke_view), name="review_certificate_revoke"),
            *super().get_urls(),
        ]

    def _get_or_404(self, request, object_id) -> Certificate:
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_permission(request, obj):
            raise Http404(gettext("未找到该证照，或您无权查看。"))
        return obj

    def changelist_view(self, request, extra_context=None):
        zip_url = reverse(f"{self.admin_site.name}:review_certificate_zip")
        query = request.GET.urlencode()
        extra = {"zip_url": f"{zip_url}?{query}" if query else zip_url, **(extra_context or {})}
        return super().changelist_view(request, extra)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self._get_or_404(request, object_id)
        extra = {
            "certificate": obj,
            "pdf_url": reverse(f"{self.admin_site.name}:review_certificate_pdf", args=(quote(obj.public_id),))
            if obj.pdf.name
            else "",
            "revoke_url": reverse(f"{self.admin_site.name}:review_certificate_revoke", args=(quote(obj.public_id),))
            if certs.can_revoke(request.user, obj) and obj.status == "valid"
            else "",
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, extra)

    def pdf_view(self, request, object_id):
        obj = self._get_or_404(request, object_id)
        from accounts import audit

        audit.record("certificate.downloaded", request=request, target=obj.number)
        return pdf_response(obj)

    def zip_view(self, request):
        """A zip of the filtered list (the changelist's own filters and search)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            messages.error(request, gettext("筛选条件无效。"))
            return HttpResponseRedirect(reverse(f"{self.admin_site.name}:review_certificate_changelist"))
        return zip_response(changelist.get_queryset(request), request=request, filename=self._zip_name())

    @admin.action(description=_("打包下载所选证照（zip）"))
    def download_selected_zip(self, request, queryset):
        return zip_response(queryset, request=request, filename=self._zip_name())

    def _zip_name(self) -> str:
        return f"证照-{timezone.localtime():%Y%m%d-%H%M}.zip"

    def revoke_view(self, request, object_id):
        obj = self._get_or_404(request, object_id)
        if not certs.can_revoke(request.user, obj):
            raise PermissionDenied(gettext("只有部级工作人员可以注销证照。"))
        change_url = reverse(f"{self.admin_site.name}:review_certificate_change", args=(quote(obj.public_id),))
        form = RevokeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                certs.revoke_certificate(obj, actor=request.user, reason=form.cleaned_data["reason"], request=request)
            except certs.CertificateError as exc:
                form.add_error("reason", exc.message)
            else:
                messages.success(request, gettext("证照 %(number)s 已注销。") % {"number": obj.number})
                return HttpResponseRedirect(change_url)
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("注销证照"),
            "certificate": obj,
            "kind_label": certs.kind_label(obj),
            "form": form,
            "change_url": change_url,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "review/certificate_admin_revoke.html", context)
