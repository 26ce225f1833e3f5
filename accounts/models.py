from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.regions import REGION_CHOICES

from . import crypto
from .enums import Authority, InstitutionType, LicenceStatus, OrganisationKind, SmsPurpose, StaffLevel


class Organisation(models.Model):
    """An applicant party: an enterprise (经营单位), an institution, or an individual's own record."""

    kind = models.CharField(_("类型"), max_length=16, choices=OrganisationKind.choices)
    name = models.CharField(_("名称"), max_length=200)
    institution_type = models.CharField(_("机构类型"), max_length=16, choices=InstitutionType.choices, blank=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, null=True, unique=True)
    province = models.CharField(_("所属省份"), max_length=6, choices=REGION_CHOICES, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    administrator = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("管理员"),
    )
    # NRTA: only units marked by NRTA staff may nominate directly to 国家广播电视总局.
    is_central = models.BooleanField(_("中央直属单位"), default=False)
    licence = models.OneToOneField(
        "accounts.LegacyLicence",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisation",
        verbose_name=_("网络文化经营许可证"),
    )
    activated_at = models.DateTimeField(_("资质激活时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        constraints = [
            models.UniqueConstraint(
                Lower("name"), condition=models.Q(kind="institution"), name="uniq_institution_name"
            ),
        ]
        indexes = [models.Index(fields=["province", "kind"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_activated(self) -> bool:
        return self.activated_at is not None and self.licence_id is not None


class User(AbstractUser):
    """One account for both programmes. ``username`` is the login name:
    the mobile number for enterprise members, the 登录账号 otherwise."""

    username = models.CharField(_("登录账号"), max_length=30, unique=True)
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=11, unique=True, null=True, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("所属单位"),
    )
    id_number_encrypted = models.TextField(_("身份证号（加密）"), blank=True)
    id_number_digest = models.CharField(max_length=64, blank=True, null=True, unique=True)
    personal_info_consent_at = models.DateTimeField(_("个人信息授权时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("注销时间"), null=True, blank=True)

    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]

    objects = UserManager()
    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.UniqueConstraint(Lower("username"), name="uniq_username_ci"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name or self.username

    # Personal data ---------------------------------------------------------
    def set_id_number(self, number: str) -> None:
        self.id_number_encrypted = crypto.encrypt(number)
        self.id_number_digest = crypto.blind_index(number)

    @property
    def id_number(self) -> str:
        return crypto.decrypt(self.id_number_encrypted) if self.id_number_encrypted else ""

    @property
    def id_number_masked(self) -> str:
        from common.validators import mask_resident_id

        return mask_resident_id(self.id_number)

    # Roles -----------------------------------------------------------------
    @property
    def staff_profile_or_none(self) -> StaffProfile | None:
        try:
            return self.staff_profile
        except StaffProfile.DoesNotExist:
            return None

    @property
    def is_reviewer(self) -> bool:
        return self.staff_profile_or_none is not None

    @property
    def is_org_admin(self) -> bool:
        return self.organisation_id is not None and self.organisation.administrator_id == self.pk


class StaffProfile(models.Model):
    """Officials, ministry staff and experts; created by ministry staff, never self-registered."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="staff_profile")
    authority = models.CharField(_("主管部门"), max_length=8, choices=Authority.choices)
    level = models.CharField(_("级别"), max_length=16, choices=StaffLevel.choices)
    province = models.CharField(_("省份"), max_length=6, choices=REGION_CHOICES, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("创建人")
    )

    class Meta:
        verbose_name = _("审核人员")
        verbose_name_plural = _("审核人员")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(level="province") | ~models.Q(province=""),
                name="province_staff_has_province",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}（{self.department}）"

    @property
    def department(self) -> str:
        """The official name of the staff member's authority: 湖南省文化和旅游厅, 国家广播电视总局 …"""
        from common import regions

        region = regions.get(self.province) if self.level == StaffLevel.PROVINCE else None
        if region is not None:
            return region.culture_dept if self.authority == Authority.MCT else region.radio_bureau
        if self.authority == Authority.MCT:
            return str(_("文化和旅游部市场管理司"))
        return str(_("国家广播电视总局"))


class LegacyLicence(models.Model):
    """网络文化经营许可证 accounts of the original platform, imported by ministry staff."""

    licence_no = models.CharField(_("许可证编号"), max_length=64, unique=True)
    unit_name = models.CharField(_("单位名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, db_index=True)
    scope = models.CharField(_("经营范围"), max_length=500)
    valid_from = models.DateField(_("有效期自"))
    valid_to = models.DateField(_("有效期至"))
    province = models.CharField(_("发证省份"), max_length=6, choices=REGION_CHOICES)
    account = models.CharField(_("原平台账号"), max_length=64, unique=True)
    password_hash = models.CharField(_("原平台密码（哈希）"), max_length=256)
    status = models.CharField(_("状态"), max_length=8, choices=LicenceStatus.choices, default=LicenceStatus.VALID)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("网络文化经营许可证")
        verbose_name_plural = _("网络文化经营许可证")

    def __str__(self) -> str:
        return f"{self.licence_no} {self.unit_name}"

    def is_valid_on(self, day) -> bool:
        return self.status == LicenceStatus.VALID and self.valid_from <= day <= self.valid_to


class SmsCode(models.Model):
    """A one-time verification code; only its hash is stored."""

    phone = models.CharField(max_length=11)
    purpose = models.CharField(max_length=16, choices=SmsPurpose.choices)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["phone", "purpose", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.purpose} {self.created_at:%Y-%m-%d %H:%M}"


class OtpEnrolmentCode(models.Model):
    """绑定授权码: a one-time code an administrator issues so that a reviewer can bind their
    first TOTP device (the password alone is not enough). Only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="otp_enrolment_codes", verbose_name=_("账号"))
    code_hash = models.CharField(max_length=128)
    issued_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("签发人")
    )
    created_at = models.DateTimeField(_("签发时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("有效期至"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("动态口令绑定授权码")
        verbose_name_plural = _("动态口令绑定授权码")
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"


class AuditEvent(models.Model):
    """Security events and staff views of others' personal data; kept at least 6 months."""

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("操作人")
    )
    action = models.CharField(_("事件"), max_length=64, db_index=True)
    ip = models.GenericIPAddressField(_("IP"), null=True, blank=True)
    target = models.CharField(_("对象"), max_length=200, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.target}"
