"""Public pages of the publication (no login): the 公示 with its objection form, the index of
published quarters, each quarter's final list at a permanent URL and its xlsx / PDF files."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts import audit
from common import exports
from common.files import content_disposition

from .. import selectors_publication as selectors
from ..enums import NominationState
from ..forms_publication import ObjectionForm
from ..models import Nomination
from ..services import publication, results_export

KEEP_FIELDS = ("work", "contact_name", "contact_phone", "contact_email", "reason")


# --- 公示 ------------------------------------------------------------------------------------------


def _kept(request) -> dict[str, str]:
    """What was typed, to show again without validating (a captcha is consumed when checked)."""
    return {name: request.POST.get(name, "")[:2000] for name in KEEP_FIELDS}


@require_http_methods(["GET", "POST"])
def publicity_view(request, year: int, quarter: int):
    """公示: the quarter's 入选 works, the dates, and the objection form while the 公示 is open."""
    publicity = selectors.public_publicity(year, quarter)
    if publicity.published_at is not None:
        return redirect("awards:results_quarter", year, quarter)
    rows = selectors.publicity_rows(publicity)
    state = publication.publicity_state(publicity)
    status = 200
    top_error = ""
    form = ObjectionForm(works=rows) if state.key == "open" else None
    if request.method == "POST":
        if form is None:
            top_error = _("本季度公示期已结束，不再受理异议。")
            status = 409
        elif publication.objection_rate_limited(audit.client_ip(request)):
            form = ObjectionForm(initial=_kept(request), works=rows)
            top_error = _("提交过于频繁，请一小时后再试。")
            status = 429
        else:
            form = ObjectionForm(request.POST, works=rows)
            if form.is_valid():
                done = _submit(request, publicity, form)
                if done:
                    messages.success(request, _("您的异议已提交，我们将认真核实处理，并通过您留下的联系方式与您联系。"))
                    return redirect(reverse("awards:publicity", args=[year, quarter]) + "#objection")
            status = 200
    context = {
        "publicity": publicity,
        "state": state,
        "rows": rows,
        "groups": selectors.grouped(rows),
        "form": form,
        "top_error": top_error,
        "quarter_label": publication.quarter_label(year, quarter),
    }
    return render(request, "awards/results/publicity.html", context, status=status)


def _submit(request, publicity, form: ObjectionForm) -> bool:
    data = form.cleaned_data
    nomination = Nomination.objects.filter(
        public_id=data["work"], year=publicity.year, quarter=publicity.quarter, state=NominationState.SELECTED
    ).first()
    if nomination is None:  # unselected a moment ago
        form.add_error("work", _("请选择公示名单中的作品。"))
        return False
    try:
        publication.submit_objection(
            publicity,
            nomination=nomination,
            contact_name=data["contact_name"],
            contact_phone=data["contact_phone"],
            contact_email=data["contact_email"],
            reason=data["reason"],
        )
    except publication.PublicationError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return False
    return True


# --- the final list ----------------------------------------------------------------------------------


@require_GET
def results_index(request):
    """推优结果公布: every published quarter, and the 公示 under way."""
    context = {
        "published": selectors.published_quarters(),
        "current": [(p, publication.publicity_state(p)) for p in selectors.current_publicities()],
    }
    return render(request, "awards/results/index.html", context)


@require_GET
def results_quarter(request, year: int, quarter: int):
    """The permanent page of a quarter's published list; withdrawn works stay, shown as 已撤销."""
    publicity = selectors.published_publicity(year, quarter)
    rows = selectors.result_rows(publicity)
    context = {
        "publicity": publicity,
        "groups": selectors.grouped(rows),
        "count": len(rows),
        "withdrawn": sum(1 for row in rows if row.withdrawn),
        "title": results_export.title(publicity),
        "quarter_label": publication.quarter_label(year, quarter),
    }
    return render(request, "awards/results/quarter.html", context)


@require_GET
def results_xlsx(request, year: int, quarter: int):
    publicity = selectors.published_publicity(year, quarter)
    groups = selectors.grouped(selectors.result_rows(publicity))
    return HttpResponse(
        results_export.results_xlsx(publicity, groups),
        content_type=exports.FORMATS["xlsx"],
        headers={"Content-Disposition": content_disposition(results_export.filename(publicity, "xlsx"))},
    )


@require_GET
def results_pdf(request, year: int, quarter: int):
    publicity = selectors.published_publicity(year, quarter)
    url = settings.SITE_URL.rstrip("/") + reverse("awards:results_quarter", args=[year, quarter])
    data = results_export.results_pdf(
        publicity,
        lambda: selectors.grouped(selectors.result_rows(publicity)),
        version=selectors.results_version(publicity),
        url=url,
    )
    return HttpResponse(
        data,
        content_type="application/pdf",
        headers={"Content-Disposition": content_disposition(results_export.filename(publicity, "pdf"))},
    )
