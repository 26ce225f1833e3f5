from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

PAGES = {
    "user-agreement": "pages/user_agreement.html",
    "privacy": "pages/privacy.html",
    "disclaimer": "pages/disclaimer.html",
    "about": "pages/about.html",
    "sitemap": "pages/sitemap.html",
    "error-report": "pages/error_report.html",
}
MANUALS = {"mct": "help/manual_mct.html", "nrta": "help/manual_nrta.html"}


def home(request):
    return render(request, "home.html")


def page(request, slug: str):
    template = PAGES.get(slug)
    if template is None:
        raise Http404
    return render(request, template, {"slug": slug})


def help_index(request):
    return render(request, "help/index.html")


def manual(request, programme: str):
    template = MANUALS.get(programme)
    if template is None:
        raise Http404
    return render(request, template, {"programme": programme})


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_cache() -> str:
    cache.set("healthz", "1", 10)
    if cache.get("healthz") != "1":
        raise RuntimeError("cache read-back failed")
    return "ok"


def _check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    from portal.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _check_database, "cache": _check_cache, "broker": _check_broker}
    result: dict[str, str] = {}
    healthy = True
    for name, check in checks.items():
        try:
            result[name] = check()
        except Exception as exc:  # a health probe reports, never raises
            logger.warning("healthz: %s down: %s", name, exc)
            result[name] = "down"
            healthy = False
    return JsonResponse({"status": "ok" if healthy else "down", **result}, status=200 if healthy else 503)


def _error(template: str, status: int):
    def view(request, exception=None):
        return render(request, template, status=status)

    return view


bad_request = _error("errors/400.html", 400)
permission_denied = _error("errors/403.html", 403)
page_not_found = _error("errors/404.html", 404)


def server_error(request):
    # No context processors that might fail again: a plain render.
    from django.template import loader
    from django.http import HttpResponseServerError

    return HttpResponseServerError(loader.get_template("errors/500.html").render({"request": request}))
