"""Small helpers for the filing pages."""

from django import template
from django.forms import CheckboxInput, CheckboxSelectMultiple, RadioSelect, Select, SelectMultiple

from .. import countries as country_table

register = template.Library()


@register.filter
def bs(bound_field):
    """Render a field's widget with Bootstrap classes and aria-invalid when it has errors."""
    widget = bound_field.field.widget
    attrs = {}
    if isinstance(widget, (RadioSelect, CheckboxSelectMultiple)):
        css = "form-check-input"
    elif isinstance(widget, CheckboxInput):
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
def yesno_zh(value):
    from django.utils.translation import gettext

    if value is None or value == "":
        return ""
    return gettext("是") if value else gettext("否")


@register.filter
def country(code):
    return country_table.name(code)


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None
