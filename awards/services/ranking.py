"""Ranking of a quarter's recommended works by their expert scores."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Avg,
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Greatest, RowNumber, Sqrt
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import audit
from review.engine import Refused, ReviewError, perform

from ..enums import NominationState
from ..models import Nomination, Score
from ..rules import is_nrta_ministry
from .errors import NotPermitted


def quorum() -> int:
    """Scores a work needs before it is ranked (and may be marked 入选); a setting, default 3."""
    return int(getattr(settings, "AWARDS_SCORE_QUORUM", 3))


def ensure_rankable(nomination: Nomination) -> None:
    """Refuse 入选 for a work below the quorum of expert scores (the 入选 guard)."""
    count = Score.objects.filter(nomination=nomination).count()
    if count < quorum():
        raise Refused(
            gettext("该作品只有 %(count)s 位专家评分，不足 %(quorum)s 位，暂不能确定入选。")
            % {"count": count, "quorum": quorum()}
        )


# --- the ranking of a quarter (NRTA ministry staff) -------------------------------------------
#
# Every statistic is computed by the database in the ranking query itself (the scores are
# joined and aggregated; the median comes from a window-function subquery), so the page costs
# the same few queries for 20 works or 2,000 and no Score row is ever loaded into Python.
# The SQL is plain enough for both SQLite and PostgreSQL.

# States of the works the ranking lists: still in the expert round, or decided from it.
RANKING_STATES = (NominationState.IN_EXPERT_REVIEW, NominationState.SELECTED, NominationState.NOT_SELECTED)
# What the ranking shows of a work.
LIST_FIELDS = (
    "public_id",
    "state",
    "year",
    "quarter",
    "kind",
    "bureau",
    "province",
    "reference",
    "name",
    "work_type",
    "producer",
    "submitted_at",
    "organisation__name",
    "platform__name",
)
# From this many scores up, the highest and the lowest are dropped (去掉一个最高分和一个最低分).
TRIM_FROM = 5

# The ranking order, printed under the table (ties are broken by the next key, down the chain).
TIE_BREAK_CHAIN = (
    _("排序分从高到低：评分达到 5 位专家（含）时为去掉一个最高分和一个最低分后的平均分（截尾平均分），否则为平均分"),
    _("中位数从高到低"),
    _("分歧度（评分的总体标准差）从低到高"),
    _("评分专家人数从多到少"),
    _("申报时间从早到晚"),
    _("申报编号按字母和数字顺序"),
)


@dataclass(frozen=True)
class RankingSummary:
    """How many works of the list are in each state (one aggregate query)."""

    total: int
    in_review: int
    selected: int
    not_selected: int
    ranked: int


def _median() -> Subquery:
    """The median score of the outer nomination, from the middle row(s) of its ordered scores.

    Over the work's own scores, ``ROW_NUMBER() OVER (ORDER BY score)`` and ``COUNT(*) OVER ()``
    pick, for n scores, the rows ⌊(n+1)/2⌋ … ⌊n/2⌋+1 (one row for an odd n, two for an even n);
    their average is the median. Integer division is the same on SQLite and PostgreSQL. The
    window runs per work on its few scores (an index lookup): a window over the whole quarter's
    scores, joined back, was re-evaluated per work (28 s on PostgreSQL for 2,000 × 7, against
    75 ms this way).
    """
    middle = (
        Score.objects.filter(nomination=OuterRef(OuterRef("pk")))  # the work's own few scores, not the quarter's
        .annotate(
            row=Window(RowNumber(), order_by=[F("score").asc(), F("pk").asc()]),
            rows=Window(Count("pk")),
        )
        .filter(row__gte=(F("rows") + 1) / 2, row__lte=F("rows") / 2 + 1)
        .values("pk")
    )
    per_work = (
        Score.objects.filter(nomination=OuterRef("pk"), pk__in=middle)
        .order_by()
        .values("nomination")
        .annotate(value=Avg("score", output_field=FloatField()))
        .values("value")
    )
    return Subquery(per_work, output_field=FloatField())


def ranking_base(year: int, quarter: int, kind: str | None = None) -> QuerySet[Nomination]:
    """The quarter's works in 专家评议 / 入选 / 未入选 (optionally of one 项目类型), unannotated."""
    qs = Nomination.objects.filter(year=year, quarter=quarter, state__in=[str(s) for s in RANKING_STATES])
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def ranking_stats(year: int, quarter: int, kind: str | None = None) -> QuerySet[Nomination]:
    """The listed works, each annotated with its statistics (no order, no place).

    ``score_count``, ``score_mean``, ``score_median``, ``score_sd`` (分歧度, the population
    standard deviation), ``score_trimmed`` (from :data:`TRIM_FROM` scores up, else None),
    ``rank_score`` (the trimmed mean where there is one, else the mean) and ``is_ranked``
    (1 when the work has the quorum of scores, else 0).
    """
    trimmed = Case(
        When(
            score_count__gte=TRIM_FROM,
            then=ExpressionWrapper(
                (Sum("scores__score") - Max("scores__score") - Min("scores__score"))
                * Value(1.0)
                / (Count("scores") - Value(2)),
                output_field=FloatField(),
            ),
        ),
        default=Value(None),
        output_field=FloatField(),
    )
    return (
        ranking_base(year, quarter, kind)
        .select_related("organisation", "platform")
        .only(*LIST_FIELDS)
        .annotate(
            score_count=Count("scores"),
            score_mean=Avg("scores__score", output_field=FloatField()),
            # Population standard deviation as √(E[x²] − E[x]²), plain SQL on both databases (SQLite's
            # STDDEV_POP is a Python aggregate that fails on a work without scores); never √ of a
            # rounding error below 0, and none without scores (GREATEST skips NULL on PostgreSQL).
            score_sd=Case(
                When(score_count=0, then=Value(None)),
                default=Sqrt(
                    Greatest(
                        Avg(F("scores__score") * F("scores__score"), output_field=FloatField())
                        - Avg("scores__score", output_field=FloatField())
                        * Avg("scores__score", output_field=FloatField()),
                        Value(0.0),
                        output_field=FloatField(),
                    ),
                    output_field=FloatField(),
                ),
                output_field=FloatField(),
            ),
        )
        .annotate(
            score_trimmed=trimmed,
            score_median=_median(),
            is_ranked=Case(
                When(score_count__gte=quorum(), then=Value(1)), default=Value(0), output_field=IntegerField()
            ),
        )
        .annotate(rank_score=Coalesce("score_trimmed", "score_mean", output_field=FloatField()))
    )


def ranking(year: int, quarter: int, kind: str | None = None) -> QuerySet[Nomination]:
    """The ranking, in order: :func:`ranking_stats` plus ``position``.

    ``position`` is 1, 2, 3 … among the ranked works (those with the quorum of scores), in
    :data:`TIE_BREAK_CHAIN` order (a window function, so a page of the list knows its places);
    the works below the quorum follow, numbered apart and shown unranked.
    """
    chain = [
        F("rank_score").desc(nulls_last=True),
        F("score_median").desc(nulls_last=True),
        F("score_sd").asc(nulls_last=True),
        F("score_count").desc(),
        F("submitted_at").asc(nulls_last=True),
        F("reference").asc(),
        F("pk").asc(),
    ]
    return (
        ranking_stats(year, quarter, kind)
        .annotate(position=Window(RowNumber(), partition_by=[F("is_ranked")], order_by=chain))
        .order_by(F("is_ranked").desc(), "position")
    )


def ranking_summary(year: int, quarter: int, kind: str | None = None) -> RankingSummary:
    """Counts of the listed works by state, and how many reach the quorum (one query)."""
    ranked = Subquery(
        Score.objects.filter(nomination=OuterRef("pk"))
        .order_by()
        .values("nomination")
        .annotate(c=Count("pk"))
        .values("c")
    )
    S = NominationState
    row = (
        ranking_base(year, quarter, kind)
        .annotate(c=Coalesce(ranked, Value(0)))
        .aggregate(
            total=Count("pk"),
            in_review=Count("pk", filter=Q(state=S.IN_EXPERT_REVIEW)),
            selected=Count("pk", filter=Q(state=S.SELECTED)),
            not_selected=Count("pk", filter=Q(state=S.NOT_SELECTED)),
            ranked=Count("pk", filter=Q(c__gte=quorum())),
        )
    )
    return RankingSummary(**{key: value or 0 for key, value in row.items()})


# --- 入选 / 未入选 from the ranking ----------------------------------------------------------

DECISIONS = {"select": NominationState.SELECTED, "not_select": NominationState.NOT_SELECTED}
MAX_DECISIONS = 2000


@dataclass
class PlannedDecision:
    """One ticked work on the confirmation page: what will change, or why it will not."""

    nomination: Nomination  # annotated by ranking_stats
    target: str
    problem: str = ""  # why it will not change (empty: it will)

    @property
    def will_change(self) -> bool:
        return not self.problem


@dataclass
class DecisionOutcome:
    nomination: Nomination
    done: bool
    message: str


PUBLIC_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,32}")


def _clean_ids(public_ids: Iterable[str]) -> list[str]:
    """Public ids as they are made (``secrets.token_urlsafe``); anything else (a NUL, a long string) is dropped."""
    seen: dict[str, None] = {}
    for value in public_ids:
        if isinstance(value, str) and PUBLIC_ID_RE.fullmatch(value):
            seen.setdefault(value, None)
    return list(seen)[:MAX_DECISIONS]


def plan_decisions(year: int, quarter: int, public_ids: Iterable[str], decision: str) -> list[PlannedDecision]:
    """The confirmation page: the ticked works of the quarter's ranking, each with its change.

    Works not (any more) in 专家评议 are listed as unchanged; for 入选 a work below the quorum
    is listed with the refusal it will get. One query.
    """
    if decision not in DECISIONS:
        raise ValueError(f"unknown decision {decision!r}")
    target = DECISIONS[decision]
    ids = _clean_ids(public_ids)
    if not ids:
        return []
    rows = (
        ranking_stats(year, quarter)
        .filter(public_id__in=ids)
        .order_by(F("rank_score").desc(nulls_last=True), "reference", "pk")
    )
    planned = []
    for nomination in rows:
        problem = ""
        if nomination.state != NominationState.IN_EXPERT_REVIEW:
            problem = gettext("当前状态为“%(state)s”，不会改变。") % {"state": nomination.get_state_display()}
        elif decision == "select" and nomination.score_count < quorum():
            problem = gettext("只有 %(count)s 位专家评分，不足 %(quorum)s 位，不能入选。") % {
                "count": nomination.score_count,
                "quorum": quorum(),
            }
        planned.append(PlannedDecision(nomination, target, problem))
    return planned


def decide(
    actor, year: int, quarter: int, public_ids: Iterable[str], decision: str, *, request=None
) -> list[DecisionOutcome]:
    """Mark the ticked works 入选 / 未入选, one ``perform`` each; refusals are reported per work."""
    if not is_nrta_ministry(actor):
        raise NotPermitted(gettext("只有国家广播电视总局工作人员可以确定入选作品。"))
    if decision not in DECISIONS:
        raise ValueError(f"unknown decision {decision!r}")
    ids = _clean_ids(public_ids)
    works = list(ranking_base(year, quarter).filter(public_id__in=ids).order_by("reference", "pk"))
    outcomes = []
    for nomination in works:
        try:
            perform(nomination, decision, actor=actor)
        except ReviewError as exc:
            outcomes.append(DecisionOutcome(nomination, False, exc.message))
            continue
        audit.record(
            "awards.ranking_decision", request=request, actor=actor, target=nomination.reference, decision=decision
        )
        outcomes.append(DecisionOutcome(nomination, True, str(DECISIONS[decision].label)))
    return outcomes
