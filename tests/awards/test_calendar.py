from datetime import date, datetime

import pytest

from awards import calendar
from awards.calendar import BEIJING


@pytest.mark.parametrize(
    ("year", "quarter", "window", "applicant", "provincial"),
    [
        (2026, 1, (date(2025, 12, 1), date(2026, 2, 28)), date(2026, 3, 15), date(2026, 3, 31)),
        (2026, 2, (date(2026, 3, 1), date(2026, 5, 31)), date(2026, 6, 15), date(2026, 6, 30)),
        (2026, 3, (date(2026, 6, 1), date(2026, 8, 31)), date(2026, 9, 15), date(2026, 9, 30)),
        (2026, 4, (date(2026, 9, 1), date(2026, 11, 30)), date(2026, 12, 15), date(2026, 12, 31)),
        # leap years: Q1 ends on 29 February
        (2028, 1, (date(2027, 12, 1), date(2028, 2, 29)), date(2028, 3, 15), date(2028, 3, 31)),
        (2024, 1, (date(2023, 12, 1), date(2024, 2, 29)), date(2024, 3, 15), date(2024, 3, 31)),
        # 2100 is not a leap year (divisible by 100, not by 400)
        (2100, 1, (date(2099, 12, 1), date(2100, 2, 28)), date(2100, 3, 15), date(2100, 3, 31)),
    ],
)
def test_calendar_dates_of_every_quarter(year, quarter, window, applicant, provincial):
    assert calendar.broadcast_window(year, quarter) == window
    assert calendar.applicant_deadline(year, quarter) == applicant
    assert calendar.provincial_deadline(year, quarter) == provincial


def test_calendar_quarter_opens_the_day_after_the_previous_deadline():
    assert [calendar.opens_on(2026, q) for q in (1, 2, 3, 4)] == [
        date(2025, 12, 16),
        date(2026, 3, 16),
        date(2026, 6, 16),
        date(2026, 9, 16),
    ]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 1), (2026, 1)),
        (date(2026, 3, 15), (2026, 1)),
        (date(2026, 3, 16), (2026, 2)),
        (date(2026, 6, 15), (2026, 2)),
        (date(2026, 6, 16), (2026, 3)),
        (date(2026, 9, 15), (2026, 3)),
        (date(2026, 12, 15), (2026, 4)),
        (date(2026, 12, 16), (2027, 1)),
        (date(2026, 12, 31), (2027, 1)),
    ],
)
def test_calendar_applicant_quarter_of_a_day(day, expected):
    assert calendar.applicant_quarter(day) == expected


def test_calendar_deadline_is_inclusive_to_235959_beijing():
    deadline = date(2026, 6, 15)
    assert calendar.deadline_passed(deadline, datetime(2026, 6, 15, 23, 59, 59, tzinfo=BEIJING)) is False
    assert calendar.deadline_passed(deadline, datetime(2026, 6, 16, 0, 0, 0, tzinfo=BEIJING)) is True
    # 23:59:59 Beijing is 15:59:59 UTC
    from datetime import UTC

    assert calendar.deadline_passed(deadline, datetime(2026, 6, 15, 15, 59, 59, tzinfo=UTC)) is False
    assert calendar.deadline_passed(deadline, datetime(2026, 6, 15, 16, 0, 0, tzinfo=UTC)) is True


def test_calendar_time_left_counts_to_the_end_of_the_deadline_day():
    left = calendar.time_left(date(2026, 6, 15), datetime(2026, 6, 1, 10, 0, tzinfo=BEIJING))
    assert (left.days, left.hours, left.minutes) == (14, 14, 0)
    assert calendar.time_left(date(2026, 6, 15), datetime(2026, 6, 16, 0, 0, tzinfo=BEIJING)) is None


def test_calendar_refuses_a_fifth_quarter():
    with pytest.raises(ValueError):
        calendar.broadcast_window(2026, 5)
