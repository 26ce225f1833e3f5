"""The reviewers' admin site at /staff/ (the superuser admin stays at /admin/)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class ReviewerAdminSite(admin.AdminSite):
    site_header = _("审核工作台")
    site_title = _("审核工作台")
    index_title = _("审核队列")

    def has_permission(self, request) -> bool:
        user = request.user
        return bool(user.is_active and user.is_authenticated and user.is_reviewer)


reviewer_site = ReviewerAdminSite(name="staff")
