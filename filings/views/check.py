"""核对信息 (check your answers): the whole application before 提交, with links back to each section.

GET shows every section read-only, each with 修改 back to the editor, and what
is still missing at the top; POST (确认提交) submits through the one service
that does, and on a problem shows the page again with the problems.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import selectors
from ..enums import FilingKind
from ..services import lifecycle
from ..services.actions import may_edit
from ..services.errors import FilingError, Incomplete
from ..services.validation import basic_labels
from .editor import material_rows
from .pages import applicant_required


def _check(request, target, *, is_change: bool):
    edit_url = reverse("filings:change_edit" if is_change else "filings:edit", args=[target.public_id])
    if not may_edit(target):
        messages.error(request, _("提交后不能修改。"))
        return redirect("filings:change_detail" if is_change else "filings:detail", target.public_id)
    problems, title = None, _("申请信息不完整，请修改以下问题后再提交。")
    if request.method == "POST":
        try:
            done = lifecycle.submit(request.user, target)
        except Incomplete as exc:
            problems, title = exc.problems, exc.message
        except FilingError as exc:
            messages.error(request, exc.message)
        else:
            ref = done.reference  # a change's own (…-BG01), tied to the programme's
            messages.success(
                request,
                _("提交成功，受理编号 %(ref)s。提交后不能修改，请在受理状态中查看办理进度。") % {"ref": ref},
            )
            return redirect("filings:status")
    if problems is None:
        problems = lifecycle.submission_problems(target)
    version = selectors.version_detail(target.version_id if is_change else target.application_version_id)
    kind = target.filing.kind if is_change else target.kind
    return render(
        request,
        "filings/check.html",
        {
            "target": target,
            "filing": target.filing if is_change else target,
            "version": version,
            "version_materials": material_rows(version),
            "kind": kind,
            "labels": basic_labels(kind),
            "title": _("网络演出剧(节)目变更") if is_change else FilingKind(kind).label,
            "problems": problems,
            "problems_title": title,
            "edit_url": edit_url,
            "check_url": edit_url,
            "is_change": is_change,
        },
    )


@applicant_required
def check_view(request, public_id: str):
    return _check(request, selectors.own_filing(request.user, public_id), is_change=False)


@applicant_required
def change_check_view(request, public_id: str):
    return _check(request, selectors.own_change(request.user, public_id), is_change=True)
