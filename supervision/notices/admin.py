"""通知公告 on the reviewers' admin site (/staff/notices/): officials write, publish and withdraw notices in
their scope, and see and export the sign-ups of their trainings exactly as filtered."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from review.staff import reviewer_site
from review.staff.exports import FilteredExportMixin
from review.staff.filters import ReviewChangeList
from supervision.guidance.rules import is_official

from . import selectors, services
from .forms import AttachmentForm, NoticeAdminForm
from .models import Notice, NoticeAttachment, SignUp


class AttachmentInline(admin.TabularInline):
    model = NoticeAttachment
    form = AttachmentForm
    fields = ("file", "original_name", "size")
    readonly_fields = ("original_name", "size")
    extra = 1


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


@admin.register(Notice, site=reviewer_site)
class NoticeAdmin(FilteredExportMixin, admin.ModelAdmin):
    form = NoticeAdminForm
    inlines = (AttachmentInline,)
    list_display = ("title", "kind", "state", "authority", "province", "publish_date", "end_date")
    list_filter = ("kind", "state")
    search_fields = ("title",)
    ordering = ("-publish_date", "-pk")
    actions = ("publish_selected", "withdraw_selected")
    fieldsets = (
        (None, {"fields": ("kind", "title", "body", "authority", "province", "publish_date", "end_date")}),
        (_("培训"), {"fields": ("starts_at", "place", "online_link", "capacity", "signup_deadline")}),
    )
    change_list_template = "admin/export_change_list.html"  # 新增通知公告 stays beside the exports
    export_fields = (
        (_("标题"), "title"),
        (_("类型"), "get_kind_display"),
        (_("状态"), "get_state_display"),
        (_("面向业务"), "get_authority_display"),
        (_("面向省份"), "get_province_display"),
        (_("发布日期"), "publish_date"),
        (_("截止日期"), "end_date"),
    )

    def has_module_permission(self, request) -> bool:
        return is_official(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_official(request.user) and (obj is None or selectors.managed(request.user).filter(pk=obj.pk).exists())

    has_change_permission = has_view_permission

    def has_add_permission(self, request) -> bool:
        return is_official(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return selectors.managed(request.user)

    def get_changelist(self, request, **kwargs):
        return ReviewChangeList

    def get_object(self, request, object_id, from_field=None):
        return self.get_queryset(request).filter(public_id=object_id).first()

    def history_view(self, request, object_id, extra_context=None):
        raise Http404

    def get_urls(self):
        return [*self.export_urls(), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**self.export_context(request), **(extra_context or {})})

    def save_model(self, request, obj, form, change):
        try:
            services.save_notice(request.user, obj, request=request)
        except services.NoticeError as exc:
            raise ValidationError(exc.message) from exc

    def _changeform_view(self, request, object_id, form_url, extra_context):
        try:
            return super()._changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(request.path)

    @admin.action(description=_("发布所选通知"))
    def publish_selected(self, request, queryset):
        for notice in queryset:
            try:
                services.publish(request.user, notice, request=request)
            except services.NoticeError as exc:
                messages.error(request, exc.message)
        messages.success(request, gettext("已发布。"))

    @admin.action(description=_("撤回所选通知"))
    def withdraw_selected(self, request, queryset):
        for notice in queryset:
            try:
                services.withdraw(request.user, notice, request=request)
            except services.NoticeError as exc:
                messages.error(request, exc.message)
        messages.success(request, gettext("已撤回。"))


@admin.register(SignUp, site=reviewer_site)
class SignUpAdmin(FilteredExportMixin, admin.ModelAdmin):
    list_display = ("notice", "organisation", "name", "phone", "attendees", "created_at", "cancelled_at")
    list_filter = (("notice", admin.RelatedOnlyFieldListFilter), ("cancelled_at", admin.EmptyFieldListFilter))
    list_select_related = ("notice", "organisation")
    search_fields = ("name", "phone", "organisation__name")
    change_list_template = "review/admin/change_list.html"
    ordering = ("notice", "created_at", "pk")
    exclude = ("user",)  # the account that signed up has no Chinese label ("User"); 联系人 and 联系电话 say who
    export_fields = (
        (_("培训"), "notice__title"),
        (_("报名单位"), "organisation__name"),
        (_("联系人"), "name"),
        (_("联系电话"), "phone"),
        (_("参加人数"), "attendees"),
        (_("报名时间"), lambda obj: _local(obj.created_at)),
        (_("取消时间"), lambda obj: _local(obj.cancelled_at)),
    )

    def has_module_permission(self, request) -> bool:
        return is_official(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_official(request.user) and (
            obj is None or selectors.managed_signups(request.user).filter(pk=obj.pk).exists()
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return selectors.managed_signups(request.user)

    def get_changelist(self, request, **kwargs):
        return ReviewChangeList

    def get_object(self, request, object_id, from_field=None):
        return self.get_queryset(request).filter(public_id=object_id).first()

    def history_view(self, request, object_id, extra_context=None):
        raise Http404

    def get_list_filter(self, request):
        return self.list_filter

    def lookup_allowed(self, lookup, value, request=None):
        return lookup in ("notice__id__exact", "notice__exact") or super().lookup_allowed(lookup, value, request)

    def get_urls(self):
        return [*self.export_urls(), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**self.export_context(request), **(extra_context or {})})
