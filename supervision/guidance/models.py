"""行政指导: a unit's question to its provincial department about content self-review, and the replies.

A thread belongs to the unit (Organisation), not to the member who asked: a
member who leaves is detached from the unit and the thread stays with it.
"""

from __future__ import annotations

import os
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.enums import Authority
from common.regions import REGION_CHOICES

from .enums import Category, MessageKind, ThreadState


def new_public_id() -> str:
    return secrets.token_urlsafe(12)


def attachment_path(instance, filename: str) -> str:
    ext = os.path.splitext(filename)[1].lower()[:6]
    return f"guidance/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{ext}"


class Thread(models.Model):
    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="guidance_threads", verbose_name=_("咨询单位")
    )
    authority = models.CharField(_("主管部门"), max_length=8, choices=Authority.choices)
    province = models.CharField(_("所属省份"), max_length=6, choices=REGION_CHOICES)
    subject = models.CharField(_("咨询主题"), max_length=100)
    category = models.CharField(_("咨询类别"), max_length=20, choices=Category.choices)
    filing = models.ForeignKey(
        "filings.Filing",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("相关节目"),
    )
    state = models.CharField(
        _("状态"), max_length=20, choices=ThreadState.choices, default=ThreadState.AWAITING_ANSWER, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("咨询人"),
    )
    created_by_name = models.CharField(_("咨询人"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    last_activity_at = models.DateTimeField(_("最后更新"), default=timezone.now)
    message_count = models.PositiveIntegerField(_("留言数"), default=1)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("行政指导咨询")
        verbose_name_plural = _("行政指导咨询")
        indexes = [
            models.Index(fields=["authority", "province", "state", "-last_activity_at"], name="guidance_queue_idx"),
            models.Index(fields=["organisation", "-last_activity_at"], name="guidance_org_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=ThreadState.CLOSED) | Q(closed_at__isnull=False), name="guidance_closed_has_time"
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(_("类型"), max_length=16, choices=MessageKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Kept as written: the name and side stay when the account leaves or is renamed.
    author_name = models.CharField(_("留言人"), max_length=100)
    by_official = models.BooleanField(default=False)
    text = models.TextField(_("内容"), max_length=5000, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["thread", "at"], name="guidance_msg_idx")]

    def __str__(self) -> str:
        return f"{self.author_name} {self.at:%Y-%m-%d %H:%M}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    token = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小"))
    content_type = models.CharField(max_length=100)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name
