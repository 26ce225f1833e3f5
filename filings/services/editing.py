"""Writes to an application (or change request) while the applicant edits it.

Each function takes the acting user explicitly, locks the application row,
checks that the user belongs to the unit and that the application is still
editable (草稿 or 退回修改 — "提交后不能修改"), writes, and refreshes the
section completion flags of the step list.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.services.activation import filing_block_reason

from .. import rules
from ..enums import ChangePart, FilingKind, FilingState, Section
from ..models import ChangeRequest, Filing, FilingVersion, Material, Partner, Performer, Session
from ..sections import DONE_FIELDS, SCALAR_FIELDS
from ..uploads import CheckedFile, check_upload
from . import validation
from .actions import may_edit
from .errors import Blocked, FilingError, NotEditable, NotPermitted, RowInUse
from .versions import delete_material_rows

Target = Filing | ChangeRequest
ROW_MODELS = {"performers": Performer, "sessions": Session, "partners": Partner}
ROW_SECTIONS = {"performers": Section.PERFORMERS, "sessions": Section.SESSIONS, "partners": Section.PARTNERS}


def kind_of(target: Target) -> str:
    return target.kind if isinstance(target, Filing) else target.filing.kind


def version_id_of(target: Target) -> int:
    return target.application_version_id if isinstance(target, Filing) else target.version_id


def block_reason(organisation) -> str | None:
    """Why this unit may not start a filing now (qualification, licence), or None."""
    return filing_block_reason(organisation)


def refresh_completion(target: Target, version: FilingVersion) -> dict[str, bool]:
    found = validation.problems(version, kind_of(target), target.organisation_id)
    done = validation.completion(found)
    values = {field: done[section] for section, field in DONE_FIELDS.items()}
    FilingVersion.objects.filter(pk=version.pk).update(**values)
    for field, value in values.items():
        setattr(version, field, value)
    return done


def _may_edit_section(target: Target, section: str | None) -> bool:
    if section is None or section == Section.PLEDGE or isinstance(target, Filing):
        return True
    return section in target.parts


@contextmanager
def editing(actor, target: Target, section: str | None = None) -> Iterator[tuple[Target, FilingVersion]]:
    """Lock the application, check the actor may edit (this section of) it, yield it and its version."""
    with transaction.atomic():
        model = type(target)
        locked = model.objects.select_for_update().filter(pk=target.pk).first()
        if locked is None or not rules.is_member(actor, locked):
            raise NotPermitted(_("您无权修改此申请。"))
        if not may_edit(locked):
            raise NotEditable(_("提交后不能修改。"))
        if not _may_edit_section(locked, section):
            raise NotEditable(_("请先勾选“%(part)s”并保存，再修改此部分。") % {"part": ChangePart(section).label})
        version = FilingVersion.objects.select_related("filler", "manager").get(pk=version_id_of(locked))
        yield locked, version
        refresh_completion(locked, version)
        model.objects.filter(pk=locked.pk).update(updated_at=timezone.now())


# --- creating --------------------------------------------------------------------


def create_filing(actor, kind: str, basic: dict[str, Any]) -> Filing:
    """Create a draft (草稿) application of ``kind`` on the first 保存 of 基本信息."""
    if kind not in FilingKind.values:
        raise FilingError(_("不支持的申请类型。"))
    if not rules.is_applicant(actor):
        raise NotPermitted(_("只有经营单位用户可以申请。"))
    organisation = actor.organisation
    reason = block_reason(organisation)
    if reason:
        raise Blocked(reason)
    with transaction.atomic():
        filing = Filing.objects.create(
            kind=kind,
            organisation=organisation,
            created_by=actor,
            province=organisation.province,
            state=FilingState.DRAFT,
        )
        version = FilingVersion(filing=filing, number=1, created_by=actor)
        for name in SCALAR_FIELDS[Section.BASIC]:
            setattr(version, name, basic.get(name) if name != "email" else (basic.get(name) or ""))
        version.save()
        filing.application_version = version
        filing.save(update_fields=["application_version"])
        refresh_completion(filing, version)
    audit.record("filings.created", actor=actor, target=filing.public_id, kind=kind)
    return filing


# --- scalar sections -----------------------------------------------------------------


def save_section(actor, target: Target, section: str, data: dict[str, Any]) -> FilingVersion:
    """保存 one of the sections held in fields (基本信息, 节目信息, 联合播出 yes/no); partial data allowed."""
    fields = SCALAR_FIELDS[section]
    with editing(actor, target, section) as (locked, version):
        for name in fields:
            if name in data:
                value = data[name]
                if value is None and not FilingVersion._meta.get_field(name).null:
                    value = ""
                setattr(version, name, value)
        if section in (Section.BASIC,):
            for name in ("filler", "manager"):
                user = getattr(version, name)
                if user is not None and user.organisation_id != locked.organisation_id:
                    raise NotPermitted(_("只能选择本单位的成员。"))
        version.full_clean(exclude=[f.name for f in FilingVersion._meta.fields if f.name not in fields])
        version.save(update_fields=fields)
    return version


def save_pledge(actor, target: Target, pledged: bool) -> FilingVersion:
    with editing(actor, target, Section.PLEDGE) as (locked, version):
        version.pledged = bool(pledged)
        version.pledged_at = timezone.now() if pledged else None
        version.save(update_fields=["pledged", "pledged_at"])
    return version


# --- table rows ------------------------------------------------------------------------


def _row_values(table: str, version: FilingVersion, data: dict[str, Any]) -> tuple[dict, list | None]:
    model = ROW_MODELS[table]
    names = {f.name for f in model._meta.concrete_fields} - {"id", "key", "position", "version"}
    values = {k: v for k, v in data.items() if k in names}
    sessions = None
    if table == "partners":
        # Session rows or their keys; only sessions of this version are ever linked.
        wanted = [s.key if isinstance(s, Session) else str(s) for s in data.get("sessions") or []]
        sessions = list(Session.objects.filter(version=version, key__in=wanted))
    return values, sessions


def add_row(actor, target: Target, table: str, data: dict[str, Any]):
    model = ROW_MODELS[table]
    with editing(actor, target, ROW_SECTIONS[table]) as (locked, version):
        values, sessions = _row_values(table, version, data)
        position = (model.objects.filter(version=version).aggregate(m=Max("position"))["m"] or 0) + 1
        row = model(version=version, position=position, **values)
        row.full_clean(exclude=["version", "key"])
        row.save()
        if sessions is not None:
            row.sessions.set(sessions)
    return row


def update_row(actor, target: Target, table: str, key: str, data: dict[str, Any]):
    model = ROW_MODELS[table]
    with editing(actor, target, ROW_SECTIONS[table]) as (locked, version):
        row = model.objects.filter(version=version, key=key).first()
        if row is None:
            raise FilingError(_("该记录不存在或已被删除。"))
        values, sessions = _row_values(table, version, data)
        for name, value in values.items():
            setattr(row, name, value)
        row.full_clean(exclude=["version", "key"])
        row.save()
        if sessions is not None:
            row.sessions.set(sessions)
    return row


def delete_row(actor, target: Target, table: str, key: str) -> None:
    model = ROW_MODELS[table]
    with editing(actor, target, ROW_SECTIONS[table]) as (locked, version):
        row = model.objects.filter(version=version, key=key).first()
        if row is None:
            return
        if table == "sessions":
            used = list(row.partners.filter(version=version).values_list("company", flat=True))
            if used and version.joint_broadcast:
                raise RowInUse(
                    _("场次“%(name)s”已被联合播出企业“%(companies)s”选择，请先修改联合播出信息。")
                    % {"name": row.name, "companies": "、".join(used)}
                )
        row.delete()


# --- materials ----------------------------------------------------------------------------


def check_files(files) -> tuple[list[tuple[Any, CheckedFile]], list[str]]:
    """Check every file before storing any; returns (accepted, error messages)."""
    accepted, errors = [], []
    for upload in files:
        try:
            accepted.append((upload, check_upload(upload)))
        except ValidationError as exc:
            errors.extend(exc.messages)
    return accepted, errors


def upload_materials(actor, target: Target, item: str, files) -> list[Material]:
    """Store the files of one 材料 item; if any file is refused, none is stored (ValidationError)."""
    accepted, errors = check_files(files)
    if errors:
        raise ValidationError(errors)
    stored: list[Material] = []
    try:
        with editing(actor, target, Section.MATERIALS) as (locked, version):
            for upload, checked in accepted:
                original = (upload.name or "")[-255:]
                material = Material(
                    version=version,
                    item=item,
                    original_name=original,
                    size=checked.size,
                    content_type=checked.content_type,
                    uploaded_by=actor,
                )
                upload.seek(0)
                material.file.save(f"upload.{checked.extension}", upload, save=False)
                stored.append(material)
                material.save()
    except Exception:
        storage = Material._meta.get_field("file").storage
        for material in stored:
            if material.file.name:
                storage.delete(material.file.name)
        raise
    audit.record(
        "filings.material_uploaded",
        actor=actor,
        target=target.public_id,
        item=item,
        files=[m.original_name for m in stored],
    )
    return stored


def delete_material(actor, target: Target, token: str) -> None:
    with editing(actor, target, Section.MATERIALS) as (locked, version):
        rows = list(Material.objects.filter(version=version, token=token))
        if rows:
            delete_material_rows(rows)
