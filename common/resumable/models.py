"""One resumable upload (tus); the bytes received so far are in ``files.partial_path(token)``."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_hex(16)


class UploadState(models.TextChoices):
    RECEIVING = "receiving", _("上传中")
    DONE = "done", _("已完成")


class Upload(models.Model):
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    target = models.CharField(_("用途"), max_length=50)
    metadata = models.JSONField(_("元数据"), default=dict, blank=True)
    length = models.PositiveBigIntegerField(_("文件大小"))
    offset = models.PositiveBigIntegerField(_("已接收"), default=0)
    state = models.CharField(max_length=10, choices=UploadState.choices, default=UploadState.RECEIVING)
    sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"), db_index=True)

    class Meta:
        verbose_name = _("断点续传")
        verbose_name_plural = _("断点续传")
        constraints = [
            models.CheckConstraint(condition=Q(offset__lte=F("length")), name="upload_offset_within_length"),
            models.CheckConstraint(condition=~Q(state="done") | Q(offset=F("length")), name="upload_done_is_complete"),
        ]
        indexes = [models.Index(fields=["owner", "state"], name="upload_owner_state_idx")]

    def __str__(self) -> str:
        return f"{self.metadata.get('filename', '')} ({self.offset}/{self.length})"
