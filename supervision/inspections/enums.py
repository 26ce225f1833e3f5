from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CaseKind(models.TextChoices):
    OVERDUE = "overdue", _("逾期未备案")
    UNAPPROVED = "unapproved", _("未经批准擅自提供")
    PATROL = "patrol", _("巡查发现")


# Cases the refresh job finds from the filings (one per programme and kind).
FILING_KINDS = (CaseKind.OVERDUE, CaseKind.UNAPPROVED)


class CaseStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("inspection status", "待处理")
    INTERVIEWED = "interviewed", pgettext_lazy("inspection status", "已约谈")
    HANDLED = "handled", pgettext_lazy("inspection status", "已处理")


class EventKind(models.TextChoices):
    CREATED = "created", pgettext_lazy("inspection event", "立案")
    STATUS = "status", pgettext_lazy("inspection event", "变更状态")
    NOTE = "note", pgettext_lazy("inspection event", "处置记录")
    EVIDENCE = "evidence", pgettext_lazy("inspection event", "上传证据")
    APPROVED = "approved", pgettext_lazy("inspection event", "节目已获批准")
