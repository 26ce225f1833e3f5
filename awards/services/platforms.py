"""The list of 持证和备案网络视听平台 (播出平台 of the 登记表), maintained by NRTA staff.

CSV import, in the shape of the licence registry import (accounts.services.licences):
columns ``name, licence_or_filing_number`` and an optional ``status`` (有效 / 停用),
Chinese headers accepted (平台名称, 许可证或备案编号 …). UTF-8 with or without
BOM, or GB18030. Idempotent: rows are matched by platform name, so a
re-import updates and never duplicates. Every rejected row is reported with
its line number and reason; the valid rows are imported.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from accounts import audit
from common import csvfiles
from common.csvfiles import CsvFileError

from ..enums import PlatformStatus
from ..models import Platform

REQUIRED_COLUMNS = ("name",)
OPTIONAL_COLUMNS = ("licence_or_filing_number", "status")
HEADER_ALIASES = {
    "平台名称": "name",
    "名称": "name",
    "平台": "name",
    "许可证或备案编号": "licence_or_filing_number",
    "许可证编号": "licence_or_filing_number",
    "许可证号": "licence_or_filing_number",
    "备案编号": "licence_or_filing_number",
    "备案号": "licence_or_filing_number",
    "licence_no": "licence_or_filing_number",
    "number": "licence_or_filing_number",
    "状态": "status",
}
STATUS_ALIASES = {
    "": PlatformStatus.ACTIVE,
    "active": PlatformStatus.ACTIVE,
    "有效": PlatformStatus.ACTIVE,
    "正常": PlatformStatus.ACTIVE,
    "inactive": PlatformStatus.INACTIVE,
    "停用": PlatformStatus.INACTIVE,
    "无效": PlatformStatus.INACTIVE,
}
MAX_LENGTHS = {"name": 100, "licence_or_filing_number": 100}


class PlatformImportError(CsvFileError):
    """The file as a whole cannot be read (encoding, missing columns)."""


@dataclass
class RejectedRow:
    line: int
    name: str
    reasons: list[str]

    def __str__(self) -> str:
        label = _("第 %(line)s 行") % {"line": self.line}
        if self.name:
            label += _("（%(name)s）") % {"name": self.name}
        return f"{label}：{'；'.join(self.reasons)}"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    encoding: str = ""
    dry_run: bool = False

    def summary(self) -> str:
        return _("新增 %(created)s 条，更新 %(updated)s 条，未变 %(unchanged)s 条，拒绝 %(rejected)s 条") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": len(self.rejected),
        }


def decode_csv_bytes(data: bytes) -> tuple[str, str]:
    """The text of the file and the encoding used: UTF-8 (BOM or not), else GB18030."""
    return csvfiles.decode_csv_bytes(data, PlatformImportError)


def _normalise_header(name: str | None) -> str:
    key = (name or "").strip().lstrip("\ufeff").strip()
    return HEADER_ALIASES.get(key, key.lower())


@dataclass
class _Row:
    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    status: str = ""


def _read_rows(text: str) -> tuple[list[_Row], list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise PlatformImportError(_("文件为空。"))
    except csv.Error as exc:
        raise PlatformImportError(_("CSV 格式错误：%(reason)s") % {"reason": exc})
    columns = [_normalise_header(h) for h in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise PlatformImportError(_("缺少列：%(cols)s") % {"cols": ", ".join(missing)})
    rows: list[_Row] = []
    problems: list[str] = []
    line = reader.line_num
    while True:
        start = line + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(_("第 %(line)s 行：CSV 格式错误：%(reason)s") % {"line": start, "reason": exc})
            break
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        values = {
            name: cell.strip()
            for name, cell in zip(columns, cells, strict=False)
            if name in REQUIRED_COLUMNS or name in OPTIONAL_COLUMNS
        }
        rows.append(_Row(line=start, values=values))
    return rows, problems


def _clean(row: _Row) -> None:
    v = row.values
    if not v.get("name"):
        row.errors.append(_("缺少必填项：平台名称"))
    labels = {"name": _("平台名称"), "licence_or_filing_number": _("许可证或备案编号")}
    for name, limit in MAX_LENGTHS.items():
        if len(v.get(name, "")) > limit:
            row.errors.append(_("%(field)s超过%(n)s个字符") % {"field": labels[name], "n": limit})
    status = STATUS_ALIASES.get(v.get("status", "").lower())
    if status is None:
        row.errors.append(_("状态“%(value)s”无法识别（应为 有效 或 停用）") % {"value": v["status"]})
    else:
        row.status = status


def import_platforms(data: bytes | str, *, actor=None, dry_run: bool = False, source: str = "") -> ImportResult:
    """Validate every row and create or update the valid ones (by platform name)."""
    if isinstance(data, bytes):
        text, encoding = decode_csv_bytes(data)
    else:
        text, encoding = data.lstrip("\ufeff"), "text"
    rows, problems = _read_rows(text)
    result = ImportResult(encoding=encoding, dry_run=dry_run)
    result.rejected.extend(RejectedRow(line=0, name="", reasons=[p]) for p in problems)
    seen: dict[str, int] = {}
    for row in rows:
        _clean(row)
        key = row.values.get("name", "")
        if key:
            if key in seen:
                row.errors.append(_("平台名称与第 %(line)s 行重复") % {"line": seen[key]})
            else:
                seen[key] = row.line
    names = [r.values["name"] for r in rows if r.values.get("name")]
    existing = {p.name: p for p in Platform.objects.filter(name__in=names)}
    with transaction.atomic():
        for row in rows:
            name = row.values.get("name", "")
            if row.errors:
                result.rejected.append(RejectedRow(line=row.line, name=name, reasons=row.errors))
                continue
            number = row.values.get("licence_or_filing_number", "")
            current = existing.get(name)
            if current is None:
                result.created += 1
                if not dry_run:
                    Platform.objects.create(name=name, licence_or_filing_number=number, status=row.status)
            elif (current.licence_or_filing_number, current.status) == (number, row.status):
                result.unchanged += 1
            else:
                result.updated += 1
                if not dry_run:
                    current.licence_or_filing_number, current.status = number, row.status
                    current.save(update_fields=["licence_or_filing_number", "status", "updated_at"])
        if dry_run:
            transaction.set_rollback(True)
    result.rejected.sort(key=lambda r: r.line)
    if not dry_run:
        audit.record(
            "awards.platforms_imported",
            actor=actor,
            target=source[:200],
            created=result.created,
            updated=result.updated,
            rejected=len(result.rejected),
            encoding=encoding,
        )
    return result
