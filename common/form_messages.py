"""The portal's wording for Django's generic field errors, set once in code (no catalogue override).

Django's own "This field is required." reads "这个字段是必须的。" in its Chinese
catalogue, beside the portal's "此项为必填项。"; every form and model field of the
portal says the latter. ``install`` runs from ``portal.apps`` while the apps load,
before the portal's form classes (whose fields copy their messages when they are
declared) exist; ``fix_declared`` then rewrites the few form classes Django itself
declared earlier (the admin's action form, the formsets' management form).
"""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

REQUIRED = _("此项为必填项。")
_DJANGO_REQUIRED = forms.Field.default_error_messages["required"]
_DJANGO_BLANK = models.Field.default_error_messages["blank"]
_DJANGO_NULL = models.Field.default_error_messages["null"]


def install() -> None:
    forms.Field.default_error_messages["required"] = REQUIRED
    # full_clean() of a model (a blank required column) says the same.
    models.Field.default_error_messages["blank"] = REQUIRED
    models.Field.default_error_messages["null"] = REQUIRED


def _form_classes(cls=forms.BaseForm):
    for sub in cls.__subclasses__():
        yield sub
        yield from _form_classes(sub)


def fix_declared() -> None:
    """Form classes declared before ``install``: their fields still hold Django's message object."""
    for form_class in _form_classes():
        for field in getattr(form_class, "base_fields", {}).values():
            if field.error_messages.get("required") is _DJANGO_REQUIRED:
                field.error_messages["required"] = REQUIRED
