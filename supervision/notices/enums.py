from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NoticeKind(models.TextChoices):
    POLICY = "policy", _("政策宣贯")
    NOTICE = "notice", _("通知公告")
    TRAINING = "training", _("培训")


class NoticeState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("notice state", "草稿")
    PUBLISHED = "published", pgettext_lazy("notice state", "已发布")
    WITHDRAWN = "withdrawn", pgettext_lazy("notice state", "已撤回")
