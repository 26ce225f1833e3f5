"""Writes of 日常巡查: record a patrol finding, dispose of a case, add evidence. Plain functions taking the actor.

The refresh job (cases found from the filings, their closing on approval, the notifications) is in
:mod:`.refresh`. Every change re-reads the case under ``select_for_update`` and checks the actor's right
and the status it finds (not the one the caller saw); each change writes a :class:`CaseEvent`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import Organisation, User
from common.validators import validate_credit_code

from . import rules
from .enums import CaseKind, CaseStatus, EventKind
from .models import CaseEvent, Evidence, InspectionCase
from .signals import changed

MAX_EVIDENCE = 10
# Where a case may go from each status (the workflow as data); 已处理 takes notes only.
NEXT_STATUS: dict[str, tuple[str, ...]] = {
    CaseStatus.PENDING: (CaseStatus.INTERVIEWED, CaseStatus.HANDLED),
    CaseStatus.INTERVIEWED: (CaseStatus.HANDLED,),
    CaseStatus.HANDLED: (),
}


class InspectionError(Exception):
    """A rule was broken; ``message`` is shown to the user (``field``: the form field it belongs to)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def actor_name(actor: User) -> str:
    profile = actor.staff_profile_or_none
    name = actor.get_full_name() or actor.get_username()
    return f"{name}（{profile.department}）" if profile is not None else name


def check_evidence(upload) -> str:
    """Validate one evidence file by its content (jpg, png, pdf, mp4, flv); returns its content type."""
    from filings.uploads import check_upload

    return check_upload(upload).content_type


def check_files(files: Sequence) -> list[str]:
    """Every file checked before any is stored; the first refusal is the user's message."""
    try:
        return [check_evidence(upload) for upload in files]
    except ValidationError as exc:
        raise InspectionError(exc.messages[0], field="files") from None


def _save_evidence(case: InspectionCase, actor: User, files: Sequence, types: list[str]) -> list[Evidence]:
    saved = []
    for upload, content_type in zip(files, types, strict=True):
        evidence = Evidence(
            case=case, original_name=upload.name[:255], size=upload.size, content_type=content_type, uploaded_by=actor
        )
        evidence.file.save(upload.name, upload, save=False)
        evidence.save()
        saved.append(evidence)
    return saved


def record_finding(
    actor: User,
    *,
    platform: str,
    url: str,
    unit_name: str,
    credit_code: str,
    found_on: date,
    programme_name: str = "",
    description: str = "",
    files: Sequence = (),
    request=None,
) -> InspectionCase:
    """巡查发现: an official records what a patrol of the platforms found (their own province)."""
    if not rules.may_record_finding(actor):
        raise InspectionError(_("只有省级文化和旅游主管部门的审核人员可以登记巡查发现。"))
    try:
        code = validate_credit_code(credit_code)
    except ValidationError as exc:
        raise InspectionError(exc.messages[0], field="credit_code") from None
    if found_on > timezone.localdate():
        raise InspectionError(_("发现日期不能晚于今天。"), field="found_on")
    if not platform.strip():
        raise InspectionError(_("请填写播出平台。"), field="platform")
    if not url.strip():
        raise InspectionError(_("请填写网址。"), field="url")
    if len(files) > MAX_EVIDENCE:
        raise InspectionError(_("每次最多上传 %(n)s 个证据文件。") % {"n": MAX_EVIDENCE}, field="files")
    types = check_files(files)
    profile = actor.staff_profile
    now = timezone.now()
    with transaction.atomic():
        case = InspectionCase.objects.create(
            kind=CaseKind.PATROL,
            authority=profile.authority,
            province=profile.province,
            organisation=Organisation.objects.filter(credit_code=code).first(),
            programme_name=programme_name.strip(),
            unit_name=unit_name.strip(),
            credit_code=code,
            platform=platform.strip(),
            url=url.strip(),
            description=description.strip(),
            found_on=found_on,
            created_by=actor,
            created_at=now,
            updated_at=now,
            notified_at=now,  # the official recorded it: nobody to tell
        )
        CaseEvent.objects.create(
            case=case,
            kind=EventKind.CREATED,
            actor=actor,
            actor_name=actor_name(actor),
            at=now,
            status_to=CaseStatus.PENDING,
            note=description.strip(),
        )
        if files:
            _save_evidence(case, actor, files, types)
            CaseEvent.objects.create(
                case=case,
                kind=EventKind.EVIDENCE,
                actor=actor,
                actor_name=actor_name(actor),
                at=now,
                note="、".join(f.name for f in files)[:2000],
            )
        audit.record("inspection.finding", request=request, actor=actor, target=case.public_id)
        changed()
    return case


def _locked(actor: User, case: InspectionCase) -> InspectionCase:
    locked = InspectionCase.objects.select_for_update().filter(pk=case.pk).first()
    if locked is None or not rules.may_see(actor, locked):
        raise InspectionError(_("未找到该巡查事项，或您无权处理。"))
    return locked


def dispose(
    actor: User, case: InspectionCase, *, status: str, note: str, seen_status: str | None = None, request=None
) -> CaseEvent:
    """处置: a note (required) and optionally a new status. ``seen_status``: the status the official's page
    showed; if another official changed it meanwhile, nothing is saved and they are told."""
    note = (note or "").strip()
    if not note:
        raise InspectionError(_("请填写处置说明。"), field="note")
    if status not in CaseStatus.values:
        raise InspectionError(_("请选择处理状态。"), field="status")
    with transaction.atomic():
        locked = _locked(actor, case)
        if seen_status and locked.status != seen_status:
            raise InspectionError(
                _("该事项已被其他人员处理（当前状态：%(status)s），请刷新页面后查看。")
                % {"status": locked.get_status_display()}
            )
        now = timezone.now()
        if status != locked.status:
            if status not in NEXT_STATUS[locked.status]:
                raise InspectionError(
                    _("“%(from)s”的事项不能改为“%(to)s”。")
                    % {"from": locked.get_status_display(), "to": CaseStatus(status).label},
                    field="status",
                )
            event = CaseEvent.objects.create(
                case=locked,
                kind=EventKind.STATUS,
                actor=actor,
                actor_name=actor_name(actor),
                at=now,
                status_from=locked.status,
                status_to=status,
                note=note,
            )
            locked.status = status
            locked.closed_at = now if status == CaseStatus.HANDLED else None
        else:
            event = CaseEvent.objects.create(
                case=locked, kind=EventKind.NOTE, actor=actor, actor_name=actor_name(actor), at=now, note=note
            )
        locked.updated_at = now
        locked.save(update_fields=["status", "closed_at", "updated_at"])
        audit.record("inspection.dispose", request=request, actor=actor, target=locked.public_id, status=locked.status)
        changed()
    case.status, case.closed_at, case.updated_at = locked.status, locked.closed_at, locked.updated_at
    return event


def add_evidence(actor: User, case: InspectionCase, files: Sequence, request=None) -> list[Evidence]:
    """Evidence files of a 巡查发现 (checked by content, private storage)."""
    if not files:
        raise InspectionError(_("请选择要上传的文件。"), field="files")
    types = check_files(files)
    with transaction.atomic():
        locked = _locked(actor, case)
        if locked.kind != CaseKind.PATROL:
            raise InspectionError(_("只有巡查发现的事项可以上传证据材料。"))
        if locked.evidence.count() + len(files) > MAX_EVIDENCE:
            raise InspectionError(_("每个事项最多 %(n)s 个证据文件。") % {"n": MAX_EVIDENCE}, field="files")
        saved = _save_evidence(locked, actor, files, types)
        now = timezone.now()
        CaseEvent.objects.create(
            case=locked,
            kind=EventKind.EVIDENCE,
            actor=actor,
            actor_name=actor_name(actor),
            at=now,
            note="、".join(e.original_name for e in saved)[:2000],
        )
        locked.updated_at = now
        locked.save(update_fields=["updated_at"])
        audit.record("inspection.evidence", request=request, actor=actor, target=locked.public_id, files=len(saved))
    return saved
