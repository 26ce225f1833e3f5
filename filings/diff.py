"""Field-level, side-by-side difference between two versions of a programme.

Used by the reviewers' admin for change requests (and by 提交 to refuse a
change that changes nothing): changed fields of each section, table rows
added, edited or removed (rows are matched by their ``key``, which follows a
row through copies), and material files added, removed or replaced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import countries
from .enums import MaterialItem, Section
from .models import FilingVersion, Partner, Performer, Session
from .sections import SCALAR_FIELDS

ADDED, REMOVED, EDITED, REPLACED = "added", "removed", "edited", "replaced"
STATUS_LABELS = {
    ADDED: gettext_lazy("新增"),
    REMOVED: gettext_lazy("删除"),
    EDITED: gettext_lazy("修改"),
    REPLACED: gettext_lazy("替换"),
}


@dataclass
class FieldChange:
    name: str
    label: str
    old: str
    new: str


@dataclass
class RowChange:
    status: str
    key: str
    title: str
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass
class FileChange:
    item: str
    label: str
    status: str
    old: list[str]
    new: list[str]

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass
class SectionDiff:
    section: str
    label: str
    fields: list[FieldChange] = field(default_factory=list)
    rows: list[RowChange] = field(default_factory=list)
    files: list[FileChange] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.fields or self.rows or self.files)


def _text(value, field_obj=None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if field_obj is not None and field_obj.choices:
        return str(dict(field_obj.flatchoices).get(value, value))
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if hasattr(value, "get_full_name"):
        return value.get_full_name()
    return str(value)


def _row_values(row) -> list[tuple[str, str, str]]:
    """(name, label, text) of the fields of a table row, in display order."""
    model = type(row)
    if model is Performer:
        names = ["name", "country", "virtual"]
    elif model is Session:
        names = ["name", "type", "starts_at", "url"]
    else:
        names = ["company", "safety_officer", "contact", "platform"]
    values = []
    for name in names:
        field_obj = model._meta.get_field(name)
        raw = getattr(row, name)
        text = countries.name(raw) if name == "country" else _text(raw, field_obj)
        values.append((name, str(field_obj.verbose_name), text))
    if model is Partner:
        sessions = "、".join(s.name for s in row.sessions.all())
        values.append(("sessions", str(Partner._meta.get_field("sessions").verbose_name), sessions))
    return values


def _diff_rows(old_rows, new_rows) -> list[RowChange]:
    old_by_key = {r.key: r for r in old_rows}
    new_by_key = {r.key: r for r in new_rows}
    changes = []
    for row in new_rows:
        before = old_by_key.get(row.key)
        values = _row_values(row)
        if before is None:
            changes.append(
                RowChange(ADDED, row.key, values[0][2], [FieldChange(n, lbl, "", v) for n, lbl, v in values])
            )
            continue
        old_values = {n: v for n, _lbl, v in _row_values(before)}
        changed = [FieldChange(n, lbl, old_values.get(n, ""), v) for n, lbl, v in values if old_values.get(n, "") != v]
        if changed:
            changes.append(RowChange(EDITED, row.key, values[0][2], changed))
    for row in old_rows:
        if row.key not in new_by_key:
            values = _row_values(row)
            changes.append(
                RowChange(REMOVED, row.key, values[0][2], [FieldChange(n, lbl, v, "") for n, lbl, v in values])
            )
    return changes


def _diff_files(old_version: FilingVersion, new_version: FilingVersion) -> list[FileChange]:
    def by_item(version):
        result: dict[str, dict[str, str]] = {}
        for m in version.materials.all():
            result.setdefault(m.item, {})[m.file.name] = m.original_name
        return result

    old, new = by_item(old_version), by_item(new_version)
    changes = []
    for item in MaterialItem.values:
        before, after = old.get(item, {}), new.get(item, {})
        removed = [before[n] for n in before if n not in after]
        added = [after[n] for n in after if n not in before]
        if not removed and not added:
            continue
        status = REPLACED if removed and added else (ADDED if added else REMOVED)
        changes.append(FileChange(item, str(MaterialItem(item).label), status, removed, added))
    return changes


def _prefetched(version: FilingVersion) -> FilingVersion:
    return (
        FilingVersion.objects.select_related("filler", "manager")
        .prefetch_related("performers", "sessions", "partners__sessions", "materials")
        .get(pk=version.pk)
    )


def diff_versions(old: FilingVersion, new: FilingVersion, *, kind: str = "") -> list[SectionDiff]:
    """The sections that differ between ``old`` and ``new`` (empty list: no change)."""
    from .services.validation import basic_labels

    old, new = _prefetched(old), _prefetched(new)
    labels = basic_labels(kind)
    result = []
    for section in Section.values:
        if section == Section.PLEDGE:
            continue
        entry = SectionDiff(section, str(Section(section).label))
        for name in SCALAR_FIELDS.get(section, []):
            field_obj = FilingVersion._meta.get_field(name)
            before, after = _text(getattr(old, name), field_obj), _text(getattr(new, name), field_obj)
            if before != after:
                label = labels.get(name) if section == Section.BASIC else str(field_obj.verbose_name)
                entry.fields.append(FieldChange(name, label, before, after))
        if section == Section.PERFORMERS:
            entry.rows = _diff_rows(list(old.performers.all()), list(new.performers.all()))
        elif section == Section.SESSIONS:
            entry.rows = _diff_rows(list(old.sessions.all()), list(new.sessions.all()))
        elif section == Section.PARTNERS:
            entry.rows = _diff_rows(list(old.partners.all()), list(new.partners.all()))
        elif section == Section.MATERIALS:
            entry.files = _diff_files(old, new)
        if entry:
            result.append(entry)
    return result


def has_changes(old: FilingVersion, new: FilingVersion) -> bool:
    return bool(diff_versions(old, new))
