"""The expert round on the reviewers' site (/staff/), for NRTA ministry staff.

* 专家分配 (:class:`ExpertAssignmentAdmin`): assign NRTA experts to a quarter
  with their organisation (used by the automatic conflict check); an
  assignment with declarations or scores cannot be deleted.
* 排名 (``ranking/``): a quarter's works in 专家评议 / 入选 / 未入选 with the
  statistics computed by the database (``services.ranking``), the tie-break
  chain printed under the table, and 入选 / 未入选 of the ticked works (or the
  first N, or all the rest) through a confirmation page listing exactly what
  will change; each work goes through ``review.engine.perform`` and a refusal
  (the quorum) is shown for that work.
* 评分明细 (``ranking/<public_id>/``): each expert's score, 推优标准 and comment of
  one work, and the declared conflicts (audited: staff reading experts' opinions).

Nobody but NRTA ministry staff sees any of it (provincial officials, MCT staff
and experts get 403).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts import audit
from review.staff import reviewer_site

from . import rules, selectors
from .enums import Criterion, NominationState, ProjectKind
from .forms_experts import AssignmentForm, DecisionForm, RankingFilterForm
from .models import ConflictDeclaration, ExpertAssignment, Nomination, Score
from .services import experts as expert_services
from .services import ranking

PER_PAGE = 100
ADMIN_CSS = "awards/experts.css"


def _ministry_only(request) -> None:
    if not rules.is_nrta_ministry(request.user):
        raise PermissionDenied


def _default_quarter() -> selectors.Quarter:
    """The newest quarter with works in the expert round or decided from it, else the one in review."""
    row = (
        Nomination.objects.filter(state__in=[str(s) for s in ranking.RANKING_STATES])
        .order_by("-year", "-quarter")
        .values("year", "quarter")
        .first()
    )
    return selectors.Quarter(row["year"], row["quarter"]) if row else selectors.review_quarter()


@admin.register(ExpertAssignment, site=reviewer_site)
class ExpertAssignmentAdmin(admin.ModelAdmin):
    form = AssignmentForm
    list_display = ("expert_name", "expert_account", "quarter_label", "organisation_name", "scored", "assigned_by_name")
    list_filter = ("year", "quarter")
    search_fields = ("expert__full_name", "expert__username", "organisation_name")
    search_help_text = _("可按专家姓名、登录账号、所在单位搜索。")
    list_select_related = ("expert", "assigned_by")
    ordering = ("-year", "-quarter", "expert__full_name")
    change_list_template = "admin/awards/expertassignment/change_list.html"
    actions = None
    show_full_result_count = False

    # --- permissions: NRTA ministry staff only ----------------------------------------
    def has_module_permission(self, request) -> bool:
        return rules.is_nrta_ministry(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return rules.is_nrta_ministry(request.user)

    def has_add_permission(self, request) -> bool:
        return rules.is_nrta_ministry(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return rules.is_nrta_ministry(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        if not rules.is_nrta_ministry(request.user) or obj is None:
            return False
        # An assignment that has declared or scored keeps its records.
        return not (obj.declarations.exists() or obj.scores.exists())

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if not rules.is_nrta_ministry(request.user):
            return qs.none()
        return qs.annotate(score_total=Count("scores"))

    # --- columns ----------------------------------------------------------------------------
    @admin.display(description=_("专家"), ordering="expert__full_name")
    def expert_name(self, obj):
        return obj.expert.get_full_name()

    @admin.display(description=_("登录账号"), ordering="expert__username")
    def expert_account(self, obj):
        return obj.expert.get_username()

    @admin.display(description=_("季度"), ordering="year")
    def quarter_label(self, obj):
        return gettext("%(year)s年第%(quarter)s季度") % {"year": obj.year, "quarter": obj.quarter}

    @admin.display(description=_("已评分"), ordering="score_total")
    def scored(self, obj):
        return obj.score_total

    @admin.display(description=_("分配人"))
    def assigned_by_name(self, obj):
        return obj.assigned_by.get_full_name() if obj.assigned_by else ""

    # --- saving through the service ---------------------------------------------------------
    def get_changeform_initial_data(self, request):
        quarter = selectors.review_quarter()
        return {"year": quarter.year, "quarter": quarter.quarter, **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        expert_services.save_assignment(request.user, obj, created=not change, request=request)

    def delete_model(self, request, obj):
        audit.record(
            "awards.expert_unassigned",
            request=request,
            target=f"{obj.year}Q{obj.quarter}",
            expert=obj.expert.get_username(),
        )
        super().delete_model(request, obj)

    # --- the card on the /staff/ index ------------------------------------------------------------
    def queue_summary(self, request) -> dict:
        """专家评议 of the newest quarter in the expert round: how many works in each state (2 queries)."""
        quarter = _default_quarter()
        summary = ranking.ranking_summary(quarter.year, quarter.quarter)
        S = NominationState
        return {
            "title": gettext("专家评议排名（%(year)s年第%(quarter)s季度）")
            % {"year": quarter.year, "quarter": quarter.quarter},
            "url": reverse(f"{self.admin_site.name}:awards_ranking"),
            "queues": [
                {"key": S.IN_EXPERT_REVIEW.value, "label": S.IN_EXPERT_REVIEW.label, "count": summary.in_review},
                {"key": S.SELECTED.value, "label": S.SELECTED.label, "count": summary.selected},
                {"key": S.NOT_SELECTED.value, "label": S.NOT_SELECTED.label, "count": summary.not_selected},
            ],
            "notes": [
                {
                    "text": gettext("评分达到 %(quorum)s 位专家、参加排名的 %(ranked)s 件")
                    % {"quorum": ranking.quorum(), "ranked": summary.ranked},
                    "url": "",
                }
            ],
        }

    # --- the ranking ---------------------------------------------------------------------------
    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("ranking/", view(self.ranking_view), name="awards_ranking"),
            path("ranking/decide/", view(require_POST(self.decide_view)), name="awards_ranking_decide"),
            path("ranking/<str:public_id>/", view(self.scores_view), name="awards_ranking_scores"),
        ] + super().get_urls()

    def _context(self, request, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "ranking_url": reverse(f"{self.admin_site.name}:awards_ranking"),
            "extra_css": ADMIN_CSS,
            **extra,
        }

    def _filters(self, params) -> tuple[selectors.Quarter, str]:
        quarter = selectors.parse_quarter(params.get("quarter")) or _default_quarter()
        kind = params.get("kind", "")
        return quarter, kind if kind in ProjectKind.values else ""

    def _ranking_url(self, quarter, kind: str) -> str:
        query = {"quarter": quarter.key, **({"kind": kind} if kind else {})}
        return reverse(f"{self.admin_site.name}:awards_ranking") + "?" + urlencode(query)

    def ranking_view(self, request):
        _ministry_only(request)
        quarter, kind = self._filters(request.GET)
        quarters = selectors.quarter_choices()
        if quarter not in quarters:
            quarters = sorted({*quarters, quarter}, key=lambda q: (q.year, q.quarter), reverse=True)
        summary = ranking.ranking_summary(quarter.year, quarter.quarter, kind or None)
        paginator = Paginator(ranking.ranking(quarter.year, quarter.quarter, kind or None), PER_PAGE)
        paginator.count = summary.total  # known from the summary: no second count query
        page = paginator.get_page(request.GET.get("page"))
        context = self._context(
            request,
            gettext("专家评议排名"),
            quarter=quarter,
            kind=kind,
            filter_form=RankingFilterForm(initial={"quarter": quarter.key, "kind": kind}, quarters=quarters),
            summary=summary,
            page=page,
            rows=list(page.object_list),
            quorum=ranking.quorum(),
            trim_from=ranking.TRIM_FROM,
            chain=ranking.TIE_BREAK_CHAIN,
            decision_form=DecisionForm(),
            page_query=urlencode({"quarter": quarter.key, **({"kind": kind} if kind else {})}),
        )
        return TemplateResponse(request, "admin/awards/expertassignment/ranking.html", context)

    def _ticked(self, request, quarter, kind: str) -> list[str]:
        """The works the staff chose: ticked boxes, the first N ranked, or all the rest in 专家评议."""
        scope = request.POST.get("scope", "")
        if scope == "top":
            try:
                top = int(request.POST.get("top", ""))
            except ValueError:
                return []
            if not 0 < top <= ranking.MAX_DECISIONS:
                return []
            rows = ranking.ranking(quarter.year, quarter.quarter, kind or None).values_list("public_id", "is_ranked")
            return [public_id for public_id, ranked in rows[:top] if ranked]
        if scope == "rest":
            rest = ranking.ranking_base(quarter.year, quarter.quarter, kind or None).filter(
                state=NominationState.IN_EXPERT_REVIEW
            )
            return list(rest.values_list("public_id", flat=True)[: ranking.MAX_DECISIONS])
        return request.POST.getlist("works")

    def decide_view(self, request):
        """The confirmation page (lists exactly what will change), then 入选 / 未入选 on 确认."""
        _ministry_only(request)
        quarter, kind = self._filters(request.POST)
        back = self._ranking_url(quarter, kind)
        if selectors.parse_quarter(request.POST.get("quarter")) is None:  # never act on a guessed quarter
            messages.error(request, gettext("请选择季度。"))
            return HttpResponseRedirect(back)
        form = DecisionForm(request.POST)
        if not form.is_valid():
            for error in form.errors.get("decision", []):
                messages.error(request, error)
            return HttpResponseRedirect(back)
        decision = form.cleaned_data["decision"]
        ids = self._ticked(request, quarter, kind)
        planned = ranking.plan_decisions(quarter.year, quarter.quarter, ids, decision)
        if not planned:
            messages.error(request, gettext("请至少勾选一件作品（或填写有效的名次）。"))
            return HttpResponseRedirect(back)
        if request.POST.get("confirm") != "yes":
            label = dict(DecisionForm.base_fields["decision"].choices)[decision]
            context = self._context(
                request,
                gettext("确认标记为%(decision)s") % {"decision": label},
                quarter=quarter,
                kind=kind,
                decision=decision,
                decision_label=label,
                planned=planned,
                changing=[p for p in planned if p.will_change],
                back_url=back,
            )
            return TemplateResponse(request, "admin/awards/expertassignment/decide.html", context)
        # Only works still in 专家评议 are performed (a guard's refusal is shown per work).
        ids = [p.nomination.public_id for p in planned if p.nomination.state == NominationState.IN_EXPERT_REVIEW]
        outcomes = ranking.decide(request.user, quarter.year, quarter.quarter, ids, decision, request=request)
        done = [o for o in outcomes if o.done]
        if done:
            messages.success(
                request,
                gettext("已将 %(count)s 件作品标记为%(decision)s。")
                % {"count": len(done), "decision": dict(DecisionForm.base_fields["decision"].choices)[decision]},
            )
        for outcome in outcomes:
            if not outcome.done:
                messages.error(
                    request,
                    gettext("《%(name)s》（%(ref)s）未能标记：%(why)s")
                    % {"name": outcome.nomination.name, "ref": outcome.nomination.reference, "why": outcome.message},
                )
        return HttpResponseRedirect(back)

    def scores_view(self, request, public_id: str):
        """评分明细 of one work of the ranking: who scored what, and who declared a conflict."""
        _ministry_only(request)
        nomination = (
            Nomination.objects.filter(public_id=public_id, state__in=[str(s) for s in ranking.RANKING_STATES])
            .select_related("organisation", "platform")
            .first()
        )
        if nomination is None:
            raise Http404
        scores = list(
            Score.objects.filter(nomination=nomination).select_related("assignment__expert").order_by("-score", "at")
        )
        conflicts = list(
            ConflictDeclaration.objects.filter(nomination=nomination, has_conflict=True)
            .select_related("assignment__expert")
            .order_by("at")
        )
        audit.record("awards.scores_viewed", request=request, target=nomination.reference, scores=len(scores))
        stats = ranking.ranking_stats(nomination.year, nomination.quarter).get(pk=nomination.pk)
        context = self._context(
            request,
            gettext("评分明细：%(name)s") % {"name": nomination.name},
            nomination=nomination,
            stats=stats,
            scores=scores,
            conflicts=conflicts,
            criteria_labels=dict(Criterion.choices),
            back_url=self._ranking_url(selectors.Quarter(nomination.year, nomination.quarter), ""),
        )
        return TemplateResponse(request, "admin/awards/expertassignment/scores.html", context)


def ranking_link() -> str:
    """Address of the ranking page (for links from other pages of /staff/)."""
    return reverse(f"{reviewer_site.name}:awards_ranking")
