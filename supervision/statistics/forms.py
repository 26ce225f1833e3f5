"""The period and province filter of the statistics pages (GET; bad input keeps the default and says why)."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common import regions

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
MAX_MONTHS = 60


def month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def month_of(index: int) -> tuple[int, int]:
    return index // 12, index % 12 + 1


def quarters_back(n: int) -> list[str]:
    today = timezone.localdate()
    year, q = today.year, (today.month - 1) // 3 + 1
    out = []
    for _i in range(n):
        out.append(f"{year}Q{q}")
        year, q = (year, q - 1) if q > 1 else (year - 1, 4)
    return out


def province_choices():
    return [("", _("全部省份"))] + [(r.code, r.name) for r in regions.REGIONS]


class _Base(forms.Form):
    province = forms.ChoiceField(label=_("省份"), required=False, choices=province_choices)

    def __init__(self, data, *, national: bool):
        super().__init__(data)
        if not national:
            del self.fields["province"]


class MonthForm(_Base):
    start = forms.CharField(label=_("起始月份"), required=False, widget=forms.TextInput(attrs={"type": "month"}))
    end = forms.CharField(label=_("截止月份"), required=False, widget=forms.TextInput(attrs={"type": "month"}))
    quarter = forms.ChoiceField(label=_("季度"), required=False)

    def __init__(self, data, *, national: bool):
        super().__init__(data, national=national)
        self.fields["quarter"].choices = [("", _("按月份"))] + [(q, q) for q in quarters_back(8)]

    def _month(self, name):
        value = (self.cleaned_data.get(name) or "").strip()
        if not value:
            return None
        m = MONTH.match(value)
        if not m:
            raise forms.ValidationError(_("请输入“年-月”格式的月份，例如 2026-03。"))
        return month_index(int(m.group(1)), int(m.group(2)))

    def clean_start(self):
        return self._month("start")

    def clean_end(self):
        return self._month("end")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and start > end:
            self.add_error("end", _("截止月份不能早于起始月份。"))
        elif start is not None and end is not None and end - start >= MAX_MONTHS:
            self.add_error("end", _("统计期间最长 60 个月。"))
        return data

    def period(self) -> tuple[int, int]:
        """(first, last) month index, inclusive: the chosen quarter, the months, or the last 24 months."""
        today = timezone.localdate()
        now = month_index(today.year, today.month)
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        quarter = data.get("quarter")
        if quarter:
            m = QUARTER.match(quarter)
            first = month_index(int(m.group(1)), int(m.group(2)) * 3 - 2)
            return first, first + 2
        end = data.get("end") if data.get("end") is not None else now
        start = data.get("start") if data.get("start") is not None else end - 23
        return start, end


class QuarterForm(_Base):
    start = forms.ChoiceField(label=_("起始季度"), required=False)
    end = forms.ChoiceField(label=_("截止季度"), required=False)

    def __init__(self, data, *, national: bool):
        super().__init__(data, national=national)
        choices = [("", "—")] + [(q, q) for q in reversed(quarters_back(12))]
        self.fields["start"].choices = choices
        self.fields["end"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("截止季度不能早于起始季度。"))
        return data

    def period(self) -> list[tuple[int, int]]:
        """The quarters chosen (default: the last 8), oldest first."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        all_quarters = list(reversed(quarters_back(12)))
        start = data.get("start") or all_quarters[-8]
        end = data.get("end") or all_quarters[-1]
        return [(int(q[:4]), int(q[5])) for q in all_quarters if start <= q <= end]


def month_bounds(first: int, last: int) -> tuple[dt.datetime, dt.datetime]:
    """Aware datetimes: start of the first month, start of the month after the last (Beijing time)."""
    y1, m1 = month_of(first)
    y2, m2 = month_of(last + 1)
    tz = timezone.get_current_timezone()
    return dt.datetime(y1, m1, 1, tzinfo=tz), dt.datetime(y2, m2, 1, tzinfo=tz)
