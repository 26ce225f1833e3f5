"""Who sees which statistics: ministry staff their authority nationally, provincial officials their province."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.enums import Authority, StaffLevel


@dataclass(frozen=True)
class Viewer:
    authority: str
    province: str  # "" for ministry staff (national)

    @property
    def national(self) -> bool:
        return not self.province


def viewer_of(user) -> Viewer | None:
    profile = user.staff_profile_or_none if getattr(user, "is_authenticated", False) and user.is_active else None
    if profile is None:
        return None
    if profile.level == StaffLevel.MINISTRY:
        return Viewer(profile.authority, "")
    if profile.level == StaffLevel.PROVINCE and profile.province:
        return Viewer(profile.authority, profile.province)
    return None


def require(user, authority: str) -> Viewer:
    """The viewer for ``authority``'s page: 403 for applicants and experts, 404 for the other authority."""
    viewer = viewer_of(user)
    if viewer is None:
        raise PermissionDenied
    if viewer.authority != authority:
        raise Http404
    return viewer


def index_links(request) -> list[dict]:
    from django.urls import reverse
    from django.utils.translation import gettext

    viewer = viewer_of(request.user)
    if viewer is None:
        return []
    name = "stats:mct" if viewer.authority == Authority.MCT else "stats:nrta"
    return [{"url": reverse(name), "text": gettext("统计分析")}]
