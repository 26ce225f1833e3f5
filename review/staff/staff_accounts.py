"""审核人员账号 on the reviewers' site: ministry staff create and disable the accounts of their authority.

MCT ministry staff manage MCT provincial officials; NRTA ministry staff NRTA provincial officials and
experts (``accounts.services.staff.MANAGED_LEVELS``). Ministry accounts stay with the system administrator
(/admin/). Every write goes through ``accounts.services.staff`` (``create_staff``, ``set_staff_active``),
which checks the right again and writes the audit record. Accounts are addressed by login name.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.enums import StaffLevel
from accounts.models import AuditEvent, StaffProfile
from accounts.services import staff as staff_service
from common import regions

from ..engine import rules
from .exports import FilteredExportMixin
from .forms import error_summary, mark_invalid
from .sites import register_index_link, reviewer_site

FORM_FIELDS = ("username", "full_name", "level", "province", "phone", "email")


def _authority(request) -> str:
    """The authority whose accounts the user manages (a ministry staff member's), or ""."""
    if not rules.can_use_reviewer_site(request.user) or not staff_service.managed_levels(request.user):
        return ""
    profile = rules.staff_profile(request.user)
    return profile.authority if profile is not None else ""


class StaffAccountForm(forms.Form):
    username = forms.CharField(
        label=_("登录账号"),
        max_length=30,
        help_text=_("字母、数字和 . _ - ，4-30位，例如 mct-hunan-2。"),
        error_messages={"required": _("请输入登录账号。")},
    )
    full_name = forms.CharField(label=_("姓名"), max_length=50, error_messages={"required": _("请输入姓名。")})
    level = forms.ChoiceField(label=_("级别"), error_messages={"required": _("请选择级别。")})
    province = forms.ChoiceField(
        label=_("省份"),
        required=False,
        choices=[("", "---------"), *regions.REGION_CHOICES],
        help_text=_("省级审核人员必选。"),
        error_messages={"invalid_choice": _("省份无法识别。")},
    )
    phone = forms.CharField(
        label=_("手机号"), max_length=11, required=False, help_text=_("用于短信验证码登录，可不填。")
    )
    email = forms.CharField(label=_("电子邮箱"), max_length=254, required=False)

    def __init__(self, *args, levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(value, StaffLevel(value).label) for value in levels]
        self.fields["level"].error_messages["invalid_choice"] = gettext("您无权创建该级别的账号。")
        self.fields["username"].widget.attrs["autocomplete"] = "off"


class StatusFilter(admin.SimpleListFilter):
    title = _("账号状态")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("active", _("启用")), ("disabled", _("已停用"))]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(user__is_active=True)
        if self.value() == "disabled":
            return queryset.filter(user__is_active=False)
        return queryset


class LevelFilter(admin.SimpleListFilter):
    title = _("级别")
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return [(value, StaffLevel(value).label) for value in staff_service.managed_levels(request.user)]

    def queryset(self, request, queryset):
        if self.value() in dict(self.lookup_choices):
            return queryset.filter(level=self.value())
        return queryset


class AccountChangeList(ChangeList):
    def url_for_result(self, result):
        return reverse(
            f"{self.model_admin.admin_site.name}:accounts_staffprofile_change",
            args=(quote(result.user.username),),
            current_app=self.model_admin.admin_site.name,
        )


class StaffAccountAdmin(FilteredExportMixin, admin.ModelAdmin):
    list_display = ("username", "full_name", "level_label", "department_label", "status_label", "created_by_name")
    list_display_links = ("username",)
    list_filter = (LevelFilter, StatusFilter)
    search_fields = ("user__username", "user__full_name")
    search_help_text = _("可按登录账号、姓名搜索。")
    list_select_related = ("user", "created_by")
    list_per_page = 50
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    ordering = ("level", "province", "user__username")
    actions = None
    change_list_template = "admin/export_change_list.html"  # 新增审核人员账号 stays beside the exports
    # The list's columns: no phone number (the list shows none), never a password.
    export_fields = (
        (_("登录账号"), "user__username"),
        (_("姓名"), "user__full_name"),
        (_("级别"), "get_level_display"),
        (_("所在部门"), "department"),
        (_("账号状态"), lambda obj: gettext("启用") if obj.user.is_active else gettext("已停用")),
        (_("创建人"), lambda obj: (obj.created_by.full_name or obj.created_by.username) if obj.created_by else ""),
    )

    # --- permissions: ministry staff, the accounts of their authority -------------------------
    def has_module_permission(self, request) -> bool:
        return bool(_authority(request))

    def has_view_permission(self, request, obj=None) -> bool:
        return bool(_authority(request))

    def has_add_permission(self, request) -> bool:
        return bool(_authority(request))

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        authority = _authority(request)
        qs = StaffProfile.objects.select_related("user", "created_by")
        if not authority:
            return qs.none()
        return qs.filter(authority=authority, level__in=staff_service.managed_levels(request.user, authority))

    def get_changelist(self, request, **kwargs):
        return AccountChangeList

    def get_object(self, request, object_id, from_field=None):
        return self.get_queryset(request).filter(user__username=object_id).first()

    # --- columns ----------------------------------------------------------------------------
    @admin.display(description=_("登录账号"), ordering="user__username")
    def username(self, obj):
        return obj.user.username

    @admin.display(description=_("姓名"), ordering="user__full_name")
    def full_name(self, obj):
        return obj.user.full_name or "—"

    @admin.display(description=_("级别"), ordering="level")
    def level_label(self, obj):
        return obj.get_level_display()

    @admin.display(description=_("所在部门"), ordering="province")
    def department_label(self, obj):
        return obj.department

    @admin.display(description=_("账号状态"), ordering="user__is_active")
    def status_label(self, obj):
        return gettext("启用") if obj.user.is_active else gettext("已停用")

    @admin.display(description=_("创建人"))
    def created_by_name(self, obj):
        user = obj.created_by
        return (user.full_name or user.username) if user is not None else "—"

    def changelist_view(self, request, extra_context=None):
        context = {**self.export_context(request), "title": gettext("审核人员账号"), **(extra_context or {})}
        return super().changelist_view(request, context)

    def get_urls(self):
        return [*self.export_urls(), *super().get_urls()]

    # --- create ----------------------------------------------------------------------------
    def add_view(self, request, form_url="", extra_context=None):
        authority = _authority(request)
        if not authority:
            raise PermissionDenied
        levels = staff_service.managed_levels(request.user, authority)
        form = StaffAccountForm(request.POST or None, levels=levels)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                created = staff_service.create_staff(
                    request.user,
                    data["username"],
                    data["full_name"],
                    authority,
                    data["level"],
                    province=data["province"],
                    email=data["email"],
                    phone=data["phone"],
                    request=request,
                )
            except PermissionDenied as exc:
                form.add_error("level", str(exc))
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                return self._created(request, created)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("新建审核人员账号"),
            "form": mark_invalid(form),
            "form_errors": error_summary(form),
            "authority_label": rules.staff_profile(request.user).get_authority_display(),
            "has_view_permission": True,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "review/admin/staff_account_add.html", context)

    def _created(self, request, created):
        """The generated password is shown this once (never cached); the account's page never shows it."""
        profile = created.user.staff_profile
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("账号已创建"),
            "profile": profile,
            "password": created.password,
            "detail_url": self._detail_url(profile),
            "has_view_permission": True,
        }
        request.current_app = self.admin_site.name
        response = TemplateResponse(request, "review/admin/staff_account_created.html", context)
        add_never_cache_headers(response)
        return response

    def _detail_url(self, profile) -> str:
        return reverse(
            f"{self.admin_site.name}:accounts_staffprofile_change",
            args=(quote(profile.user.username),),
            current_app=self.admin_site.name,
        )

    # --- the account's page: disable / enable -------------------------------------------------
    def change_view(self, request, object_id, form_url="", extra_context=None):
        profile = self.get_object(request, unquote(object_id))
        if profile is None:
            raise Http404(gettext("未找到该账号，或您无权查看。"))
        error = ""
        if request.method == "POST":
            active = request.POST.get("status") == "enable"
            try:
                changed = staff_service.set_staff_active(
                    request.user, profile, active, reason=request.POST.get("reason", ""), request=request
                )
            except PermissionDenied as exc:
                messages.error(request, str(exc))
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                if changed:
                    text = gettext("已启用账号 %(name)s。") if active else gettext("已停用账号 %(name)s。")
                    messages.success(request, text % {"name": profile.user.username})
                return HttpResponseRedirect(request.get_full_path())
        history = AuditEvent.objects.filter(
            action__in=("staff.created", "staff.disabled", "staff.enabled"), target=profile.user.username
        ).select_related("actor")[:20]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": profile.user.full_name or profile.user.username,
            "profile": profile,
            "account": profile.user,
            "may_manage": staff_service.can_manage_account(request.user, profile),
            "reason_error": error,
            "reason_value": request.POST.get("reason", "") if request.method == "POST" else "",
            "history": history,
            "has_view_permission": True,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "review/admin/staff_account_detail.html", context)

    def history_view(self, request, object_id, extra_context=None):
        raise Http404

    def delete_view(self, request, object_id, extra_context=None):
        raise PermissionDenied


reviewer_site.register(StaffProfile, StaffAccountAdmin)


@register_index_link
def account_links(request) -> list[dict]:
    if not _authority(request):
        return []
    return [{"url": reverse("staff:accounts_staffprofile_changelist"), "text": gettext("审核人员账号（新建、停用）")}]
