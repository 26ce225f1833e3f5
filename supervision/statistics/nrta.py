"""NRTA statistics: nominations, recommendations and quota use per province and quarter; reasons by category."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from awards import rules
from awards.enums import NominationState, ReasonCategory
from awards.models import QUOTA_DEFAULT, Nomination, QuotaLedger
from common import regions
from common.replica import reads_from_replica
from review.models import ReviewRecord

from .tables import Table, ratio

S = NominationState
# States a work reaches only through 推荐 (or a central unit's direct submission).
RECOMMENDED = (S.RECOMMENDED, S.IN_EXPERT_REVIEW, S.SELECTED, S.NOT_SELECTED, S.PUBLISHED, S.WITHDRAWN)


def _quarter_q(quarters: list[tuple[int, int]]) -> Q:
    q = Q(pk=None)
    for year, quarter in quarters:
        q |= Q(year=year, quarter=quarter)
    return q


@reads_from_replica  # DATABASE_REPLICA_URL: these reads go to the read replica
def tables(user, viewer, quarters: list[tuple[int, int]], province: str = "") -> list[Table]:
    scope = rules.reviewer_scope(user)
    noms = Nomination.objects.exclude(state=S.DRAFT).filter(_quarter_q(quarters)).order_by()
    noms = noms.none() if scope is None else noms.filter(scope)  # (Q() is falsy: test for None)
    ledgers = QuotaLedger.objects.filter(_quarter_q(quarters)).order_by()
    if scope is None:
        ledgers = ledgers.none()
    elif not viewer.national:
        ledgers = ledgers.filter(province=viewer.province)
    if province:
        noms, ledgers = noms.filter(province=province), ledgers.filter(province=province)
    recommended = Count("pk", filter=Q(state__in=list(RECOMMENDED)))
    headers = [_("申报作品"), _("推荐作品"), _("推荐名额"), _("已用名额"), _("名额使用率")]
    # The quota rule (awards.services.quota.usage, awards.selectors.quota_table): a province without a ledger
    # row in a quarter has the default limit (the row is written at its first 推荐 or a raise). Reading only
    # the rows showed 推荐名额 0 for quarters and provinces whose works were recommended without one.
    provinces = [] if scope is None else [r.code for r in regions.REGIONS] if viewer.national else [viewer.province]
    if province:
        provinces = [code for code in provinces if code == province]
    rows = ledgers.values_list("year", "quarter", "province", "limit", "used")
    ledger_of = {(y, q, p): (limit, used) for y, q, p, limit, used in rows}
    by_quarter_figures = {
        (r["year"], r["quarter"]): r for r in noms.values("year", "quarter").annotate(n=Count("pk"), rec=recommended)
    }
    active = sorted(set(by_quarter_figures) | {(y, q) for y, q, _p in ledger_of})
    quota = {}  # {(year, quarter) or province: [limit, used]} over the active quarters
    for year, quarter in active:
        for code in provinces:
            limit, used = ledger_of.get((year, quarter, code), (QUOTA_DEFAULT, 0))
            for key in ((year, quarter), code):
                entry = quota.setdefault(key, [0, 0])
                entry[0] += limit
                entry[1] += used

    def build(key, title, label, figures, keys):
        table = Table(key, title, [label, *headers], chart="bar", series=(1, 2, 4))
        for k in sorted(keys):
            f = figures.get(k, {})
            limit, used = quota.get(k, (0, 0))
            table.rows.append([name_of(k), f.get("n", 0), f.get("rec", 0), limit, used, ratio(used, limit)])
        return table

    def name_of(k):
        if isinstance(k, tuple):
            return f"{k[0]}Q{k[1]}"
        return regions.name(k) or _("国家广播电视总局（中央直属单位）")

    by_quarter = build("quarter", _("按季度"), _("季度"), by_quarter_figures, by_quarter_figures.keys() | set(active))
    by_province_figures = {r["province"]: r for r in noms.values("province").annotate(n=Count("pk"), rec=recommended)}
    # A province is a row when it has works or a ledger row (not every province at the default).
    with_ledger = {p for _y, _q, p in ledger_of}
    by_province = build(
        "province", _("按省份"), _("省份"), by_province_figures, by_province_figures.keys() | with_ledger
    )

    ct = ContentType.objects.get_for_model(Nomination)
    reasons = (
        ReviewRecord.objects.filter(
            content_type=ct, transition__in=("return", "not_recommend"), object_id__in=noms.values("pk")
        )
        .order_by()
        .values("reason", "transition")
        .annotate(n=Count("pk"))
    )
    counts = {(r["reason"], r["transition"]): r["n"] for r in reasons}
    by_reason = Table("reasons", _("退回修改和不推荐原因"), [_("原因类别"), _("退回修改"), _("不推荐"), _("合计")],
                      chart="stack", series=(1, 2))  # fmt: skip
    for key, label in ReasonCategory.choices:
        returned, refused = counts.get((key, "return"), 0), counts.get((key, "not_recommend"), 0)
        by_reason.rows.append([str(label), returned, refused, returned + refused])
    return [by_quarter, by_province, by_reason]
