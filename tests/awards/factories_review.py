"""Helpers of the provincial-review tests: submitted nominations in numbers, decisions through the engine."""

from __future__ import annotations

import itertools
from datetime import timedelta

from review.engine import perform

from .factories import InstitutionFactory, PlatformFactory, applicant, make_nomination

_SEQ = itertools.count(1)


def submitted(
    project,
    *,
    province: str = "430000",
    name: str | None = None,
    unit=None,
    central: bool = False,
    **overrides,
):
    """A nomination of a fresh unit (or ``unit``) submitted to the bureau of ``province``.

    ``central``: a 中央直属单位's nomination to 国家广播电视总局 (already 已推荐).
    """
    seq = next(_SEQ)
    if unit is None:
        unit = InstitutionFactory(
            name=f"示例网络视听机构{seq}", province=province if not central else "110000", is_central=central
        )
    member = applicant(unit)
    values = {"name": name or f"山河新歌第{seq}部", "bureau": "000000" if central else province, **overrides}
    return make_nomination(member, project, submit=True, **values)


def submitted_many(project, count: int, *, province: str = "430000", **overrides) -> list:
    """``count`` distinct works submitted to one bureau (one platform, first broadcasts a day apart)."""
    platform = overrides.pop("platform", None) or PlatformFactory(name="芒果TV")
    first = project.window_start + timedelta(days=5)
    return [
        submitted(
            project,
            province=province,
            platform=platform,
            first_broadcast=first + timedelta(days=i),
            broadcast_end=first + timedelta(days=i + 20),
            **overrides,
        )
        for i in range(count)
    ]


def recommend(nomination, official):
    return perform(nomination, "recommend", actor=official)
