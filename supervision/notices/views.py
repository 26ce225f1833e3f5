"""Public pages of 通知公告: the list (filter by kind), the detail with the sign-up form, downloads."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.files import private_file_response

from . import selectors, services
from .enums import NoticeKind
from .forms import SignUpForm

PAGE_SIZE = 20


@require_GET
def list_view(request):
    kind = request.GET.get("kind", "")
    if kind not in NoticeKind.values:
        kind = ""
    page = Paginator(selectors.notice_list(request.user, kind), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notices/list.html",
        {"page_obj": page, "notices": page.object_list, "kinds": NoticeKind.choices, "kind": kind},
    )


@require_http_methods(["GET", "POST"])
def detail_view(request, public_id: str):
    notice = selectors.notice_detail(request.user, public_id)
    signup = selectors.own_signup(request.user, notice) if notice.is_training else None
    form = SignUpForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.sign_up(request.user, notice, request=request, **form.cleaned_data)
            except services.NoticeError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("报名成功。"))
                return redirect("notices:detail", public_id=notice.public_id)
        status = 400
    left = (notice.capacity or 0) - (notice.taken or 0)
    return render(
        request,
        "notices/detail.html",
        {
            "notice": notice,
            "signup": signup,
            "form": form,
            "seats_left": max(left, 0),
            "may_sign_up": services.is_applicant(request.user),
        },
        status=status,
    )


@require_POST
def cancel_view(request, public_id: str):
    notice = selectors.notice_detail(request.user, public_id)
    try:
        services.cancel(request.user, notice, request=request)
    except services.NoticeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已取消报名。"))
    return redirect("notices:detail", public_id=notice.public_id)


@require_GET
def download_view(request, token: str):
    attachment = selectors.downloadable_attachment(request.user, token)
    return private_file_response(
        attachment.file.name, filename=attachment.original_name, content_type=attachment.content_type or None
    )
