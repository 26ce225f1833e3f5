"""日常巡查 on the reviewers' admin site (/staff/inspections/inspectioncase/).

Scoped like the rest of the site: an MCT provincial official sees its province's cases, MCT ministry
staff all; NRTA staff, experts and applicants nothing (404 or the site's refusal). The list filters by
status, kind, date found (and province for ministry staff), searches, and exports exactly what the filters
show; the case page has the history, the disposal form and, for 巡查发现, the evidence; 登记巡查发现 is the
add page. Views parse and render only: every change is a service call.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.filters import DateFieldListFilter, SimpleListFilter
from django.contrib.admin.utils import quote, unquote
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import audit
from common import regions
from common.files import private_file_response
from review.staff import reviewer_site
from review.staff.exports import FilteredExportMixin
from review.staff.filters import ProvinceFilter, ReviewChangeList
from review.staff.sites import reviewer_change_url

from . import rules, selectors, services
from .enums import CaseKind, CaseStatus, EventKind
from .forms import DisposeForm, EvidenceForm, FindingForm
from .models import InspectionCase


class QueueFilter(SimpleListFilter):
    """处理状态; named ``queue`` as the /staff/ index card links to ``?queue=<status>``."""

    title = _("处理状态")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return list(CaseStatus.choices)

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(status=value) if value in CaseStatus.values else queryset


class KindFilter(SimpleListFilter):
    title = _("问题类型")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return list(CaseKind.choices)

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(kind=value) if value in CaseKind.values else queryset


def _date(value) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


@admin.register(InspectionCase, site=reviewer_site)
class InspectionCaseAdmin(FilteredExportMixin, admin.ModelAdmin):
    province_field = "province"  # for review.staff.filters.ProvinceFilter (ministry staff only)
    list_display = (
        "subject",
        "unit_name",
        "kind_display",
        "status_display",
        "province_display",
        "first_session_display",
        "found_on",
        "updated_at",
    )
    list_display_links = ("subject",)
    list_filter = (QueueFilter, KindFilter, ProvinceFilter, ("found_on", DateFieldListFilter))
    search_fields = ("programme_name", "unit_name", "credit_code", "platform")
    search_help_text = _("可按节目名称、单位名称、统一社会信用代码、播出平台、受理编号搜索。")
    list_select_related = ("filing",)
    list_per_page = 50
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    ordering = ("-found_on", "-pk")
    change_list_template = "inspections/admin/change_list.html"
    export_fields = (
        (_("问题类型"), "get_kind_display"),
        (_("处理状态"), "get_status_display"),
        (_("节目名称"), "programme_name"),
        (_("受理编号"), lambda obj: obj.filing.reference if obj.filing else ""),
        (_("单位名称"), "unit_name"),
        (_("统一社会信用代码"), "credit_code"),
        (_("所属省份"), lambda obj: regions.name(obj.province)),
        (_("播出平台"), "platform"),
        (_("网址"), "url"),
        (_("首场演出时间"), lambda obj: _local(obj.first_session_at)),
        (_("发现日期"), lambda obj: _date(obj.found_on)),
        (_("最后更新"), lambda obj: _local(obj.updated_at)),
        (_("办结时间"), lambda obj: _local(obj.closed_at)),
    )

    # --- permissions: scoped; changes go through the services ------------------------------
    def has_module_permission(self, request) -> bool:
        return rules.is_inspector(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        if not rules.is_inspector(request.user):
            return False
        return obj is None or rules.may_see(request.user, obj)

    def has_add_permission(self, request) -> bool:
        return rules.may_record_finding(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return selectors.case_list(request.user)

    def get_changelist(self, request, **kwargs):
        return ReviewChangeList

    def get_search_results(self, request, queryset, search_term):
        """The text fields by substring; a 受理编号 exactly, through the filings' unique index (a substring
        search joined to every filing would scan them all)."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term:
            from filings.models import Filing

            by_reference = Filing.objects.filter(reference=term.upper()).values("pk")
            results = results | queryset.filter(filing_id__in=by_reference)
        return results, may_have_duplicates

    def get_object(self, request, object_id, from_field=None):
        return self.get_queryset(request).filter(public_id=object_id).first()

    def history_view(self, request, object_id, extra_context=None):
        raise Http404

    def get_actions(self, request):
        return {}

    # --- columns ------------------------------------------------------------------------------
    @admin.display(description=_("节目/事项"), ordering="programme_name")
    def subject(self, obj):
        return obj.programme_name or obj.platform or obj.unit_name

    @admin.display(description=_("问题类型"), ordering="kind")
    def kind_display(self, obj):
        return obj.get_kind_display()

    @admin.display(description=_("处理状态"), ordering="status")
    def status_display(self, obj):
        return obj.get_status_display()

    @admin.display(description=_("省份"), ordering="province")
    def province_display(self, obj):
        return regions.name(obj.province)

    @admin.display(description=_("首场演出时间"), ordering="first_session_at")
    def first_session_display(self, obj):
        return _local(obj.first_session_at) or "—"

    # --- index page card --------------------------------------------------------------------------
    def queue_summary(self, request) -> dict[str, Any]:
        counts = selectors.counts(request.user)
        url = reverse(f"{self.admin_site.name}:inspections_inspectioncase_changelist")
        notes = [
            {"text": gettext("未办结：%(label)s %(n)s 件") % {"label": label, "n": counts[f"open_{kind}"]},
             "url": f"{url}?kind={kind}", "testid": f"inspection-open-{kind}"}
            for kind, label in CaseKind.choices
        ]  # fmt: skip
        if self.has_add_permission(request):
            notes.append(
                {
                    "text": gettext("登记巡查发现"),
                    "url": reverse(f"{self.admin_site.name}:inspections_inspectioncase_add"),
                }
            )
        return {
            "title": self.opts.verbose_name_plural,
            "url": url,
            "queues": [{"key": s, "label": label, "count": counts[s]} for s, label in CaseStatus.choices],
            "notes": notes,
        }

    # --- URLs -----------------------------------------------------------------------------------------
    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            *self.export_urls(),
            path("evidence/<str:token>/", view(self.evidence_view), name="inspections_evidence"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**self.export_context(request), **(extra_context or {})})

    def evidence_view(self, request, token: str):
        evidence = selectors.downloadable_evidence(request.user, token)
        audit.record("inspection.evidence_download", request=request, target=evidence.case.public_id)
        return private_file_response(
            evidence.file.name, filename=evidence.original_name, content_type=evidence.content_type
        )

    # --- 登记巡查发现 ----------------------------------------------------------------------------------
    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise Http404(gettext("只有省级文化和旅游主管部门的审核人员可以登记巡查发现。"))
        form = FindingForm(request.POST or None, request.FILES or None)
        status = 200
        if request.method == "POST":
            status = 400
            if form.is_valid():
                data = form.cleaned_data
                try:
                    case = services.record_finding(
                        request.user,
                        platform=data["platform"],
                        url=data["url"],
                        unit_name=data["unit_name"],
                        credit_code=data["credit_code"],
                        found_on=data["found_on"],
                        programme_name=data["programme_name"],
                        description=data["description"],
                        files=data["files"],
                        request=request,
                    )
                except services.InspectionError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                else:
                    messages.success(request, gettext("已登记巡查发现。"))
                    return HttpResponseRedirect(self._change_url(case))
        elif "found_on" not in form.initial:
            form.initial["found_on"] = timezone.localdate()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("登记巡查发现"),
            "form": form,
            "changelist_url": reverse(f"{self.admin_site.name}:inspections_inspectioncase_changelist"),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "inspections/admin/finding.html", context, status=status)

    # --- the case page --------------------------------------------------------------------------------
    def _change_url(self, case) -> str:
        return reverse(f"{self.admin_site.name}:inspections_inspectioncase_change", args=(quote(case.public_id),))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        case = selectors.case_detail(request.user, unquote(object_id))
        if case is None or not self.has_view_permission(request, case):
            raise Http404(gettext("未找到该巡查事项，或您无权查看。"))
        allowed = (case.status, *services.NEXT_STATUS[case.status])
        posted = request.POST.get("form") if request.method == "POST" else None
        dispose_form = DisposeForm(
            request.POST if posted == "dispose" else None, allowed=allowed, initial={"status": case.status}
        )
        evidence_form = EvidenceForm(*((request.POST, request.FILES) if posted == "evidence" else ()))
        if posted == "dispose" and dispose_form.is_valid():
            data = dispose_form.cleaned_data
            try:
                services.dispose(
                    request.user,
                    case,
                    status=data["status"],
                    note=data["note"],
                    seen_status=data.get("seen") or None,
                    request=request,
                )
            except services.InspectionError as exc:
                dispose_form.add_error(exc.field if exc.field in dispose_form.fields else None, exc.message)
            else:
                messages.success(request, gettext("已保存处置记录。"))
                return HttpResponseRedirect(self._change_url(case))
        elif posted == "evidence" and case.is_patrol and evidence_form.is_valid():
            try:
                services.add_evidence(request.user, case, evidence_form.cleaned_data["files"], request=request)
            except services.InspectionError as exc:
                evidence_form.add_error(exc.field if exc.field in evidence_form.fields else None, exc.message)
            else:
                messages.success(request, gettext("已上传证据材料。"))
                return HttpResponseRedirect(self._change_url(case))
        elif posted not in (None, "dispose", "evidence") or (posted == "evidence" and not case.is_patrol):
            raise Http404
        events = list(case.events.all())
        filing_url = ""
        if case.filing is not None:
            from filings import rules as filing_rules

            if filing_rules.reviewer_may_see(request.user, case.filing.kind, case.filing.province):
                filing_url = reviewer_change_url(case.filing) if case.filing.submitted_at else ""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": str(case),
            "case": case,
            "events": events,
            "notes": [e for e in events if e.note and e.kind in (EventKind.STATUS, EventKind.NOTE, EventKind.APPROVED)],
            "evidence": list(case.evidence.all()),
            "dispose_form": dispose_form,
            "evidence_form": evidence_form,
            "seen_status": case.status,
            "filing_url": filing_url,
            "province_name": regions.name(case.province),
            "changelist_url": reverse(f"{self.admin_site.name}:inspections_inspectioncase_changelist"),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request, "inspections/admin/case.html", context, status=400 if request.method == "POST" else 200
        )
