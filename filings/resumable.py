"""材料上传 by resumable (tus) upload: the target the resumable server hands finished files to.

Declared in ``settings.UPLOAD_RESUMABLE_TARGETS`` as ``filings.material``. The page's metadata names
the application (``kind`` "filing" or "change" and its ``application`` public id) and the 材料
``item``. Before any byte is accepted the user must be a member of the unit owning an application
that is still editable (its 材料 part, for a change request) and the declared name and size must be
allowed (filings.uploads.check_declared); once the last byte is in, the file goes through exactly
the plain upload's service (``editing.upload_materials``: the same content checks, the same Material
row, the same audit record, the same downloads and their access checks).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from common.resumable.targets import Refused

from . import rules, selectors
from .enums import ChangePart, MaterialItem, Section
from .models import ChangeRequest, Filing
from .services import editing
from .services.actions import may_edit
from .services.errors import FilingError
from .uploads import check_declared

TARGET = "filings.material"


def _application(user, metadata: dict[str, str]) -> Filing | ChangeRequest:
    public_id = metadata.get("application", "")
    try:
        if metadata.get("kind") == "change":
            return selectors.own_change(user, public_id)
        return selectors.own_filing(user, public_id)
    except Http404:
        raise Refused(404, _("申请不存在或您无权修改。"))


class MaterialTarget:
    def prepare(self, user, metadata: dict[str, str], length: int) -> None:
        if not rules.is_applicant(user):
            raise Refused(404, _("申请不存在或您无权修改。"))
        target = _application(user, metadata)
        if metadata.get("item") not in MaterialItem.values:
            raise Refused(400, _("请选择要上传的材料项。"))
        if not may_edit(target):
            raise Refused(403, _("提交后不能修改。"))
        if isinstance(target, ChangeRequest) and Section.MATERIALS not in target.parts:
            raise Refused(403, _("请先勾选“%(part)s”并保存，再修改此部分。") % {"part": ChangePart.MATERIALS.label})
        try:
            check_declared(metadata.get("filename", ""), length)
        except ValidationError as exc:
            raise Refused(413 if exc.code == "too_large" else 422, exc.messages)

    def complete(self, user, upload, metadata: dict[str, str]) -> None:
        target = _application(user, metadata)
        try:
            editing.upload_materials(user, target, metadata["item"], [upload])
        except FilingError as exc:
            raise Refused(403, exc.message)


def page_settings(target, page_url: str) -> dict[str, object] | None:
    """What the editor's 材料上传 section tells static/js/uploads.js (None: plain form only).

    Messages use ``{name}``-style placeholders that the script fills in.
    """
    if target is None:
        return None
    return {
        "endpoint": reverse("resumable:endpoint"),
        "target": TARGET,
        "kind": "change" if isinstance(target, ChangeRequest) else "filing",
        "application": target.public_id,
        "chunk": settings.UPLOAD_RESUMABLE_CHUNK_BYTES,
        "threshold": settings.UPLOAD_RESUMABLE_THRESHOLD_BYTES,
        "refresh": page_url + "?section=" + Section.MATERIALS,
        "messages": {
            "starting": _("正在准备上传“{name}”…"),
            "uploading": _("正在上传“{name}”：{percent}%（{done} / {total}）"),
            "resumed": _("已从上次中断处（{percent}%）继续上传“{name}”。"),
            "retrying": _("网络连接中断，正在重试上传“{name}”（已上传 {percent}%）…"),
            "checking": _("“{name}”已全部上传，正在检查文件…"),
            "done": _("“{name}”上传完成。"),
            "failed": _("“{name}”上传失败：{error}"),
            "failed_network": _("“{name}”上传失败，请检查网络后重新选择该文件，将从中断处继续上传。"),
            "pending": _("“{name}”有未完成的上传（已上传 {percent}%），重新选择该文件即可从中断处继续。"),
            "cancel": _("取消上传"),
            "cancelled": _("已取消上传“{name}”。"),
            "progress_label": _("“{name}”的上传进度"),
            "summary_title": _("请修改以下问题："),
        },
    }
