from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OrganisationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("经营单位")
    INSTITUTION = "institution", _("机构")
    INDIVIDUAL = "individual", _("个人")


class InstitutionType(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业单位")
    PUBLIC = "public", _("事业单位")
    PARTY = "party", _("党群机关")


class Authority(models.TextChoices):
    MCT = "mct", _("文化和旅游部")
    NRTA = "nrta", _("国家广播电视总局")


class StaffLevel(models.TextChoices):
    PROVINCE = "province", _("省级审核人员")
    MINISTRY = "ministry", _("部级工作人员")
    EXPERT = "expert", _("评审专家")


class SmsPurpose(models.TextChoices):
    REGISTER = "register", _("注册")
    LOGIN = "login", _("登录")
    RESET = "reset", _("重置密码")
    CHANGE_PHONE = "change-phone", _("更换手机号")
    ADD_MEMBER = "add-member", _("添加成员")


class LicenceStatus(models.TextChoices):
    VALID = "valid", pgettext_lazy("licence status", "有效")
    REVOKED = "revoked", pgettext_lazy("licence status", "已吊销")
