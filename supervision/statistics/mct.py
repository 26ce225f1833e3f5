"""MCT statistics: applications by type, state, province and month; time from submission to decision.

Every figure is a GROUP BY in the database over the official's scope (``filings.rules.reviewer_scope``)
and the period (month of submission); drafts are not applications yet and are never counted.
"""

from __future__ import annotations

from django.db.models import CharField, Count, F, Q, Value
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from common import regions
from common.replica import reads_from_replica
from filings import rules
from filings.enums import DONE_STATES, FilingKind, FilingState
from filings.models import ChangeRequest, Filing

from . import inspections
from .aggregates import DaysBetween, percentiles
from .forms import month_bounds, month_index, month_of
from .tables import Table, days

STATES = (
    FilingState.SUBMITTED,
    FilingState.REVIEWING,
    FilingState.APPROVED,
    FilingState.REJECTED,
    FilingState.RETURNED,
)
CHANGE = "change"


def _querysets(user, first: int, last: int, province: str):
    start, end = month_bounds(first, last)
    period = Q(submitted_at__gte=start, submitted_at__lt=end)
    filings = Filing.objects.exclude(state=FilingState.DRAFT).filter(period)
    changes = ChangeRequest.objects.exclude(state=FilingState.DRAFT).filter(period)
    scope, change_scope = rules.reviewer_scope(user), rules.reviewer_scope(user, kind_field="filing__kind")
    # (Q() is falsy: test for None, not truth)
    filings = filings.none() if scope is None else filings.filter(scope)
    changes = changes.none() if change_scope is None else changes.filter(change_scope)
    if province:
        filings, changes = filings.filter(province=province), changes.filter(province=province)
    return filings.order_by(), changes.order_by()


def type_labels() -> dict[str, str]:
    return {FilingKind.DOMESTIC: _("国产"), FilingKind.IMPORT: _("进口"), CHANGE: _("变更")}


@reads_from_replica  # DATABASE_REPLICA_URL: these reads go to the read replica
def tables(user, first: int, last: int, province: str = "") -> list[Table]:
    filings, changes = _querysets(user, first, last, province)
    labels = type_labels()
    state_labels = [str(FilingState(s).label) for s in STATES]

    # 1 by type and state
    counts = {(r["kind"], r["state"]): r["n"] for r in filings.values("kind", "state").annotate(n=Count("pk"))}
    counts |= {(CHANGE, r["state"]): r["n"] for r in changes.values("state").annotate(n=Count("pk"))}
    by_state = Table("type_state", _("按类型和状态"), [_("类型"), *state_labels, _("合计")], chart="stack",
                     series=tuple(range(1, len(STATES) + 1)))  # fmt: skip
    for key, label in labels.items():
        row = [counts.get((key, s), 0) for s in STATES]
        by_state.rows.append([label, *row, sum(row)])

    # 2 by province
    per_province = {
        (r["province"], r["kind"]): r["n"] for r in filings.values("province", "kind").annotate(n=Count("pk"))
    }
    per_province |= {(r["province"], CHANGE): r["n"] for r in changes.values("province").annotate(n=Count("pk"))}
    by_province = Table("province", _("按省份"), [_("省份"), *labels.values(), _("合计")], chart="stack",
                        series=(1, 2, 3))  # fmt: skip
    codes = sorted({p for p, _k in per_province})
    for code in codes:
        row = [per_province.get((code, k), 0) for k in labels]
        by_province.rows.append([regions.name(code) or code, *row, sum(row)])

    # 3 by month (Beijing time)
    tz = timezone.get_current_timezone()
    monthly = {}
    for qs, key in ((filings, "kind"), (changes, None)):
        values = qs.annotate(month=TruncMonth("submitted_at", tzinfo=tz))
        rows = (
            values.values("month", key).annotate(n=Count("pk"))
            if key
            else values.values("month").annotate(n=Count("pk"))
        )
        for r in rows:
            m = r["month"]
            monthly[(month_index(m.year, m.month), r[key] if key else CHANGE)] = r["n"]
    by_month = Table("month", _("按月份"), [_("月份"), *labels.values(), _("合计")], chart="line", series=(1, 2, 3))
    for index in range(first, last + 1):
        y, m = month_of(index)
        row = [monthly.get((index, k), 0) for k in labels]
        by_month.rows.append([f"{y}-{m:02d}", *row, sum(row)])

    # 4 time from submission to decision (已通过 / 未通过), in days
    decided = Q(state__in=list(DONE_STATES), decided_at__isnull=False)
    duration = DaysBetween(F("submitted_at"), F("decided_at"))
    by_kind = percentiles(filings.filter(decided), "kind", duration)
    by_kind |= percentiles(changes.filter(decided).annotate(t=Value(CHANGE, output_field=CharField())), "t", duration)
    headers = [_("已办结件数"), pgettext("statistics", "中位数（天）"), pgettext("statistics", "90%分位（天）")]
    time_kind = Table("time_type", _("审核用时（提交至办结）按类型"), [_("类型"), *headers], series=(2, 3))
    for key, label in labels.items():
        v = by_kind.get(key)
        time_kind.rows.append([label, v["n"] if v else 0, days(v and v[0.5]), days(v and v[0.9])])
    by_prov = percentiles(filings.filter(decided), "province", duration)
    time_province = Table("time_province", _("审核用时（提交至办结）按省份"), [_("省份"), *headers], series=(2, 3),
                          note=_("国产和进口申请，不含变更。"))  # fmt: skip
    for code in sorted(by_prov):
        v = by_prov[code]
        time_province.rows.append([regions.name(code) or code, v["n"], days(v[0.5]), days(v[0.9])])
    # 日常巡查 (supervision.inspections): overdue programmes and inspection cases, aggregated the same way
    return [by_state, by_province, by_month, time_kind, time_province, *inspections.tables(user, first, last, province)]
