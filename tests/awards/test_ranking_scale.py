"""The ranking page for 2,000 works scored by 7 experts each: constant queries, aggregation in the database."""

import re
import statistics

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import Score

from .factories import nrta_ministry
from .factories_experts import bulk_quarter

pytestmark = pytest.mark.django_db

RANKING = reverse("staff:awards_ranking") + "?quarter=2026Q2"
BOUND = 15


def page_queries(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(RANKING)
    assert response.status_code == 200
    return response, [q["sql"] for q in captured.captured_queries]


def test_ranking_of_2000_works_with_7_experts_each(client):
    client.force_login(nrta_ministry())
    bulk_quarter(1, 7)
    _, small = page_queries(client)
    bulk_quarter(1999, 7, start=2)
    assert Score.objects.count() == 14000

    response, queries = page_queries(client)

    assert len(queries) == len(small) <= BOUND
    # No query loads score rows into Python: none selects a score's own columns.
    assert [q for q in queries if '"awards_score"."criteria"' in q or '"awards_score"."comment"' in q] == []
    main = [q for q in queries if "ROW_NUMBER() OVER" in q]
    assert len(main) == 1
    for aggregate in ('COUNT("awards_score"."id")', 'AVG("awards_score"."score")', "SQRT(", "LIMIT 100"):
        assert aggregate in main[0], aggregate
    html = response.content.decode()
    assert html.count('data-testid="ranking-row"') == 100
    assert "2026年第2季度共 2000 件作品：专家评议 2000 件" in html

    # The first row is the work with the best trimmed mean, as Python computes it from the same formula
    # (ties: the earlier 申报时间, i.e. the higher number here).
    def scores(w):
        return sorted((60 + w * 7 + e * 3) % 101 for e in range(7))

    best = max(
        range(2000),
        key=lambda w: (
            statistics.mean(scores(w)[1:-1]),
            statistics.median(scores(w)),
            -statistics.pstdev(scores(w)),
            w,
        ),
    )
    first = re.search(r'<tr data-testid="ranking-row".*?</tr>', html, re.S)[0]
    assert f"批量作品{best + 1:05d}" in first
    assert re.search(r'data-testid="trimmed">([^<]+)<', first)[1] == f"{statistics.mean(scores(best)[1:-1]):.2f}"
    assert re.search(r'data-testid="median">([^<]+)<', first)[1] == f"{statistics.median(scores(best)):.1f}"
