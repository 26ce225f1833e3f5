"""Certificates (证照) on the reviewers' admin site (/staff/review/certificate/).

Scoped like the rest of the site: provincial officials see their authority's
certificates of their province, ministry staff all of their authority's.
Filters by type, province, issue date and status; download one PDF; a zip of
the filtered list (or of the selected rows) streamed to the browser; 暂扣 / 恢复有效 / 注销 / 失效
with a reason category, a note and a confirmation page, by ministry staff and by
provincial officials for their province.
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
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common import regions

from .. import certificates as certs
from ..engine import all_kinds, rules
from ..enums import CertificateReason
from ..models import Certificate
from ..staff.actions import SafeSelectionMixin
from ..staff.exports import FilteredExportMixin
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


class StatusForm(forms.Form):
    reason = forms.ChoiceField(label=_("原因类别"), error_messages={"required": _("请选择原因类别。")})
    note = forms.CharField(
        label=_("情况说明"),
        max_length=500,
        help_text=_("仅工作人员和持证单位可见；核验页面只显示原因类别。"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        error_messages={"required": _("请填写情况说明。")},
    )

    def __init__(self, *args, action: certs.StatusAction, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(CertificateReason.choices)
        self.fields["reason"].choices = [("", "---------")] + [(r, labels[r]) for r in action.reasons]
        self.fields["reason"].error_messages["invalid_choice"] = gettext("请选择原因类别。")


CONSEQUENCES = {
    "suspend": _(
        "暂扣后，核验页面立即显示“暂扣”；节目显示为暂扣，暂扣期间不能变更，未完成的变更申请将被关闭。可恢复有效。"
    ),
    "restore": _("恢复后，核验页面立即显示“有效”，节目恢复为已备案，可以变更。"),
    "revoke": _(
        "注销后，核验页面立即显示“已注销”；节目不再是已备案状态，不能变更，未完成的变更申请将被关闭。注销不可撤销。"
    ),
    "expire": _(
        "失效后，核验页面立即显示“已失效”；节目不再是已备案状态，不能变更，未完成的变更申请将被关闭。不可撤销。"
    ),
}


@admin.register(Certificate, site=reviewer_site)
class CertificateAdmin(FilteredExportMixin, SafeSelectionMixin, admin.ModelAdmin):
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
        "status_reason",
        "status_note",
        "status_changed_at",
        "status_history",
        "pdf_link",
        "pdf_verify_url",
        "pdf_signer",
        "verify_link",
    )
    readonly_fields = fields
    # the zip link (review/certificate_admin_change_list.html) and the exports of the same filtered list
    change_list_template = "admin/export_change_list.html"
    export_fields = (
        (_("证照编号"), "number"),
        (_("类型"), lambda obj: certs.kind_label(obj)),
        (_("名称"), "title"),
        (_("持证单位"), "organisation__name"),
        (_("省份"), lambda obj: regions.name(obj.province) if obj.province else ""),
        (_("发证日期"), "issued_on"),
        (_("状态"), "get_status_display"),
    )
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
        css = "color:#146c43" if obj.status == "valid" else "color:#b02a37;font-weight:bold"
        return format_html('<span style="{}">{}</span>', css, obj.get_status_display())

    @admin.display(description=_("状态记录"))
    def status_history(self, obj):
        events = list(obj.events.all())
        if not events:
            return "—"
        return format_html_join(
            "\n",
            "<div>{} {} → {}：{}（{}）{}</div>",
            (
                (
                    timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M"),
                    e.get_from_status_display(),
                    e.get_to_status_display(),
                    e.get_reason_display(),
                    e.note,
                    e.actor_name,
                )
                for e in events
            ),
        )

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
            *self.export_urls(),
            path("zip/", view(self.zip_view), name="review_certificate_zip"),
            path("<path:object_id>/pdf/", view(self.pdf_view), name="review_certificate_pdf"),
            path("<path:object_id>/status/<str:action>/", view(self.status_view), name="review_certificate_status"),
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
        extra = {
            **self.export_context(request),
            "base_change_list": "review/certificate_admin_change_list.html",
            "zip_url": f"{zip_url}?{query}" if query else zip_url,
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self._get_or_404(request, object_id)
        extra = {
            "certificate": obj,
            "pdf_url": reverse(f"{self.admin_site.name}:review_certificate_pdf", args=(quote(obj.public_id),))
            if obj.pdf.name
            else "",
            "status_links": [
                (
                    action.label,
                    reverse(
                        f"{self.admin_site.name}:review_certificate_status",
                        args=(quote(obj.public_id), action.key),
                    ),
                    action.key,
                )
                for action in certs.actions_for(obj)
            ]
            if certs.can_change_status(request.user, obj)
            else [],
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

    def status_view(self, request, object_id, action):
        """暂扣 / 恢复有效 / 注销 / 失效: reason category and note, a confirmation page, then the change."""
        obj = self._get_or_404(request, object_id)
        step = certs.ACTIONS.get(action)
        if step is None:
            raise Http404
        if not certs.can_change_status(request.user, obj):
            raise PermissionDenied(gettext("您无权变更该证照的状态。"))
        change_url = reverse(f"{self.admin_site.name}:review_certificate_change", args=(quote(obj.public_id),))
        form = StatusForm(request.POST or None, action=step)
        confirming = False
        if request.method == "POST" and form.is_valid():
            if request.POST.get("confirm") == "1":
                try:
                    certs.change_status(
                        obj,
                        step.key,
                        actor=request.user,
                        reason=form.cleaned_data["reason"],
                        note=form.cleaned_data["note"],
                        request=request,
                    )
                except certs.CertificateError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                else:
                    messages.success(request, str(step.done) % {"number": obj.number})
                    return HttpResponseRedirect(change_url)
            else:
                confirming = True
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("证照%(action)s") % {"action": step.label},
            "certificate": obj,
            "action": step,
            "consequence": CONSEQUENCES[step.key],
            "kind_label": certs.kind_label(obj),
            "form": form,
            "confirming": confirming and not form.errors,
            "reason_label": dict(CertificateReason.choices).get(form.cleaned_data.get("reason", ""), "")
            if confirming
            else "",
            "change_url": change_url,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "review/certificates/admin_status.html", context)
