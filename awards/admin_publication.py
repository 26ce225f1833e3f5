"""公示与公布 on the reviewers' site (/staff/): NRTA ministry staff only.

* 发起公示 (the add page): the quarter and its dates (default today … today +
  ``AWARDS_PUBLICITY_DAYS``, Beijing time), then a confirmation listing the
  works the public page will show;
* the 公示's page: its state, the works, the objections (contacts masked) and
  what may be done next — 处理 an objection (its page shows the contacts in
  full, audited), 公布 (after the 公示 ends, no objection pending), 撤销 a
  published work (with a reason; its certificate is revoked).

Every step calls ``awards.services.publication``; a refusal is a message next
to its field or at the top, never a 500. Provincial officials, MCT staff and
experts get 403.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import audit
from common.validators import mask_email, mask_phone
from review.engine import ReviewError
from review.staff import reviewer_site
from review.staff.filters import ReviewChangeList

from . import calendar, rules
from . import selectors_publication as selectors
from .enums import NominationState, ObjectionStatus
from .forms_publication import DisposeObjectionForm, OpenPublicityForm, WithdrawForm
from .models import Nomination, Objection, Publicity
from .services import publication

S = NominationState


def _listed_count():
    """Works of the quarter on its list (入选, 已公布, 已撤销): a subquery, so the list needs one query."""
    works = (
        Nomination.objects.filter(
            year=OuterRef("year"),
            quarter=OuterRef("quarter"),
            state__in=[S.SELECTED, S.PUBLISHED, S.WITHDRAWN],
        )
        .order_by()
        .values("year")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(works, output_field=IntegerField()), 0)


@admin.register(Publicity, site=reviewer_site)
class PublicityAdmin(admin.ModelAdmin):
    list_display = ("quarter_title", "starts_on", "ends_on", "state_label", "work_count", "pending_count", "published")
    list_display_links = ("quarter_title",)
    ordering = ("-year", "-quarter")
    list_per_page = 50
    show_full_result_count = False
    change_list_template = "admin/awards/publicity/change_list.html"

    # --- rights: NRTA ministry staff only ----------------------------------------------------
    def _ministry(self, request) -> bool:
        return rules.is_nrta_ministry(request.user)

    def has_module_permission(self, request) -> bool:
        return self._ministry(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._ministry(request)

    def has_add_permission(self, request) -> bool:
        return self._ministry(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # dates and outcome change only through the steps below

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a 公示 and its objections are records

    def history_view(self, request, object_id, extra_context=None):
        raise Http404  # the steps are recorded in the audit log and the works' review records

    def _check(self, request) -> None:
        if not self._ministry(request):
            raise PermissionDenied

    # --- the list --------------------------------------------------------------------------------
    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if not self._ministry(request):
            return qs.none()
        return qs.annotate(
            work_count=_listed_count(),
            pending_objections=Count("objections", filter=Q(objections__status=ObjectionStatus.PENDING)),
        )

    @admin.display(description=_("季度"), ordering="year")
    def quarter_title(self, obj):
        return publication.quarter_label(obj.year, obj.quarter)

    @admin.display(description=_("状态"))
    def state_label(self, obj):
        return publication.publicity_state(obj).label

    @admin.display(description=_("名单作品数"))
    def work_count(self, obj):
        return obj.work_count

    @admin.display(description=_("待处理异议"))
    def pending_count(self, obj):
        return obj.pending_objections

    @admin.display(description=_("公布时间"), ordering="published_at")
    def published(self, obj):
        return obj.published_at or "—"

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": gettext("公示与公布"), **(extra_context or {})})

    def get_changelist(self, request, **kwargs):
        return ReviewChangeList  # rows link to their 公示 by public id, as its page is addressed

    def get_object(self, request, object_id, from_field=None):
        if not self._ministry(request):
            return None
        return Publicity.objects.filter(public_id=str(object_id)[:32]).first()

    def _publicity_or_404(self, request, public_id: str) -> Publicity:
        self._check(request)
        publicity = self.get_object(request, public_id)
        if publicity is None:
            raise Http404(gettext("未找到该公示。"))
        return publicity

    # --- URLs --------------------------------------------------------------------------------------
    def get_urls(self):
        view = self.admin_site.admin_view
        custom = [
            path("<str:public_id>/publish/", view(self.publish_view), name="awards_publicity_publish"),
            path(
                "<str:public_id>/objections/<str:objection_id>/",
                view(self.objection_view),
                name="awards_publicity_objection",
            ),
            path(
                "<str:public_id>/withdraw/<str:nomination_id>/",
                view(self.withdraw_view),
                name="awards_publicity_withdraw",
            ),
        ]
        return custom + super().get_urls()

    def _context(self, request, title: str, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "changelist_url": reverse(f"{self.admin_site.name}:awards_publicity_changelist"),
            **extra,
        }

    def _detail_url(self, publicity: Publicity) -> str:
        return reverse(f"{self.admin_site.name}:awards_publicity_change", args=[quote(publicity.public_id)])

    # --- 发起公示 -------------------------------------------------------------------------------------
    def _suggested_quarter(self) -> tuple[int, int]:
        """The latest quarter with 入选 works and no 公示 yet; else the one before the quarter taking nominations."""
        opened = Publicity.objects.filter(year=OuterRef("year"), quarter=OuterRef("quarter"))
        row = (
            Nomination.objects.filter(state=S.SELECTED)
            .exclude(Exists(opened))
            .order_by("-year", "-quarter")
            .values_list("year", "quarter")
            .first()
        )
        return row or calendar.previous_quarter(*calendar.applicant_quarter(publication.beijing_today()))

    def add_view(self, request, form_url="", extra_context=None):
        self._check(request)
        starts_on, ends_on = publication.default_dates()
        initial = {"starts_on": starts_on, "ends_on": ends_on}
        initial["year"], initial["quarter"] = self._suggested_quarter()
        form = OpenPublicityForm(request.POST or None, initial=initial)
        confirm = None
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            problems = [
                *publication.date_problems(data["starts_on"], data["ends_on"]),
                *publication.open_problems(data["year"], data["quarter"]),
            ]
            for field, message in problems:
                form.add_error(field, message)
            if not problems and request.POST.get("confirm") == "yes":
                try:
                    publicity = publication.open_publicity(actor=request.user, request=request, **data)
                except ReviewError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                else:
                    self.message_user(
                        request,
                        gettext("已发起%(quarter)s公示（%(start)s 至 %(end)s）。")
                        % {
                            "quarter": publication.quarter_label(publicity.year, publicity.quarter),
                            "start": publicity.starts_on.isoformat(),
                            "end": publicity.ends_on.isoformat(),
                        },
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(self._detail_url(publicity))
            elif not problems:
                rows = [selectors.work_row(n) for n in publication.selected_works(data["year"], data["quarter"])]
                confirm = {"data": data, "groups": selectors.grouped(rows), "count": len(rows)}
        context = self._context(
            request,
            gettext("确认发起公示") if confirm else gettext("发起公示"),
            form=form,
            confirm=confirm,
            days=publication.publicity_days(),
        )
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/awards/publicity/open.html", context)

    # --- the 公示's page ---------------------------------------------------------------------------
    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The admin quotes ids in its URLs ('_' → '_5F'), as the list's row links do.
        publicity = self._publicity_or_404(request, unquote(object_id))
        published = publicity.published_at is not None
        rows = selectors.result_rows(publicity) if published else selectors.publicity_rows(publicity)
        objections = list(
            publicity.objections.select_related("nomination", "disposed_by").order_by(
                Case(When(status=ObjectionStatus.PENDING, then=Value(0)), default=Value(1)), "-created_at"
            )
        )
        for objection in objections:
            objection.masked_phone = mask_phone(objection.contact_phone) if objection.contact_phone else ""
            objection.masked_email = mask_email(objection.contact_email) if objection.contact_email else ""
        context = self._context(
            request,
            gettext("%(quarter)s公示") % {"quarter": publication.quarter_label(publicity.year, publicity.quarter)},
            publicity=publicity,
            state=publication.publicity_state(publicity),
            groups=selectors.grouped(rows),
            published=published,
            objections=objections,
            blocker=publication.publish_blocker(publicity),
            public_url=reverse(
                "awards:results_quarter" if published else "awards:publicity", args=[publicity.year, publicity.quarter]
            ),
        )
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/awards/publicity/detail.html", context)

    # --- 公布 ------------------------------------------------------------------------------------------
    def publish_view(self, request, public_id: str):
        publicity = self._publicity_or_404(request, public_id)
        if request.method == "POST":
            try:
                count = publication.publish_quarter(publicity, actor=request.user, request=request)
            except ReviewError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("已公布%(quarter)s推优结果，共 %(count)s 件作品；推优证书将陆续生成。")
                    % {"quarter": publication.quarter_label(publicity.year, publicity.quarter), "count": count},
                    messages.SUCCESS,
                )
            return HttpResponseRedirect(self._detail_url(publicity))
        rows = selectors.publicity_rows(publicity)
        context = self._context(
            request,
            gettext("确认公布%(quarter)s推优结果")
            % {"quarter": publication.quarter_label(publicity.year, publicity.quarter)},
            publicity=publicity,
            groups=selectors.grouped(rows),
            count=len(rows),
            blocker=publication.publish_blocker(publicity),
            detail_url=self._detail_url(publicity),
        )
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/awards/publicity/publish.html", context)

    # --- 异议处理 --------------------------------------------------------------------------------------
    def objection_view(self, request, public_id: str, objection_id: str):
        publicity = self._publicity_or_404(request, public_id)
        objection = (
            Objection.objects.select_related("nomination", "nomination__platform", "disposed_by")
            .filter(publicity=publicity, public_id=objection_id[:32])
            .first()
        )
        if objection is None:
            raise Http404(gettext("未找到该异议。"))
        form = DisposeObjectionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                publication.dispose_objection(
                    objection,
                    decision=form.cleaned_data["decision"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                    request=request,
                )
            except ReviewError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                self.message_user(request, gettext("异议已处理。"), messages.SUCCESS)
                return HttpResponseRedirect(self._detail_url(publicity))
            objection.refresh_from_db()
        elif request.method == "GET":
            # The objector's name, phone and e-mail in full: a staff view of personal data.
            audit.record("staff.view", request=request, target=objection.public_id, kind="awards.objection")
        context = self._context(
            request,
            gettext("处理异议"),
            publicity=publicity,
            objection=objection,
            form=form,
            pending=objection.status == ObjectionStatus.PENDING,
            detail_url=self._detail_url(publicity),
        )
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/awards/publicity/objection.html", context)

    # --- 撤销 --------------------------------------------------------------------------------------------
    def withdraw_view(self, request, public_id: str, nomination_id: str):
        publicity = self._publicity_or_404(request, public_id)
        nomination = (
            Nomination.objects.select_related("platform", "organisation")
            .filter(public_id=nomination_id[:32], year=publicity.year, quarter=publicity.quarter)
            .filter(state__in=publication.RESULT_STATES)
            .first()
        )
        if nomination is None or publicity.published_at is None:
            raise Http404(gettext("未找到该作品。"))
        form = WithdrawForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                publication.withdraw_result(
                    nomination, reason=form.cleaned_data["reason"], actor=request.user, request=request
                )
            except ReviewError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                self.message_user(
                    request,
                    gettext("已撤销《%(name)s》的入选资格，其推优证书已注销。") % {"name": nomination.name},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(self._detail_url(publicity))
        context = self._context(
            request,
            gettext("撤销入选作品"),
            publicity=publicity,
            nomination=nomination,
            recommending_unit=publication.recommending_unit(nomination),
            form=form,
            withdrawn=nomination.state == S.WITHDRAWN,
            detail_url=self._detail_url(publicity),
        )
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/awards/publicity/withdraw.html", context)
