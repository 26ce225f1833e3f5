"""The publication's demo data: a quarter published (one work withdrawn) and one in 公示, idempotent."""

from __future__ import annotations

import io

import pytest

from awards import demo_publication
from awards.enums import NominationState
from awards.models import Nomination, Objection, Publicity, ResultWithdrawal
from tests.awards.factories import nrta_ministry
from tests.awards.factories_publication import page_text

pytestmark = pytest.mark.django_db


def test_demo_publication_is_idempotent(client):
    nrta_ministry(username="nrta-ministry")
    out = io.StringIO()
    demo_publication.populate(out)  # certificates are left to the outbox (not run here)
    assert out.getvalue() == (
        "公示与公布演示数据：  2025Q3：已公布 4 件  2025Q3：已撤销《江海之间》  2025Q4：公示中（2026-05-31 至 2026-06-05），1 件异议待处理"
    )
    again = io.StringIO()
    demo_publication.populate(again)
    assert again.getvalue() == "公示与公布演示数据：  （已存在）"
    assert Publicity.objects.count() == 2 and Objection.objects.count() == 1 and ResultWithdrawal.objects.count() == 1
    assert Nomination.objects.filter(state=NominationState.PUBLISHED).count() == 3
    assert "江海之间 已撤销" in page_text(client.get("/awards/results/2025/3/"))
    assert "洞庭湖畔的候鸟" in page_text(client.get("/awards/publicity/2025/4/"))
