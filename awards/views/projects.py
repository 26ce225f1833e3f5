"""项目申报 (open projects of the applicant's kind), 项目详情 and the 版权承诺书 template."""

from __future__ import annotations

from django.shortcuts import render

from common.files import private_file_response

from .. import selectors
from ..enums import Criterion
from ..services.pledge_template import ensure_pledge_template, template_filename
from ..services.validation import project_closed_reason
from .access import applicant_required


@applicant_required
def projects_view(request):
    """项目申报: the open projects this unit may nominate to (机构类 or 个人类)."""
    projects = list(selectors.projects_for(request.user))
    return render(request, "awards/projects.html", {"projects": projects})


@applicant_required
def project_view(request, public_id: str):
    """项目详情: 项目类型, 申报时间 with its countdown, 附件信息, 项目详情 (推优标准), 立刻申报."""
    project = selectors.project_for(request.user, public_id)
    return render(
        request,
        "awards/project_detail.html",
        {
            "project": project,
            "closed_reason": project_closed_reason(project),
            "criteria": Criterion.choices,
            "template_name": template_filename(project),
        },
    )


@applicant_required
def pledge_template_view(request, public_id: str):
    """The 版权承诺书 template of a project the applicant may see (rendered once, then stored)."""
    project = ensure_pledge_template(selectors.project_for(request.user, public_id))
    return private_file_response(
        project.pledge_template.name,
        filename=template_filename(project),
        content_type="application/pdf",
        storage=project.pledge_template.storage,
    )
