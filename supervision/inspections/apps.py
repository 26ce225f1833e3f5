"""日常巡查."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "supervision.inspections"
    label = "inspections"
    verbose_name = _("日常巡查")

    def ready(self) -> None:
        from review.engine import transition_committed

        from . import signals

        transition_committed.connect(signals.on_transition, dispatch_uid="supervision.inspections.approved")
