"""The 初审 queue of nominations is written by review.staff.rows (issue 11): plain values, the admin's own
markup (the 相似作品提示 mark included), scoped like the rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from awards.admin_review import NominationAdmin
from awards.models import Nomination
from tests.review.lean_rows import both_renderings, cells, table_body

from .factories import nrta_ministry, nrta_official
from .factories_review import submitted, submitted_many

pytestmark = pytest.mark.django_db
LIST = reverse("staff:awards_nomination_changelist")


@pytest.fixture
def works(project):
    many = submitted_many(project, 3)
    flagged = submitted(project, name="湘江<岸边>的守望者")
    Nomination.objects.filter(pk=flagged.pk).update(similar_flag="与《湘江岸边》相似", work_type="")
    beijing = submitted(project, province="110000", name="京城胡同")
    central = submitted(project, central=True, name="中央台的新闻纪录")
    return {"many": many, "flagged": flagged, "beijing": beijing, "central": central}


@pytest.mark.parametrize("params", [{}, {"queue": "pending"}, {"o": "3"}, {"o": "-7.2"}, {"q": "湘江"}])
def test_the_nomination_queue_is_the_admins_own_markup(client, monkeypatch, works, params):
    client.force_login(nrta_official("430000"))

    lean, own = both_renderings(client, monkeypatch, NominationAdmin, LIST, params)

    assert lean == own
    assert "<tr>" in lean


def test_the_ministry_queue_is_the_admins_own_markup(client, monkeypatch, works):
    client.force_login(nrta_ministry())

    lean, own = both_renderings(client, monkeypatch, NominationAdmin, LIST)

    assert lean == own
    assert works["central"].reference in lean and works["beijing"].reference in lean


def test_a_row_shows_the_similar_mark_and_the_bureau_and_is_scoped(client, works):
    client.force_login(nrta_official("430000"))
    body = table_body(client.get(LIST).content.decode())
    flagged = works["flagged"]

    row = next(r for r in cells(body) if r[1] == flagged.reference)
    assert row[2] == "湘江&lt;岸边&gt;的守望者"
    assert row[3] == "-"  # no 作品类型: the admin's empty value
    assert row[5] == "湖南省广播电视局"
    assert row[-1] == "有相似作品"
    assert 'title="与《湘江岸边》相似" data-testid="similar-flag"' in body
    assert works["beijing"].reference not in body  # another province's nomination is not listed here …

    client.force_login(nrta_official("110000"))
    other = table_body(client.get(LIST).content.decode())
    assert works["beijing"].reference in other  # … but is in its own province's queue
    assert flagged.reference not in other
