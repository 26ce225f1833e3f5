"""generate_volume: counts, constraints, references, and that the queues see what it made."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from accounts.models import Organisation
from awards.models import Nomination, QuotaLedger, Score
from filings.models import ChangeRequest, Filing
from review.models import ReviewRecord, Sequence

pytestmark = pytest.mark.django_db


def test_generate_small_volume(capsys):
    call_command("generate_volume", "--filings", "300", "--nominations", "100", "--units", "30", "--seed", "3")
    out = capsys.readouterr().out
    assert "done in" in out
    assert Filing.objects.count() == 300
    assert Nomination.objects.count() == 100
    assert Organisation.objects.count() == 30
    assert Organisation.objects.filter(province="430000").count() == 6  # 20 %
    assert set(Filing.objects.values_list("state", flat=True)) == {
        "draft", "submitted", "reviewing", "approved", "rejected", "returned"
    }  # fmt: skip
    assert set(Filing.objects.values_list("kind", flat=True)) == {"domestic", "import"}
    assert ChangeRequest.objects.exists()
    # references unique, decisions carry their time, the review record of each decision too
    refs = Filing.objects.exclude(reference="")
    assert refs.values("reference").distinct().count() == refs.count()
    assert not Filing.objects.filter(state__in=["approved", "rejected"], decided_at__isnull=True).exists()
    assert ReviewRecord.objects.filter(transition__in=["approve", "reject"], kind__startswith="filing.").count() == (
        Filing.objects.filter(state__in=["approved", "rejected"]).count()
        + ChangeRequest.objects.filter(state__in=["approved", "rejected"]).count()
    )
    # the counters go on after the generated numbers
    top = refs.filter(province="430000", kind="domestic").order_by("-ref_year", "-ref_seq").first()
    assert Sequence.objects.get(key=f"ref:WY:{top.ref_year}:430000").value == top.ref_seq
    # quota: used equals the recommended works, never above the limit
    for ledger in QuotaLedger.objects.filter(used__gt=0):
        assert ledger.used <= ledger.limit
    assert Nomination.objects.exclude(reason_category="").filter(state__in=["returned", "not_recommended"]).exists()
    assert Score.objects.exists()
    assert Nomination.objects.values("year", "quarter").annotate(n=Count("pk")).count() == 8


def test_second_run_adds_new_units(capsys):
    call_command("generate_volume", "--filings", "20", "--nominations", "8", "--units", "4")
    call_command("generate_volume", "--filings", "20", "--nominations", "8", "--units", "4")
    assert Filing.objects.count() == 40
    assert Organisation.objects.count() == 8


def test_queue_shows_generated_filings(client):
    from tests.factories import StaffFactory

    call_command("generate_volume", "--filings", "60", "--nominations", "8", "--units", "5", "--seed", "5")
    official = StaffFactory(profile__province="430000")
    client.force_login(official)
    filing = Filing.objects.filter(province="430000").exclude(state="draft").first()
    other = Filing.objects.exclude(province__in=["430000", ""]).first()
    page = client.get("/staff/filings/filing/?queue=all").content.decode()
    response = client.get(f"/staff/filings/filing/{filing.public_id}/change/")
    assert response.status_code == 200
    assert filing.reference in response.content.decode()
    assert client.get(f"/staff/filings/filing/{other.public_id}/change/").status_code in (302, 403, 404)
    assert other.reference not in page


def test_refused_under_production_settings(monkeypatch):
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "portal.settings.production")
    with pytest.raises(CommandError, match="生产环境"):
        call_command("generate_volume", "--filings", "1")
    assert Filing.objects.count() == 0
