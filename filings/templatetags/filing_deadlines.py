"""``{% deadline_warnings %}``: the unit's unapproved domestic programmes near or past the 30-day deadline."""

from django import template
from django.conf import settings

from .. import deadlines

register = template.Library()


@register.inclusion_tag("filings/_deadline_warnings.html", takes_context=True)
def deadline_warnings(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    rows = deadlines.own_warnings(user) if user is not None and user.is_authenticated else []
    return {
        "warnings": rows,
        "overdue": any(w.overdue for _f, w in rows),
        "days": settings.FILINGS_DOMESTIC_FILING_DAYS,
    }
