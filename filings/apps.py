from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingsConfig(AppConfig):
    name = "filings"
    verbose_name = _("网络演出剧（节）目")

    def ready(self) -> None:
        from . import workflow  # noqa: F401  (declares the kinds to review.engine)
