"""Account forms, by topic: common (captcha, SMS code request, passwords), registration, members."""

from .common import SendCodeResult, SmsCodeRequestMixin, SmsSendForm, handle_send_code, portal_captcha_field

__all__ = ["SendCodeResult", "SmsCodeRequestMixin", "SmsSendForm", "handle_send_code", "portal_captcha_field"]
