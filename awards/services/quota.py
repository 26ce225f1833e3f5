"""The provincial quota: in principle at most 10 recommendations per province and quarter.

One ledger row per (year, quarter, province) holds the limit and the count. The
推荐 transition's guard locks that row (``select_for_update``) inside the
transition's transaction, so two officials recommending at the same moment are
serialised: the second sees the first's count and is refused past the limit
(on PostgreSQL; SQLite serialises writers anyway). NRTA staff raise one
province's limit for one quarter with a recorded reason and approver.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from common import regions
from review.engine import Refused

from ..models import QUOTA_DEFAULT, Nomination, QuotaLedger, QuotaRaise
from ..rules import is_nrta_ministry
from .errors import AwardError, NotPermitted


def _ledger_for_update(year: int, quarter: int, province: str) -> QuotaLedger:
    """The ledger row, created if missing, locked until the end of the transaction."""
    qs = QuotaLedger.objects.select_for_update()
    ledger = qs.filter(year=year, quarter=quarter, province=province).first()
    if ledger is not None:
        return ledger
    try:
        with transaction.atomic():
            QuotaLedger.objects.create(year=year, quarter=quarter, province=province, limit=QUOTA_DEFAULT)
    except IntegrityError:
        pass  # created by a concurrent transaction: lock that one
    return qs.get(year=year, quarter=quarter, province=province)


def reserve(nomination: Nomination) -> QuotaLedger:
    """Take one of the province's places for ``nomination`` or refuse, naming the quota (the 推荐 guard)."""
    ledger = _ledger_for_update(nomination.year, nomination.quarter, nomination.province)
    if ledger.used >= ledger.limit:
        raise Refused(
            gettext(
                "%(province)s%(year)s年第%(quarter)s季度的推荐名额已用完（已推荐 %(used)s/%(limit)s），"
                "不能再推荐。如确需增加名额，请联系国家广播电视总局。"
            )
            % {
                "province": regions.name(nomination.province),
                "year": nomination.year,
                "quarter": nomination.quarter,
                "used": ledger.used,
                "limit": ledger.limit,
            }
        )
    ledger.used += 1
    ledger.save(update_fields=["used"])
    return ledger


@dataclass(frozen=True)
class Usage:
    used: int
    limit: int

    @property
    def left(self) -> int:
        return max(0, self.limit - self.used)

    def __str__(self) -> str:
        return f"{self.used}/{self.limit}"


def usage(year: int, quarter: int, province: str) -> Usage:
    """已推荐 used/limit of one province and quarter (one query; the default when no ledger yet)."""
    row = QuotaLedger.objects.filter(year=year, quarter=quarter, province=province).values("used", "limit").first()
    return Usage(row["used"], row["limit"]) if row else Usage(0, QUOTA_DEFAULT)


def raise_quota(
    *, year: int, quarter: int, province: str, new_limit: int, reason: str, approved_by, actor
) -> QuotaRaise:
    """NRTA staff raise one province's quota for one quarter ("原则上"), with reason and approver, recorded."""
    if not is_nrta_ministry(actor):
        raise NotPermitted(gettext("只有国家广播电视总局工作人员可以调整推荐名额。"))
    reason = (reason or "").strip()
    if not reason:
        raise AwardError(gettext("请填写调整理由。"), field="reason")
    if approved_by is None:
        raise AwardError(gettext("请选择批准人。"), field="approved_by")
    if province not in regions.BY_CODE:
        raise AwardError(gettext("请选择省份。"), field="province")
    with transaction.atomic():
        ledger = _ledger_for_update(year, quarter, province)
        if new_limit < ledger.used:
            raise AwardError(
                gettext("调整后名额不能少于已推荐数量（%(used)s）。") % {"used": ledger.used}, field="new_limit"
            )
        if new_limit == ledger.limit:
            raise AwardError(gettext("调整后名额与当前名额相同。"), field="new_limit")
        ledger.limit = new_limit
        ledger.save(update_fields=["limit"])
        return QuotaRaise.objects.create(
            ledger=ledger, new_limit=new_limit, reason=reason, approved_by=approved_by, created_by=actor
        )


def release(nomination: Nomination) -> None:
    """Give a place back (a recommendation undone); never below zero."""
    ledger = _ledger_for_update(nomination.year, nomination.quarter, nomination.province)
    if ledger.used > 0:
        ledger.used -= 1
        ledger.save(update_fields=["used"])
