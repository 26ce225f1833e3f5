"""统计分析."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "supervision.statistics"
    label = "stats"
    verbose_name = _("统计分析")

    def ready(self) -> None:
        from review.staff.sites import register_index_link

        from . import (
            cache,  # noqa: F401 (its receiver drops the cached tables after each transition)
            inspections,  # noqa: F401 (its receiver drops the cached tables when cases change)
        )
        from .access import index_links

        register_index_link(index_links)
