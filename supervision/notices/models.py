"""通知公告与培训: a notice for an audience (everyone, one programme, or one province of one programme)."""

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

from .enums import NoticeKind, NoticeState


def new_public_id() -> str:
    return secrets.token_urlsafe(12)


def attachment_path(instance, filename: str) -> str:
    ext = os.path.splitext(filename)[1].lower()[:6]
    return f"notices/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{ext}"


class Notice(models.Model):
    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    kind = models.CharField(_("类型"), max_length=12, choices=NoticeKind.choices, default=NoticeKind.NOTICE)
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("正文"), max_length=20000, help_text=_("纯文本，空行分段。"))
    # Audience: authority "" = everyone; province "" = the whole programme.
    authority = models.CharField(_("面向业务"), max_length=8, choices=Authority.choices, blank=True)
    province = models.CharField(_("面向省份"), max_length=6, choices=REGION_CHOICES, blank=True)
    issuer_authority = models.CharField(_("发布部门"), max_length=8, choices=Authority.choices)
    state = models.CharField(
        _("状态"), max_length=12, choices=NoticeState.choices, default=NoticeState.DRAFT, db_index=True
    )
    publish_date = models.DateField(_("发布日期"), default=timezone.localdate)
    end_date = models.DateField(_("截止日期"), null=True, blank=True)
    # Training only.
    starts_at = models.DateTimeField(_("培训时间"), null=True, blank=True)
    place = models.CharField(_("培训地点"), max_length=200, blank=True)
    online_link = models.URLField(_("线上链接"), blank=True)
    capacity = models.PositiveIntegerField(_("名额"), null=True, blank=True)
    signup_deadline = models.DateTimeField(_("报名截止"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    publisher_name = models.CharField(_("发布单位"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("通知公告")
        verbose_name_plural = _("通知公告")
        ordering = ["-publish_date", "-pk"]
        indexes = [models.Index(fields=["state", "authority", "province", "-publish_date"], name="notices_aud_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(authority="") | Q(province=""), name="notices_everyone_no_prov"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_training(self) -> bool:
        return self.kind == NoticeKind.TRAINING


class NoticeAttachment(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="attachments")
    token = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    file = models.FileField(_("附件"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("大小"), default=0)
    content_type = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class SignUp(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="signups", verbose_name=_("培训"))
    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("报名单位")
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    name = models.CharField(_("联系人"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20)
    attendees = models.PositiveSmallIntegerField(_("参加人数"))
    created_at = models.DateTimeField(_("报名时间"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("培训报名")
        verbose_name_plural = _("培训报名")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "organisation"], condition=Q(cancelled_at__isnull=True), name="notices_one_signup"
            ),
            models.CheckConstraint(condition=Q(attendees__gte=1), name="notices_attendees_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.attendees})"
