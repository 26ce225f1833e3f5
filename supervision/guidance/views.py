"""Applicant pages of 行政指导: 我的咨询, 新建咨询, the thread with its reply form, attachment downloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts import audit
from common.files import private_file_response
from filings.enums import FilingState

from . import rules, selectors, services
from .enums import MessageKind, ThreadState
from .forms import AskForm, ReplyForm

PAGE_SIZE = 20


def applicant_required(view):
    @login_required
    def wrapped(request, *args, **kwargs):
        if not rules.is_applicant(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _own_filings(user):
    from filings.selectors import own_filings

    if user.organisation.kind != "enterprise":
        return None
    return (
        own_filings(user)
        .exclude(state=FilingState.DRAFT)
        .select_related("current_version", "application_version")
        .order_by("-submitted_at", "-pk")
    )


@require_GET
@applicant_required
def list_view(request):
    """我的咨询."""
    state = request.GET.get("state", "")
    qs = selectors.my_list(request.user)
    if state in ThreadState.values:
        qs = qs.filter(state=state)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "guidance/list.html",
        {"page_obj": page, "threads": page.object_list, "states": ThreadState.choices, "state": state},
    )


@require_http_methods(["GET", "POST"])
@applicant_required
def new_view(request):
    """新建咨询."""
    filings = _own_filings(request.user)
    form = AskForm(request.POST or None, request.FILES or None, filings=filings)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            thread = services.ask(
                request.user,
                subject=data["subject"],
                category=data["category"],
                text=data["text"],
                filing=data.get("filing"),
                files=data["attachments"],
                request=request,
            )
        except services.GuidanceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("咨询已提交，省级主管部门答复后将通过消息通知您。"))
            return redirect("guidance:detail", thread.public_id)
    return render(request, "guidance/new.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@applicant_required
def detail_view(request, public_id: str):
    thread = selectors.own_thread(request.user, public_id)
    form = ReplyForm(request.POST or None, request.FILES or None) if request.POST.get("action") != "close" else None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "close":
                services.post(request.user, thread, kind=MessageKind.CLOSE, request=request)
                messages.success(request, _("咨询已关闭。"))
                return redirect("guidance:detail", thread.public_id)
            if form.is_valid():
                services.post(
                    request.user,
                    thread,
                    kind=MessageKind.REPLY,
                    text=form.cleaned_data["text"],
                    files=form.cleaned_data["attachments"],
                    request=request,
                )
                messages.success(request, _("补充说明已提交。"))
                return redirect("guidance:detail", thread.public_id)
        except services.GuidanceError as exc:
            if form is None:
                messages.error(request, exc.message)
                return redirect("guidance:detail", thread.public_id)
            form.add_error(None, exc.message)
    if form is None:
        form = ReplyForm()
    context = {
        "thread": thread,
        "thread_messages": thread.messages.all(),
        "form": form,
        "may_reply": thread.state in (ThreadState.AWAITING_APPLICANT, ThreadState.ANSWERED),
        "may_close": thread.state != ThreadState.CLOSED,
    }
    return render(request, "guidance/detail.html", context, status=400 if form.errors else 200)


@never_cache
@require_GET
@login_required
def download_view(request, token: str):
    attachment = selectors.downloadable_attachment(request.user, token)
    if rules.is_official(request.user):
        audit.record(
            "guidance.attachment_downloaded",
            request=request,
            target=attachment.message.thread.public_id,
            file=attachment.original_name,
        )
    response = private_file_response(
        attachment.file.name, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
