"""NRTA quarterly recommendation (网络视听节目季度推优).

A quarter has a pair of :class:`Project` (机构类 and 个人类). Institutions,
individuals and MCT enterprise units nominate works (:class:`Nomination`, the
登记表) to a 申报台局; the provincial bureau recommends at most its quota
(:class:`QuotaLedger`, raised by :class:`QuotaRaise`); experts assigned to the
quarter (:class:`ExpertAssignment`) declare conflicts and score
(:class:`ConflictDeclaration`, :class:`Score`); ministry staff open the 公示
(:class:`Publicity`), dispose of objections (:class:`Objection`) and publish;
a published work may later be withdrawn (:class:`ResultWithdrawal`).

Fields and constraints only: the rules live in ``awards.services``.
"""

from __future__ import annotations

import os
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.regions import REGION_CHOICES
from review.models import Reviewable, new_public_id

from . import bureaus
from .enums import (
    DECIDED_STATES,
    EDITABLE_STATES,
    INACTIVE_STATES,
    Criterion,
    NominationState,
    ObjectionStatus,
    PlatformStatus,
    ProjectKind,
    ReasonCategory,
    WorkType,
)

NAME_MAX = 200
QUOTA_DEFAULT = 10


def _private_path(folder: str, filename: str) -> str:
    """A random name in private storage; the original name is kept in the row."""
    ext = os.path.splitext(filename)[1].lower()[:6]
    return f"awards/{folder}/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{ext}"


def pledge_template_path(instance: Project, filename: str) -> str:
    return _private_path("templates", filename)


def pledge_path(instance: Nomination, filename: str) -> str:
    return _private_path("pledges", filename)


QUARTER_VALIDATORS = [MinValueValidator(1), MaxValueValidator(4)]


class Platform(models.Model):
    """持证和备案网络视听平台, maintained by NRTA staff (播出平台 of the 登记表)."""

    name = models.CharField(_("平台名称"), max_length=100, unique=True)
    licence_or_filing_number = models.CharField(_("许可证或备案编号"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=PlatformStatus.choices, default=PlatformStatus.ACTIVE)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("网络视听平台")
        verbose_name_plural = _("持证和备案网络视听平台")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    """推优项目: one per quarter and kind (机构类 / 个人类)."""

    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    title = models.CharField(_("项目名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"), validators=QUARTER_VALIDATORS)
    kind = models.CharField(_("项目类型"), max_length=16, choices=ProjectKind.choices)
    opens_at = models.DateTimeField(_("申报开始时间"))
    # Inclusive: applicants may 申报 until 23:59:59 Beijing time of this day.
    applicant_deadline = models.DateField(_("申报截止日期"))
    provincial_deadline = models.DateField(_("初审截止日期"))
    window_start = models.DateField(_("播出时间范围自"))
    window_end = models.DateField(_("播出时间范围至"))
    description = models.TextField(_("项目详情"), blank=True)
    pledge_template = models.FileField(_("版权承诺书模板"), upload_to=pledge_template_path, max_length=200, blank=True)
    pledge_template_name = models.CharField(_("模板文件名"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("推优项目")
        verbose_name_plural = _("推优项目")
        ordering = ["-year", "-quarter", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter", "kind"], name="award_project_one_per_quarter_kind"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="award_project_quarter_1_4"),
            models.CheckConstraint(condition=Q(window_start__lte=F("window_end")), name="award_project_window_order"),
            models.CheckConstraint(
                condition=Q(applicant_deadline__lte=F("provincial_deadline")), name="award_project_deadline_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def quarter_label(self) -> str:
        return f"{self.year}Q{self.quarter}"


class Nomination(Reviewable):
    """网络视听节目季度推优参评作品登记表: one work nominated to one project."""

    state = models.CharField(
        _("审核状态"), max_length=32, choices=NominationState.choices, default=NominationState.DRAFT, db_index=True
    )
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("项目"))
    # Copied from the project so that the database can hold one work per quarter.
    year = models.PositiveSmallIntegerField(_("年度"), editable=False)
    quarter = models.PositiveSmallIntegerField(_("季度"), validators=QUARTER_VALIDATORS, editable=False)
    kind = models.CharField(_("项目类型"), max_length=16, choices=ProjectKind.choices, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="nominations", verbose_name=_("申报单位")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("创建人"),
    )

    # 登记表 (every field blank-able: 保存 keeps a draft; 申报 requires them all).
    bureau = models.CharField(_("申报台局"), max_length=6, choices=bureaus.flat_choices(), blank=True)
    name = models.CharField(_("作品名称"), max_length=NAME_MAX, blank=True)
    normalised_name = models.CharField(max_length=NAME_MAX, blank=True, db_index=True, editable=False)
    work_type = models.CharField(_("作品类型"), max_length=16, choices=WorkType.choices, blank=True)
    episodes = models.PositiveIntegerField(_("集数"), null=True, blank=True)
    episode_minutes = models.DecimalField(_("单集时长(分钟)"), max_digits=7, decimal_places=1, null=True, blank=True)
    total_minutes = models.DecimalField(_("总时长(分钟)"), max_digits=9, decimal_places=1, null=True, blank=True)
    first_broadcast = models.DateField(_("首播日期"), null=True, blank=True)
    broadcast_end = models.DateField(_("播出完毕日期"), null=True, blank=True)
    platform = models.ForeignKey(
        Platform,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
        verbose_name=_("播出平台"),
    )
    copyright_owner = models.CharField(_("版权所属机构(个人)"), max_length=NAME_MAX, blank=True)
    producer = models.CharField(_("出品机构"), max_length=NAME_MAX, blank=True)
    maker = models.CharField(_("制作机构"), max_length=NAME_MAX, blank=True)
    pledge = models.FileField(_("版权承诺书"), upload_to=pledge_path, max_length=200, blank=True)
    pledge_name = models.CharField(_("版权承诺书文件名"), max_length=200, blank=True)
    pledge_size = models.PositiveIntegerField(null=True, blank=True, editable=False)

    # Set by the workflow.
    province = models.CharField(_("所属省份"), max_length=6, choices=REGION_CHOICES, blank=True, db_index=True)
    reference = models.CharField(_("申报编号"), max_length=40, blank=True)
    ref_seq = models.PositiveIntegerField(null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("申报时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    # "A similar name was nominated elsewhere" note for the reviewers (set at 申报).
    similar_flag = models.TextField(_("相似作品提示"), blank=True)
    # Structured reason of the last 退回修改 / 不推荐.
    reason_category = models.CharField(_("原因类别"), max_length=20, choices=ReasonCategory.choices, blank=True)
    reason_comment = models.TextField(_("原因说明"), blank=True)

    class Meta:
        verbose_name = _("参评作品")
        verbose_name_plural = _("参评作品")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "quarter", "normalised_name", "first_broadcast", "platform"],
                condition=~Q(state__in=[str(s) for s in INACTIVE_STATES]),
                name="award_one_active_nomination_per_work_quarter",
            ),
            models.UniqueConstraint(fields=["reference"], condition=~Q(reference=""), name="award_unique_reference"),
            models.UniqueConstraint(
                fields=["bureau", "year", "quarter", "ref_seq"],
                condition=Q(ref_seq__isnull=False),
                name="award_unique_reference_seq",
            ),
            models.CheckConstraint(
                condition=Q(state=NominationState.DRAFT) | Q(submitted_at__isnull=False, ref_seq__isnull=False),
                name="award_submitted_has_reference",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=[str(s) for s in DECIDED_STATES]) | Q(decided_at__isnull=False),
                name="award_decided_has_time",
            ),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="award_nomination_quarter_1_4"),
        ]
        indexes = [
            models.Index(fields=["state", "province", "submitted_at"], name="award_queue_idx"),
            models.Index(fields=["year", "quarter", "state"], name="award_quarter_state_idx"),
            models.Index(fields=["organisation", "-updated_at"], name="award_org_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference or _('草稿')} {self.name or _('（未命名）')}"

    def get_workflow_kind(self) -> str:
        # "awards.institution" / "awards.individual" (copied from the project: no query).
        return f"awards.{self.kind}"

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def bureau_name(self) -> str:
        return bureaus.name(self.bureau)

    @property
    def to_nrta(self) -> bool:
        return self.bureau == bureaus.NRTA_BUREAU


class QuotaLedger(models.Model):
    """How many works a province may recommend in a quarter (原则上不超过10件) and has recommended."""

    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"), validators=QUARTER_VALIDATORS)
    province = models.CharField(_("省份"), max_length=6, choices=REGION_CHOICES)
    limit = models.PositiveSmallIntegerField(_("推荐名额"), default=QUOTA_DEFAULT)
    used = models.PositiveSmallIntegerField(_("已推荐"), default=0)

    class Meta:
        verbose_name = _("推荐名额")
        verbose_name_plural = _("推荐名额")
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter", "province"], name="award_one_quota_per_province"),
            models.CheckConstraint(condition=Q(used__lte=F("limit")), name="award_quota_not_exceeded"),
        ]

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter} {self.province}: {self.used}/{self.limit}"


class QuotaRaise(models.Model):
    """NRTA staff raising a province's quota for a quarter, with the reason."""

    ledger = models.ForeignKey(QuotaLedger, on_delete=models.CASCADE, related_name="raises")
    new_limit = models.PositiveSmallIntegerField(_("调整后名额"))
    reason = models.TextField(_("调整理由"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("批准人"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("名额调整")
        verbose_name_plural = _("名额调整")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.ledger} → {self.new_limit}"


class ExpertAssignment(models.Model):
    """An expert appointed to score a quarter's recommended works."""

    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"), validators=QUARTER_VALIDATORS)
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="award_assignments", verbose_name=_("专家")
    )
    # The expert's organisation, for automatic conflict detection (申报单位, 出品机构, 制作机构).
    organisation_name = models.CharField(_("所在单位"), max_length=NAME_MAX, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("专家分配")
        verbose_name_plural = _("专家分配")
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter", "expert"], name="award_one_assignment_per_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter} {self.expert}"


class ConflictDeclaration(models.Model):
    """An expert's declaration of a conflict of interest (or of none) before scoring a work."""

    assignment = models.ForeignKey(ExpertAssignment, on_delete=models.CASCADE, related_name="declarations")
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="declarations")
    has_conflict = models.BooleanField(_("存在利益冲突"))
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("利益冲突声明")
        verbose_name_plural = _("利益冲突声明")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "nomination"], name="award_one_declaration_per_work"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} / {self.nomination}: {self.has_conflict}"


class Score(models.Model):
    """An expert's score of a recommended work (0–100), the 推优标准 it serves and a comment."""

    assignment = models.ForeignKey(ExpertAssignment, on_delete=models.CASCADE, related_name="scores")
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField(_("评分"), validators=[MinValueValidator(0), MaxValueValidator(100)])
    # Keys of awards.enums.Criterion.
    criteria = models.JSONField(_("推优标准"), default=list, blank=True)
    comment = models.TextField(_("评语"), blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("专家评分")
        verbose_name_plural = _("专家评分")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "nomination"], name="award_one_score_per_work"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="award_score_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} / {self.nomination}: {self.score}"

    @property
    def criteria_labels(self) -> list[str]:
        labels = dict(Criterion.choices)
        return [str(labels[key]) for key in self.criteria if key in labels]


class Publicity(models.Model):
    """公示 of a quarter's selected works, then the published final list."""

    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"), validators=QUARTER_VALIDATORS)
    starts_on = models.DateField(_("公示开始日期"))
    ends_on = models.DateField(_("公示结束日期"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(_("发起时间"), default=timezone.now)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="award_one_publicity_per_quarter"),
            models.CheckConstraint(condition=Q(starts_on__lte=F("ends_on")), name="award_publicity_dates_order"),
        ]

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter}"


class Objection(models.Model):
    """An objection to a work during its 公示, disposed of by NRTA staff."""

    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    publicity = models.ForeignKey(Publicity, on_delete=models.CASCADE, related_name="objections")
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="objections")
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)
    reason = models.TextField(_("异议理由"))
    status = models.CharField(
        _("处理状态"), max_length=8, choices=ObjectionStatus.choices, default=ObjectionStatus.PENDING
    )
    disposal_note = models.TextField(_("处理意见"), blank=True)
    disposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    disposed_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提出时间"), default=timezone.now)

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ObjectionStatus.PENDING) | Q(disposed_at__isnull=False),
                name="award_objection_disposed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nomination} ({self.get_status_display()})"


class ResultWithdrawal(models.Model):
    """A published work withdrawn later: why, by whom, when (shown on the results page)."""

    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="withdrawals")
    reason = models.TextField(_("撤销理由"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("撤销时间"), default=timezone.now)

    class Meta:
        verbose_name = _("入选撤销")
        verbose_name_plural = _("入选撤销")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.nomination}: {self.reason[:20]}"


class ReminderSent(models.Model):
    """A deadline reminder already sent (send_deadline_reminders never sends the same one twice).

    ``key`` names the reminder, e.g. ``applicant:<project>:<organisation>:7`` or
    ``official:2026Q2:430000:1``; the row is written in the transaction that
    queues the notification.
    """

    key = models.CharField(max_length=120, unique=True)
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)

    class Meta:
        verbose_name = _("截止提醒")
        verbose_name_plural = _("截止提醒")

    def __str__(self) -> str:
        return self.key
