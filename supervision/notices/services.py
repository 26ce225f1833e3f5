"""Writes of 通知公告与培训: save, publish, withdraw a notice; sign up for a training and cancel.

Plain functions taking the actor. A sign-up re-reads the training under
``select_for_update`` and counts the seats in the database, so two units
signing up at once never overfill it; a partial unique constraint keeps one
live sign-up per unit.
"""

from __future__ import annotations

import os

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.enums import Authority, OrganisationKind, StaffLevel
from accounts.models import User
from review.outbox import enqueue
from review.outbox.notifications import TOPIC, notify_payload
from supervision.guidance.rules import is_applicant, official_profile

from . import selectors
from .enums import NoticeKind, NoticeState
from .models import Notice, SignUp

ATTACHMENT_EXTENSIONS = {"pdf", "jpg", "jpeg", "png"}


class NoticeError(Exception):
    """A rule was broken; ``message`` is shown to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check_attachment(upload) -> str:
    """Validate an attachment by its content (pdf, jpg, png); returns its content type."""
    from filings.uploads import check_upload

    name = getattr(upload, "name", "") or ""
    if os.path.splitext(name)[1].lower().lstrip(".") not in ATTACHMENT_EXTENSIONS:
        raise ValidationError(
            _("不支持的文件格式“%(name)s”，请上传 pdf、jpg、jpeg 或 png 格式的文件。") % {"name": name}
        )
    return check_upload(upload).content_type


def check_scope(actor, notice: Notice) -> None:
    """A provincial official publishes for its own province and authority; ministry staff nationally."""
    profile = official_profile(actor)
    if profile is None:
        raise NoticeError(_("您无权发布通知公告。"))
    notice.issuer_authority = profile.authority
    if profile.level == StaffLevel.MINISTRY:
        if notice.authority not in ("", profile.authority):
            raise NoticeError(_("只能面向本部门业务发布通知。"))
        if not notice.authority:
            notice.province = ""
        return
    if notice.authority != profile.authority or notice.province != profile.province:
        raise NoticeError(_("省级审核人员只能面向本省本业务发布通知。"))


def save_notice(actor, notice: Notice, *, request=None) -> Notice:
    check_scope(actor, notice)
    if notice.is_training and not notice.capacity:
        raise NoticeError(_("培训须填写名额。"))
    creating = notice.pk is None
    if creating:
        notice.created_by = actor
        notice.publisher_name = (actor.get_full_name() or actor.username)[:100]
    notice.save()
    audit.record("notices.saved", request=request, actor=actor, target=notice.public_id, created=creating)
    return notice


def _audience_users(notice: Notice) -> list[int]:
    qs = User.objects.filter(is_active=True, organisation__isnull=False, staff_profile__isnull=True)
    if notice.authority == Authority.MCT:
        qs = qs.filter(organisation__kind=OrganisationKind.ENTERPRISE)
    elif notice.authority == Authority.NRTA:
        qs = qs.exclude(organisation__kind=OrganisationKind.ENTERPRISE)
    if notice.province:
        qs = qs.filter(organisation__province=notice.province)
    return list(qs.values_list("pk", flat=True))


def publish(actor, notice: Notice, *, request=None) -> Notice:
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        check_scope(actor, notice)
        if notice.state == NoticeState.PUBLISHED:
            return notice
        notice.state = NoticeState.PUBLISHED
        notice.save(update_fields=["state"])
        audit.record("notices.published", request=request, actor=actor, target=notice.public_id)
        if notice.is_training:
            # One enqueue per notice, however many units it reaches.
            ids = _audience_users(notice)
            if ids:
                enqueue(
                    TOPIC,
                    notify_payload(
                        title=_("新培训通知：%(title)s") % {"title": notice.title},
                        body=_("请在报名截止前报名。"),
                        link=reverse("notices:detail", args=[notice.public_id]),
                        users=ids,
                        email=False,
                    ),
                )
    return notice


def withdraw(actor, notice: Notice, *, request=None) -> Notice:
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        check_scope(actor, notice)
        notice.state = NoticeState.WITHDRAWN
        notice.save(update_fields=["state"])
        audit.record("notices.withdrawn", request=request, actor=actor, target=notice.public_id)
    return notice


def sign_up(actor, notice: Notice, *, name: str, phone: str, attendees: int, request=None) -> SignUp:
    if not is_applicant(actor):
        raise NoticeError(_("只有申报单位可以报名。"))
    with transaction.atomic():
        locked = Notice.objects.select_for_update().filter(pk=notice.pk).first()
        if locked is None or not selectors.visible(actor).filter(pk=notice.pk).exists():
            raise NoticeError(_("未找到该培训。"))
        if locked.kind != NoticeKind.TRAINING:
            raise NoticeError(_("该通知不是培训，无需报名。"))
        if locked.signup_deadline and timezone.now() > locked.signup_deadline:
            raise NoticeError(_("报名已截止。"))
        if SignUp.objects.filter(
            Q(cancelled_at__isnull=True), notice=locked, organisation_id=actor.organisation_id
        ).exists():
            raise NoticeError(_("本单位已报名，请勿重复报名。"))
        left = (locked.capacity or 0) - selectors.seats_taken(locked.pk)
        if attendees > left:
            raise NoticeError(_("剩余名额不足，当前剩余 %(n)s 个。") % {"n": max(left, 0)})
        try:
            with transaction.atomic():
                signup = SignUp.objects.create(
                    notice=locked,
                    organisation_id=actor.organisation_id,
                    user=actor,
                    name=name,
                    phone=phone,
                    attendees=attendees,
                )
        except IntegrityError as exc:
            raise NoticeError(_("本单位已报名，请勿重复报名。")) from exc
        audit.record("notices.signed_up", request=request, actor=actor, target=notice.public_id, attendees=attendees)
    return signup


def cancel(actor, notice: Notice, *, request=None) -> None:
    if not is_applicant(actor):
        raise NoticeError(_("只有申报单位可以取消报名。"))
    with transaction.atomic():
        n = SignUp.objects.filter(
            notice=notice, organisation_id=actor.organisation_id, cancelled_at__isnull=True
        ).update(cancelled_at=timezone.now())
        if not n:
            raise NoticeError(_("本单位尚未报名。"))
        audit.record("notices.signup_cancelled", request=request, actor=actor, target=notice.public_id)
