from datetime import UTC, datetime, timedelta

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

_START = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
ROWS = [
    {
        "reference": f"WY-湘-2026-{n:06d}",
        "title": f"网络演出剧目《春江花月夜》第{n}场",
        "unit": "湖南星辰文化传媒有限公司",
        "state": "审核中" if n % 3 else "已备案",
        "submitted_at": _START + timedelta(hours=n),
    }
    for n in range(1, 26)
]


def hello(request):
    return HttpResponse("hello", content_type="text/plain")


def rows(request):
    return render(request, "rows.html", {"rows": ROWS})


urlpatterns = [path("hello/", hello), path("rows/", rows)]
