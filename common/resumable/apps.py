from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResumableConfig(AppConfig):
    name = "common.resumable"
    label = "resumable"
    verbose_name = _("断点续传")
    default_auto_field = "django.db.models.BigAutoField"
