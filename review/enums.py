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
    SUSPENDED = "suspended", pgettext_lazy("certificate status", "暂扣")
    REVOKED = "revoked", pgettext_lazy("certificate status", "已注销")
    EXPIRED = "expired", pgettext_lazy("certificate status", "已失效")


class CertificateReason(models.TextChoices):
    """Why a certificate's status changed: the category the public verify page shows."""

    RECTIFICATION = "rectification", _("责令限期整改")
    INVESTIGATION = "investigation", _("涉嫌违规，立案调查")
    HOLDER_REQUEST = "holder_request", _("持证单位申请注销")
    VIOLATION = "violation", _("节目内容违规，依法注销")
    FALSE_INFORMATION = "false_information", _("以欺骗等不正当手段取得")
    RESULT_WITHDRAWN = "result_withdrawn", _("入选资格已撤销")
    TERM_ENDED = "term_ended", _("有效期届满")
    BUSINESS_ENDED = "business_ended", _("持证单位终止经营或资质失效")
    RECTIFIED = "rectified", _("整改完成，恢复有效")
    CLEARED = "cleared", _("调查结束，恢复有效")
    OTHER = "other", _("其他")
