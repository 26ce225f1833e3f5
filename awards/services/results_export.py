"""The published list of a quarter as files for the NRTA website: xlsx and a print-ready A4 PDF.

The PDF is rendered by WeasyPrint (``common.pdf.html_to_pdf``, the CJK font
embedded) and cached per version of the list, so a public download costs one
aggregate query once rendered; a withdrawal changes the version.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from common import exports

from ..bureaus import NRTA_NAME
from ..models import Publicity
from . import publication

PDF_CACHE_SECONDS = 24 * 3600


def title(publicity: Publicity) -> str:
    return gettext("%(quarter)s网络视听节目季度推优入选作品名单") % {
        "quarter": publication.quarter_label(publicity.year, publicity.quarter)
    }


def filename(publicity: Publicity, ext: str) -> str:
    name = gettext("%(year)s年第%(quarter)s季度网络视听节目季度推优名单") % {
        "year": publicity.year,
        "quarter": publicity.quarter,
    }
    return f"{name}.{ext}"


def status_text(row: Any) -> str:
    if row.withdrawn:
        day = row.withdrawn_on.isoformat() if row.withdrawn_on else ""
        return gettext("已撤销（%(day)s）：%(reason)s") % {"day": day, "reason": row.withdrawn_reason}
    return gettext("已公布")


def table(groups: list) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows of the xlsx: one line per work, 机构类 first, numbered within its group."""
    headers = [
        gettext("类别"),
        gettext("序号"),
        gettext("作品名称"),
        gettext("作品类型"),
        gettext("播出平台"),
        gettext("出品机构"),
        gettext("推荐单位"),
        gettext("状态"),
    ]
    rows = []
    for group in groups:
        for number, row in enumerate(group.rows, start=1):
            values = [
                group.label,
                number,
                row.name,
                row.work_type,
                row.platform,
                row.producer,
                row.recommending_unit,
                status_text(row),
            ]
            rows.append([exports.cell(v) for v in values])
    return headers, rows


def results_xlsx(publicity: Publicity, groups: list) -> bytes:
    headers, rows = table(groups)
    return exports.xlsx_bytes(headers, rows, sheet_title=f"{publicity.year}Q{publicity.quarter}")


def render_html(publicity: Publicity, groups: list, *, url: str) -> str:
    published = timezone.localtime(publicity.published_at)
    with translation.override(settings.LANGUAGE_CODE):  # the list is an official document: in Chinese
        return render_to_string(
            "awards/results/results_pdf.html",
            {
                "title": title(publicity),
                "publicity": publicity,
                "groups": groups,
                "published_on": f"{published.year}年{published.month}月{published.day}日",
                "issuer": NRTA_NAME,
                "url": url,
            },
        )


def results_pdf(publicity: Publicity, groups_of, *, version: str, url: str) -> bytes:
    """The list's PDF, rendered once per ``version`` (``groups_of()`` is called only to render)."""
    from common.pdf import html_to_pdf

    key = f"awards:results-pdf:{publicity.year}:{publicity.quarter}:{version}"
    data = cache.get(key)
    if data is None:
        data = html_to_pdf(render_html(publicity, groups_of(), url=url))
        cache.set(key, data, PDF_CACHE_SECONDS)
    return data
