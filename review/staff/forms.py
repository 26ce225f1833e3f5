"""Small helpers for the forms of the reviewers' site."""

from __future__ import annotations

from django import forms


def mark_invalid(form: forms.Form) -> forms.Form:
    """Tie each invalid field to its error list (``<name>-errors``) for screen readers; focus the first one."""
    first = True
    for name in form.errors:
        if name not in form.fields:
            continue
        attrs = {"aria-invalid": "true", "aria-describedby": f"{name}-errors"}
        if first:
            attrs["autofocus"] = True
            first = False
        form.fields[name].widget.attrs.update(attrs)
    return form


def error_summary(form: forms.Form) -> list[dict]:
    """The form's errors for the summary at the top of a page, each linked to its field."""
    if not form.is_bound:
        return []
    return [
        {
            "label": form.fields[name].label if name in form.fields else "",
            "id": form[name].id_for_label if name in form.fields else "",
            "message": message,
        }
        for name, errors in form.errors.items()
        for message in errors
    ]
