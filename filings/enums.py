from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FilingKind(models.TextChoices):
    DOMESTIC = "domestic", _("国产网络演出剧(节)目备案")
    IMPORT = "import", _("进口网络演出剧(节)目内容审查")


class FilingState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("filing state", "草稿")
    SUBMITTED = "submitted", pgettext_lazy("filing state", "待受理")
    REVIEWING = "reviewing", pgettext_lazy("filing state", "审核中")
    APPROVED = "approved", pgettext_lazy("filing state", "已通过")
    REJECTED = "rejected", pgettext_lazy("filing state", "未通过")
    RETURNED = "returned", pgettext_lazy("filing state", "退回修改")
    # A programme follows its certificate (review.certificates.life): 暂扣 (restorable),
    # 已注销 and 已失效 (no longer filed); a change request open then is 已关闭.
    SUSPENDED = "suspended", pgettext_lazy("filing state", "暂扣")
    REVOKED = "revoked", pgettext_lazy("filing state", "已注销")
    EXPIRED = "expired", pgettext_lazy("filing state", "已失效")
    CLOSED = "closed", pgettext_lazy("filing state", "已关闭")
    # 作废: an application or change that has a reference (it was submitted once) is never deleted;
    # the applicant gives it up with a reason and it is kept, read-only (the engine's record: who, when, why).
    VOIDED = "voided", pgettext_lazy("filing state", "已作废")


EDITABLE_STATES = (FilingState.DRAFT, FilingState.RETURNED)
OPEN_STATES = (FilingState.DRAFT, FilingState.SUBMITTED, FilingState.REVIEWING, FilingState.RETURNED)
DONE_STATES = (FilingState.APPROVED, FilingState.REJECTED)


class ReplayType(models.TextChoices):
    PERIOD = "period", _("时间段")
    PERMANENT = "permanent", _("长期")


class SessionType(models.TextChoices):
    LIVE = "live", _("直播")
    RECORDED = "recorded", _("录播")


class MaterialItem(models.TextChoices):
    PROGRAMME_LIST = "programme_list", _("演出节目单")
    CONTENT_INFO = "content_info", _("演出内容信息")
    PROCESS = "process", _("演出流程")
    PAYMENT = "payment", _("付费模式")
    COPYRIGHT = "copyright", _("演出获得版权授权证明")
    SUPERVISION = "supervision", _("演出监管预案")
    SELF_REVIEW = "self_review", _("自审报告")


class Section(models.TextChoices):
    """The steps of the form (left-hand list); 承诺书 closes it."""

    BASIC = "basic", _("基本信息")
    PROGRAMME = "programme", _("网络演出剧(节)目信息")
    PERFORMERS = "performers", _("演员/团体信息")
    SESSIONS = "sessions", _("场次信息")
    PARTNERS = "partners", _("联合播出信息")
    MATERIALS = "materials", _("材料上传")
    PLEDGE = "pledge", _("承诺书")


class ChangePart(models.TextChoices):
    """What a change request (变更) may touch; one per section of the form."""

    BASIC = "basic", _("变更基本信息")
    PROGRAMME = "programme", _("变更网络演出剧(节)目信息")
    PERFORMERS = "performers", _("变更演员/团体信息")
    SESSIONS = "sessions", _("变更场次信息")
    PARTNERS = "partners", _("变更联合播出信息")
    MATERIALS = "materials", _("变更材料上传")


class ListType(models.TextChoices):
    """Type filter of 受理状态."""

    DOMESTIC = "domestic", _("国产网络演出剧(节)目备案")
    IMPORT = "import", _("进口网络演出剧(节)目内容审查")
    CHANGE = "change", _("演出变更")
