"""行政指导 on the reviewers' admin site (/staff/guidance/thread/): the officials' queue and thread page.

Scoped like the rest of the site: a provincial official sees its province's
threads of its authority, ministry staff all of their authority's. Filters by
state, category, date (and province for ministry staff); search; export of
exactly what the filters show; the thread page with 答复 / 要求补充 / 关闭.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.filters import DateFieldListFilter
from django.contrib.admin.utils import quote, unquote
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import audit
from common import regions
from review.staff import reviewer_site
from review.staff.exports import FilteredExportMixin
from review.staff.filters import ProvinceFilter, ReviewChangeList

from . import rules, selectors, services
from .enums import MessageKind, ThreadState
from .forms import OfficialForm
from .models import Thread

ACTION_LABELS = {
    MessageKind.ANSWER: _("答复"),
    MessageKind.ASK_BACK: _("要求补充"),
    MessageKind.CLOSE: _("关闭"),
}
# The actions an official may take from each state.
ACTIONS_FROM = {
    ThreadState.AWAITING_ANSWER: (MessageKind.ANSWER, MessageKind.ASK_BACK, MessageKind.CLOSE),
    ThreadState.ANSWERED: (MessageKind.ASK_BACK, MessageKind.CLOSE),
    ThreadState.AWAITING_APPLICANT: (MessageKind.CLOSE,),
    ThreadState.CLOSED: (),
}


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


@admin.register(Thread, site=reviewer_site)
class ThreadAdmin(FilteredExportMixin, admin.ModelAdmin):
    province_field = "province"  # for review.staff.filters.ProvinceFilter (ministry staff only)
    list_display = (
        "subject",
        "unit_name",
        "category_display",
        "state_display",
        "province_display",
        "created_at",
        "last_activity_at",
    )
    list_display_links = ("subject",)
    list_filter = ("state", "category", ProvinceFilter, ("created_at", DateFieldListFilter))
    search_fields = ("subject", "organisation__name", "organisation__credit_code", "created_by_name")
    search_help_text = _("可按咨询主题、单位名称、统一社会信用代码、咨询人搜索。")
    list_select_related = ("organisation",)
    list_per_page = 50
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    ordering = ("-last_activity_at", "-pk")
    change_list_template = "review/admin/change_list.html"
    export_fields = (
        (_("咨询主题"), "subject"),
        (_("咨询单位"), "organisation__name"),
        (_("统一社会信用代码"), "organisation__credit_code"),
        (_("所属省份"), lambda obj: regions.name(obj.province)),
        (_("咨询类别"), "get_category_display"),
        (_("状态"), "get_state_display"),
        (_("咨询人"), "created_by_name"),
        (_("留言数"), "message_count"),
        (_("提交时间"), lambda obj: _local(obj.created_at)),
        (_("最后更新"), lambda obj: _local(obj.last_activity_at)),
    )

    # --- permissions: view only, scoped ------------------------------------------------
    def has_module_permission(self, request) -> bool:
        return rules.is_official(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        if not rules.is_official(request.user):
            return False
        return obj is None or rules.official_may_see(request.user, obj)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return selectors.official_threads(request.user).select_related("organisation")

    def get_changelist(self, request, **kwargs):
        return ReviewChangeList

    def get_object(self, request, object_id, from_field=None):
        return self.get_queryset(request).filter(public_id=object_id).first()

    def history_view(self, request, object_id, extra_context=None):
        raise Http404

    # --- columns --------------------------------------------------------------------------
    @admin.display(description=_("咨询单位"), ordering="organisation__name")
    def unit_name(self, obj):
        return obj.organisation.name

    @admin.display(description=_("咨询类别"), ordering="category")
    def category_display(self, obj):
        return obj.get_category_display()

    @admin.display(description=_("状态"), ordering="state")
    def state_display(self, obj):
        return obj.get_state_display()

    @admin.display(description=_("省份"), ordering="province")
    def province_display(self, obj):
        return regions.name(obj.province)

    # --- index page summary -----------------------------------------------------------------
    def queue_summary(self, request) -> dict[str, Any]:
        from django.db.models import Count, Q

        counts = self.get_queryset(request).aggregate(
            **{state: Count("pk", filter=Q(state=state)) for state in ThreadState.values if state != "closed"}
        )
        url = reverse(f"{self.admin_site.name}:guidance_thread_changelist")
        return {
            "title": self.opts.verbose_name_plural,
            "url": url,
            "queues": [
                {"key": state, "label": label, "count": counts[state], "url": f"{url}?state__exact={state}"}
                for state, label in ThreadState.choices
                if state != ThreadState.CLOSED
            ],
        }

    # --- URLs -----------------------------------------------------------------------------------
    def get_urls(self):
        return [*self.export_urls(), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**self.export_context(request), **(extra_context or {})})

    # --- the thread page --------------------------------------------------------------------------
    def change_view(self, request, object_id, form_url="", extra_context=None):
        thread = selectors.official_thread(request.user, unquote(object_id))
        if thread is None or not self.has_view_permission(request, thread):
            raise Http404(gettext("未找到该咨询，或您无权查看。"))
        change_url = reverse(f"{self.admin_site.name}:guidance_thread_change", args=(quote(thread.public_id),))
        form = OfficialForm(request.POST or None, request.FILES or None)
        if request.method == "POST":
            if form.is_valid():
                kind = form.cleaned_data["action"]
                try:
                    services.post(
                        request.user,
                        thread,
                        kind=kind,
                        text=form.cleaned_data.get("text") or "",
                        files=form.cleaned_data["attachments"],
                        request=request,
                    )
                except services.GuidanceError as exc:
                    form.add_error(None, exc.message)
                else:
                    messages.success(request, gettext("已%(action)s。") % {"action": ACTION_LABELS[kind]})
                    return HttpResponseRedirect(change_url)
        else:
            audit.record("guidance.viewed", request=request, target=thread.public_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": thread.subject,
            "thread": thread,
            "thread_messages": thread.messages.all(),
            "form": form,
            "actions": [(k.value, ACTION_LABELS[k]) for k in ACTIONS_FROM[thread.state]],
            "changelist_url": reverse(f"{self.admin_site.name}:guidance_thread_changelist"),
            "province_name": regions.name(thread.province),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request, "guidance/admin/thread.html", context, status=400 if request.method == "POST" else 200
        )
