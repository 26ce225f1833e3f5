"""Ranking of a quarter's recommended works by their expert scores."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext

from review.engine import Refused

from ..models import Nomination, Score


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
