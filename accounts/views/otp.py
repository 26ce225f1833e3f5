"""Second factor for staff (A6): TOTP set-up with a QR code, and verification after login.

A first enrolment starts with the 绑定授权码 an administrator issued
(accounts/services/otp_enrolment.py): no secret is shown before it.
"""

import time
from base64 import b32encode
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import audit
from accounts.forms.otp import EnrolmentCodeForm, TokenForm
from accounts.services import otp_enrolment as enrolment


def _may_use_otp(user) -> bool:
    return user.is_active and (user.is_superuser or user.is_reviewer)


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("staff:index") if request.user.is_reviewer else reverse("admin:index")


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    svg = image.to_string(encoding="unicode")
    # Drop the XML declaration so the SVG can sit inline in the page.
    if svg.startswith("<?xml"):
        svg = svg[svg.index("?>") + 2 :]
    return svg


def _secret_groups(device: TOTPDevice) -> str:
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


# The session's proof that this person typed a valid 绑定授权码 (first enrolment only).
ENROLMENT_SESSION_KEY = "otp_enrolment"
ENROLMENT_SESSION_SECONDS = 30 * 60


def _enrolment(request) -> dict | None:
    """The session's accepted enrolment code (and the device made for it), while still valid."""
    mark = request.session.get(ENROLMENT_SESSION_KEY)
    if not mark or int(time.time()) - int(mark.get("at", 0)) > ENROLMENT_SESSION_SECONDS:
        return None
    if not enrolment.code_still_valid(request.user, mark.get("code")):
        return None
    return mark


@never_cache
@sensitive_post_parameters("enrolment_code")
@login_required
def otp_enrol_view(request):
    """First step of a first enrolment: the 绑定授权码 from the administrator, before any secret is shown."""
    user = request.user
    if not _may_use_otp(user):
        raise PermissionDenied
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect(_with_next(reverse("accounts:otp_setup"), request))
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            code_id = enrolment.check_enrolment_code(user, form.cleaned_data["enrolment_code"], request=request)
        except enrolment.EnrolmentRefused as exc:
            form.add_error("enrolment_code", exc.message)
        else:
            # A fresh secret for this session only: one shown earlier (or elsewhere) is dropped.
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            request.session[ENROLMENT_SESSION_KEY] = {"code": code_id, "device": None, "at": int(time.time())}
            audit.record("otp.enrolment_code_accepted", request=request, target=user.username)
            return redirect(_with_next(reverse("accounts:otp_setup"), request))
    context = {"form": form, "next": _next_param(request)}
    return render(request, "accounts/otp_enrol.html", context)


def _next_param(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else ""


def _with_next(url: str, request) -> str:
    target = _next_param(request)
    return url + (f"?{urlencode({'next': target})}" if target else "")


@never_cache
@login_required
def otp_setup_view(request):
    user = request.user
    if not _may_use_otp(user):
        raise PermissionDenied
    has_confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    if has_confirmed and not user.is_verified():
        # Replacing a device needs the current one first.
        messages.info(request, _("您已绑定动态口令，请先输入动态口令完成验证。"))
        return redirect(f"{reverse('accounts:otp_verify')}?next={reverse('accounts:otp_setup')}")

    mark = None
    if has_confirmed:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    else:
        # First enrolment: the password is not enough, the administrator's code comes first.
        mark = _enrolment(request)
        if mark is None:
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            return redirect(_with_next(reverse("accounts:otp_enrol"), request))
        device = TOTPDevice.objects.filter(user=user, confirmed=False, pk=mark.get("device") or 0).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("动态口令"), confirmed=False)
        if mark is not None:
            mark["device"] = device.pk
            request.session[ENROLMENT_SESSION_KEY] = mark

    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not device.verify_token(form.cleaned_data["code"]):
            form.add_error("code", _("动态口令不正确，请确认手机时间准确后重新输入。"))
        elif mark is not None and not enrolment.consume_enrolment_code(user, mark["code"]):
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            messages.error(request, _("绑定授权码已失效，请向管理员重新申请。"))
            return redirect("accounts:otp_enrol")
        else:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            otp_login(request, device)
            audit.record("otp.device_confirmed", request=request, target=user.username, first=mark is not None)
            messages.success(request, _("动态口令绑定成功。"))
            return redirect(_next_url(request))

    context = {
        "form": form,
        "qr_svg": mark_safe(_qr_svg(device.config_url)),  # generated by qrcode, no user input in the markup
        "secret": _secret_groups(device),
        "replacing": has_confirmed,
        "next": request.GET.get("next", ""),
    }
    return render(request, "accounts/otp_setup.html", context)


@never_cache
@login_required
def otp_verify_view(request):
    user = request.user
    if not _may_use_otp(user):
        raise PermissionDenied
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        messages.info(request, _("请先绑定动态口令。"))
        return redirect(_with_next(reverse("accounts:otp_setup"), request))
    if user.is_verified() and request.method == "GET":
        return redirect(_next_url(request))

    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            audit.record("otp.verified", request=request, target=user.username)
            return redirect(_next_url(request))
        audit.record("otp.failed", request=request, target=user.username)
        form.add_error("code", _("动态口令不正确或尝试过于频繁，请稍后重新输入。"))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": request.GET.get("next", "")})
