"""The quota pages of the reviewers' site, for NRTA ministry staff (mixed into the nominations' admin).

* 各省推荐名额 (``/staff/awards/nomination/quota/?quarter=2026Q2``): every
  province's 已推荐/名额 and 待初审 in a chosen quarter, with its raises.
* 调整推荐名额 (``/staff/awards/nomination/quota/raise/``): one province, one
  quarter, the new limit, the reason and the approver, through
  ``services.quota.raise_quota`` (audited); the raises' history below.

Provincial officials and everyone else get 403: the quota is NRTA's to raise.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext

from accounts import audit
from accounts.enums import Authority
from common import regions
from review.engine import rules as engine_rules

from . import selectors
from .forms_review import QuarterForm, QuotaRaiseForm
from .services import quota
from .services.errors import AwardError


class QuotaViewsMixin:
    """Adds the quota table and the quota raise form to a ModelAdmin of the reviewers' site."""

    def quota_urls(self) -> list:
        return [
            path("quota/", self.admin_site.admin_view(self.quota_view), name="awards_nomination_quota"),
            path(
                "quota/raise/",
                self.admin_site.admin_view(self.quota_raise_view),
                name="awards_nomination_quota_raise",
            ),
        ]

    def _require_nrta_ministry(self, request) -> None:
        if not engine_rules.is_ministry(request.user, Authority.NRTA):
            raise PermissionDenied

    def _quota_context(self, request, title: str) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "changelist_url": reverse("staff:awards_nomination_changelist"),
            "quota_url": reverse("staff:awards_nomination_quota"),
            "raise_url": reverse("staff:awards_nomination_quota_raise"),
        }

    def quota_view(self, request):
        self._require_nrta_ministry(request)
        choices = selectors.quarter_choices()
        current = selectors.review_quarter()
        form = QuarterForm(request.GET or None, choices=choices, initial={"quarter": current.key})
        quarter = form.chosen(current)
        rows = selectors.quota_table(quarter)
        context = {
            **self._quota_context(request, gettext("各省推荐名额使用情况")),
            "form": form,
            "quarter": quarter,
            "rows": rows,
            "total_used": sum(r.used for r in rows),
            "total_pending": sum(r.pending for r in rows),
            "deadline_label": selectors.deadline_text(selectors.provincial_deadline(quarter)),
            "raises": selectors.quota_raises(quarter),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/awards/nomination/quota.html", context)

    def quota_raise_view(self, request):
        self._require_nrta_ministry(request)
        quarters = selectors.quarter_choices()
        current = selectors.review_quarter()
        initial_quarter = selectors.parse_quarter(request.GET.get("quarter")) or current
        initial_province = request.GET.get("province", "")
        initial = {
            "quarter": initial_quarter.key,
            "province": initial_province if initial_province in regions.BY_CODE else "",
        }
        form = QuotaRaiseForm(request.POST or None, quarters=quarters, initial=initial)
        if request.method == "POST" and form.is_valid():
            response = self._raise(request, form)
            if response is not None:
                return response
        quarter = form.chosen_quarter or current
        province = (form.data.get("province") if form.is_bound else initial["province"]) or ""
        usage = quota.usage(quarter.year, quarter.quarter, province) if province in regions.BY_CODE else None
        context = {
            **self._quota_context(request, gettext("调整推荐名额")),
            "form": form.mark_errors(),
            "quarter": quarter,
            "province_name": regions.name(province),
            "usage": usage,
            "raises": selectors.quota_raises(),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/awards/nomination/quota_raise.html", context)

    def _raise(self, request, form: QuotaRaiseForm):
        data = form.cleaned_data
        quarter = selectors.parse_quarter(data["quarter"])
        if quarter is None:  # pragma: no cover - the choices hold only valid keys
            form.add_error("quarter", gettext("请选择季度。"))
            return None
        before = quota.usage(quarter.year, quarter.quarter, data["province"])
        try:
            quota.raise_quota(
                year=quarter.year,
                quarter=quarter.quarter,
                province=data["province"],
                new_limit=data["new_limit"],
                reason=data["reason"],
                approved_by=data["approved_by"],
                actor=request.user,
            )
        except AwardError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return None
        audit.record(
            "awards.quota_raised",
            request=request,
            target=f"{quarter.key}:{data['province']}",
            previous_limit=before.limit,
            new_limit=data["new_limit"],
            approved_by=data["approved_by"].pk,
            reason=data["reason"][:500],
        )
        messages.success(
            request,
            gettext("已将%(province)s%(quarter)s的推荐名额由 %(old)s 调整为 %(new)s。")
            % {
                "province": regions.name(data["province"]),
                "quarter": quarter.label,
                "old": before.limit,
                "new": data["new_limit"],
            },
        )
        return HttpResponseRedirect(f"{reverse('staff:awards_nomination_quota')}?quarter={quarter.key}")
