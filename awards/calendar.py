"""The quarter calendar of the notice (广电办发〔2023〕29号), as pure functions.

* Broadcast windows (播出时间范围): Q1 = the previous year's 12-01 … 02-end
  (29 February in leap years), Q2 = 03-01 … 05-31, Q3 = 06-01 … 08-31,
  Q4 = 09-01 … 11-30.
* Applicant deadlines: 03-15, 06-15, 09-15, 12-15; provincial (and
  central-unit) deadlines: 03-31, 06-30, 09-30, 12-31.
* Every deadline is a Beijing date, inclusive to 23:59:59 (Asia/Shanghai):
  ``deadline_passed(d, at)`` is true from 00:00:00 of the next day.
* A quarter opens to applicants the day after the previous quarter's applicant
  deadline (Q1 from 12-16 of the year before), so at any moment exactly one
  quarter takes nominations: ``applicant_quarter(day)``.
"""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")
QUARTERS = (1, 2, 3, 4)
QUARTER_NUMERALS = {1: "一", 2: "二", 3: "三", 4: "四"}


def _check(year: int, quarter: int) -> None:
    if quarter not in QUARTERS:
        raise ValueError(f"quarter must be 1–4, not {quarter!r}")
    if not 1901 <= year <= 9998:
        raise ValueError(f"year out of range: {year!r}")


def _month_end(year: int, month: int) -> date:
    return date(year, month, _calendar.monthrange(year, month)[1])


def broadcast_window(year: int, quarter: int) -> tuple[date, date]:
    """First and last day (inclusive) on which a work of this quarter must be broadcast."""
    _check(year, quarter)
    if quarter == 1:
        return date(year - 1, 12, 1), _month_end(year, 2)
    first_month = 3 * quarter - 3  # Q2 → 3, Q3 → 6, Q4 → 9
    return date(year, first_month, 1), _month_end(year, first_month + 2)


def applicant_deadline(year: int, quarter: int) -> date:
    _check(year, quarter)
    return date(year, 3 * quarter, 15)


def provincial_deadline(year: int, quarter: int) -> date:
    _check(year, quarter)
    return _month_end(year, 3 * quarter)


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    _check(year, quarter)
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def next_quarter(year: int, quarter: int) -> tuple[int, int]:
    _check(year, quarter)
    return (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def opens_on(year: int, quarter: int) -> date:
    """The day applicants may start nominating: the day after the previous quarter's deadline."""
    return applicant_deadline(*previous_quarter(year, quarter)) + timedelta(days=1)


def start_of_day(day: date) -> datetime:
    """00:00:00 Beijing time of ``day`` (an aware datetime)."""
    return datetime.combine(day, time.min, tzinfo=BEIJING)


def end_of_day(day: date) -> datetime:
    """23:59:59.999999 Beijing time of ``day``: the last instant a deadline on ``day`` accepts."""
    return datetime.combine(day, time.max, tzinfo=BEIJING)


def deadline_passed(deadline: date, at: datetime) -> bool:
    """Has the (inclusive) deadline passed at the aware moment ``at``? True from 00:00:00 the next day."""
    return at >= start_of_day(deadline + timedelta(days=1))


def beijing_date(at: datetime) -> date:
    return at.astimezone(BEIJING).date()


def applicant_quarter(day: date) -> tuple[int, int]:
    """The quarter whose applicant window contains the Beijing date ``day``."""
    for quarter in QUARTERS:
        if day <= applicant_deadline(day.year, quarter):
            return day.year, quarter
    return day.year + 1, 1


@dataclass(frozen=True)
class Remaining:
    days: int
    hours: int
    minutes: int

    @property
    def total_hours(self) -> int:
        return self.days * 24 + self.hours


def time_left(deadline: date, at: datetime) -> Remaining | None:
    """Time left until the end of the deadline day, or None once it has passed."""
    if deadline_passed(deadline, at):
        return None
    seconds = int((start_of_day(deadline + timedelta(days=1)) - at).total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    return Remaining(days=days, hours=hours, minutes=rest // 60)


@dataclass(frozen=True)
class QuarterDates:
    year: int
    quarter: int
    opens_on: date
    applicant_deadline: date
    provincial_deadline: date
    window_start: date
    window_end: date


def quarter_dates(year: int, quarter: int) -> QuarterDates:
    start, end = broadcast_window(year, quarter)
    return QuarterDates(
        year=year,
        quarter=quarter,
        opens_on=opens_on(year, quarter),
        applicant_deadline=applicant_deadline(year, quarter),
        provincial_deadline=provincial_deadline(year, quarter),
        window_start=start,
        window_end=end,
    )
