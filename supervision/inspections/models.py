"""日常巡查: inspection cases of a provincial department (MCT), their disposal and history.

A case is either found by the refresh job from the filings (逾期未备案, 未经批准擅自提供: one per
programme and kind, a database constraint) or recorded by an official from a patrol of the platforms
(巡查发现). What the case is about is copied into the row when it is opened (programme, unit, credit
code, platform), so the case stays readable when the draft behind it is deleted or renamed.
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

from .enums import FILING_KINDS, CaseKind, CaseStatus, EventKind


def new_public_id() -> str:
    return secrets.token_urlsafe(12)


def evidence_path(instance, filename: str) -> str:
    ext = os.path.splitext(filename)[1].lower()[:6]
    return f"inspections/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{ext}"


class InspectionCase(models.Model):
    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    kind = models.CharField(_("问题类型"), max_length=16, choices=CaseKind.choices)
    status = models.CharField(
        _("处理状态"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.PENDING, db_index=True
    )
    authority = models.CharField(_("主管部门"), max_length=8, choices=Authority.choices, default=Authority.MCT)
    province = models.CharField(_("所属省份"), max_length=6, choices=REGION_CHOICES)
    filing = models.ForeignKey(
        "filings.Filing",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("相关节目"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("涉及单位"),
    )
    programme_name = models.CharField(_("节目名称"), max_length=200, blank=True)
    unit_name = models.CharField(_("单位名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    platform = models.CharField(_("播出平台"), max_length=200, blank=True)
    url = models.URLField(_("网址"), max_length=500, blank=True)
    description = models.TextField(_("情况描述"), max_length=2000, blank=True)
    first_session_at = models.DateTimeField(_("首场演出时间"), null=True, blank=True)
    found_on = models.DateField(_("发现日期"), db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(_("立案时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("最后更新"), default=timezone.now)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    # The refresh run that opened the case (finds its new rows after a bulk insert) and when the
    # province's officials were told (once).
    refresh_run = models.CharField(max_length=32, blank=True, editable=False)
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("日常巡查")
        verbose_name_plural = _("日常巡查")
        indexes = [
            models.Index(fields=["authority", "province", "status", "-found_on"], name="inspection_queue_idx"),
            # the list's order (newest found first), for ministry staff and for an official's province
            models.Index(fields=["authority", "-found_on", "-id"], name="inspection_recent_idx"),
            models.Index(fields=["authority", "province", "-found_on", "-id"], name="inspection_prov_recent_idx"),
            models.Index(fields=["refresh_run"], name="inspection_run_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["filing", "kind"],
                condition=Q(filing__isnull=False, kind__in=list(FILING_KINDS)),
                name="inspection_one_case_per_filing_kind",
            ),
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.HANDLED) | Q(closed_at__isnull=False),
                name="inspection_handled_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(kind=CaseKind.PATROL) | (~Q(url="") & ~Q(platform="")),
                name="inspection_patrol_has_platform_url",
            ),
        ]

    def __str__(self) -> str:
        return self.programme_name or self.unit_name

    @property
    def is_patrol(self) -> bool:
        return self.kind == CaseKind.PATROL

    @property
    def deadline(self):
        if self.kind != CaseKind.OVERDUE or self.first_session_at is None:
            return None
        from filings.deadlines import filing_days

        return self.first_session_at + filing_days()


class CaseEvent(models.Model):
    """One line of a case's history: who, when, what (status from → to) and the disposal note."""

    case = models.ForeignKey(InspectionCase, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("操作"), max_length=16, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Kept as written: the name and department stay when the account leaves or is renamed ("系统" for the job).
    actor_name = models.CharField(_("操作人"), max_length=100)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    status_from = models.CharField(_("原状态"), max_length=16, choices=CaseStatus.choices, blank=True)
    status_to = models.CharField(_("新状态"), max_length=16, choices=CaseStatus.choices, blank=True)
    note = models.TextField(_("处置说明"), max_length=2000, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("处置记录")
        verbose_name_plural = _("处置记录")
        indexes = [models.Index(fields=["case", "at"], name="inspection_event_idx")]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.get_kind_display()}"


class Evidence(models.Model):
    """A 巡查发现's evidence file (screenshot, recording, PDF) in private storage under a random name."""

    case = models.ForeignKey(InspectionCase, on_delete=models.CASCADE, related_name="evidence")
    token = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    file = models.FileField(upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小"))
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("证据材料")
        verbose_name_plural = _("证据材料")

    def __str__(self) -> str:
        return self.original_name


class ReminderSent(models.Model):
    """An applicant's deadline reminder already queued (stage 7, 1 or 0 = overdue); never twice."""

    filing = models.ForeignKey("filings.Filing", on_delete=models.CASCADE, related_name="+")
    stage = models.PositiveSmallIntegerField(_("提醒阶段"))
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)

    class Meta:
        verbose_name = _("备案期限提醒")
        verbose_name_plural = _("备案期限提醒")
        constraints = [models.UniqueConstraint(fields=["filing", "stage"], name="inspection_reminder_once")]

    def __str__(self) -> str:
        return f"{self.filing_id}:{self.stage}"
