"""Qualification activation (资质激活, A5) and the rule other apps check before a new filing.

A unit activates by entering its original platform account and password (原平台
账号和密码); they are checked against the imported legacy licence registry.
Failed attempts are limited like logins: 5 per unit and IP address in 15
minutes lock that pair for 15 minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.enums import LicenceStatus, OrganisationKind
from accounts.models import LegacyLicence, Organisation
from common import ratelimit

CHINA = ZoneInfo("Asia/Shanghai")
# The licence's scope must include network performance programmes (full- or half-width brackets).
SCOPE_MARKERS = ("网络演出剧（节）目", "网络演出剧(节)目")
MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60
LOCK_SECONDS = 15 * 60


class ActivationError(Exception):
    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


class ActivationLocked(ActivationError):
    pass


def today_in_china() -> date:
    return timezone.localdate(timezone=CHINA)


def _fmt(day: date) -> str:
    return _("%(y)s年%(m)s月%(d)s日") % {"y": day.year, "m": day.month, "d": day.day}


def scope_allows_network_performance(scope: str) -> bool:
    return any(marker in (scope or "") for marker in SCOPE_MARKERS)


# --- state of a unit's qualification -------------------------------------------


@dataclass(frozen=True)
class QualificationState:
    status: str  # "inactive", "active", "expired", "not_yet_valid", "revoked", "scope"
    licence: LegacyLicence | None
    reason: str | None  # why new filings are blocked, None when they are not

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    @property
    def activated(self) -> bool:
        return self.licence is not None


def licence_problem(licence: LegacyLicence, today: date | None = None) -> tuple[str, str] | None:
    """(status, message) when the licence does not allow new filings today, else None."""
    today = today or today_in_china()
    if licence.status == LicenceStatus.REVOKED:
        return "revoked", _("许可证已吊销，不能新增备案。")
    if licence.valid_to < today:
        return "expired", _("许可证已过期（有效期至 %(date)s），不能新增备案。") % {"date": _fmt(licence.valid_to)}
    if licence.valid_from > today:
        return "not_yet_valid", _("许可证尚未生效（有效期自 %(date)s），不能新增备案。") % {
            "date": _fmt(licence.valid_from)
        }
    if not scope_allows_network_performance(licence.scope):
        return "scope", _("经营范围不含网络演出剧（节）目，不能新增备案。")
    return None


def qualification_state(organisation: Organisation | None, today: date | None = None) -> QualificationState:
    if organisation is None or not organisation.is_activated:
        return QualificationState("inactive", None, _("本单位未激活资质，不能新增备案。请先在首页点击“激活资质”。"))
    licence = organisation.licence
    problem = licence_problem(licence, today)
    if problem:
        return QualificationState(problem[0], licence, problem[1])
    return QualificationState("active", licence, None)


def filing_block_reason(organisation: Organisation | None) -> str | None:
    """None when the unit may start a new filing today, otherwise the reason in Chinese."""
    return qualification_state(organisation).reason


def can_activate(user) -> bool:
    """Members of an enterprise unit (经营单位) may activate its qualification."""
    org = getattr(user, "organisation", None) if getattr(user, "is_authenticated", False) else None
    return org is not None and org.kind == OrganisationKind.ENTERPRISE and user.cancelled_at is None


# --- rate limit -------------------------------------------------------------------


def _key(organisation: Organisation, ip: str | None) -> str:
    return f"activation:{organisation.pk}:{ip or '-'}"


def locked_for(organisation: Organisation, ip: str | None) -> int:
    """Seconds left on a lock of this unit+IP, 0 when not locked."""
    return ratelimit.locked_for(_key(organisation, ip))


def locked_message(seconds: int) -> str:
    minutes = max(1, (seconds + 59) // 60)
    return _("激活失败次数过多，已锁定，请%(m)s分钟后再试。") % {"m": minutes}


def _count_failure(organisation: Organisation, ip: str | None) -> int:
    key = _key(organisation, ip)
    count = ratelimit.hit(key, WINDOW_SECONDS)
    if count >= MAX_FAILURES:
        ratelimit.lock(key, LOCK_SECONDS)
        ratelimit.reset(key, WINDOW_SECONDS)
    return count


def _reset_failures(organisation: Organisation, ip: str | None) -> None:
    key = _key(organisation, ip)
    ratelimit.reset(key, WINDOW_SECONDS)
    ratelimit.unlock(key)


# --- activation -------------------------------------------------------------------


def _check(
    organisation: Organisation, account: str, password: str, today: date
) -> tuple[LegacyLicence | None, str, str]:
    """(licence, error code, message); licence set and code "" on success."""
    licence = LegacyLicence.objects.filter(account=account).first() if account else None
    if licence is None:
        make_password(password)  # same work as a real check (no account probing by timing)
        return None, "credentials", _("原平台账号或密码不正确。")
    if not check_password(password, licence.password_hash):
        return None, "credentials", _("原平台账号或密码不正确。")
    if licence.credit_code != (organisation.credit_code or ""):
        return None, "other_unit", _("该许可证属于其他单位（统一社会信用代码不一致）。")
    if licence.status == LicenceStatus.REVOKED:
        return None, "revoked", _("许可证已吊销，不能激活。")
    if licence.valid_to < today:
        return (
            None,
            "expired",
            _("许可证已过期（有效期至 %(date)s），不能新增备案。") % {"date": _fmt(licence.valid_to)},
        )
    if licence.valid_from > today:
        return None, "not_yet_valid", _("许可证尚未生效（有效期自 %(date)s）。") % {"date": _fmt(licence.valid_from)}
    if not scope_allows_network_performance(licence.scope):
        return None, "scope", _("经营范围不含网络演出剧（节）目，不能激活。")
    if Organisation.objects.filter(licence=licence).exclude(pk=organisation.pk).exists():
        return None, "claimed", _("该许可证已被其他单位激活。")
    return licence, "", ""


def activate_qualification(
    *,
    actor,
    organisation: Organisation,
    account: str,
    password: str,
    request=None,
) -> LegacyLicence:
    """Bind the unit to its legacy licence. Raises ``ActivationError`` (or ``ActivationLocked``)."""
    ip = audit.client_ip(request)
    if not can_activate(actor) or actor.organisation_id != organisation.pk:
        raise ActivationError(_("您无权为该单位激活资质。"), "forbidden")
    remaining = locked_for(organisation, ip)
    if remaining:
        raise ActivationLocked(locked_message(remaining), "locked")
    account = (account or "").strip()

    error_code, message = "", ""
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if org.is_activated:
            raise ActivationError(_("本单位资质已激活。"), "already")
        licence, error_code, message = _check(org, account, password or "", today_in_china())
        if licence is not None:
            org.licence = licence
            org.activated_at = timezone.now()
            try:
                with transaction.atomic():
                    org.save(update_fields=["licence", "activated_at"])
            except IntegrityError:  # another unit claimed it at the same moment
                licence, error_code, message = None, "claimed", _("该许可证已被其他单位激活。")

    if licence is None:
        count = _count_failure(organisation, ip)
        audit.record(
            "qualification.activation_failed",
            request=request,
            actor=actor,
            target=organisation.name,
            reason=error_code,
            account=account[:64],
        )
        if count >= MAX_FAILURES:
            raise ActivationLocked(f"{message} {locked_message(LOCK_SECONDS)}", "locked")
        raise ActivationError(message, error_code)

    _reset_failures(organisation, ip)
    organisation.licence = licence
    organisation.activated_at = org.activated_at
    audit.record(
        "qualification.activated",
        request=request,
        actor=actor,
        target=organisation.name,
        licence_no=licence.licence_no,
        credit_code=organisation.credit_code,
    )
    return licence


def deactivate_qualification(*, actor, organisation: Organisation, request=None) -> None:
    """Release a unit's licence (superuser admin only), e.g. after a mistaken activation."""
    if not getattr(actor, "is_superuser", False):
        raise ActivationError(_("您无权解除资质激活。"), "forbidden")
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        licence_no = org.licence.licence_no if org.licence_id else ""
        org.licence = None
        org.activated_at = None
        org.save(update_fields=["licence", "activated_at"])
    organisation.licence = None
    organisation.activated_at = None
    audit.record(
        "qualification.deactivated", request=request, actor=actor, target=organisation.name, licence_no=licence_no
    )
