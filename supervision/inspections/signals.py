"""A case closes itself when its programme is approved (the refresh job also catches any it missed);
``cases_changed`` tells readers of aggregated figures (the statistics' cache) that cases changed."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

from filings.enums import FilingState
from filings.models import Filing

# Sent after commit whenever cases were opened, closed or changed status (no arguments but ``sender``).
cases_changed = Signal()


def changed() -> None:
    transaction.on_commit(lambda: cases_changed.send(sender=Filing))


def on_transition(sender, *, obj, **kwargs) -> None:
    if isinstance(obj, Filing) and obj.state == FilingState.APPROVED:
        from .refresh import close_approved

        close_approved(filing_ids=[obj.pk])
