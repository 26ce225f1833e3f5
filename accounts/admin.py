"""The superuser admin at /admin/ (django.contrib.admin.site) for accounts.

Officials and ministry staff work in the reviewers' admin site (review/staff/sites.py);
this one is for system administrators. Every change that matters goes through
a service (audited): province reassignment, 中央直属单位, licence release, import.
Resident ID numbers are never shown in clear; opening another person's
account page is audited.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.hashers import identify_hasher, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import audit
from accounts.enums import StaffLevel
from accounts.models import AuditEvent, LegacyLicence, Organisation, StaffProfile, User
from accounts.services import activation as activation_service
from accounts.services import otp_enrolment
from accounts.services import staff as staff_service
from accounts.services.licences import LicenceImportError, import_licences
from common.regions import REGION_CHOICES
from common.validators import mask_phone, validate_credit_code

admin.site.site_header = _("文化视听备案门户 · 系统管理")
admin.site.site_title = _("系统管理")
admin.site.index_title = _("系统管理")

MAX_IMPORT_BYTES = 10 * 1024 * 1024


# --- users --------------------------------------------------------------------------


class AccountUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


class AccountUserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username",)


class StaffProfileForm(forms.ModelForm):
    class Meta:
        model = StaffProfile
        fields = ("authority", "level", "province")

    def clean(self):
        data = super().clean()
        if data.get("level") == StaffLevel.PROVINCE and not data.get("province"):
            self.add_error("province", gettext("省级审核人员须选择省份。"))
        return data


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    fk_name = "user"
    form = StaffProfileForm
    can_delete = True
    extra = 0
    max_num = 1
    readonly_fields = ("created_by",)
    fields = ("authority", "level", "province", "created_by")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AccountUserChangeForm
    add_form = AccountUserCreationForm
    inlines = (StaffProfileInline,)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("个人信息"),
            {
                "fields": (
                    "full_name",
                    "phone",
                    "email",
                    "organisation",
                    "id_number_display",
                    "personal_info_consent_at",
                    "cancelled_at",
                )
            },
        ),
        (_("权限"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2")}),
    )
    readonly_fields = ("id_number_display", "personal_info_consent_at", "last_login", "date_joined")
    raw_id_fields = ("organisation",)
    list_display = ("username", "full_name", "phone_masked", "organisation", "role", "is_active", "is_superuser")
    list_filter = (
        "is_superuser",
        "is_active",
        "staff_profile__authority",
        "staff_profile__level",
        "organisation__kind",
    )
    search_fields = ("username", "full_name", "phone", "email", "organisation__name")
    ordering = ("username",)
    list_select_related = ("organisation", "staff_profile")

    actions = ("issue_otp_enrolment_codes",)

    @admin.action(description=_("签发动态口令绑定授权码"))
    def issue_otp_enrolment_codes(self, request, queryset):
        """A one-time code per selected reviewer for their first TOTP device, shown once (audited)."""
        issued, refused = [], []
        for user in queryset.select_related("staff_profile"):
            try:
                code = otp_enrolment.issue_enrolment_code(request.user, user, request=request)
            except PermissionDenied as exc:
                refused.append({"user": user, "reason": str(exc)})
            else:
                issued.append({"user": user, "code": code.code, "expires_at": code.expires_at})
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("动态口令绑定授权码"),
            "opts": self.model._meta,
            "issued": issued,
            "refused": refused,
        }
        response = TemplateResponse(request, "admin/accounts/user/otp_enrolment_codes.html", context)
        add_never_cache_headers(response)  # the codes must not stay in any cache
        return response

    def get_inlines(self, request, obj):
        # The add form asks only for the login name and password (as Django's UserAdmin).
        return self.inlines if obj is not None else ()

    @admin.display(description=_("身份证号"))
    def id_number_display(self, obj):
        # Masked only (PIPL); the clear number never reaches the page.
        return obj.id_number_masked if obj and obj.id_number_encrypted else "-"

    @admin.display(description=_("手机号"), ordering="phone")
    def phone_masked(self, obj):
        # Lists show masked numbers; the full number is on the (audited) account page.
        return mask_phone(obj.phone) if obj.phone else "-"

    @admin.display(description=_("角色"))
    def role(self, obj):
        profile = obj.staff_profile_or_none
        if profile is not None:
            return f"{profile.get_authority_display()} {profile.get_level_display()}"
        if obj.organisation_id:
            return obj.organisation.get_kind_display()
        return "-"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and getattr(response, "status_code", 0) == 200:
            target = self.get_object(request, object_id)
            if target is not None and target.pk != request.user.pk:
                audit.record(
                    "personal_data.viewed",
                    request=request,
                    target=target.username,
                    via="admin:user",
                    fields=["full_name", "phone", "email", "id_number_masked"],
                )
        return response

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for obj in instances:
            if isinstance(obj, StaffProfile) and obj._state.adding and obj.created_by_id is None:
                obj.created_by = request.user
            obj.save()
        formset.save_m2m()


# --- organisations --------------------------------------------------------------------


class ProvinceForm(forms.Form):
    province = forms.ChoiceField(
        label=_("所属省份"),
        choices=[("", "---------"), *REGION_CHOICES],
        error_messages={"required": _("请选择省份。")},
    )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "credit_code", "province", "is_central", "activated_at", "licence")
    list_filter = ("province", "kind", "is_central")
    search_fields = ("name", "credit_code")
    list_select_related = ("licence",)
    raw_id_fields = ("administrator",)
    readonly_fields = ("licence", "activated_at", "created_at")
    fields = (
        "kind",
        "name",
        "institution_type",
        "credit_code",
        "province",
        "is_central",
        "email",
        "contact_name",
        "contact_phone",
        "administrator",
        "licence",
        "activated_at",
        "created_at",
    )
    actions = ("reassign_province_action", "mark_central", "unmark_central", "release_licence")

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        # Province and 中央直属单位 change only through their (audited) services.
        changed = set(form.changed_data)
        new_province, new_central = obj.province, obj.is_central
        stored = Organisation.objects.get(pk=obj.pk)
        obj.province, obj.is_central = stored.province, stored.is_central
        super().save_model(request, obj, form, change)
        if "province" in changed:
            staff_service.reassign_province(request.user, obj, new_province, request=request)
        if "is_central" in changed:
            staff_service.set_central_unit(request.user, obj, new_central, request=request)

    @admin.action(description=_("重新指定所属省份"))
    def reassign_province_action(self, request, queryset):
        if "apply" in request.POST:
            form = ProvinceForm(request.POST)
            if form.is_valid():
                changed = 0
                try:
                    for org in queryset:
                        if staff_service.reassign_province(
                            request.user, org, form.cleaned_data["province"], request=request
                        ):
                            changed += 1
                except (PermissionDenied, ValidationError) as exc:
                    self.message_user(request, " ".join(getattr(exc, "messages", [str(exc)])), messages.ERROR)
                    return None
                self.message_user(
                    request, gettext("已调整 %(n)s 个单位的所属省份。") % {"n": changed}, messages.SUCCESS
                )
                return None
        else:
            form = ProvinceForm()
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("重新指定所属省份"),
            "opts": self.model._meta,
            "queryset": queryset,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action": "reassign_province_action",
        }
        return TemplateResponse(request, "admin/accounts/organisation/reassign_province.html", context)

    def _set_central(self, request, queryset, value: bool):
        changed = 0
        try:
            for org in queryset:
                changed += bool(staff_service.set_central_unit(request.user, org, value, request=request))
        except PermissionDenied as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(request, gettext("已更新 %(n)s 个单位。") % {"n": changed}, messages.SUCCESS)

    @admin.action(description=_("标记为中央直属单位"))
    def mark_central(self, request, queryset):
        self._set_central(request, queryset, True)

    @admin.action(description=_("取消中央直属单位"))
    def unmark_central(self, request, queryset):
        self._set_central(request, queryset, False)

    @admin.action(description=_("解除资质激活"))
    def release_licence(self, request, queryset):
        released = 0
        for org in queryset.filter(licence__isnull=False):
            try:
                activation_service.deactivate_qualification(actor=request.user, organisation=org, request=request)
            except activation_service.ActivationError as exc:
                self.message_user(request, exc.message, messages.ERROR)
                return
            released += 1
        self.message_user(request, gettext("已解除 %(n)s 个单位的资质激活。") % {"n": released}, messages.SUCCESS)


# --- legacy licences ------------------------------------------------------------------


class LegacyLicenceForm(forms.ModelForm):
    new_password = forms.CharField(
        label=_("设置原平台密码"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("新增时必填；修改时留空则不改变原密码。"),
    )

    class Meta:
        model = LegacyLicence
        fields = (
            "licence_no",
            "unit_name",
            "credit_code",
            "scope",
            "valid_from",
            "valid_to",
            "province",
            "account",
            "status",
        )

    def clean_credit_code(self):
        return validate_credit_code(self.cleaned_data["credit_code"])

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
            self.add_error("valid_to", gettext("有效期至早于有效期自。"))
        if self.instance.pk is None and not data.get("new_password"):
            self.add_error("new_password", gettext("新增许可证须设置原平台密码。"))
        if self.instance.pk and "credit_code" in self.changed_data:
            claimed = Organisation.objects.filter(licence=self.instance).first()
            if claimed is not None and claimed.credit_code != data.get("credit_code"):
                self.add_error("credit_code", gettext("该许可证已被单位激活，不能更改统一社会信用代码。"))
        return data

    def save(self, commit=True):
        if self.cleaned_data.get("new_password"):
            self.instance.password_hash = make_password(self.cleaned_data["new_password"])
        return super().save(commit)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV 文件"), help_text=_("UTF-8（可带 BOM）或 GB18030 编码"))
    dry_run = forms.BooleanField(label=_("仅校验，不导入"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(gettext("文件不能超过10 MB。"))
        return upload


@admin.register(LegacyLicence)
class LegacyLicenceAdmin(admin.ModelAdmin):
    form = LegacyLicenceForm
    list_display = (
        "licence_no",
        "unit_name",
        "credit_code",
        "province",
        "valid_from",
        "valid_to",
        "status",
        "account",
        "claimed_by",
    )
    list_filter = ("status", "province")
    search_fields = ("licence_no", "unit_name", "credit_code", "account")
    readonly_fields = ("password_hash_display", "claimed_by", "updated_at")
    fields = (
        "licence_no",
        "unit_name",
        "credit_code",
        "scope",
        "valid_from",
        "valid_to",
        "province",
        "status",
        "account",
        "password_hash_display",
        "new_password",
        "claimed_by",
        "updated_at",
    )
    list_select_related = ("organisation",)
    change_list_template = "admin/accounts/legacylicence/change_list.html"

    @admin.display(description=_("原平台密码（哈希）"))
    def password_hash_display(self, obj):
        if not obj or not obj.password_hash:
            return "-"
        try:
            algorithm = identify_hasher(obj.password_hash).algorithm
        except ValueError:
            return gettext("无法识别")
        return gettext("已设置（%(algorithm)s）") % {"algorithm": algorithm}

    @admin.display(description=_("已激活单位"))
    def claimed_by(self, obj):
        try:
            return obj.organisation.name
        except Organisation.DoesNotExist:
            return "-"

    def get_urls(self):
        urls = super().get_urls()
        custom = [
            path("import/", self.admin_site.admin_view(self.import_view), name="accounts_legacylicence_import"),
        ]
        return custom + urls

    def import_view(self, request):
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            raise PermissionDenied
        result = None
        error = ""
        if request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                try:
                    result = import_licences(
                        upload.read(), actor=request.user, dry_run=form.cleaned_data["dry_run"], source=upload.name
                    )
                except LicenceImportError as exc:
                    error = exc.message
                else:
                    level = messages.WARNING if result.rejected else messages.SUCCESS
                    self.message_user(request, result.summary(), level)
        else:
            form = ImportForm()
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("导入原平台许可证账号"),
            "opts": self.model._meta,
            "form": form,
            "result": result,
            "error": error,
            "changelist_url": reverse("admin:accounts_legacylicence_changelist"),
        }
        return TemplateResponse(request, "admin/accounts/legacylicence/import.html", context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record(
            "licence.saved",
            request=request,
            target=obj.licence_no,
            created=not change,
            fields=[f for f in form.changed_data if f != "new_password"],
            password_changed=bool(form.cleaned_data.get("new_password")),
        )


# --- audit log ---------------------------------------------------------------------------


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "action", "actor", "ip", "target")
    list_filter = ("action", "at")
    date_hierarchy = "at"
    search_fields = ("target", "actor__username", "action")
    list_select_related = ("actor",)
    readonly_fields = ("at", "actor", "action", "ip", "target", "detail")
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
