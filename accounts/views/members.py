"""A1b: members of a unit (list, add, remove, hand over the administrator role) and change of mobile."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from accounts import rules
from accounts.enums import SmsPurpose
from accounts.forms.common import handle_send_code
from accounts.forms.members import MemberAddForm, MemberChoiceForm, PhoneChangeForm
from accounts.services import members as services
from common.validators import mask_phone


def _member_rows(user):
    org = user.organisation
    is_admin = rules.can_manage_members(user)
    rows = []
    for member in org.members.filter(is_active=True).order_by("date_joined", "pk"):
        rows.append(
            {
                "user": member,
                "name": member.full_name or member.username,
                "phone": (member.phone or "") if is_admin or member.pk == user.pk else mask_phone(member.phone or ""),
                "is_admin": member.pk == org.administrator_id,
                "is_self": member.pk == user.pk,
                "awaiting_password": not member.has_usable_password(),
                "can_manage": is_admin and member.pk != user.pk and member.pk != org.administrator_id,
                "can_receive_admin": is_admin and member.pk != user.pk,
            }
        )
    return rows


def _render_members(request, add_form=None, status=200):
    user = request.user
    can_manage = rules.can_manage_members(user)
    if can_manage and add_form is None:
        add_form = MemberAddForm(request=request)
    context = {
        "organisation": user.organisation,
        "rows": _member_rows(user),
        "can_manage": can_manage,
        "add_form": add_form if can_manage else None,
    }
    return render(request, "accounts/members.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def members_view(request):
    if not rules.can_view_members(request.user):
        raise PermissionDenied
    return _render_members(request)


@login_required
@sensitive_post_parameters("sms_code", "captcha_1")
@require_http_methods(["GET", "POST"])
def member_add_view(request):
    if not rules.can_manage_members(request.user):
        raise PermissionDenied
    if request.method == "GET":
        return redirect("accounts:members")
    form = MemberAddForm(request.POST, request=request)
    if request.POST.get("action") == "send_code":
        result = handle_send_code(request, form, SmsPurpose.ADD_MEMBER)
        if result.ok:
            messages.success(request, result.message)
        return _render_members(request, form)
    if form.is_valid():
        try:
            member = services.add_member(
                request.user,
                full_name=form.cleaned_data["full_name"],
                phone=form.cleaned_data["phone"],
                request=request,
            )
        except services.MemberError as exc:
            form.add_error("phone", exc.message)
        else:
            messages.success(
                request,
                _("已添加成员%(name)s。该成员可使用手机号通过“验证码登录”进入系统并设置密码。")
                % {"name": member.full_name},
            )
            return redirect("accounts:members")
    return _render_members(request, form)


def _member_action(request, *, action: str):
    """Shared by remove and hand-over: first POST shows a confirmation, the second (confirm=1) acts."""
    if not rules.can_manage_members(request.user):
        raise PermissionDenied
    form = MemberChoiceForm(request.POST, organisation=request.user.organisation)
    if not form.is_valid():
        # Not a member of this unit (or already removed): never act on another unit's account.
        messages.error(request, _("该成员不存在或已被移除。"))
        return redirect("accounts:members")
    member = form.cleaned_data["member"]
    if not rules.can_manage_member(request.user, member):
        raise PermissionDenied
    if not form.cleaned_data["confirm"]:
        return render(request, "accounts/members_confirm.html", {"member": member, "action": action})
    try:
        if action == "remove":
            services.remove_member(request.user, member, request=request)
            messages.success(request, _("已移除成员%(name)s，其填报的记录仍保留在本单位。") % {"name": member})
        else:
            services.transfer_administrator(request.user, member, request=request)
            messages.success(request, _("已将单位管理员移交给%(name)s。") % {"name": member})
    except services.MemberError as exc:
        messages.error(request, exc.message)
    return redirect("accounts:members")


@login_required
@require_POST
def member_remove_view(request):
    return _member_action(request, action="remove")


@login_required
@require_POST
def member_transfer_view(request):
    return _member_action(request, action="transfer")


@login_required
@sensitive_post_parameters("old_code", "new_code", "captcha_1")
@require_http_methods(["GET", "POST"])
def phone_change_view(request):
    user = request.user
    if not rules.can_change_phone(user):
        raise PermissionDenied
    form = PhoneChangeForm(request.POST or None, user=user, request=request)
    if request.method == "POST":
        action = request.POST.get("action")
        if action in ("send_old", "send_new"):
            if action == "send_old" and user.phone:
                result = handle_send_code(
                    request, form, SmsPurpose.CHANGE_PHONE, phone=user.phone, code_field="old_code"
                )
            else:
                result = handle_send_code(request, form, SmsPurpose.CHANGE_PHONE)
            if result.ok:
                messages.success(request, result.message)
        elif form.is_valid():
            try:
                services.change_phone(user, form.cleaned_data["new_phone"], request=request)
            except services.MemberError as exc:
                form.add_error("new_phone", exc.message)
            else:
                messages.success(
                    request,
                    _("手机号已更换为%(phone)s。") % {"phone": user.phone}
                    + (_("登录账号已同步更换。") if user.username == user.phone else ""),
                )
                return redirect("accounts:profile")
    return render(
        request,
        "accounts/phone_change.html",
        {
            "form": form,
            "old_phone": mask_phone(user.phone or ""),
            "has_phone": bool(user.phone),
        },
    )
