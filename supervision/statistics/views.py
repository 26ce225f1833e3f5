"""统计分析 pages (thin: check the viewer, read the filter, build the tables, render or export)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from accounts.enums import Authority
from awards import rules as award_rules
from common import exports
from filings import rules as filing_rules
from review.staff.sites import reviewer_site

from . import access, cache, mct, nrta
from .forms import MonthForm, QuarterForm, month_of


def index(request):
    viewer = access.viewer_of(request.user)
    if viewer is None:
        raise PermissionDenied
    return redirect("stats:mct" if viewer.authority == Authority.MCT else "stats:nrta")


def _mct(request):
    viewer = access.require(request.user, Authority.MCT)
    form = MonthForm(request.GET or None, national=viewer.national)
    first, last = form.period()
    province = form.cleaned_data.get("province", "") if form.is_bound and form.is_valid() else ""
    y1, m1 = month_of(first)
    y2, m2 = month_of(last)
    period = f"{y1}-{m1:02d} — {y2}-{m2:02d}"
    scope = (viewer, filing_rules.reviewer_scope(request.user))
    tables = cache.cached_tables(
        "mct", scope, (first, last, province), lambda: mct.tables(request.user, first, last, province)
    )
    return viewer, form, tables, period, _("网络演出剧(节)目备案统计")


def _nrta(request):
    viewer = access.require(request.user, Authority.NRTA)
    form = QuarterForm(request.GET or None, national=viewer.national)
    quarters = form.period()
    province = form.cleaned_data.get("province", "") if form.is_bound and form.is_valid() else ""
    period = f"{quarters[0][0]}Q{quarters[0][1]} — {quarters[-1][0]}Q{quarters[-1][1]}" if quarters else ""
    scope = (viewer, award_rules.reviewer_scope(request.user))
    tables = cache.cached_tables(
        "nrta", scope, (tuple(quarters), province), lambda: nrta.tables(request.user, viewer, quarters, province)
    )
    return viewer, form, tables, period, _("网络视听节目季度推优统计")


BUILDERS = {"mct": _mct, "nrta": _nrta}


def page(request, programme: str):
    viewer, form, tables, period, title = BUILDERS[programme](request)
    context = {
        **reviewer_site.each_context(request),
        "title": title,
        "form": form,
        "tables": tables,
        "charts": {"charts": [t.chart_data() for t in tables]},
        "period": period,
        "programme": programme,
        "query": request.GET.urlencode(),
        "scope_label": _("全国") if viewer.national else request.user.staff_profile.department,
    }
    return TemplateResponse(request, "stats/page.html", context)


def export(request, programme: str, key: str, fmt: str):
    viewer, form, tables, period, title = BUILDERS[programme](request)
    table = next((t for t in tables if t.key == key), None)
    if table is None or fmt not in exports.FORMATS:
        raise Http404
    filename = f"{title}-{table.title}-{period.replace(' — ', '_')}"
    return exports.response(fmt, filename, table.headers, table.rows, sheet_title=table.title)


index_view = reviewer_site.admin_view(index)
page_view = reviewer_site.admin_view(page)
export_view = reviewer_site.admin_view(export)
