from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
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
    """"eager" when tasks run in-process (no broker configured), else a real connection attempt."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    from portal.celery import app

    # The URL is read from settings at call time (the app's own copy is read once at start).
    with app.connection_for_write(url=settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
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
    """The layout without context processors (they may be what failed); a static page if even that fails."""
    from django.http import HttpResponseServerError
    from django.template import loader

    try:
        html = loader.get_template("errors/500.html").render({"request": request, "PORTAL": settings.PORTAL})
    except Exception:  # the layout itself is broken: never fail twice
        logger.exception("500 page: layout failed, serving the plain page")
        html = loader.get_template("errors/500_plain.html").render({})
    return HttpResponseServerError(html)


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: a page in the layout instead of Django's English one.

    What the user typed is not lost: the non-secret fields are kept in the
    session for the form's page (as after a session expiry) and restored when
    the user goes back to it.
    """
    from accounts.middleware import SECRET_FIELDS, STASH_KEY

    logger.warning("CSRF failure on %s: %s", request.path, reason)
    back = None
    if request.method == "POST" and url_has_allowed_host_and_scheme(request.path, allowed_hosts=None):
        back = request.path
        session = getattr(request, "session", None)
        if session is not None:
            session[STASH_KEY] = {
                "path": request.path,
                "data": {k: request.POST.getlist(k) for k in request.POST if k not in SECRET_FIELDS},
            }
    return render(request, "errors/csrf.html", {"back": back}, status=403)
