from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = _("审核")

    def ready(self):
        from . import (
            certificates,  # noqa: F401  (certificate.issue handler, verify-cache hook)
            notifications,  # noqa: F401  (registers the outbox handlers)
        )
