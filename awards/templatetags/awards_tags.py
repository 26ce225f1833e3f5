"""Small helpers for the awards pages."""

from __future__ import annotations

from django import template
from django.forms import CheckboxInput, CheckboxSelectMultiple, RadioSelect, Select, SelectMultiple
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import calendar

register = template.Library()


@register.filter
def bs(bound_field):
    """Render a field's widget with Bootstrap classes and aria-invalid when it has errors."""
    widget = bound_field.field.widget
    attrs = {}
    if isinstance(widget, (RadioSelect, CheckboxSelectMultiple, CheckboxInput)):
        css = "form-check-input"
    elif isinstance(widget, (Select, SelectMultiple)):
        css = "form-select"
    else:
        css = "form-control"
    if bound_field.errors:
        css += " is-invalid"
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{bound_field.auto_id}-error"
    attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
    return bound_field.as_widget(attrs=attrs)


@register.filter
def anchor(bound_field) -> str:
    """The id a summary link jumps to (a radio list's first option)."""
    if isinstance(bound_field.field.widget, (RadioSelect, CheckboxSelectMultiple)):
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id


@register.simple_tag
def countdown(deadline) -> str:
    """距截止还有 N 天 H 小时 (to 23:59:59 Beijing time of the deadline day), or 已截止."""
    left = calendar.time_left(deadline, timezone.now())
    if left is None:
        return _("已截止")
    if left.days == 0 and left.hours == 0:
        return _("距截止还有 %(minutes)s 分钟") % {"minutes": left.minutes}
    return _("距截止还有 %(days)s 天 %(hours)s 小时") % {"days": left.days, "hours": left.hours}


@register.filter
def length_of(value) -> int:
    return len(value or "")


@register.simple_tag
def open_projects_for(user):
    """The open projects of the home tile: the applicant's kind, or both kinds for the public version."""
    from .. import selectors

    if getattr(user, "is_authenticated", False):
        return list(selectors.projects_for(user))
    return list(selectors.open_projects())
