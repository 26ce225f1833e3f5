"""A certificate's status life, as an electronic licence has one.

    有效 ──暂扣──▶ 暂扣 ──恢复──▶ 有效
     │              │
     ├──注销──▶ 已注销 ◀──注销──┤
     └──失效──▶ 已失效 ◀──失效──┘

Every change has who, when and why (a reason category the public sees and a
note it never sees), an audit record, a notification to the holder through the
outbox and a :class:`CertificateEvent`; the programme follows it through its
provider's ``on_status_changed`` in the same transaction (so a refusal there
undoes the change); the verify page shows it at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import audit

from ..engine import SYSTEM, ReviewError
from ..enums import CertificateReason, CertificateStatus
from ..models import Certificate, CertificateEvent
from .access import can_change_status
from .contract import CertificateError
from .lookup import provider_of
from .notify import notify_holder
from .verify import invalidate_token

S = CertificateStatus
R = CertificateReason


@dataclass(frozen=True)
class StatusAction:
    """One change a staff member may make: its key in URLs, its verb, from where, to what, why."""

    key: str
    label: Any
    sources: tuple[str, ...]
    target: str
    reasons: tuple[str, ...]
    done: Any  # the success message, "证照 %(number)s 已暂扣。"


ACTIONS: dict[str, StatusAction] = {
    a.key: a
    for a in (
        StatusAction(
            "suspend",
            gettext_lazy("暂扣"),
            (S.VALID,),
            S.SUSPENDED,
            (R.RECTIFICATION, R.INVESTIGATION, R.OTHER),
            gettext_lazy("证照 %(number)s 已暂扣。"),
        ),
        StatusAction(
            "restore",
            gettext_lazy("恢复有效"),
            (S.SUSPENDED,),
            S.VALID,
            (R.RECTIFIED, R.CLEARED, R.OTHER),
            gettext_lazy("证照 %(number)s 已恢复有效。"),
        ),
        StatusAction(
            "revoke",
            gettext_lazy("注销"),
            (S.VALID, S.SUSPENDED),
            S.REVOKED,
            (R.HOLDER_REQUEST, R.VIOLATION, R.FALSE_INFORMATION, R.RESULT_WITHDRAWN, R.OTHER),
            gettext_lazy("证照 %(number)s 已注销。"),
        ),
        StatusAction(
            "expire",
            gettext_lazy("失效"),
            (S.VALID, S.SUSPENDED),
            S.EXPIRED,
            (R.TERM_ENDED, R.BUSINESS_ENDED, R.OTHER),
            gettext_lazy("证照 %(number)s 已失效。"),
        ),
    )
}


def actions_for(certificate: Certificate) -> list[StatusAction]:
    """The changes possible from the certificate's status (whoever asks)."""
    return [a for a in ACTIONS.values() if certificate.status in a.sources]


def change_status(
    certificate: Certificate, action: str, *, actor: Any, reason: str, note: str, request=None
) -> Certificate:
    """Change the certificate's status by ``action`` (suspend / restore / revoke / expire).

    ``reason`` is a :class:`CertificateReason` allowed for the action (shown on the
    public verify page), ``note`` the required explanation (staff and holder only).
    The status is checked on the locked row: of two staff revoking at once, one
    succeeds and the other is told it is already revoked (one event).
    """
    step = ACTIONS.get(action)
    if step is None:
        raise CertificateError(_("不支持的操作。"))
    note = (note or "").strip()
    if reason not in step.reasons:
        raise CertificateError(_("请选择%(action)s的原因。") % {"action": step.label}, field="reason")
    if not note:
        raise CertificateError(_("请填写情况说明。"), field="note")
    if actor is not SYSTEM and not can_change_status(actor, certificate):
        raise CertificateError(_("您无权变更该证照的状态。"))
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().select_related("organisation").get(pk=certificate.pk)
        if locked.status not in step.sources:
            raise CertificateError(
                _("该证照当前状态为“%(status)s”，不能%(action)s。")
                % {"status": locked.get_status_display(), "action": step.label}
            )
        previous = locked.status
        now = timezone.now()
        user = None if actor is SYSTEM else actor
        locked.status = step.target
        locked.status_reason = reason
        locked.status_note = note[:500]
        locked.status_changed_at = now
        locked.status_changed_by = user
        locked.save(update_fields=["status", "status_reason", "status_note", "status_changed_at", "status_changed_by"])
        CertificateEvent.objects.create(
            certificate=locked,
            from_status=previous,
            to_status=step.target,
            reason=reason,
            note=locked.status_note,
            actor=user,
            actor_name=actor.get_full_name() if actor is not None else "",
            at=now,
        )
        audit.record(
            f"certificate.{action}",
            request=request,
            actor=user,
            target=locked.number,
            certificate=locked.public_id,
            from_status=previous,
            to_status=step.target,
            reason=reason,
            note=locked.status_note,
        )
        provider = provider_of(locked)
        if provider is not None:
            try:
                provider.on_status_changed(locked, step.target, actor=actor, note=locked.status_note)
            except CertificateError:
                raise
            except ReviewError as exc:  # the programme refuses (e.g. 推优: 总局 staff only): all undone
                raise CertificateError(exc.message) from exc
        notify_holder(locked, action)
        invalidate_token(locked.token)
    return locked


def revoke_certificate(
    certificate: Certificate, *, actor: Any, reason: str, request=None, category: str = ""
) -> Certificate:
    """注销 with a note (and a reason category, 其他 unless given): :func:`change_status`'s shorthand."""
    return change_status(certificate, "revoke", actor=actor, reason=category or R.OTHER, note=reason, request=request)
