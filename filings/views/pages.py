"""活动申请, 受理状态, 网络演出剧(节)目管理 and the read-only pages of applications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from .. import diff, rules, selectors
from ..enums import ChangePart, FilingKind, FilingState, ListType
from ..forms import ChangePartsForm, StatusFilterForm
from ..services import changes as change_services
from ..services.actions import applicant_actions, may_edit, may_start_change
from ..services.editing import block_reason
from ..services.errors import FilingError
from ..services.validation import basic_labels
from ..workflow import HISTORY_LABELS
from .editor import Editor, material_rows

# 活动申请 buttons of the seed; only the two network programme types are open.
CLOSED_TYPES = [
    _("营业性演出(内地)"),
    _("营业性演出(涉外/涉港澳台)"),
    _("跨地区巡演(内地)"),
    _("跨地区巡演(涉外/涉港澳台)"),
]


def applicant_required(view):
    """Logged-in members of a unit only; officials have the reviewers' admin instead."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not rules.is_applicant(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@applicant_required
def apply_view(request):
    """活动申请 with 我的活动."""
    return render(
        request,
        "filings/apply.html",
        {"closed_types": CLOSED_TYPES, "block_reason": block_reason(request.user.organisation)},
    )


@applicant_required
def new_view(request, kind: str):
    if kind not in FilingKind.values:
        raise Http404
    reason = block_reason(request.user.organisation)
    if reason:
        messages.error(request, reason)
        return redirect("filings:apply")
    return Editor(request, kind=kind).handle()


def _edit(request, target, detail_url: str):
    """The editor for a draft or returned application / change; read-only ones go to their page."""
    if not may_edit(target):
        messages.error(request, _("提交后不能修改。"))
        return redirect(detail_url, target.public_id)
    return Editor(request, target=target).handle()


@applicant_required
def edit_view(request, public_id: str):
    return _edit(request, selectors.own_filing(request.user, public_id), "filings:detail")


@applicant_required
def change_edit_view(request, public_id: str):
    return _edit(request, selectors.own_change(request.user, public_id), "filings:change_detail")


def _history_rows(obj):
    rows = []
    for record in selectors.history(obj):
        label = HISTORY_LABELS.get(record.transition, record.action_label)
        rows.append({"record": record, "label": label, "to": _state_label(record.to_state)})
    return rows


def _state_label(state: str) -> str:
    try:
        return str(FilingState(state).label)
    except ValueError:
        return state


@applicant_required
def detail_view(request, public_id: str):
    """查看: the application as submitted, read-only, with its 审核记录."""
    filing = selectors.own_filing(request.user, public_id)
    version = selectors.version_detail(filing.application_version_id)
    return render(
        request,
        "filings/detail.html",
        {
            "filing": filing,
            "target": filing,
            "version": version,
            "version_materials": material_rows(version),
            "kind": filing.kind,
            "labels": basic_labels(filing.kind),
            "history": _history_rows(filing),
            "title": FilingKind(filing.kind).label,
            "actions": applicant_actions(request.user, filing),
            "has_programme": may_start_change(filing),
        },
    )


@applicant_required
def change_detail_view(request, public_id: str):
    change = selectors.own_change(request.user, public_id)
    version = selectors.version_detail(change.version_id)
    return render(
        request,
        "filings/detail.html",
        {
            "change": change,
            "filing": change.filing,
            "target": change,
            "version": version,
            "version_materials": material_rows(version),
            "kind": change.filing.kind,
            "labels": basic_labels(change.filing.kind),
            "history": _history_rows(change),
            "sections_diff": diff.diff_versions(change.base_version, change.version, kind=change.filing.kind),
            "parts_labels": [ChangePart(p).label for p in change.parts if p in ChangePart.values],
            "title": _("网络演出剧(节)目变更"),
            "actions": applicant_actions(request.user, change),
        },
    )


# The colour of a state's badge in 受理状态 (others: bg-primary).
STATE_BADGES = {
    FilingState.APPROVED: "bg-success",
    FilingState.REJECTED: "bg-danger",
    FilingState.RETURNED: "bg-warning text-dark",
    FilingState.DRAFT: "bg-secondary",
    FilingState.VOIDED: "bg-dark",
}


# The links of a 受理状态 row (an application's, a change request's), reversed once per page.
STATUS_LINKS = {
    False: {"edit": "filings:edit", "view": "filings:detail", "withdraw": "filings:withdraw",
            "delete": "filings:delete", "void": "filings:void"},
    True: {"edit": "filings:change_edit", "view": "filings:change_detail", "withdraw": "filings:change_withdraw",
           "delete": "filings:change_delete", "void": "filings:change_void"},
}  # fmt: skip
_PLACEHOLDER = "0public0id0"  # public ids are URL-safe tokens: reverse() would not quote them either


def _status_links() -> dict[bool, dict[str, str]]:
    return {
        is_change: {key: reverse(name, args=[_PLACEHOLDER]) for key, name in names.items()}
        for is_change, names in STATUS_LINKS.items()
    }


@applicant_required
def status_view(request):
    """受理状态: the unit's applications and change requests."""
    form = StatusFilterForm(request.GET or None)
    state = list_type = ""
    if form.is_valid():
        state, list_type = form.cleaned_data["state"], form.cleaned_data["type"]
    page_obj, rows = selectors.status_page(
        request.user, state=state, list_type=list_type, page=request.GET.get("page", 1)
    )
    links = _status_links()
    for row in rows:
        row.actions = applicant_actions(request.user, row.obj)
        row.badge = STATE_BADGES.get(row.obj.state, "bg-primary")
        row.links = {key: url.replace(_PLACEHOLDER, row.obj.public_id) for key, url in links[row.is_change].items()}
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "filings/status.html",
        {
            "form": form,
            "page_obj": page_obj,
            "rows": rows,
            "query": query.urlencode(),
            "list_types": ListType,
        },
    )


def certificate_link(certificate) -> str:
    if certificate is None:
        return ""
    # review:certificate addresses a certificate by its public id (the QR token is for the public page only)
    key = getattr(certificate, "public_id", "") or certificate.token
    try:
        return reverse("review:certificate", args=[key])
    except NoReverseMatch:
        return ""


@applicant_required
def programmes_view(request):
    """网络演出剧(节)目管理: approved programmes with 查看, 变更, 证照查看."""
    page_obj, filings = selectors.approved_programmes(request.user, page=request.GET.get("page", 1))
    for filing in filings:
        filing.certificate_url = certificate_link(filing.certificate)
        filing.change_actions = applicant_actions(request.user, filing.open_change)
    return render(request, "filings/programmes.html", {"page_obj": page_obj, "filings": filings})


@applicant_required
def programme_view(request, public_id: str):
    """The programme's current approved data (a pending change shows only once approved)."""
    filing = selectors.own_filing(request.user, public_id)
    if filing.current_version_id is None:
        raise Http404
    version = selectors.version_detail(filing.current_version_id)
    certificate = selectors.certificate_for(filing)
    open_change = selectors.open_change_for(filing)
    return render(
        request,
        "filings/programme.html",
        {
            "filing": filing,
            "target": filing,
            "version": version,
            "version_materials": material_rows(version),
            "kind": filing.kind,
            "labels": basic_labels(filing.kind),
            "open_change": open_change,
            "change_actions": applicant_actions(request.user, open_change),
            "certificate": certificate,
            "certificate_url": certificate_link(certificate),
            "title": FilingKind(filing.kind).label,
        },
    )


@applicant_required
def change_start_view(request, public_id: str):
    """变更: tick the parts that change; the change request starts as a copy of the approved data."""
    filing = selectors.own_filing(request.user, public_id)
    if not may_start_change(filing):
        messages.error(request, _("只有已通过的网络演出剧(节)目可以变更。"))
        return redirect("filings:programmes")
    existing = selectors.open_change_for(filing)
    if existing is not None:
        if may_edit(existing):
            return redirect("filings:change_edit", existing.public_id)
        messages.info(request, _("该节目的变更申请正在审核中，请在受理状态中查看。"))
        return redirect("filings:change_detail", existing.public_id)
    form = ChangePartsForm(request.POST if request.method == "POST" else None, prefix="change")
    if request.method == "POST" and form.is_valid():
        try:
            change = change_services.start_change(request.user, filing, form.cleaned_data["parts"])
        except FilingError as exc:
            form.add_error("parts", exc.message)
        else:
            messages.success(request, _("请修改勾选的变更项，完成后点击“提交”，由备案部门确认。"))
            return redirect("filings:change_edit", change.public_id)
    version = selectors.version_detail(filing.current_version_id)
    return render(
        request,
        "filings/change_start.html",
        {
            "filing": filing,
            "target": filing,
            "version": version,
            "kind": filing.kind,
            "version_materials": material_rows(version),
            "labels": basic_labels(filing.kind),
            "form": form,
            "title": _("网络演出剧(节)目变更"),
        },
    )
