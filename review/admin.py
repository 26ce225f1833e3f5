"""Admin registrations of the review app.

The reviewers' site (/staff/): the base ``ReviewableAdmin`` lives in
``review.staff``; certificates register their list there. The superuser admin
(/admin/) gets read-only views of the shared records.
"""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .certificates import admin as certificates_admin  # noqa: F401  (证照 on the reviewers' site)
from .enums import OutboxStatus
from .models import Message, OutboxEvent, ReviewRecord
from .staff import staff_accounts, units  # noqa: F401  (审核人员账号 and 单位管理 on the reviewers' site)


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewRecord)
class ReviewRecordAdmin(_ReadOnlyAdmin):
    list_display = ("at", "kind", "object_id", "action_label", "from_state", "to_state", "actor_name")
    list_filter = ("kind", "transition")
    search_fields = ("actor_name", "comment")
    list_select_related = ("content_type",)


@admin.register(OutboxEvent)
class OutboxEventAdmin(_ReadOnlyAdmin):
    list_display = ("pk", "topic", "status", "attempts", "created_at", "available_at", "done_at")
    list_filter = ("status", "topic")
    actions = ("retry_now",)

    @admin.action(description=_("立即重试"))
    def retry_now(self, request, queryset):
        count = queryset.exclude(status=OutboxStatus.DONE).update(
            status=OutboxStatus.PENDING, available_at=timezone.now()
        )
        self.message_user(request, gettext("已重新排队 %(count)s 个事件。") % {"count": count})


@admin.register(Message)
class MessageAdmin(_ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "title", "read_at")
    search_fields = ("title",)
    list_select_related = ("recipient",)
