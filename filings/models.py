"""MCT programme filings (国产网络演出剧（节）目备案) and import reviews (进口网络演出剧（节）目内容审查).

A programme (:class:`Filing`) and its data (:class:`FilingVersion`) are kept
apart: the application is version 1; each approved change request
(:class:`ChangeRequest`) brings a new version that becomes the programme's
current one. Every version is kept, with its own rows and materials.
"""

from __future__ import annotations

import os
import secrets

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.regions import REGION_CHOICES
from review.models import Reviewable

from .enums import (
    DONE_STATES,
    OPEN_STATES,
    FilingKind,
    FilingState,
    MaterialItem,
    ReplayType,
    SessionType,
)

SYNOPSIS_MAX = 2000


def new_key() -> str:
    return secrets.token_urlsafe(12)


def material_path(instance: Material, filename: str) -> str:
    """A random name in private storage; the original name is kept in the row only."""
    ext = os.path.splitext(filename)[1].lower()[:6]
    now = timezone.now()
    return f"filings/{now:%Y/%m}/{secrets.token_hex(16)}{ext}"


class Filing(Reviewable):
    """A programme filed by a unit: its application, reference number and current approved data."""

    state = models.CharField(
        _("状态"), max_length=32, choices=FilingState.choices, default=FilingState.DRAFT, db_index=True
    )
    kind = models.CharField(_("类型"), max_length=16, choices=FilingKind.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="filings", verbose_name=_("申报单位")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("创建人"),
    )
    # The unit's province when it first submitted (decides the reviewing department).
    province = models.CharField(_("所属省份"), max_length=6, choices=REGION_CHOICES, blank=True)
    reference = models.CharField(_("受理编号"), max_length=40, blank=True)
    ref_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    ref_seq = models.PositiveIntegerField(null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审核完成时间"), null=True, blank=True)
    decided_by_ministry = models.BooleanField(_("由文化和旅游部审核"), default=False)
    application_version = models.ForeignKey(
        "FilingVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("申请数据"),
    )
    current_version = models.ForeignKey(
        "FilingVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("当前备案数据"),
    )

    class Meta:
        verbose_name = _("网络演出剧(节)目申请")
        verbose_name_plural = _("网络演出剧(节)目申请")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "kind", "ref_year", "ref_seq"],
                condition=Q(ref_seq__isnull=False),
                name="filing_unique_reference_seq",
            ),
            models.UniqueConstraint(fields=["reference"], condition=~Q(reference=""), name="filing_unique_reference"),
            models.CheckConstraint(
                condition=Q(state=FilingState.DRAFT) | Q(submitted_at__isnull=False, ref_seq__isnull=False),
                name="filing_submitted_has_reference",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=list(DONE_STATES)) | Q(decided_at__isnull=False),
                name="filing_decided_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(state=FilingState.APPROVED) | Q(current_version__isnull=False),
                name="filing_approved_has_version",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "province", "submitted_at"], name="filing_queue_idx"),
            models.Index(fields=["kind", "state", "province", "submitted_at"], name="filing_kind_queue_idx"),
            models.Index(fields=["organisation", "-updated_at"], name="filing_org_recent_idx"),
        ]

    def __str__(self) -> str:
        version = self.current_version or self.application_version
        name = version.name if version and version.name else _("（未命名）")
        return f"{self.reference or _('草稿')} {name}"

    def get_workflow_kind(self) -> str:
        return f"filing.{self.kind}"

    @property
    def state_label(self) -> str:
        """One word per state on every page (the filter, 受理状态, 查看, 审核记录, the staff queue)."""
        return self.get_state_display()


class FilingVersion(models.Model):
    """All the data of one version of a programme: sections 1–7 of the form."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # 1 基本信息
    filler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("填报人"),
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("业务负责人"),
    )
    email = models.EmailField(_("电子邮件"), blank=True)

    # 2 网络演出剧(节)目信息
    name = models.CharField(_("网络演出剧(节)目名称"), max_length=200, blank=True)
    safety_officer = models.CharField(_("内容安全负责人"), max_length=50, blank=True)
    contact = models.CharField(_("演出联系人(申报单位)"), max_length=50, blank=True)
    first_recorded = models.BooleanField(_("首场演出是否为录播"), null=True, blank=True)
    video_url = models.URLField(_("视频下载地址"), max_length=500, blank=True)
    replay = models.BooleanField(_("是否提供回看"), null=True, blank=True)
    replay_type = models.CharField(_("回看期限类型"), max_length=16, choices=ReplayType.choices, blank=True)
    replay_from = models.DateField(_("回看期限自"), null=True, blank=True)
    replay_to = models.DateField(_("回看期限至"), null=True, blank=True)
    replay_url = models.URLField(_("回看地址"), max_length=500, blank=True)
    platform = models.CharField(_("播出平台"), max_length=200, blank=True)
    synopsis = models.TextField(_("演出内容简介"), blank=True, validators=[MaxLengthValidator(SYNOPSIS_MAX)])

    # 5 联合播出信息
    joint_broadcast = models.BooleanField(_("是否与其它企业联合播出"), null=True, blank=True)

    # 7 承诺书
    pledged = models.BooleanField(_("确认以上承诺"), default=False)
    pledged_at = models.DateTimeField(null=True, blank=True)

    # Completion of each section (the left-hand step list), kept by the services.
    basic_done = models.BooleanField(default=False)
    programme_done = models.BooleanField(default=False)
    performers_done = models.BooleanField(default=False)
    sessions_done = models.BooleanField(default=False)
    partners_done = models.BooleanField(default=False)
    materials_done = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("申请数据版本")
        verbose_name_plural = _("申请数据版本")
        ordering = ["filing", "number"]
        constraints = [
            models.UniqueConstraint(fields=["filing", "number"], name="filing_version_number_unique"),
            models.CheckConstraint(
                condition=Q(replay_from__isnull=True) | Q(replay_to__isnull=True) | Q(replay_to__gt=F("replay_from")),
                name="filing_version_replay_period_ordered",
                violation_error_message=_("回看期限的结束日期应晚于开始日期。"),
            ),
        ]

    def __str__(self) -> str:
        return _("%(name)s 第%(n)s版") % {"name": self.name or _("（未命名）"), "n": self.number}


class _Row(models.Model):
    """A table row of a version. ``key`` follows the row through copies (for diffs and URLs)."""

    key = models.CharField(max_length=24, default=new_key, editable=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]


class Performer(_Row):
    version = models.ForeignKey(FilingVersion, on_delete=models.CASCADE, related_name="performers")
    name = models.CharField(_("演员/团体名称"), max_length=200)
    country = models.CharField(_("国家/地区"), max_length=2)
    virtual = models.BooleanField(_("是否(包含)虚拟演员"), default=False)

    class Meta(_Row.Meta):
        verbose_name = _("演员/团体")
        verbose_name_plural = _("演员/团体信息")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="performer_key_unique")]

    def __str__(self) -> str:
        return self.name


class Session(_Row):
    version = models.ForeignKey(FilingVersion, on_delete=models.CASCADE, related_name="sessions")
    name = models.CharField(_("场次名称"), max_length=200)
    type = models.CharField(_("类型(直播或录播)"), max_length=16, choices=SessionType.choices)
    starts_at = models.DateTimeField(_("演出开始时间"))
    url = models.URLField(_("播出地址"), max_length=500)

    class Meta(_Row.Meta):
        verbose_name = _("场次")
        verbose_name_plural = _("场次信息")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="session_key_unique")]

    def __str__(self) -> str:
        return self.name


class Partner(_Row):
    version = models.ForeignKey(FilingVersion, on_delete=models.CASCADE, related_name="partners")
    company = models.CharField(_("企业名称"), max_length=200)
    safety_officer = models.CharField(_("内容安全负责人"), max_length=50)
    contact = models.CharField(_("演出联系人"), max_length=50)
    platform = models.CharField(_("播出平台"), max_length=200)
    sessions = models.ManyToManyField(Session, related_name="partners", verbose_name=_("演出场次"))

    class Meta(_Row.Meta):
        verbose_name = _("联合播出企业")
        verbose_name_plural = _("联合播出信息")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="partner_key_unique")]

    def __str__(self) -> str:
        return self.company


class Material(models.Model):
    """An uploaded file of 材料上传, in private storage under a random name."""

    version = models.ForeignKey(FilingVersion, on_delete=models.CASCADE, related_name="materials")
    token = models.CharField(max_length=32, unique=True, default=new_key, editable=False)
    item = models.CharField(_("材料"), max_length=20, choices=MaterialItem.choices)
    file = models.FileField(_("文件"), upload_to=material_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小"))
    content_type = models.CharField(_("类型"), max_length=100)
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("材料")
        verbose_name_plural = _("材料")
        ordering = ["item", "uploaded_at", "pk"]
        indexes = [models.Index(fields=["version", "item"], name="material_version_item_idx")]

    def __str__(self) -> str:
        return self.original_name


class ChangeRequest(Reviewable):
    """变更: new data for an approved programme, reviewed like an application."""

    workflow_kind = "filing.change"

    state = models.CharField(
        _("状态"), max_length=32, choices=FilingState.choices, default=FilingState.DRAFT, db_index=True
    )
    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="changes", verbose_name=_("节目"))
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="filing_changes",
        verbose_name=_("申报单位"),
    )
    province = models.CharField(_("所属省份"), max_length=6, choices=REGION_CHOICES, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("创建人"),
    )
    # Its own reference, tied to the programme's: WY-湘-2026-000001-BG01 (given on the first 提交).
    reference = models.CharField(_("受理编号"), max_length=48, blank=True)
    ref_seq = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    parts = models.JSONField(_("变更项"), default=list, blank=True)
    base_version = models.ForeignKey(
        FilingVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("变更前数据")
    )
    version = models.OneToOneField(
        FilingVersion, on_delete=models.PROTECT, related_name="change_request", verbose_name=_("变更后数据")
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审核完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("网络演出剧(节)目变更")
        verbose_name_plural = _("网络演出剧(节)目变更")
        constraints = [
            models.UniqueConstraint(
                fields=["filing"], condition=Q(state__in=list(OPEN_STATES)), name="one_open_change_per_filing"
            ),
            models.CheckConstraint(
                condition=Q(state=FilingState.DRAFT) | Q(submitted_at__isnull=False),
                name="change_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | Q(ref_seq__isnull=False),
                name="change_submitted_has_reference",
            ),
            models.UniqueConstraint(
                fields=["filing", "ref_seq"], condition=Q(ref_seq__isnull=False), name="change_unique_reference_seq"
            ),
            models.CheckConstraint(
                condition=~Q(state__in=list(DONE_STATES)) | Q(decided_at__isnull=False),
                name="change_decided_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "province", "submitted_at"], name="change_queue_idx"),
            models.Index(fields=["organisation", "-updated_at"], name="change_org_recent_idx"),
        ]

    def __str__(self) -> str:
        return _("%(ref)s 变更（第%(n)s版）") % {
            "ref": self.reference or self.filing.reference,
            "n": self.version.number,
        }

    @property
    def state_label(self) -> str:
        return self.get_state_display()
