"""Message centre (消息): the signed-in user's own in-site messages."""

from __future__ import annotations

import base64
import functools
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ..models import Message
from . import selectors, unread

PAGE_SIZE = 20
_SALT = "review.message"


@functools.cache
def _fernet(secret: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"{_SALT}:{secret}".encode()).digest()))


def message_token(message: Message) -> str:
    """Opaque, unforgeable address of a message: the id is encrypted, not only signed
    (a signed token carries the database id in readable base64)."""
    return _fernet(settings.SECRET_KEY).encrypt(str(message.pk).encode()).decode().rstrip("=")


def _message_pk(token: str) -> int | None:
    try:
        value = _fernet(settings.SECRET_KEY).decrypt((token + "=" * (-len(token) % 4)).encode())
    except (InvalidToken, ValueError):
        return None
    return int(value) if value.isdigit() else None


def is_local_link(link: str, request) -> bool:
    return (
        link.startswith("/")
        and not link.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}, require_https=False)
    )


@login_required
@require_GET
def message_list(request):
    page = Paginator(selectors.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    for message in page.object_list:
        message.token = message_token(message)
    return render(request, "review/messages.html", {"page_obj": page, "messages_page": page.object_list})


@login_required
@require_GET
def message_open(request, token: str):
    pk = _message_pk(token)
    message = Message.objects.filter(pk=pk).first() if pk is not None else None
    if message is None or not selectors.can_open_message(request.user, message):
        raise Http404(_("消息不存在。"))
    if message.read_at is None:
        message.read_at = timezone.now()
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=message.read_at)
        unread.forget([message.recipient_id])
    if message.link and is_local_link(message.link, request):
        return HttpResponseRedirect(message.link)
    return render(request, "review/message_detail.html", {"message": message})


@login_required
@require_POST
def mark_all_read(request):
    count = Message.objects.filter(recipient=request.user, read_at__isnull=True).update(read_at=timezone.now())
    if count:
        unread.forget([request.user.pk])
        flash.success(request, _("已将 %(count)s 条消息标为已读。") % {"count": count})
    return redirect(reverse("review:messages"))
