"""Export of admin lists to xlsx and CSV (UTF-8 with BOM so Excel reads Chinese)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Model
from django.http import HttpResponse
from django.utils import timezone
from django.utils.encoding import force_str

from .files import content_disposition

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
# A cell starting with one of these is read as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Control characters xlsx cannot hold (openpyxl raises IllegalCharacterError): shown as a space.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def resolve(obj: Model, accessor: Any) -> Any:
    """Value of ``accessor`` on ``obj``: callable(obj), ``"a__b"`` path, attribute or method name."""
    if callable(accessor):
        return accessor(obj)
    value: Any = obj
    for part in str(accessor).split("__"):
        if value is None:
            return None
        value = getattr(value, part)
        if callable(value) and not isinstance(value, type):
            value = value()
    return value


def cell(value: Any) -> Any:
    """A plain value safe for a spreadsheet cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, int | float):
        return value
    text = _ILLEGAL.sub(" ", force_str(value))
    if text.startswith(_FORMULA_START):
        text = "'" + text
    return text


def table(objects: Iterable[Model], fields: Sequence[tuple[Any, Any]]) -> tuple[list[str], list[list[Any]]]:
    headers = [force_str(label) for label, _ in fields]
    rows = [[cell(resolve(obj, accessor)) for _, accessor in fields] for obj in objects]
    return headers, rows


def xlsx_bytes(headers: list[str], rows: list[list[Any]], sheet_title: str = "Sheet1") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    # Sheet titles are limited to 31 characters and some punctuation.
    ws.title = "".join(ch for ch in sheet_title if ch not in "[]:*?/\\")[:31] or "Sheet1"
    ws.append(headers)
    for c in ws[1]:
        c.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    for index, header in enumerate(headers, start=1):
        width = max([len(str(header))] + [len(str(r[index - 1])) for r in rows[:200]]) + 2
        ws.column_dimensions[ws.cell(row=1, column=index).column_letter].width = min(60, width * 1.6)
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def csv_bytes(headers: list[str], rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def response(fmt: str, filename: str, headers: list[str], rows: list[list[Any]], sheet_title: str = "") -> HttpResponse:
    if fmt == "xlsx":
        content = xlsx_bytes(headers, rows, sheet_title or filename)
    else:
        content = csv_bytes(headers, rows)
    return HttpResponse(
        content,
        content_type=FORMATS[fmt],
        headers={"Content-Disposition": content_disposition(f"{filename}.{fmt}")},
    )
