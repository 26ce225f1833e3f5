"""filings.demo.populate: the demo enterprise's programmes in every state; a re-run adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from filings.enums import FilingState
from filings.models import ChangeRequest, Filing

pytestmark = pytest.mark.django_db


def test_demo_creates_every_state_once():
    out = StringIO()
    call_command("demo", stdout=out)
    assert "filings: 演示网络演出剧（节）目 10 个" in out.getvalue()
    states = set(Filing.objects.filter(organisation__name="湖南示例文化传媒有限公司").values_list("state", flat=True))
    # Every state of the review workflow (those following a certificate's status come from staff actions).
    following = {FilingState.SUSPENDED, FilingState.REVOKED, FilingState.EXPIRED, FilingState.CLOSED}
    assert states == set(FilingState.values) - following
    change = ChangeRequest.objects.get()
    assert (change.state, change.filing.state) == (FilingState.SUBMITTED, FilingState.APPROVED)
    assert change.reference == f"{change.filing.reference}-BG01"
    # 作废: withdrawn once, then given up with a reason; its reference and record stay
    voided = Filing.objects.get(organisation__name="湖南示例文化传媒有限公司", state=FilingState.VOIDED)
    assert voided.reference and voided.submitted_at is not None
    assert change.filing.current_version_id == change.filing.application_version_id
    counts = (Filing.objects.count(), ChangeRequest.objects.count())
    out = StringIO()
    call_command("demo", stdout=out)
    assert "filings: 演示网络演出剧（节）目 0 个" in out.getvalue()
    assert (Filing.objects.count(), ChangeRequest.objects.count()) == counts
