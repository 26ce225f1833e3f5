"""Closing a quarter's provincial round at its deadline (the system acts, recorded as 系统).

After the provincial deadline (Beijing time, inclusive to 23:59:59) nothing more
can be recommended (the 推荐 guard refuses); this job closes what is still
待初审 with a reason the applicant reads, and sends what was recommended to the
expert round (专家评议). Idempotent: a second run finds nothing to do.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.utils import timezone

from review.engine import SYSTEM, ReviewError, perform

from .. import calendar
from ..enums import NominationState
from ..models import Nomination

logger = logging.getLogger(__name__)


def due_nominations(now: datetime | None = None):
    """Nominations of projects whose provincial deadline has passed, still 待初审 or 已推荐."""
    now = now or timezone.now()
    today = calendar.beijing_date(now)
    return (
        Nomination.objects.filter(
            state__in=[NominationState.PENDING, NominationState.RECOMMENDED],
            project__provincial_deadline__lt=today,
        )
        .select_related("project")
        .order_by("pk")
    )


def close_due_rounds(now: datetime | None = None) -> dict[str, int]:
    closed = moved = 0
    for nomination in due_nominations(now):
        name = "close_round" if nomination.state == NominationState.PENDING else "start_expert_review"
        try:
            perform(nomination, name, actor=SYSTEM)
        except ReviewError as exc:  # changed meanwhile (e.g. an official acted a moment before)
            logger.info("round closing: %s %s skipped: %s", nomination.reference, name, exc.message)
            continue
        if name == "close_round":
            closed += 1
        else:
            moved += 1
    return {"closed": closed, "to_experts": moved}
