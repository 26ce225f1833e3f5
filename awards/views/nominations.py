"""The 登记表 (new / 编辑, 保存 and 申报), 我的申报 with its three tabs, 查看, and the pledge download."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.files import private_file_response
from review.engine import ReviewError, available_transitions, perform

from .. import selectors
from ..enums import NominationState
from ..forms import NominationForm
from ..models import Nomination, Project
from ..services import nominations as services
from ..services.errors import AwardError, Incomplete
from ..services.validation import project_closed_reason
from ..workflow import HISTORY_LABELS
from .access import applicant_required

PAGE_SIZE = 20
TAB_LABELS = {"draft": _("待提交"), "pending": _("待审核"), "reviewed": _("已审核")}


def _submit_available(user, nomination: Nomination | None) -> bool:
    """Whether the 申报 button belongs on the form (a new draft: yes, while the project is open)."""
    if nomination is None:
        return True
    return any(t.name in services.SUBMIT_TRANSITIONS for t in available_transitions(user, nomination))


def _render_form(request, form, project: Project, nomination: Nomination | None, status: int = 200):
    return render(
        request,
        "awards/form.html",
        {
            "form": form,
            "project": project,
            "nomination": nomination,
            "closed_reason": project_closed_reason(project),
            "can_submit": _submit_available(request.user, nomination),
        },
        status=status,
    )


def _handle_form(request, project: Project, nomination: Nomination | None):
    """GET shows the form; POST 保存 (action=save) keeps a draft, 申报 (action=submit) saves then submits.

    A refused 申报 renders the page again with what was typed, each message next
    to its field and in the summary at the top; the draft is already saved.
    """
    organisation = request.user.organisation
    if request.method != "POST":
        return _render_form(
            request, NominationForm(instance=nomination, organisation=organisation), project, nomination
        )
    form = NominationForm(request.POST, request.FILES, instance=nomination, organisation=organisation)
    if not form.is_valid():
        return _render_form(request, form, project, nomination)
    try:
        nomination = services.save_draft(
            request.user,
            values=form.values(),
            project=project if nomination is None else None,
            nomination=nomination,
            pledge=form.cleaned_data.get("pledge"),
        )
    except AwardError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _render_form(request, form, project, nomination)
    if request.POST.get("action") != "submit":
        messages.success(request, _("已保存。可在“我的申报”的待提交列表中继续编辑。"))
        return redirect("awards:edit", nomination.public_id)
    try:
        nomination = services.submit(request.user, nomination)
    except Incomplete as exc:
        for problem in exc.problems:
            form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        return _render_form(request, form, project, nomination)
    except AwardError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _render_form(request, form, project, nomination)
    messages.success(request, _("申报成功，申报编号 %(ref)s。") % {"ref": nomination.reference})
    return redirect("awards:detail", nomination.public_id)


def _bound_from(nomination: Nomination, organisation) -> NominationForm:
    """A form bound to the stored values (so that 申报's problems can be attached to its fields)."""
    unbound = NominationForm(instance=nomination, organisation=organisation)
    data = {name: unbound[name].value() for name in unbound.fields if name != "pledge"}
    data = {name: "" if value is None else value for name, value in data.items()}
    form = NominationForm(data, instance=nomination, organisation=organisation)
    form.is_valid()
    return form


@applicant_required
def new_view(request, public_id: str):
    """立刻申报: a new 登记表 for an open project of the applicant's kind."""
    project = selectors.project_for(request.user, public_id)
    closed = project_closed_reason(project)
    if closed:
        messages.error(request, closed)
        return redirect("awards:project", project.public_id)
    return _handle_form(request, project, None)


@applicant_required
def edit_view(request, public_id: str):
    """编辑 (草稿 and 退回修改); a submitted nomination goes to its read-only page."""
    nomination = selectors.own_nomination(request.user, public_id)
    if not nomination.is_editable:
        messages.error(request, _("申报后不能修改。"))
        return redirect("awards:detail", nomination.public_id)
    return _handle_form(request, nomination.project, nomination)


def _history_rows(nomination: Nomination) -> list[dict]:
    rows = []
    for record in selectors.history(nomination):
        try:
            to_label = NominationState(record.to_state).label
        except ValueError:
            to_label = record.to_state
        rows.append(
            {"record": record, "label": HISTORY_LABELS.get(record.transition, record.action_label), "to": to_label}
        )
    return rows


@applicant_required
def detail_view(request, public_id: str):
    """查看: the nomination read-only with its 审核状态 and 审核记录."""
    nomination = selectors.own_nomination(request.user, public_id)
    return render(
        request,
        "awards/detail.html",
        {
            "nomination": nomination,
            "project": nomination.project,
            "history": _history_rows(nomination),
            "transitions": available_transitions(request.user, nomination),
            "can_delete": nomination.state == NominationState.DRAFT and nomination.ref_seq is None,
        },
    )


@applicant_required
def mine_view(request):
    """我的申报: 待提交 (草稿, 退回修改), 待审核 (待初审, 已推荐, 专家评议), 已审核 (the rest)."""
    tab = request.GET.get("tab", selectors.DEFAULT_TAB)
    if tab not in selectors.TABS:
        tab = selectors.DEFAULT_TAB
    page_obj = Paginator(selectors.my_nominations(request.user, tab), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "obj": n,
            "transitions": available_transitions(request.user, n),
            "can_delete": n.state == "draft" and n.ref_seq is None,
        }
        for n in page_obj.object_list
    ]
    counts = selectors.tab_counts(request.user)
    tabs = [(key, label, counts[key]) for key, label in TAB_LABELS.items()]
    return render(request, "awards/mine.html", {"tab": tab, "tabs": tabs, "rows": rows, "page_obj": page_obj})


@require_POST
@applicant_required
def act_view(request, public_id: str, name: str):
    """A button of 我的申报 / 查看: one of the transitions the engine offers this applicant."""
    nomination = selectors.own_nomination(request.user, public_id)
    offered = {t.name for t in available_transitions(request.user, nomination)}
    if name not in offered:
        messages.error(request, _("该申报当前不能执行此操作。"))
        return redirect("awards:detail", nomination.public_id)
    if name in services.SUBMIT_TRANSITIONS:
        try:
            nomination = services.submit(request.user, nomination)
        except Incomplete as exc:
            # The 登记表 again, every problem next to its field.
            form = _bound_from(nomination, request.user.organisation)
            for problem in exc.problems:
                form.add_error(problem.field if problem.field in form.fields else None, problem.message)
            return _render_form(request, form, nomination.project, nomination)
        except AwardError as exc:
            messages.error(request, exc.message)
            return redirect("awards:edit" if nomination.is_editable else "awards:detail", nomination.public_id)
        messages.success(request, _("申报成功，申报编号 %(ref)s。") % {"ref": nomination.reference})
        return redirect("awards:detail", nomination.public_id)
    try:  # later applicant steps declared in awards.workflow (e.g. 撤回) need no code here
        perform(nomination, name, actor=request.user, comment=request.POST.get("comment", ""))
    except ReviewError as exc:
        messages.error(request, exc.message)
    return redirect("awards:detail", nomination.public_id)


@require_POST
@applicant_required
def delete_view(request, public_id: str):
    nomination = selectors.own_nomination(request.user, public_id)
    try:
        services.delete_draft(request.user, nomination)
    except AwardError as exc:
        messages.error(request, exc.message)
        return redirect("awards:detail", nomination.public_id)
    messages.success(request, _("已删除。"))
    return redirect("awards:mine")


@applicant_required
def pledge_view(request, public_id: str):
    """The uploaded 版权承诺书 of one's own nomination."""
    nomination = selectors.own_nomination(request.user, public_id)
    if not nomination.pledge:
        raise Http404
    return private_file_response(
        nomination.pledge.name,
        filename=nomination.pledge_name or "pledge.pdf",
        content_type="application/pdf",
        storage=nomination.pledge.storage,
    )
