import re

from django.contrib.auth.password_validation import UserAttributeSimilarityValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class PortalPasswordValidator:
    """10–20 characters with at least one digit, one upper-case and one lower-case letter."""

    def validate(self, password: str, user=None) -> None:
        if not 10 <= len(password) <= 20:
            raise ValidationError(_("密码长度应为10-20位。"), code="password_length")
        if not (re.search(r"\d", password) and re.search(r"[A-Z]", password) and re.search(r"[a-z]", password)):
            raise ValidationError(_("密码必须同时包含数字、大写字母和小写字母。"), code="password_classes")

    def get_help_text(self) -> str:
        return _("密码必须是数字、大写字母、小写字母，长度10-20")


class PortalSimilarityValidator(UserAttributeSimilarityValidator):
    """Django's similarity check with the portal's wording ("密码与登录账号过于相似。", no stray spaces)."""

    def get_error_message(self):
        return _("密码与%(verbose_name)s过于相似。")

    def get_help_text(self) -> str:
        return _("密码不能与登录账号、手机号、姓名或电子邮箱过于相似。")
