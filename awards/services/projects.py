"""Quarters and their projects: ``open_quarter`` creates a quarter's pair (机构类 + 个人类).

Idempotent: an existing project of the quarter and kind is left as NRTA staff
may have edited it; only a missing one is created, with the dates of the
notice's calendar (``awards.calendar``). ``open_due_quarters`` is what the
periodic job runs: the quarter taking nominations today and, once its opening
is within ``lead_days``, the next one.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit

from .. import calendar
from ..enums import ProjectKind
from ..models import Project

LEAD_DAYS = 14


def project_title(year: int, quarter: int, kind: str) -> str:
    return _("%(year)s年第%(q)s季度网络视听节目季度推优（%(kind)s）") % {
        "year": year,
        "q": calendar.QUARTER_NUMERALS[quarter],
        "kind": ProjectKind(kind).label,
    }


def project_description(dates: calendar.QuarterDates) -> str:
    return _(
        "参评作品应为申报机构原创且拥有版权，并于%(start)s至%(end)s在各持证和备案网络视听平台首播；"
        "如作品播出时间跨度较大，则要求参评作品在推荐季度时间范围内播出完毕。"
        "申报截止日期为%(deadline)s（北京时间23:59:59），各省级广电行政部门和中央直属单位提交通过初审节目材料的截止日期为%(provincial)s。"
        "请下载版权承诺书，填写后签字盖章，扫描成 PDF 格式文件后随登记表一并申报。"
    ) % {
        "start": f"{dates.window_start:%Y年%m月%d日}",
        "end": f"{dates.window_end:%Y年%m月%d日}",
        "deadline": f"{dates.applicant_deadline:%Y年%m月%d日}",
        "provincial": f"{dates.provincial_deadline:%Y年%m月%d日}",
    }


def open_quarter(year: int, quarter: int, *, actor=None) -> tuple[list[Project], int]:
    """The quarter's two projects (created when missing); returns (projects, how many were created)."""
    dates = calendar.quarter_dates(year, quarter)
    projects, created = [], 0
    for kind in (ProjectKind.INSTITUTION, ProjectKind.INDIVIDUAL):
        project = Project.objects.filter(year=year, quarter=quarter, kind=kind).first()
        if project is None:
            try:
                with transaction.atomic():
                    project = Project.objects.create(
                        title=project_title(year, quarter, kind),
                        year=year,
                        quarter=quarter,
                        kind=kind,
                        opens_at=calendar.start_of_day(dates.opens_on),
                        applicant_deadline=dates.applicant_deadline,
                        provincial_deadline=dates.provincial_deadline,
                        window_start=dates.window_start,
                        window_end=dates.window_end,
                        description=project_description(dates),
                        created_by=actor,
                    )
            except IntegrityError:  # a concurrent run created it
                project = Project.objects.get(year=year, quarter=quarter, kind=kind)
            else:
                created += 1
                audit.record("awards.project_created", actor=actor, target=project.public_id, title=project.title)
        projects.append(project)
    return projects, created


def due_quarters(today: date, *, lead_days: int = LEAD_DAYS) -> list[tuple[int, int]]:
    """The quarter taking nominations on ``today`` and the next one once it opens within ``lead_days``."""
    current = calendar.applicant_quarter(today)
    due = [current]
    upcoming = calendar.next_quarter(*current)
    if (calendar.opens_on(*upcoming) - today).days <= lead_days:
        due.append(upcoming)
    return due


def open_due_quarters(*, today: date | None = None, lead_days: int = LEAD_DAYS) -> tuple[list[Project], int]:
    """What the periodic job does; returns (the due quarters' projects, how many were created)."""
    today = today or calendar.beijing_date(timezone.now())
    result: list[Project] = []
    total = 0
    for year, quarter in due_quarters(today, lead_days=lead_days):
        projects, created = open_quarter(year, quarter)
        result += projects
        total += created
    return result, total
