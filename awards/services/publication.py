"""Publication of a quarter's results in two steps (SPEC §D4): 公示, then the final list.

* :func:`open_publicity` — NRTA ministry staff open the quarter's 公示 once every
  work of the quarter is decided (入选 / 未入选): start and end dates (default
  today … today + ``AWARDS_PUBLICITY_DAYS`` days, Beijing time). The public
  公示 page lists the 入选 works from the start date to the end date inclusive.
* :func:`submit_objection` — anyone objects to a listed work during the 公示
  (contact name, a phone or an e-mail, the work, the reason);
  :func:`dispose_objection` — NRTA staff decide 已采纳 / 不予采纳 with a note
  (who and when recorded); an upheld objection takes the work out of the list
  through the engine's ``unselect`` (the note is the comment).
* :func:`publish_quarter` — after the 公示 ends (from 00:00 Beijing time the
  day after the end date) and with no objection pending, every 入选 work goes
  to 已公布 through ``perform("publish")`` in one transaction, which issues its
  推优 certificate through the outbox. NRTA staff do it, or the system
  (:func:`publish_due`, the ``publish_results`` job, as ``review.engine.SYSTEM``).
* :func:`withdraw_result` — a published work withdrawn later: a
  :class:`ResultWithdrawal` row (reason, who, when), ``perform("withdraw_result")``
  and its certificate revoked (注销), all in one transaction; the public list
  shows it as 已撤销 with date and reason, never deletes it.

The workflow's guards (:func:`publish_guard`, :func:`withdraw_guard`) make the
engine refuse 公布 and 撤销 done any other way, e.g. from a generic button.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from accounts import audit
from accounts.enums import Authority
from review.engine import SYSTEM, Refused, ReviewError, Step, perform
from review.outbox import enqueue

from .. import calendar, rules
from ..enums import NominationState, ObjectionStatus, ProjectKind
from ..models import Nomination, Objection, Publicity, ResultWithdrawal
from .errors import AwardError, NotPermitted

logger = logging.getLogger(__name__)

S = NominationState
# Works of a quarter that still wait for a decision: 公示 cannot open while any is left.
UNDECIDED_STATES = (S.PENDING, S.RECOMMENDED, S.IN_EXPERT_REVIEW)
# The works of the final list: published, and published then withdrawn (shown as 已撤销).
RESULT_STATES = (S.PUBLISHED, S.WITHDRAWN)
# Groups of the lists, in this order.
KIND_ORDER = (ProjectKind.INSTITUTION, ProjectKind.INDIVIDUAL)
FIRST_YEAR, LAST_YEAR = 2000, 2100


class PublicationError(AwardError):
    """A refused publication step; ``field`` names the form field it concerns (or None)."""


# --- small helpers ----------------------------------------------------------------------------


def publicity_days() -> int:
    """Default length of the 公示: the end date is this many days after the start (a setting, default 5)."""
    return int(getattr(settings, "AWARDS_PUBLICITY_DAYS", 5))


def beijing_today(now: datetime | None = None) -> date:
    return calendar.beijing_date(now or timezone.now())


def default_dates(now: datetime | None = None) -> tuple[date, date]:
    """Start today (Beijing time) and end ``publicity_days()`` days later."""
    today = beijing_today(now)
    return today, today + timedelta(days=publicity_days())


def valid_quarter(year: Any, quarter: Any) -> bool:
    """A quarter a URL may name (outside it a query could overflow a small integer column)."""
    return isinstance(year, int) and isinstance(quarter, int) and FIRST_YEAR <= year <= LAST_YEAR and 1 <= quarter <= 4


def quarter_label(year: int, quarter: int) -> str:
    return gettext("%(year)s年第%(quarter)s季度") % {"year": year, "quarter": quarter}


def recommending_unit(nomination: Nomination) -> str:
    """推荐单位: the provincial bureau that recommended the work; a 中央直属单位 reports its own."""
    if nomination.to_nrta:
        return nomination.organisation.name
    return nomination.bureau_name


def work_order_key(nomination: Nomination) -> tuple:
    """Order of the lists (and of the certificate numbers): 机构类 before 个人类, by bureau, by reference."""
    kind_rank = KIND_ORDER.index(nomination.kind) if nomination.kind in KIND_ORDER else len(KIND_ORDER)
    return (kind_rank, nomination.bureau, nomination.ref_seq or 0, nomination.pk)


def quarter_nominations(year: int, quarter: int) -> QuerySet[Nomination]:
    return Nomination.objects.filter(year=year, quarter=quarter)


def selected_works(year: int, quarter: int) -> list[Nomination]:
    """The quarter's 入选 works in list order (with what the list shows: one query)."""
    works = quarter_nominations(year, quarter).filter(state=S.SELECTED).select_related("platform", "organisation")
    return sorted(works, key=work_order_key)


def undecided_count(year: int, quarter: int) -> int:
    return quarter_nominations(year, quarter).filter(state__in=UNDECIDED_STATES).count()


def _require_ministry(actor: Any) -> None:
    if actor is not SYSTEM and not rules.is_nrta_ministry(actor):
        raise NotPermitted(gettext("只有国家广播电视总局工作人员可以办理公示与公布。"))


# --- the state of a 公示 -------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicityState:
    key: str  # "upcoming", "open", "ended", "published"
    label: str


def publicity_state(publicity: Publicity, now: datetime | None = None) -> PublicityState:
    today = beijing_today(now)
    if publicity.published_at is not None:
        return PublicityState("published", gettext("已公布"))
    if today < publicity.starts_on:
        return PublicityState("upcoming", gettext("未开始"))
    if today <= publicity.ends_on:
        return PublicityState("open", gettext("公示中"))
    return PublicityState("ended", gettext("公示期已结束，待公布"))


def is_open(publicity: Publicity, now: datetime | None = None) -> bool:
    """Objections are taken from the start date to the end date inclusive (Beijing time)."""
    return publicity_state(publicity, now).key == "open"


def has_ended(publicity: Publicity, now: datetime | None = None) -> bool:
    """True from 00:00:00 Beijing time of the day after the end date."""
    return calendar.deadline_passed(publicity.ends_on, now or timezone.now())


def pending_objection_count(publicity: Publicity) -> int:
    return publicity.objections.filter(status=ObjectionStatus.PENDING).count()


def publish_blocker(publicity: Publicity, now: datetime | None = None) -> str:
    """Why the quarter cannot be published now ("" when it can)."""
    if publicity.published_at is not None:
        return gettext("本季度推优结果已于 %(at)s 公布。") % {
            "at": timezone.localtime(publicity.published_at).strftime("%Y-%m-%d %H:%M")
        }
    if not has_ended(publicity, now):
        return gettext("公示期至 %(day)s 结束，公示期结束后才能公布。") % {"day": publicity.ends_on.isoformat()}
    pending = pending_objection_count(publicity)
    if pending:
        return gettext("尚有 %(count)s 件异议未处理，处理完毕后才能公布。") % {"count": pending}
    return ""


# --- 1. opening the 公示 ---------------------------------------------------------------------------


def open_problems(year: int, quarter: int) -> list[tuple[str | None, str]]:
    """Why the quarter's 公示 cannot open ((field, message), …; empty when it can)."""
    problems: list[tuple[str | None, str]] = []
    if Publicity.objects.filter(year=year, quarter=quarter).exists():
        problems.append(
            ("quarter", gettext("%(quarter)s的公示已发起，不能重复发起。") % {"quarter": quarter_label(year, quarter)})
        )
        return problems
    undecided = undecided_count(year, quarter)
    if undecided:
        problems.append(
            (
                "quarter",
                gettext("%(quarter)s尚有 %(count)s 件作品未确定入选或未入选，全部确定后才能发起公示。")
                % {"quarter": quarter_label(year, quarter), "count": undecided},
            )
        )
    if not quarter_nominations(year, quarter).filter(state=S.SELECTED).exists():
        problems.append(("quarter", gettext("%(quarter)s没有入选作品。") % {"quarter": quarter_label(year, quarter)}))
    return problems


def date_problems(starts_on: date, ends_on: date, now: datetime | None = None) -> list[tuple[str, str]]:
    problems = []
    if starts_on < beijing_today(now):
        problems.append(("starts_on", gettext("公示开始日期不能早于今天。")))
    if ends_on < starts_on:
        problems.append(("ends_on", gettext("公示结束日期不能早于开始日期。")))
    return problems


def open_publicity(*, year: int, quarter: int, starts_on: date, ends_on: date, actor: Any, request=None) -> Publicity:
    """发起公示 of a quarter whose works are all decided; raises PublicationError (with its field)."""
    _require_ministry(actor)
    if not valid_quarter(year, quarter):
        raise PublicationError(gettext("请选择有效的年度和季度。"), field="quarter")
    for field, message in [*date_problems(starts_on, ends_on), *open_problems(year, quarter)]:
        raise PublicationError(message, field=field)
    try:
        with transaction.atomic():
            publicity = Publicity.objects.create(
                year=year, quarter=quarter, starts_on=starts_on, ends_on=ends_on, opened_by=actor
            )
            audit.record(
                "awards.publicity_opened",
                request=request,
                actor=actor,
                target=f"{year}Q{quarter}",
                starts_on=starts_on.isoformat(),
                ends_on=ends_on.isoformat(),
                works=len(selected_works(year, quarter)),
            )
    except IntegrityError:  # opened a moment ago by someone else
        raise PublicationError(
            gettext("%(quarter)s的公示已发起，不能重复发起。") % {"quarter": quarter_label(year, quarter)},
            field="quarter",
        ) from None
    return publicity


# --- 2. objections -------------------------------------------------------------------------------


def objection_rate_limited(ip: str | None) -> bool:
    """Count one objection post from ``ip``; True once past the hourly limit (a setting, default 10)."""
    from common import ratelimit

    limit = int(getattr(settings, "AWARDS_OBJECTIONS_PER_IP_PER_HOUR", 10))
    return ratelimit.hit(f"awards:objection:{ip or 'unknown'}", 3600) > limit


def submit_objection(
    publicity: Publicity,
    *,
    nomination: Nomination,
    contact_name: str,
    contact_phone: str = "",
    contact_email: str = "",
    reason: str,
) -> Objection:
    """An objection to a work listed in an open 公示; NRTA staff are told."""
    from review.outbox.notifications import notify_payload

    if not is_open(publicity):
        raise PublicationError(gettext("本季度公示期已结束，不再受理异议。"))
    if nomination.state != S.SELECTED or (nomination.year, nomination.quarter) != (publicity.year, publicity.quarter):
        raise PublicationError(gettext("请选择公示名单中的作品。"), field="work")
    contact_name, reason = contact_name.strip(), reason.strip()
    if not contact_name:
        raise PublicationError(gettext("请填写联系人。"), field="contact_name")
    if not (contact_phone.strip() or contact_email.strip()):
        raise PublicationError(gettext("请填写联系电话或电子邮箱，以便我们联系您。"), field="contact_phone")
    if not reason:
        raise PublicationError(gettext("请填写异议理由。"), field="reason")
    with transaction.atomic():
        # The 公示's row serialises objections with its publication: an objection posted in the
        # last second is either in before the publication counts pending ones, or refused.
        locked = Publicity.objects.select_for_update().get(pk=publicity.pk)
        if locked.published_at is not None or not is_open(locked):
            raise PublicationError(gettext("本季度公示期已结束，不再受理异议。"))
        objection = Objection.objects.create(
            publicity=locked,
            nomination=nomination,
            contact_name=contact_name,
            contact_phone=contact_phone.strip(),
            contact_email=contact_email.strip(),
            reason=reason,
        )
        enqueue(
            "notify",
            notify_payload(
                reviewers={"authority": Authority.NRTA.value, "province": ""},
                title=gettext("公示期收到新的异议"),
                body=gettext("《%(name)s》（%(quarter)s公示）收到一件异议，请及时处理。")
                % {"name": nomination.name, "quarter": quarter_label(publicity.year, publicity.quarter)},
                link=_staff_link(publicity),
                email=True,
            ),
        )
    return objection


def _staff_link(publicity: Publicity) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("staff:awards_publicity_change", args=[publicity.public_id])
    except NoReverseMatch:  # pragma: no cover - the admin is always installed
        return ""


def dispose_objection(objection: Objection, *, decision: str, note: str, actor: Any, request=None) -> Objection:
    """已采纳 / 不予采纳 with a note (who and when recorded); 已采纳 takes the work out of the 公示 list."""
    _require_ministry(actor)
    note = (note or "").strip()
    if decision not in (ObjectionStatus.ACCEPTED, ObjectionStatus.REJECTED):
        raise PublicationError(gettext("请选择处理结果。"), field="decision")
    if not note:
        raise PublicationError(gettext("请填写处理意见。"), field="note")
    with transaction.atomic():
        locked = Objection.objects.select_for_update().select_related("nomination", "publicity").get(pk=objection.pk)
        if locked.status != ObjectionStatus.PENDING:
            raise PublicationError(gettext("该异议已由其他工作人员处理，请刷新后查看。"))
        if locked.publicity.published_at is not None:
            raise PublicationError(gettext("本季度推优结果已公布，不能再处理公示期异议。"))
        if decision == ObjectionStatus.ACCEPTED and locked.nomination.state == S.SELECTED:
            perform(locked.nomination, "unselect", actor=actor, comment=note)
        locked.status = decision
        locked.disposal_note = note
        locked.disposed_by = actor
        locked.disposed_at = timezone.now()
        locked.save(update_fields=["status", "disposal_note", "disposed_by", "disposed_at"])
        audit.record(
            "awards.objection_disposed",
            request=request,
            actor=actor,
            target=locked.public_id,
            nomination=locked.nomination.public_id,
            decision=decision,
        )
    return locked


# --- 3. publishing the final list ---------------------------------------------------------------


def publish_guard(nomination: Nomination, step: Step) -> None:
    """公布 only as part of the quarter's publication (after its 公示), never one work on its own."""
    publicity = Publicity.objects.filter(year=nomination.year, quarter=nomination.quarter).first()
    if publicity is None or publicity.published_at is None:
        raise Refused(gettext("请在“公示与公布”中统一公布本季度名单：公示期结束且异议处理完毕后才能公布。"))


def publish_quarter(publicity: Publicity, *, actor: Any, request=None) -> int:
    """公布: every 入选 work of the quarter → 已公布 (its certificate follows); returns how many."""
    _require_ministry(actor)
    with transaction.atomic():
        locked = Publicity.objects.select_for_update().get(pk=publicity.pk)
        blocker = publish_blocker(locked)
        if blocker:
            raise PublicationError(blocker)
        locked.published_at = timezone.now()
        locked.published_by = None if actor is SYSTEM else actor
        locked.save(update_fields=["published_at", "published_by"])
        works = selected_works(locked.year, locked.quarter)
        for work in works:
            perform(work, "publish", actor=actor)
        audit.record(
            "awards.results_published",
            request=request,
            actor=None if actor is SYSTEM else actor,
            target=f"{locked.year}Q{locked.quarter}",
            works=len(works),
            by_system=actor is SYSTEM,
        )
    publicity.published_at, publicity.published_by = locked.published_at, locked.published_by
    return len(works)


def publish_due(now: datetime | None = None) -> dict[str, int]:
    """The ``publish_results`` job (系统): publish every quarter whose 公示 has ended.

    A quarter with objections still pending waits (and is counted in ``waiting``)
    until NRTA staff dispose of them. Idempotent: a second run finds nothing.
    """
    now = now or timezone.now()
    quarters = works = waiting = 0
    for publicity in Publicity.objects.filter(published_at__isnull=True, ends_on__lt=beijing_today(now)).order_by(
        "year", "quarter"
    ):
        if not has_ended(publicity, now):  # pragma: no cover - the filter already says so
            continue
        try:
            works += publish_quarter(publicity, actor=SYSTEM)
        except ReviewError as exc:
            waiting += 1
            logger.info("publish_results: %sQ%s waits: %s", publicity.year, publicity.quarter, exc.message)
            continue
        quarters += 1
    return {"quarters": quarters, "works": works, "waiting": waiting}


# --- 4. withdrawing a published work --------------------------------------------------------------


def withdraw_guard(nomination: Nomination, step: Step) -> None:
    """撤销 needs its ResultWithdrawal (reason, who, when), written by :func:`withdraw_result`."""
    if not ResultWithdrawal.objects.filter(nomination=nomination).exists():
        raise Refused(gettext("请在“公示与公布”中撤销该作品，并填写撤销理由。"))


def withdraw_result(nomination: Nomination, *, reason: str, actor: Any, request=None) -> ResultWithdrawal:
    """撤销 a published work: recorded, shown on the public list, its certificate revoked (注销)."""
    from review.certificates import certificate_for, revoke_certificate
    from review.enums import CertificateStatus

    _require_ministry(actor)
    if actor is SYSTEM:
        raise NotPermitted(gettext("撤销须由工作人员办理。"))
    reason = (reason or "").strip()
    if not reason:
        raise PublicationError(gettext("请填写撤销理由。"), field="reason")
    with transaction.atomic():
        # Written first so that the engine's guard finds it; rolled back with everything else
        # when the engine refuses (a lost race, a work that is not 已公布).
        withdrawal = ResultWithdrawal.objects.create(nomination=nomination, reason=reason, by=actor)
        perform(nomination, "withdraw_result", actor=actor, comment=reason)
        certificate = certificate_for(nomination)
        if certificate is not None and certificate.status != CertificateStatus.REVOKED:
            revoke_certificate(
                certificate,
                actor=actor,
                reason=gettext("入选资格已撤销：%(reason)s") % {"reason": reason},
                request=request,
                category="result_withdrawn",
            )
        audit.record(
            "awards.result_withdrawn",
            request=request,
            actor=actor,
            target=nomination.reference or nomination.public_id,
            nomination=nomination.public_id,
            reason=reason[:500],
        )
    return withdrawal
