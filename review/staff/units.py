"""单位管理 on the reviewers' site: ministry staff find a unit of their programme and reassign its province.

MCT ministry staff see 经营单位, NRTA ministry staff 机构 and 个人 (``accounts.services.staff.UNIT_KINDS``);
everyone else gets a 403 for the list and a 404 for a unit. The change goes through
``accounts.services.staff.reassign_province`` (audited), as on /admin/.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import AuditEvent, Organisation
from accounts.services import staff as staff_service
from common import regions

from ..engine import rules
from .exports import FilteredExportMixin
from .forms import error_summary, mark_invalid
from .sites import register_index_link, reviewer_site


def _authority(request) -> str:
    """The authority of a ministry staff member, or "" (no unit list, no reassignment)."""
    profile = rules.staff_profile(request.user)
    if profile is None or not rules.is_ministry(request.user) or not rules.can_use_reviewer_site(request.user):
        return ""
    return profile.authority


def _official_scope(request):
    """A provincial official's (authority, province): they may open their province's units (read only),
    e.g. from a 培训报名 that links its unit; None for everyone else."""
    profile = rules.staff_profile(request.user)
    if profile is None or not rules.is_queue_worker(request.user) or not rules.can_use_reviewer_site(request.user):
        return None
    if rules.is_ministry(request.user) or not profile.province:
        return None
    return profile.authority, profile.province


class ReassignProvinceForm(forms.Form):
    province = forms.ChoiceField(
        label=_("新的所属省份"),
        choices=[("", "---------"), *regions.REGION_CHOICES],
        error_messages={"required": _("请选择省份。"), "invalid_choice": _("省份无法识别。")},
    )
    note = forms.CharField(
        label=_("调整原因"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        error_messages={"required": _("请填写调整原因。"), "max_length": _("原因不能超过200个字符。")},
        help_text=_("例如：单位注册地变更。"),
    )


class ProvinceListFilter(admin.SimpleListFilter):
    title = _("所属省份")
    parameter_name = "province"

    def lookups(self, request, model_admin):
        return list(regions.REGION_CHOICES)

    def queryset(self, request, queryset):
        value = self.value()
        if value and value in regions.BY_CODE:
            return queryset.filter(province=value)
        return queryset


class UnitAdmin(FilteredExportMixin, admin.ModelAdmin):
    list_display = ("name", "kind_label", "credit_code_display", "province_name", "central_label")
    list_display_links = ("name",)
    list_filter = (ProvinceListFilter,)
    search_fields = ("name", "credit_code")
    search_help_text = _("可按单位名称、统一社会信用代码搜索。")
    list_per_page = 50
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    ordering = ("name", "pk")
    actions = None
    change_list_template = "admin/export_change_list.html"
    export_fields = (
        (_("单位名称"), "name"),
        (_("类型"), "get_kind_display"),
        (_("统一社会信用代码"), "credit_code"),
        (_("所属省份"), lambda obj: regions.name(obj.province)),
        (_("中央直属单位"), "is_central"),
    )

    # --- permissions: ministry staff, their programme's units ---------------------------------
    def has_module_permission(self, request) -> bool:
        return bool(_authority(request))

    def has_view_permission(self, request, obj=None) -> bool:
        return bool(_authority(request)) or (obj is not None and _official_scope(request) is not None)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        authority = _authority(request)
        qs = Organisation.objects.all()
        if authority:
            return qs.filter(kind__in=staff_service.UNIT_KINDS.get(authority, ()))
        scope = _official_scope(request)
        if scope is not None:
            return qs.filter(kind__in=staff_service.UNIT_KINDS.get(scope[0], ()), province=scope[1])
        return qs.none()

    # --- columns ----------------------------------------------------------------------------
    @admin.display(description=_("类型"), ordering="kind")
    def kind_label(self, obj):
        return obj.get_kind_display()

    @admin.display(description=_("统一社会信用代码"), ordering="credit_code")
    def credit_code_display(self, obj):
        return obj.credit_code or "—"

    @admin.display(description=_("所属省份"), ordering="province")
    def province_name(self, obj):
        return regions.name(obj.province) or "—"

    @admin.display(description=_("中央直属单位"), ordering="is_central")
    def central_label(self, obj):
        return gettext("是") if obj.is_central else "—"

    def changelist_view(self, request, extra_context=None):
        if not _authority(request):
            raise PermissionDenied  # the list is the ministry's; officials open a unit from its link only
        context = {**self.export_context(request), "title": gettext("单位管理"), **(extra_context or {})}
        return super().changelist_view(request, context)

    def may_export(self, request) -> bool:
        return bool(_authority(request))  # as the list: ministry staff; an official opens one unit from its link

    def get_urls(self):
        return [*self.export_urls(), *super().get_urls()]

    # --- the unit's page: its data and the reassignment form -----------------------------------
    def change_view(self, request, object_id, form_url="", extra_context=None):
        unit = self.get_object(request, unquote(object_id))
        if unit is None:
            raise Http404(gettext("未找到该单位，或您无权查看。"))
        may_reassign = bool(_authority(request))
        form = ReassignProvinceForm(request.POST or None, initial={"province": unit.province})
        if request.method == "POST" and not may_reassign:
            raise PermissionDenied
        if request.method == "POST" and form.is_valid():
            try:
                changed = staff_service.reassign_province(
                    request.user, unit, form.cleaned_data["province"], reason=form.cleaned_data["note"], request=request
                )
            except PermissionDenied as exc:
                messages.error(request, str(exc))
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error("province", message)
            else:
                if changed:
                    messages.success(
                        request,
                        gettext("已将“%(unit)s”的所属省份调整为%(province)s。")
                        % {"unit": unit.name, "province": regions.name(unit.province)},
                    )
                else:
                    messages.info(request, gettext("所属省份未变化。"))
                return HttpResponseRedirect(request.get_full_path())
        history = AuditEvent.objects.filter(
            action="organisation.province_changed", detail__organisation=unit.pk
        ).select_related("actor")[:20]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": unit.name,
            "unit": unit,
            "province_name": regions.name(unit.province) or "—",
            "form": mark_invalid(form),
            "may_reassign": may_reassign,
            "form_errors": error_summary(form),
            "history": history,
            "has_view_permission": True,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "review/admin/unit_detail.html", context)

    def history_view(self, request, object_id, extra_context=None):
        raise Http404

    def delete_view(self, request, object_id, extra_context=None):
        raise PermissionDenied


reviewer_site.register(Organisation, UnitAdmin)


@register_index_link
def unit_links(request) -> list[dict]:
    if not _authority(request):
        return []
    return [{"url": reverse("staff:accounts_organisation_changelist"), "text": gettext("单位管理（重新指定所属省份）")}]
