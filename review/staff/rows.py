"""Lean rows of the reviewers' queues (issue 11): plain values in, the admin's own table markup out.

The admin's change list renders a row cell by cell (``items_for_result``: a field lookup, a display
function, two ``format_html`` calls and lazy-translation casts per cell): 115 ms of a 140 ms queue at 50
rows. A :class:`~review.staff.base.ReviewableAdmin` that names its columns with :class:`Cell` (method
``get_list_cells``) gets instead:

* one selector, :func:`queue_rows`, reading the page's rows as plain values (``values()`` of exactly
  the paths the cells show: no model instances, no ``select_related`` of whole rows);
* one row template per list, built once from ``list_display`` as the admin would write it (the action
  checkbox, ``<th>`` for the first link column, ``field-<name>`` classes, ``nowrap`` for dates, the
  review page's link with the preserved filters), filled with each row's escaped values.

Headers, sorting, filters, search, actions, pagination and 导出 stay the admin's own: only the body of the
table is produced here, with the same HTML (the browser tests and axe see the same page).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from django.conf import settings
from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_list import _coerce_field_name, result_headers
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import display_for_field, display_for_value, quote
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.utils import dateformat, formats, timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext


@dataclass(frozen=True)
class Cell:
    """What one column shows, from plain values.

    ``fields``: the ``values()`` path (or paths) the column reads, e.g. ``"organisation__name"``.
    ``show``: turns their values into the cell's text (or safe HTML, e.g. ``format_html``); without it the
    value is shown as the admin shows it (a model field's choices, localised dates, the empty value).
    """

    fields: str | tuple[str, ...]
    show: Callable[..., Any] | None = None

    @property
    def paths(self) -> tuple[str, ...]:
        return (self.fields,) if isinstance(self.fields, str) else tuple(self.fields)

    def value(self, row: Mapping[str, Any]) -> Any:
        if self.show is None:
            return row[self.paths[0]]
        return self.show(*(row[path] for path in self.paths))


def queue_rows(queryset: models.QuerySet, paths: Sequence[str]) -> list[dict[str, Any]]:
    """The selector of a queue page: its rows (already filtered, ordered and sliced) as plain dicts."""
    return list(queryset.prefetch_related(None).values(*dict.fromkeys(("pk", "public_id", *paths))))


class LeanRows(Sequence):
    """``ChangeList.result_list`` of a lean list: read on first use (the 导出 builds a change list and
    never looks at its page), then a plain list of dicts."""

    def __init__(self, queryset: models.QuerySet, paths: Sequence[str]):
        self._queryset = queryset
        self._paths = paths
        self._rows: list[dict[str, Any]] | None = None

    @property
    def rows(self) -> list[dict[str, Any]]:
        if self._rows is None:
            self._rows = queue_rows(self._queryset, self._paths)
        return self._rows

    def __getitem__(self, index):
        return self.rows[index]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rows)


@dataclass(frozen=True)
class _Column:
    name: str
    cell: Cell | None  # None: the action checkbox
    field: models.Field | None
    open_tag: str
    close_tag: str
    link: bool
    empty: str
    choices: bool = False  # a model field with choices, shown by its label
    date_format: Callable[[Any], str] | None = None  # a date/datetime field: its localised format, compiled
    memo: dict | None = None  # text by value(s), for a column whose Cell has show (few distinct values)


def _date_formatter(format_string: str) -> Callable[[Any], str]:
    """``dateformat.format(value, format_string)`` with the format parsed once per list, not once per row."""
    pieces = [
        (bool(i % 2), piece if i % 2 else dateformat.re_escaped.sub(r"\1", piece))
        for i, piece in enumerate(dateformat.re_formatchars.split(str(format_string)))
        if piece
    ]

    def format_value(value) -> str:
        df = dateformat.DateFormat(value)
        return "".join(str(getattr(df, piece)()) if char else piece for char, piece in pieces)

    return format_value


class LeanTable:
    """The body of one change list page (rows from :func:`queue_rows`), as the admin would write it."""

    def __init__(self, cl, cells: Mapping[str, Cell], label: Cell):
        self.cl = cl
        self.cells = cells
        self.label = label
        self.columns = self._columns()
        self.tz = timezone.get_current_timezone() if settings.USE_TZ else None

    @classmethod
    def paths(cls, cells: Mapping[str, Cell], label: Cell) -> tuple[str, ...]:
        paths = [path for cell in (*cells.values(), label) for path in cell.paths]
        return tuple(dict.fromkeys(paths))

    def _columns(self) -> list[_Column]:
        cl = self.cl
        admin = cl.model_admin
        links = cl.list_display_links
        missing = [name for name in cl.list_display if name != "action_checkbox" and name not in self.cells]
        if missing:
            raise ImproperlyConfigured(f"{type(admin).__name__}.get_list_cells() has no Cell for {missing}")
        columns, first = [], True
        for index, name in enumerate(cl.list_display):
            if name == "action_checkbox":
                columns.append(_Column(name, None, None, "<td", "</td>", False, ""))
                continue
            try:
                field = cl.lookup_opts.get_field(name)
            except FieldDoesNotExist:
                field = None
            attr = None if field is not None else getattr(admin, name, None)
            empty = getattr(attr, "empty_value_display", admin.get_empty_value_display())
            classes = [f"field-{_coerce_field_name(name, index)}"]
            if isinstance(field, models.DateField | models.TimeField | models.ForeignKey):
                classes.append("nowrap")
            link = links is not None and ((first and not links) or name in links)
            tag = "th" if link and first else "td"
            if link:
                first = False
            css = " ".join(classes)
            cell = self.cells[name]
            if isinstance(field, models.ForeignKey) and cell.show is None:
                raise ImproperlyConfigured(f"{type(admin).__name__}: the Cell of {name} needs show (a related object)")
            choices = field is not None and cell.show is None and bool(field.flatchoices)
            date_format = None
            if cell.show is None and isinstance(field, models.DateField) and not choices:
                kind = "DATETIME_FORMAT" if isinstance(field, models.DateTimeField) else "DATE_FORMAT"
                date_format = _date_formatter(formats.get_format(kind))
            memo = {} if cell.show is not None or choices else None
            columns.append(
                _Column(
                    name, cell, field, f'<{tag} class="{css}"', f"</{tag}>", link, empty, choices, date_format, memo
                )
            )
        return columns

    def _text(self, column: _Column, row: Mapping[str, Any]) -> tuple[str, bool]:
        """The cell's escaped text and whether a method column's value is a date/time (its "nowrap"), as
        ``items_for_result`` decides them; once per distinct value for a column with ``show``."""
        if column.memo is None:
            return self._show(column, row)
        try:
            key = tuple(row[path] for path in column.cell.paths)
            return column.memo[key]
        except KeyError:
            column.memo[key] = text = self._show(column, row)
            return text
        except TypeError:  # an unhashable value (a JSON list)
            return self._show(column, row)

    def _show(self, column: _Column, row: Mapping[str, Any]) -> tuple[str, bool]:
        value = column.cell.value(row)
        if isinstance(value, str) and not isinstance(value, SafeData) and not column.choices:
            return (escape(value) if value.strip() else conditional_escape(column.empty)), False  # the common case
        if column.date_format:  # display_for_field's formats.localize, its format looked up once
            if value is None:
                return conditional_escape(column.empty), False
            if isinstance(value, datetime.datetime) and self.tz is not None and timezone.is_aware(value):
                value = value.astimezone(self.tz)  # template_localtime, the zone looked up once
            return escape(column.date_format(value)), False
        if column.field is not None and column.cell.show is None:
            return conditional_escape(display_for_field(value, column.field, column.empty)), False
        is_date = isinstance(value, datetime.date | datetime.time) and column.field is None
        return conditional_escape(display_for_value(value, column.empty)), is_date

    def render(self) -> str:
        cl = self.cl
        change_url = add_preserved_filters(
            {"preserved_filters": cl.preserved_filters, "opts": cl.opts}, cl.change_url_template
        )
        placeholder = cl.PLACEHOLDER
        select = gettext("Select this object for an action - {}")
        name = helpers.ACTION_CHECKBOX_NAME
        out: list[str] = []
        for row in cl.result_list:
            url = escape(change_url.replace(placeholder, quote(row["public_id"])))
            parts = ["<tr>"]
            for column in self.columns:
                if column.cell is None:
                    label = select.format(conditional_escape(self.label.value(row)))
                    parts.append(
                        f'<td class="action-checkbox"><input type="checkbox" name="{name}" value="{escape(str(row["pk"]))}"'
                        f' class="action-select" aria-label="{label}"></td>'
                    )
                    continue
                text, is_date = self._text(column, row)
                opening = column.open_tag[:-1] + ' nowrap"' if is_date else column.open_tag
                if column.link:
                    parts.append(f'{opening}><a href="{url}">{text}</a>{column.close_tag}')
                else:
                    parts.append(f"{opening}>{text}{column.close_tag}")
            parts.append("</tr>")
            out.append("".join(parts))
        return mark_safe("\n".join(out))  # noqa: S308 (every value above is escaped)

    def context(self) -> dict[str, Any]:
        """What review/admin/lean_results.html needs (as ``admin_list.result_list`` gives its template)."""
        headers = list(result_headers(self.cl))
        return {
            "cl": self.cl,
            "result_headers": headers,
            "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
            "rows": self.render(),
        }
