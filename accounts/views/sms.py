"""A4: the JSON endpoint behind every 获取验证码 button (static/js/sms.js).

POST phone, purpose, captcha_0/captcha_1 (and target=old for the current
mobile in a change of phone). Answers ``{"ok": true, "message": ...}`` or
``{"ok": false, "message": ..., "errors": {field: [...]}}`` with status 400
(bad input), 403 (purpose needs another user), 429 (throttled) or 503 (the
gateway failed). Pages without JavaScript post to their own view instead, which
uses the same :func:`accounts.forms.common.handle_send_code`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts import rules
from accounts.forms.common import AUTHENTICATED_PURPOSES, SmsSendForm, handle_send_code


@never_cache
@sensitive_post_parameters("captcha_1")
@require_POST
def send_code_view(request):
    form = SmsSendForm(request.POST, request=request)
    purpose_field = form.fields["purpose"]
    try:
        purpose = purpose_field.clean(request.POST.get("purpose"))
    except ValidationError as exc:
        messages = [str(m) for m in exc.messages]
        return JsonResponse({"ok": False, "message": messages[0], "errors": {"purpose": messages}}, status=400)

    if purpose in AUTHENTICATED_PURPOSES and not rules.can_request_code_for(request.user, purpose):
        message = _("请先登录。") if not request.user.is_authenticated else _("您没有权限进行此操作。")
        return JsonResponse({"ok": False, "message": message}, status=403)
    if form.sends_to_own_phone() and not request.user.phone:
        return JsonResponse({"ok": False, "message": _("您的账号尚未绑定手机号。")}, status=400)

    result = handle_send_code(request, form, purpose)
    data = result.as_json()
    data["captcha_verified"] = bool(getattr(form, "captcha_verified", False))
    return JsonResponse(data, status=result.status)
