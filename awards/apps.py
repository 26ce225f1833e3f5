from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("网络视听节目季度推优")

    def ready(self):
        from . import workflow

        workflow.register_kinds()  # 机构类 and 个人类 with the review engine
