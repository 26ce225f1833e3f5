from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidanceConfig(AppConfig):
    name = "supervision.guidance"
    label = "guidance"
    verbose_name = _("行政指导")
