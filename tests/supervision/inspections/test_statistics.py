"""日常巡查 on the MCT statistics page: counts by kind and status and by province, scoped, equal to the
database's, in the export too."""

import csv
import io

import pytest
from django.urls import reverse

from filings.enums import FilingKind
from supervision.inspections import services
from supervision.inspections.enums import CaseStatus
from supervision.inspections.models import InspectionCase
from supervision.inspections.refresh import refresh

from .conftest import programme
from .test_pages import finding

pytestmark = pytest.mark.django_db
MCT = "/supervision/statistics/mct/"


@pytest.fixture
def cases(hunan_unit, beijing_unit, hunan_official, beijing_official):
    for days in (31, 40, 50):
        programme(hunan_unit, days_ago=days)
    programme(hunan_unit, days_ago=1, kind=FilingKind.IMPORT)
    programme(beijing_unit, days_ago=35)
    refresh()
    finding(hunan_official)
    first = InspectionCase.objects.filter(province="430000", kind="overdue").first()
    services.dispose(hunan_official, first, status=CaseStatus.HANDLED, note="办结")
    return InspectionCase.objects.all()


def _csv(client, key):
    response = client.get(reverse("stats:mct_export", args=[key, "csv"]))
    assert response.status_code == 200
    header, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return header, {r[0]: r[1:] for r in rows}


def test_official_sees_own_province_ministry_all(client, cases, hunan_official, mct_ministry, beijing_official):
    client.force_login(hunan_official)
    page = client.get(MCT).content.decode()
    assert 'data-testid="table-inspection_kind"' in page and "日常巡查：按问题类型和处理状态" in page
    header, rows = _csv(client, "inspection_kind")
    assert header == ["问题类型", "待处理", "已约谈", "已处理", "合计"]
    assert rows == {
        "逾期未备案": ["2", "0", "1", "3"],
        "未经批准擅自提供": ["1", "0", "0", "1"],
        "巡查发现": ["1", "0", "0", "1"],
    }
    assert _csv(client, "inspection_province")[1] == {"湖南省": ["3", "1", "1", "4", "5"]}

    client.force_login(beijing_official)
    assert _csv(client, "inspection_kind")[1]["逾期未备案"] == ["1", "0", "0", "1"]
    assert _csv(client, "inspection_province")[1] == {"北京市": ["1", "0", "0", "1", "1"]}

    client.force_login(mct_ministry)
    assert _csv(client, "inspection_province")[1] == {
        "北京市": ["1", "0", "0", "1", "1"],
        "湖南省": ["3", "1", "1", "4", "5"],
    }
    assert _csv(client, "inspection_kind")[1]["逾期未备案"] == ["3", "0", "1", "4"]


def test_nrta_staff_have_no_mct_statistics(client, cases, nrta_hunan, hunan_official):
    client.force_login(nrta_hunan)
    assert client.get(MCT).status_code == 404
    assert client.get(reverse("stats:mct_export", args=["inspection_kind", "csv"])).status_code == 404
    client.force_login(hunan_official)  # the MCT official of the same province has both
    assert client.get(MCT).status_code == 200
    assert client.get(reverse("stats:mct_export", args=["inspection_kind", "csv"])).status_code == 200


def test_cached_tables_are_dropped_when_cases_change(
    client, settings, cases, hunan_official, hunan_unit, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    settings.STATISTICS_CACHE_SECONDS = 600
    cache.clear()
    client.force_login(hunan_official)
    assert _csv(client, "inspection_kind")[1]["逾期未备案"] == ["2", "0", "1", "3"]
    case = InspectionCase.objects.filter(province="430000", kind="overdue", status="pending").first()
    with django_capture_on_commit_callbacks(execute=True):
        services.dispose(hunan_official, case, status=CaseStatus.INTERVIEWED, note="约谈")
    assert _csv(client, "inspection_kind")[1]["逾期未备案"] == ["1", "1", "1", "3"]
    programme(hunan_unit, days_ago=60)
    with django_capture_on_commit_callbacks(execute=True):
        refresh()
    assert _csv(client, "inspection_kind")[1]["逾期未备案"] == ["2", "1", "1", "4"]
    settings.STATISTICS_CACHE_SECONDS = 0
