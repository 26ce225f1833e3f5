"""The 版权承诺书 template applicants download from 项目详情, fill in, sign and stamp.

NRTA staff may upload their own (Project.pledge_template). Without one the
portal renders a plain A4 template with WeasyPrint (``common.pdf``, offline,
CJK font embedded) on first download and keeps it in private storage, so it is
rendered once per project.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from common.pdf import html_to_pdf

from ..models import Project


def template_filename(project: Project) -> str:
    return project.pledge_template_name or _("版权承诺书（%(quarter)s）.pdf") % {"quarter": project.quarter_label}


def render_template_pdf(project: Project) -> bytes:
    html = render_to_string("awards/pledge_template_pdf.html", {"project": project})
    return html_to_pdf(html)


def ensure_pledge_template(project: Project) -> Project:
    """The project with a stored template (rendered now if it has none)."""
    if project.pledge_template:
        return project
    pdf = render_template_pdf(project)
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if not locked.pledge_template:
            locked.pledge_template.save("pledge.pdf", ContentFile(pdf), save=False)
            locked.pledge_template_name = template_filename(locked)
            locked.save(update_fields=["pledge_template", "pledge_template_name", "updated_at"])
    return locked
