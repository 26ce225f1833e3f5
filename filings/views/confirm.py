"""撤回, 删除 and 作废 behind a confirmation page, the same with and without JavaScript.

GET shows what the step will do to which application (and, for 作废, asks for
the reason); POST carries it out through the one service that does. A step
that is no longer offered (someone else acted meanwhile) says so and goes back.
(提交 has its own confirmation page: 核对信息, views/check.py.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from .. import selectors
from ..enums import FilingKind
from ..forms import VoidForm
from ..services import lifecycle
from ..services.actions import applicant_actions
from ..services.errors import FilingError
from .pages import applicant_required


@dataclass(frozen=True)
class Step:
    key: str  # withdraw | delete | void
    verb: Any
    title: Any
    button: Any
    consequence: Any
    done: Any
    danger: bool = False


STEPS = {
    "withdraw": Step(
        "withdraw",
        gettext_lazy("撤回"),
        gettext_lazy("撤回申请"),
        gettext_lazy("确认撤回"),
        gettext_lazy("撤回后申请回到草稿状态，可修改后重新提交；受理编号保留不变。审核部门开始审核后不能撤回。"),
        gettext_lazy("已撤回，申请已回到草稿状态，可修改后重新提交。"),
    ),
    "delete": Step(
        "delete",
        gettext_lazy("删除"),
        gettext_lazy("删除草稿"),
        gettext_lazy("确认删除"),
        gettext_lazy("删除后该草稿及其上传的材料将被永久删除，不能恢复。"),
        gettext_lazy("已删除。"),
        danger=True,
    ),
    "void": Step(
        "void",
        gettext_lazy("作废"),
        gettext_lazy("作废申请"),
        gettext_lazy("确认作废"),
        gettext_lazy(
            "作废后该申请保留受理编号和全部记录，在受理状态中显示为“已作废”，不能再修改或提交。"
            "作废不可撤销；如需继续办理，请重新填报。"
        ),
        gettext_lazy("已作废，申请记录已保留。"),
        danger=True,
    ),
}


def _target(request, public_id: str, is_change: bool):
    return selectors.own_change(request.user, public_id) if is_change else selectors.own_filing(request.user, public_id)


def _next_url(request, target, is_change: bool) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    # "/\\evil.example" passes a plain startswith("/") test and browsers read it as "//evil.example".
    if nxt.startswith("/") and url_has_allowed_host_and_scheme(nxt, allowed_hosts=None):
        return nxt
    return reverse("filings:status")


def _offered(user, target, key: str) -> bool:
    return getattr(applicant_actions(user, target), key)


def _perform(step: Step, user, target, form):
    if step.key == "withdraw":
        return lifecycle.withdraw(user, target)
    if step.key == "delete":
        return lifecycle.delete_draft(user, target)
    return lifecycle.void(user, target, form.cleaned_data["reason"])


def _confirm(request, public_id: str, key: str, is_change: bool):
    step = STEPS[key]
    target = _target(request, public_id, is_change)
    back = _next_url(request, target, is_change)
    detail = reverse("filings:change_detail" if is_change else "filings:detail", args=[target.public_id])
    if not _offered(request.user, target, key):
        messages.error(request, _("该申请当前不能%(action)s。") % {"action": step.verb})
        return redirect(detail)
    form = VoidForm(request.POST or None) if key == "void" else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            _perform(step, request.user, target, form)
        except FilingError as exc:
            messages.error(request, exc.message)
            return redirect(detail if key != "delete" else back)
        messages.success(request, str(step.done))
        if key == "delete" and back.startswith(detail):
            back = reverse("filings:status")
        return redirect(back)
    filing = target.filing if is_change else target
    version = target.version if is_change else target.application_version
    return render(
        request,
        "filings/confirm.html",
        {
            "step": step,
            "target": target,
            "filing": filing,
            "is_change": is_change,
            "type_label": _("网络演出剧(节)目变更") if is_change else FilingKind(target.kind).label,
            "name": version.name if version else "",
            "form": form,
            "back": back,
            "detail_url": detail,
        },
    )


@require_http_methods(["GET", "POST"])
@applicant_required
def withdraw_view(request, public_id: str, is_change: bool = False):
    return _confirm(request, public_id, "withdraw", is_change)


@require_http_methods(["GET", "POST"])
@applicant_required
def delete_view(request, public_id: str, is_change: bool = False):
    return _confirm(request, public_id, "delete", is_change)


@require_http_methods(["GET", "POST"])
@applicant_required
def void_view(request, public_id: str, is_change: bool = False):
    return _confirm(request, public_id, "void", is_change)
