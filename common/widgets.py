"""Form widgets rendered without the template engine where a page pays for it (issue 11).

``OptionsSelect`` is Django's ``Select`` for long lists (the ~250 countries of 演员/团体信息): Django
renders each ``<option>`` through two templates (select_option.html and attrs.html), about 500 template
renders for one country list, most of the editor page's time. This one writes the same markup in
Python, with the same escaping, the same attribute rules (``True`` → bare name, ``False`` → left
out) and the same single selection; everything else (value handling, validation, ``attrs``,
``bs``'s Bootstrap classes) is Django's own.
"""

from __future__ import annotations

from html import escape  # what django.utils.html.escape calls, without its lazy-string wrapper

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe


def _text(value) -> str:
    """What ``{{ value }}`` (and ``{{ value|stringformat:'s' }}``) writes: a safe string (``__html__``)
    as it is, anything else as text, escaped."""
    return value.__html__() if hasattr(value, "__html__") else escape(str(value))


def _attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html writes them (``{{ value|stringformat:'s' }}``: a safe value
    stays as it is)."""
    parts = []
    for name, value in attrs.items():
        if value is not False:
            parts.append(f" {name}" if value is True else f' {name}="{_text(value)}"')
    return "".join(parts)


class OptionsSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final["multiple"] = True
        values = set(self.format_value(value))
        selected_done = False
        out = [f'<select name="{escape(name)}"{_attrs(final)}>']
        for group, choices in self._groups():
            if group is not None:
                out.append(f'<optgroup label="{_text(group)}">')
            for option_value, label in choices:
                text = "" if option_value is None else str(option_value)
                selected = (not selected_done or self.allow_multiple_selected) and text in values
                if selected:
                    selected_done = True
                out.append(f'<option value="{escape(text)}"{" selected" if selected else ""}>{_text(label)}</option>')
            if group is not None:
                out.append("</optgroup>")
        out.append("</select>")
        return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)

    def _groups(self):
        """(group label or None, [(value, label), …]) as ``optgroups`` walks ``choices``."""
        for option_value, option_label in self.choices:
            if isinstance(option_label, list | tuple):
                yield option_value, [(v, lbl) for v, lbl in option_label]
            else:
                yield None, [(option_value, option_label)]


# --- the form renderer -------------------------------------------------------------------------

_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("text", "email", "url", "number", "date", "datetime", "time", "password", "hidden", "checkbox")
)


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{_text(value)}"'
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'


_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _select(widget: dict) -> str | None:
    """django/forms/widgets/select.html and its options, as the template lays them out (None: an option
    with a template of its own, left to the template engine)."""
    out = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != _OPTION_TEMPLATE:
                return None
            out.append(
                f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>{_text(option["label"])}</option>\n'
            )  # (an included template keeps its trailing newline)
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


class FastFormRenderer(DjangoTemplates):
    """Django's form renderer, writing the plain ``<input>`` widgets, ``<textarea>`` and ``<select>`` (from
    the options Django prepared) in Python.

    Every form field on a page costs Django two template renders (its widget's template and
    attrs.html; a select two more per option), a few dozen to hundreds per form page. For Django's
    own templates of those widgets this renderer writes the identical markup (tests/common/
    test_widgets.py compares them byte for byte); any other template (radios, checkboxes, a widget
    or option with a template of its own) is rendered as before.
    """

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None and request is None:
            if template_name in _INPUT_TEMPLATES:
                return _input(widget)  # Django's renderer strips the templates' trailing newlines
            if template_name == "django/forms/widgets/select.html":
                html = _select(widget)
                if html is not None:
                    return html
            if template_name == "django/forms/widgets/textarea.html":
                value = widget["value"]
                text = _text(value) if value else ""
                return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{text}</textarea>'
        return super().render(template_name, context, request)
