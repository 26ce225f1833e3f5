"""MCT statistics of 日常巡查: cases by kind and status, and by province, found in the period.

Two GROUP BY queries over the viewer's cases (``supervision.inspections.selectors.visible_cases``: an
official's province, ministry staff all); the period is the month the case was found in (Beijing dates).
逾期未备案 is the count of programmes found overdue; 未办结 the cases not yet 已处理.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from common import regions
from supervision.inspections.enums import CaseKind, CaseStatus
from supervision.inspections.selectors import visible_cases
from supervision.inspections.signals import cases_changed

from . import cache
from .forms import month_bounds
from .tables import Table


def _cases(user, first: int, last: int, province: str):
    start, end = month_bounds(first, last)
    qs = visible_cases(user).filter(
        found_on__gte=timezone.localtime(start).date(), found_on__lt=timezone.localtime(end).date()
    )
    if province:
        qs = qs.filter(province=province)
    return qs.order_by()


def tables(user, first: int, last: int, province: str = "") -> list[Table]:
    cases = _cases(user, first, last, province)
    status_labels = [str(s.label) for s in CaseStatus]
    counts = {(r["kind"], r["status"]): r["n"] for r in cases.values("kind", "status").annotate(n=Count("pk"))}
    by_kind = Table("inspection_kind", _("日常巡查：按问题类型和处理状态"), [_("问题类型"), *status_labels, _("合计")],
                    chart="stack", series=tuple(range(1, len(CaseStatus) + 1)),
                    note=_("按发现日期统计；逾期未备案即首场演出后超过备案期限仍未通过备案的国产节目。"))  # fmt: skip
    for kind in CaseKind:
        row = [counts.get((kind.value, s.value), 0) for s in CaseStatus]
        by_kind.rows.append([str(kind.label), *row, sum(row)])

    open_ = ~Q(status=CaseStatus.HANDLED)
    per_province = (
        cases.values("province")
        .annotate(
            **{k.value: Count("pk", filter=Q(kind=k.value)) for k in CaseKind},
            open=Count("pk", filter=open_),
            n=Count("pk"),
        )
        .order_by("province")
    )
    by_province = Table("inspection_province", _("日常巡查：按省份"),
                        [_("省份"), *[str(k.label) for k in CaseKind], _("未办结"), _("合计")],
                        chart="stack", series=(1, 2, 3))  # fmt: skip
    for r in per_province:
        by_province.rows.append(
            [regions.name(r["province"]) or r["province"], *[r[k.value] for k in CaseKind], r["open"], r["n"]]
        )
    return [by_kind, by_province]


@receiver(cases_changed, dispatch_uid="supervision.statistics.inspections")
def on_cases_changed(sender, **kwargs) -> None:
    """Cases opened, closed or disposed of: the cached MCT tables (which count them) are stale."""
    cache.bump()
