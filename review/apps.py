from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = _("审核")

    def ready(self):
        from .certificates import issue, verify  # noqa: F401  (certificate.issue handler, verify-page receiver)
        from .outbox import notifications  # noqa: F401  (the notify handlers)
