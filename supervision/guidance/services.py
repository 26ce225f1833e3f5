"""Writes of 行政指导: ask, reply, answer, ask back, close. Plain functions taking the actor.

Every change re-reads the thread under ``select_for_update`` and checks the
actor's right and the state it finds (not the one the caller saw); messages to
the other side go to the outbox in the same transaction.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.enums import StaffLevel
from accounts.models import User
from common import ratelimit
from review.outbox import enqueue
from review.outbox.notifications import TOPIC, notify_payload

from . import rules
from .enums import APPLICANT, OFFICIAL, TARGET, TRANSITIONS, MessageKind, ThreadState
from .models import Attachment, Message, Thread

ATTACHMENT_EXTENSIONS = {"pdf", "jpg", "jpeg", "png"}
MAX_ATTACHMENTS = 5
ASK_WINDOW = 3600


class GuidanceError(Exception):
    """A rule was broken; ``message`` is shown to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def questions_per_hour() -> int:
    return int(getattr(settings, "GUIDANCE_QUESTIONS_PER_HOUR", 5))


def _ask_key(user) -> str:
    return f"guidance:ask:{user.pk}"


def check_attachment(upload) -> str:
    """Validate one attachment by its content (pdf, jpg, png); returns its content type."""
    from filings.uploads import check_upload

    name = getattr(upload, "name", "") or ""
    if os.path.splitext(name)[1].lower().lstrip(".") not in ATTACHMENT_EXTENSIONS:
        raise ValidationError(
            _("不支持的文件格式“%(name)s”，请上传 pdf、jpg、jpeg 或 png 格式的文件。") % {"name": name},
            code="extension",
        )
    return check_upload(upload).content_type


def _save_attachments(message: Message, files: Sequence) -> None:
    for upload in files:
        content_type = check_attachment(upload)
        attachment = Attachment(
            message=message, original_name=upload.name[:255], size=upload.size, content_type=content_type
        )
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()


def _province_officials(thread: Thread) -> list[int]:
    ids = list(
        User.objects.filter(
            is_active=True,
            staff_profile__authority=thread.authority,
            staff_profile__level=StaffLevel.PROVINCE,
            staff_profile__province=thread.province,
        ).values_list("pk", flat=True)
    )
    return ids


def _notify_officials(thread: Thread, title: str, body: str) -> None:
    ids = _province_officials(thread)
    link = reverse("staff:guidance_thread_change", args=[thread.public_id])
    # No provincial official yet: the ministry staff of the authority hear of it instead.
    reviewers = None if ids else {"authority": thread.authority, "province": ""}
    enqueue(TOPIC, notify_payload(title=title, body=body, link=link, users=ids, reviewers=reviewers))


def _notify_unit(thread: Thread, title: str, body: str) -> None:
    link = reverse("guidance:detail", args=[thread.public_id])
    enqueue(TOPIC, notify_payload(title=title, body=body, link=link, organisation=thread.organisation_id))


def ask(
    actor: User, *, subject: str, category: str, text: str, filing=None, files: Sequence = (), request=None
) -> Thread:
    """新建咨询: the unit asks its provincial department."""
    if not rules.is_applicant(actor):
        raise GuidanceError(_("只有申报单位的用户可以提交咨询。"))
    if len(files) > MAX_ATTACHMENTS:
        raise GuidanceError(_("每次最多上传 %(n)s 个附件。") % {"n": MAX_ATTACHMENTS})
    if filing is not None and filing.organisation_id != actor.organisation_id:
        raise GuidanceError(_("只能关联本单位的节目。"))
    if ratelimit.count(_ask_key(actor), ASK_WINDOW) >= questions_per_hour():
        raise GuidanceError(_("提交咨询过于频繁，请一小时后再试。"))
    org = actor.organisation
    now = timezone.now()
    with transaction.atomic():
        thread = Thread.objects.create(
            organisation=org,
            authority=rules.authority_of(org),
            province=org.province,
            subject=subject,
            category=category,
            filing=filing,
            created_by=actor,
            created_by_name=actor.get_full_name(),
            created_at=now,
            last_activity_at=now,
        )
        message = Message.objects.create(
            thread=thread, kind=MessageKind.QUESTION, author=actor, author_name=actor.get_full_name(), text=text, at=now
        )
        _save_attachments(message, files)
        _notify_officials(
            thread,
            _("新的行政指导咨询：%(subject)s") % {"subject": subject},
            _("%(unit)s提交了行政指导咨询《%(subject)s》，请及时答复。") % {"unit": org.name, "subject": subject},
        )
    ratelimit.hit(_ask_key(actor), ASK_WINDOW)
    return thread


def post(actor: User, thread: Thread, *, kind: str, text: str = "", files: Sequence = (), request=None) -> Message:
    """One step of a thread: 补充说明 (applicant), 答复 / 要求补充 (official), 关闭 (either)."""
    if kind not in TRANSITIONS:
        raise GuidanceError(_("无效的操作。"))
    if len(files) > MAX_ATTACHMENTS:
        raise GuidanceError(_("每次最多上传 %(n)s 个附件。") % {"n": MAX_ATTACHMENTS})
    if kind != MessageKind.CLOSE and not text.strip():
        raise GuidanceError(_("请填写内容。"))
    with transaction.atomic():
        locked = Thread.objects.select_for_update().select_related("organisation").filter(pk=thread.pk).first()
        if locked is None:
            raise GuidanceError(_("咨询不存在。"))
        if rules.member_may_see(actor, locked):
            side = APPLICANT
        elif rules.official_may_see(actor, locked):
            side = OFFICIAL
        else:
            raise GuidanceError(_("您无权处理该咨询。"))
        allowed = TRANSITIONS[kind].get(side, ())
        if locked.state not in allowed:
            if locked.state == ThreadState.CLOSED:
                raise GuidanceError(_("该咨询已关闭。"))
            raise GuidanceError(_("该咨询已被其他人员处理，请刷新页面后查看。"))
        now = timezone.now()
        name = actor.get_full_name()
        if side == OFFICIAL:
            name = f"{name}（{actor.staff_profile.department}）"
        message = Message.objects.create(
            thread=locked, kind=kind, author=actor, author_name=name, by_official=side == OFFICIAL, text=text, at=now
        )
        _save_attachments(message, files)
        locked.state = TARGET[kind]
        locked.last_activity_at = now
        locked.message_count += 1
        fields = ["state", "last_activity_at", "message_count"]
        if kind == MessageKind.CLOSE:
            locked.closed_at = now
            fields.append("closed_at")
        locked.save(update_fields=fields)
        subject = locked.subject
        if side == OFFICIAL:
            titles = {
                MessageKind.ANSWER: _("您的行政指导咨询已答复：%(subject)s"),
                MessageKind.ASK_BACK: _("您的行政指导咨询需要补充说明：%(subject)s"),
                MessageKind.CLOSE: _("您的行政指导咨询已关闭：%(subject)s"),
            }
            _notify_unit(locked, titles[kind] % {"subject": subject}, text)
            audit.record(f"guidance.{kind}", request=request, actor=actor, target=locked.public_id)
        elif kind == MessageKind.REPLY:
            _notify_officials(
                locked,
                _("行政指导咨询有新的补充说明：%(subject)s") % {"subject": subject},
                _("%(unit)s对咨询《%(subject)s》作了补充说明，请及时答复。")
                % {"unit": locked.organisation.name, "subject": subject},
            )
    thread.state = locked.state
    return message
