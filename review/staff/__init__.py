"""The reviewers' site at /staff/: the site, the base admin of reviewable kinds,
its filters and review actions. Programmes subclass :class:`ReviewableAdmin`
and register on :data:`reviewer_site`."""

from .base import ReviewableAdmin
from .sites import ReviewerAdminSite, reviewer_change_url, reviewer_site

__all__ = ["ReviewableAdmin", "ReviewerAdminSite", "reviewer_change_url", "reviewer_site"]
