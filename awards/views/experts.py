"""The expert's pages: 评审任务 (the list) and one work (its data, the 推优标准, 声明 and 评分).

NRTA experts only; anyone else gets 404 (staff have /staff/, applicants their
own pages), so the pages do not reveal that an address exists. The rules are
in ``services.experts``; the scope (quarter, state, conflicts) in
``selectors_experts``.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors_experts as selectors
from ..enums import Criterion
from ..forms_experts import DeclarationForm, ScoreForm
from ..rules_experts import is_nrta_expert
from ..services import experts as services


def expert_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_nrta_expert(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


@expert_required
def tasks_view(request):
    """评审任务: the works in 专家评议 of the expert's quarters (never a conflicted one)."""
    status = request.GET.get("status", "")
    if status not in (selectors.TODO, selectors.DONE):
        status = ""
    assignments = selectors.assignments_of(request.user)
    tasks = selectors.tasks_for(request.user, assignments=assignments)
    counts = {
        "all": len(tasks),
        selectors.TODO: sum(1 for t in tasks if t.status == selectors.TODO),
        selectors.DONE: sum(1 for t in tasks if t.status == selectors.DONE),
    }
    shown = [t for t in tasks if not status or t.status == status]
    return render(
        request,
        "awards/experts/tasks.html",
        {
            "tasks": shown,
            "status": status,
            "counts": counts,
            "assignments": assignments,
        },
    )


def _work_page(request, task, *, declaration_form=None, score_form=None, status=200):
    peers = selectors.peer_summary(task.nomination) if task.score is not None else None
    if not task.declared:
        score_form = None  # no score before the declaration
    elif score_form is None:
        score_form = ScoreForm.for_score(task.score)
    return render(
        request,
        "awards/experts/work.html",
        {
            "task": task,
            "nomination": task.nomination,
            "criteria": Criterion.choices,
            "criteria_labels": dict(Criterion.choices),
            "declaration_form": declaration_form or (None if task.declaration else DeclarationForm()),
            "score_form": score_form,
            "peers": peers,
        },
        status=status,
    )


@expert_required
def work_view(request, public_id: str):
    return _work_page(request, selectors.task_for(request.user, public_id))


@expert_required
@require_POST
def declare_view(request, public_id: str):
    task = selectors.task_for(request.user, public_id)
    form = DeclarationForm(request.POST)
    if not form.is_valid():
        return _work_page(request, task, declaration_form=form)
    try:
        services.declare(
            request.user,
            task.nomination,
            has_conflict=form.has_conflict,
            note=form.cleaned_data["note"],
            request=request,
        )
    except services.ExpertError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _work_page(request, task, declaration_form=form)
    if form.has_conflict:
        messages.success(request, _("已记录您的利益冲突声明，该作品已从您的评审任务中移除。"))
        return redirect("awards:expert_tasks")
    messages.success(request, _("已声明无利益冲突，请为该作品评分。"))
    return redirect("awards:expert_work", public_id)


@expert_required
@require_POST
def score_view(request, public_id: str):
    task = selectors.task_for(request.user, public_id)
    form = ScoreForm(request.POST)
    if not task.declared:
        declaration = DeclarationForm({})
        declaration.is_valid()
        declaration.add_error(None, _("评分前请先声明您与该作品是否存在利益冲突。"))
        return _work_page(request, task, declaration_form=declaration)
    if not form.is_valid():
        return _work_page(request, task, score_form=form)
    try:
        services.save_score(
            request.user,
            task.nomination,
            score=form.cleaned_data["score"],
            criteria=form.cleaned_data["criteria"],
            comment=form.cleaned_data["comment"],
            request=request,
        )
    except services.ExpertError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _work_page(request, task, score_form=form)
    messages.success(
        request,
        _("已保存《%(name)s》的评分。") % {"name": task.nomination.name}
        if task.score is None
        else _("已修改《%(name)s》的评分。") % {"name": task.nomination.name},
    )
    return redirect("awards:expert_work", public_id)
