from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    REVIEWER = "reviewer", _("审核人员")
    MINISTRY = "ministry", _("部级工作人员")
    EXPERT = "expert", _("评审专家")
    SYSTEM = "system", _("系统")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("outbox", "待发送")
    DONE = "done", pgettext_lazy("outbox", "已完成")
    FAILED = "failed", pgettext_lazy("outbox", "失败")


class CertificateStatus(models.TextChoices):
    VALID = "valid", pgettext_lazy("certificate status", "有效")
    REVOKED = "revoked", pgettext_lazy("certificate status", "已注销")
