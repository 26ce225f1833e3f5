"""Awards on the reviewers' admin site (/staff/): 推优项目 and the platform list.

NRTA ministry staff create and edit projects (and open a quarter's pair from
the calendar) and maintain the 持证和备案网络视听平台 list, including a CSV
import; NRTA provincial officials may look at both; nobody else sees them.
The review queue of nominations is added by the provincial-review work on
top of ``review.staff.ReviewableAdmin``.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import audit
from review.staff import reviewer_site

from . import calendar, rules
from .forms import PlatformImportForm
from .models import Platform, Project
from .services.platforms import PlatformImportError, import_platforms
from .services.projects import open_quarter
from .uploads import check_pledge


class NrtaMinistryOnly:
    """View: NRTA officials and ministry staff; add and change: NRTA ministry staff; delete: nobody."""

    def has_module_permission(self, request) -> bool:
        return rules.is_nrta_reviewer(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return rules.is_nrta_reviewer(request.user)

    def has_add_permission(self, request) -> bool:
        return rules.is_nrta_ministry(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return rules.is_nrta_ministry(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a project keeps its nominations; a platform is 停用, not deleted


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = (
            "title",
            "year",
            "quarter",
            "kind",
            "opens_at",
            "applicant_deadline",
            "provincial_deadline",
            "window_start",
            "window_end",
            "description",
            "pledge_template",
        )

    def clean_pledge_template(self):
        upload = self.cleaned_data.get("pledge_template")
        if upload and hasattr(upload, "content_type"):  # a new upload (not the stored file)
            check_pledge(upload)
        return upload

    def clean(self):
        data = super().clean()
        start, end = data.get("window_start"), data.get("window_end")
        if start and end and end < start:
            self.add_error("window_end", gettext("播出时间范围的结束日期不能早于开始日期。"))
        deadline, provincial = data.get("applicant_deadline"), data.get("provincial_deadline")
        if deadline and provincial and provincial < deadline:
            self.add_error("provincial_deadline", gettext("初审截止日期不能早于申报截止日期。"))
        opens = data.get("opens_at")
        if opens and deadline and calendar.beijing_date(opens) > deadline:
            self.add_error("opens_at", gettext("申报开始时间不能晚于申报截止日期。"))
        return data


class OpenQuarterForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("季度"), coerce=int, choices=[(q, f"Q{q}") for q in calendar.QUARTERS])


@admin.register(Project, site=reviewer_site)
class ProjectAdmin(NrtaMinistryOnly, admin.ModelAdmin):
    form = ProjectForm
    list_display = ("title", "kind", "year", "quarter", "opens_at", "applicant_deadline", "provincial_deadline")
    list_filter = ("year", "quarter", "kind")
    search_fields = ("title",)
    ordering = ("-year", "-quarter", "kind")
    change_list_template = "admin/awards/project/change_list.html"

    def get_changeform_initial_data(self, request):
        """A new project starts with the calendar's dates of the quarter taking nominations now."""
        initial = super().get_changeform_initial_data(request)
        year, quarter = calendar.applicant_quarter(calendar.beijing_date(timezone.now()))
        dates = calendar.quarter_dates(year, quarter)
        return {
            "year": year,
            "quarter": quarter,
            "opens_at": calendar.start_of_day(dates.opens_on),
            "applicant_deadline": dates.applicant_deadline,
            "provincial_deadline": dates.provincial_deadline,
            "window_start": dates.window_start,
            "window_end": dates.window_end,
            **initial,
        }

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if "pledge_template" in form.changed_data and obj.pledge_template:
            obj.pledge_template_name = getattr(form.cleaned_data["pledge_template"], "name", "")[:200]
        super().save_model(request, obj, form, change)
        audit.record("awards.project_saved", request=request, target=obj.public_id, created=not change)

    def get_urls(self):
        custom = [
            path(
                "open-quarter/",
                self.admin_site.admin_view(self.open_quarter_view),
                name="awards_project_open_quarter",
            )
        ]
        return custom + super().get_urls()

    def open_quarter_view(self, request):
        """创建季度项目: the quarter's 机构类 and 个人类 projects from the calendar (idempotent)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        year, quarter = calendar.applicant_quarter(calendar.beijing_date(timezone.now()))
        form = OpenQuarterForm(request.POST or None, initial={"year": year, "quarter": quarter})
        if request.method == "POST" and form.is_valid():
            projects, created = open_quarter(
                form.cleaned_data["year"], form.cleaned_data["quarter"], actor=request.user
            )
            self.message_user(
                request,
                gettext("已创建 %(created)s 个项目（共 %(total)s 个）。")
                % {"created": created, "total": len(projects)},
                messages.SUCCESS,
            )
            return redirect(f"{self.admin_site.name}:awards_project_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("创建季度项目"),
            "opts": self.model._meta,
            "form": form,
            "changelist_url": reverse(f"{self.admin_site.name}:awards_project_changelist"),
        }
        return TemplateResponse(request, "admin/awards/project/open_quarter.html", context)


@admin.register(Platform, site=reviewer_site)
class PlatformAdmin(NrtaMinistryOnly, admin.ModelAdmin):
    list_display = ("name", "licence_or_filing_number", "status", "updated_at")
    list_filter = ("status",)
    search_fields = ("name", "licence_or_filing_number")
    fields = ("name", "licence_or_filing_number", "status")
    change_list_template = "admin/awards/platform/change_list.html"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record("awards.platform_saved", request=request, target=obj.name, created=not change)

    def get_urls(self):
        custom = [
            path("import/", self.admin_site.admin_view(self.import_view), name="awards_platform_import"),
        ]
        return custom + super().get_urls()

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        result = None
        error = ""
        form = PlatformImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = import_platforms(
                    upload.read(), actor=request.user, dry_run=form.cleaned_data["dry_run"], source=upload.name
                )
            except (PlatformImportError, ValidationError) as exc:
                error = getattr(exc, "message", str(exc))
            else:
                level = messages.WARNING if result.rejected else messages.SUCCESS
                self.message_user(request, result.summary(), level)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("导入持证和备案网络视听平台"),
            "opts": self.model._meta,
            "form": form,
            "result": result,
            "error": error,
            "changelist_url": reverse(f"{self.admin_site.name}:awards_platform_changelist"),
        }
        return TemplateResponse(request, "admin/awards/platform/import.html", context)


from . import admin_review  # noqa: E402, F401  (the provincial review queue of nominations)

# isort: split
from . import admin_publication  # noqa: E402, F401  (公示与公布)

# isort: split
from . import admin_experts  # noqa: E402, F401  (专家分配, 专家评议排名)
