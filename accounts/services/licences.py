"""The registry of legacy 网络文化经营许可证 accounts (A5): CSV import by ministry staff.

The CSV has one licence per row with the columns ``licence_no, unit_name,
credit_code, scope, valid_from, valid_to, province, account`` and either
``password`` (clear text, hashed on import) or ``password_hash`` (a Django
password hash), plus an optional ``status``. Chinese headers (许可证编号 …) are
accepted too. The file may be UTF-8 with or without the BOM Excel writes, or
GB18030. The import is idempotent: rows are matched by licence number, so a
re-import updates and never duplicates. Every rejected row is reported with its
line number and reason; the valid rows are imported.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import audit
from accounts.enums import LicenceStatus
from accounts.models import LegacyLicence, Organisation
from common import csvfiles, regions
from common.csvfiles import CsvFileError
from common.validators import validate_credit_code

REQUIRED_COLUMNS = (
    "licence_no",
    "unit_name",
    "credit_code",
    "scope",
    "valid_from",
    "valid_to",
    "province",
    "account",
)
OPTIONAL_COLUMNS = ("password", "password_hash", "status")

# Headers as ministry staff may export them from a spreadsheet.
HEADER_ALIASES = {
    "许可证编号": "licence_no",
    "许可证号": "licence_no",
    "单位名称": "unit_name",
    "统一社会信用代码": "credit_code",
    "信用代码": "credit_code",
    "经营范围": "scope",
    "有效期自": "valid_from",
    "有效期起": "valid_from",
    "发证日期": "valid_from",
    "有效期至": "valid_to",
    "有效期止": "valid_to",
    "发证省份": "province",
    "省份": "province",
    "原平台账号": "account",
    "账号": "account",
    "原平台密码": "password",
    "密码": "password",
    "密码哈希": "password_hash",
    "状态": "status",
}

STATUS_ALIASES = {
    "": LicenceStatus.VALID,
    "valid": LicenceStatus.VALID,
    "有效": LicenceStatus.VALID,
    "正常": LicenceStatus.VALID,
    "revoked": LicenceStatus.REVOKED,
    "已吊销": LicenceStatus.REVOKED,
    "吊销": LicenceStatus.REVOKED,
}

MAX_LENGTHS = {"licence_no": 64, "unit_name": 200, "scope": 500, "account": 64, "password_hash": 256}

_DATE_SPLIT = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_DATE_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")


class LicenceImportError(CsvFileError):
    """The file as a whole cannot be read (encoding, missing columns)."""


@dataclass
class RejectedRow:
    line: int
    licence_no: str
    reasons: list[str]

    def __str__(self) -> str:
        label = _("第 %(line)s 行") % {"line": self.line}
        if self.licence_no:
            label += _("（许可证编号 %(no)s）") % {"no": self.licence_no}
        return f"{label}：{'；'.join(self.reasons)}"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    encoding: str = ""
    dry_run: bool = False

    def summary(self) -> str:
        return _("新增 %(created)s 条，更新 %(updated)s 条，拒绝 %(rejected)s 条") % {
            "created": self.created,
            "updated": self.updated,
            "rejected": len(self.rejected),
        }


# --- parsing helpers ----------------------------------------------------------


def decode_csv_bytes(data: bytes) -> tuple[str, str]:
    """The text of the file and the encoding used: UTF-8 (BOM or not), else GB18030."""
    return csvfiles.decode_csv_bytes(data, LicenceImportError)


def resolve_region(value: str) -> str | None:
    """A province code from its code (430000), name (湖南省), short name (湖南) or abbreviation (湘)."""
    value = (value or "").strip()
    if not value:
        return None
    for region in regions.REGIONS:
        if value in (region.code, region.name, region.short_name, region.abbr):
            return region.code
    return None


def parse_date(value: str) -> date | None:
    value = (value or "").strip()
    match = _DATE_SPLIT.match(value) or _DATE_COMPACT.match(value)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _normalise_header(name: str | None) -> str:
    key = (name or "").strip().lstrip("\ufeff").strip()
    return HEADER_ALIASES.get(key, key.lower())


# --- validation of one row ----------------------------------------------------


@dataclass
class _Row:
    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    cleaned: dict = field(default_factory=dict)
    password: str = ""


def _clean_row(row: _Row) -> None:
    v = row.values
    err = row.errors
    labels = {
        "licence_no": _("许可证编号"),
        "unit_name": _("单位名称"),
        "credit_code": _("统一社会信用代码"),
        "scope": _("经营范围"),
        "valid_from": _("有效期自"),
        "valid_to": _("有效期至"),
        "province": _("发证省份"),
        "account": _("原平台账号"),
    }
    missing = [labels[name] for name in REQUIRED_COLUMNS if not v.get(name)]
    if missing:
        err.append(_("缺少必填项：%(fields)s") % {"fields": "、".join(missing)})
    for name, limit in MAX_LENGTHS.items():
        if len(v.get(name, "")) > limit:
            err.append(_("%(field)s超过%(n)s个字符") % {"field": labels.get(name, name), "n": limit})

    c = row.cleaned
    for name in ("licence_no", "unit_name", "scope", "account"):
        c[name] = v.get(name, "")

    if v.get("credit_code"):
        try:
            c["credit_code"] = validate_credit_code(v["credit_code"])
        except ValidationError as exc:
            err.append(
                _("统一社会信用代码“%(code)s”无效：%(reason)s")
                % {"code": v["credit_code"], "reason": " ".join(exc.messages)}
            )

    for name in ("valid_from", "valid_to"):
        if v.get(name):
            parsed = parse_date(v[name])
            if parsed is None:
                err.append(
                    _("%(field)s“%(value)s”不是有效日期（应为 YYYY-MM-DD）") % {"field": labels[name], "value": v[name]}
                )
            else:
                c[name] = parsed
    if c.get("valid_from") and c.get("valid_to") and c["valid_to"] < c["valid_from"]:
        err.append(_("有效期至早于有效期自"))

    if v.get("province"):
        province = resolve_region(v["province"])
        if province is None:
            err.append(_("发证省份“%(value)s”无法识别") % {"value": v["province"]})
        else:
            c["province"] = province

    status = STATUS_ALIASES.get(v.get("status", "").lower())
    if status is None:
        err.append(_("状态“%(value)s”无法识别（应为 有效 或 已吊销）") % {"value": v["status"]})
    else:
        c["status"] = status

    if v.get("password") and v.get("password_hash"):
        err.append(_("密码与密码哈希只能填写其中一项"))
    elif v.get("password_hash"):
        try:
            identify_hasher(v["password_hash"])
        except ValueError:
            err.append(_("密码哈希格式无法识别"))
        else:
            c["password_hash"] = v["password_hash"]
    elif v.get("password"):
        row.password = v["password"]


def _read_rows(text: str) -> tuple[list[_Row], list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise LicenceImportError(_("文件为空。"))
    except csv.Error as exc:
        raise LicenceImportError(_("CSV 格式错误：%(reason)s") % {"reason": exc})
    columns = [_normalise_header(h) for h in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing or not ({"password", "password_hash"} & set(columns)):
        if not ({"password", "password_hash"} & set(columns)):
            missing.append("password / password_hash")
        raise LicenceImportError(_("缺少列：%(cols)s") % {"cols": ", ".join(missing)})

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
            continue  # blank line
        values: dict[str, str] = {}
        for name, cell in zip(columns, cells, strict=False):
            if name in REQUIRED_COLUMNS or name in OPTIONAL_COLUMNS:
                values[name] = cell.strip()
        rows.append(_Row(line=start, values=values))
    return rows, problems


# --- the import ----------------------------------------------------------------


def import_licences(data: bytes | str, *, actor=None, dry_run: bool = False, source: str = "") -> ImportResult:
    """Validate every row and create or update the valid ones (by licence number)."""
    if isinstance(data, bytes):
        text, encoding = decode_csv_bytes(data)
    else:
        text, encoding = data.lstrip("\ufeff"), "text"
    rows, problems = _read_rows(text)
    result = ImportResult(encoding=encoding, dry_run=dry_run)
    if problems:
        result.rejected.extend(RejectedRow(line=0, licence_no="", reasons=[p]) for p in problems)

    for row in rows:
        _clean_row(row)

    # Duplicates inside the file: the first occurrence wins, later ones are rejected.
    seen_no: dict[str, int] = {}
    seen_account: dict[str, int] = {}
    for row in rows:
        no, account = row.values.get("licence_no", ""), row.values.get("account", "")
        if no:
            if no in seen_no:
                row.errors.append(_("许可证编号与第 %(line)s 行重复") % {"line": seen_no[no]})
            else:
                seen_no[no] = row.line
        if account:
            key = account.lower()
            if key in seen_account:
                row.errors.append(_("原平台账号与第 %(line)s 行重复") % {"line": seen_account[key]})
            else:
                seen_account[key] = row.line

    numbers = [r.values["licence_no"] for r in rows if r.values.get("licence_no")]
    accounts = [r.values["account"] for r in rows if r.values.get("account")]
    existing = {lic.licence_no: lic for lic in LegacyLicence.objects.filter(licence_no__in=numbers)}
    account_owner = {
        lic.account.lower(): lic.licence_no
        for lic in LegacyLicence.objects.filter(account__in=accounts).only("account", "licence_no")
    }
    claimed = dict(
        Organisation.objects.filter(licence__licence_no__in=numbers).values_list("licence__licence_no", "credit_code")
    )

    with transaction.atomic():
        for row in rows:
            no = row.values.get("licence_no", "")
            account = row.values.get("account", "")
            current = existing.get(no)
            owner = account_owner.get(account.lower()) if account else None
            if owner is not None and owner != no:
                row.errors.append(_("原平台账号“%(account)s”已属于许可证 %(no)s") % {"account": account, "no": owner})
            if current is None and not row.values.get("password") and not row.values.get("password_hash"):
                row.errors.append(_("新增许可证须填写密码或密码哈希"))
            if no in claimed and row.cleaned.get("credit_code") and claimed[no] != row.cleaned["credit_code"]:
                row.errors.append(_("该许可证已被单位激活，不能更改统一社会信用代码"))
            if row.errors:
                result.rejected.append(RejectedRow(line=row.line, licence_no=no, reasons=row.errors))
                continue

            values = {
                k: row.cleaned[k]
                for k in (
                    "unit_name",
                    "credit_code",
                    "scope",
                    "valid_from",
                    "valid_to",
                    "province",
                    "account",
                    "status",
                )
            }
            if "password_hash" in row.cleaned:
                values["password_hash"] = row.cleaned["password_hash"]
            elif row.password:
                # Keep the stored hash when the password did not change (re-imports stay stable).
                if current is None or not check_password(row.password, current.password_hash):
                    values["password_hash"] = make_password(row.password)
            if current is None:
                result.created += 1
            else:
                result.updated += 1
            if not dry_run:
                LegacyLicence.objects.update_or_create(licence_no=no, defaults=values)
        if dry_run:
            transaction.set_rollback(True)

    result.rejected.sort(key=lambda r: r.line)
    if not dry_run:
        audit.record(
            "licence.imported",
            actor=actor,
            target=source[:200],
            created=result.created,
            updated=result.updated,
            rejected=len(result.rejected),
            encoding=encoding,
        )
    return result
