"""Shared workflow records: review history, outbox of side effects, in-site
messages, certificates and gap-free-enough sequences. Knows no programme."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import CertificateReason, CertificateStatus, OutboxStatus


def new_public_id() -> str:
    return secrets.token_urlsafe(12)


def new_token() -> str:
    return secrets.token_urlsafe(24)  # 192 bits


class Reviewable(models.Model):
    """Base for every object that goes through a review workflow."""

    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    state = models.CharField(_("状态"), max_length=32, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True

    # The kind key registered with review.engine (set by subclasses).
    workflow_kind: str = ""

    def get_workflow_kind(self) -> str:
        return self.workflow_kind


class ReviewRecord(models.Model):
    """One step of an application's life: who, when, from, to, comment."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(max_length=40)
    transition = models.CharField(_("操作"), max_length=40)
    action_label = models.CharField(_("操作"), max_length=40)
    from_state = models.CharField(_("原状态"), max_length=32)
    to_state = models.CharField(_("新状态"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_name = models.CharField(_("操作人"), max_length=100, blank=True)
    actor_role = models.CharField(max_length=16, blank=True)
    comment = models.TextField(_("意见"), blank=True)
    # The structured reason's key (e.g. 不推荐: "broadcast_dates"), for statistics.
    reason = models.CharField(_("原因"), max_length=40, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.action_label}: {self.from_state} → {self.to_state}"


class OutboxEvent(models.Model):
    """A side effect written in the same transaction as the state change."""

    topic = models.CharField(max_length=40)
    payload = models.JSONField(default=dict)
    status = models.CharField(max_length=8, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    available_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "available_at"])]

    def __str__(self) -> str:
        return f"{self.topic} #{self.pk}"


class Message(models.Model):
    """In-site message centre (消息)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox")
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return self.title


class Sequence(models.Model):
    """Counters for reference and certificate numbers (per prefix, province and year)."""

    key = models.CharField(max_length=80, unique=True)
    value = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key} = {self.value}"


class Certificate(models.Model):
    """证照: one per approved programme (or selected NRTA work)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("类型"), max_length=40)
    number = models.CharField(_("证照编号"), max_length=64, unique=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    # Random id used in download and 证照查看 URLs (never the database id).
    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="certificates", verbose_name=_("持证单位")
    )
    province = models.CharField(_("省份"), max_length=6, blank=True, db_index=True)
    title = models.CharField(_("名称"), max_length=200)
    reference = models.CharField(_("受理编号"), max_length=64, blank=True)
    issuing_department = models.CharField(_("发证部门"), max_length=100)
    issued_on = models.DateField(_("发证日期"))
    # The status life of an electronic licence: 有效 → 暂扣 (→ 有效) → 已注销 / 已失效;
    # the latest change's who, when and why here, every change in CertificateEvent.
    status = models.CharField(
        _("状态"), max_length=16, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    status_reason = models.CharField(_("原因类别"), max_length=40, choices=CertificateReason.choices, blank=True)
    status_note = models.CharField(_("情况说明"), max_length=500, blank=True)  # internal, never public
    status_changed_at = models.DateTimeField(_("状态变更时间"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    pdf = models.FileField(_("PDF"), upload_to="certificates/%Y/", blank=True)
    pdf_generated_at = models.DateTimeField(null=True, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    pdf_size = models.PositiveIntegerField(null=True, blank=True)
    # The verify address the stored PDF's QR code encodes (SITE_URL when it was rendered)
    # and the subject of the certificate that signed it (PAdES).
    pdf_verify_url = models.CharField(_("二维码地址"), max_length=300, blank=True)
    pdf_signer = models.CharField(_("签名证书"), max_length=300, blank=True)
    # What the PDF prints besides the fields above, fixed at issue (heading, kind
    # label, statement, detail rows), so a render later prints what was approved.
    document = models.JSONField(default=dict, blank=True)
    # The programme's current approved data for the public verification page, per
    # language ({"zh-hans": [{"label", "value", "items"}, …]}), refreshed after every
    # transition of the programme (review.certificates.refresh_public_details).
    public_details = models.JSONField(default=dict, blank=True)
    public_details_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("证照")
        verbose_name_plural = _("证照")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="one_certificate_per_subject"),
            models.CheckConstraint(
                condition=models.Q(status="valid") | models.Q(status_changed_at__isnull=False),
                name="certificate_status_change_recorded",
            ),
        ]
        indexes = [models.Index(fields=["kind", "province", "issued_on"])]

    def __str__(self) -> str:
        return self.number

    @property
    def is_valid(self) -> bool:
        return self.status == CertificateStatus.VALID

    @property
    def revoked_reason(self) -> str:
        """The note of the latest status change (kept under its former name for callers)."""
        return self.status_note


class CertificateEvent(models.Model):
    """One change of a certificate's status: from, to, why (category and note), who, when."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("原状态"), max_length=16, choices=CertificateStatus.choices)
    to_status = models.CharField(_("新状态"), max_length=16, choices=CertificateStatus.choices)
    reason = models.CharField(_("原因类别"), max_length=40, choices=CertificateReason.choices)
    note = models.CharField(_("情况说明"), max_length=500)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_name = models.CharField(_("操作人"), max_length=100, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("证照状态记录")
        verbose_name_plural = _("证照状态记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.certificate_id}: {self.from_status} → {self.to_status}"
