from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.help import help_index, manual, manual_pdf  # noqa: F401 - the URL names stay on portal.views

logger = logging.getLogger(__name__)

PAGES = {
    "user-agreement": "pages/user_agreement.html",
    "privacy": "pages/privacy.html",
    "disclaimer": "pages/disclaimer.html",
    "about": "pages/about.html",
    "sitemap": "pages/sitemap.html",
    "error-report": "pages/error_report.html",
}


def home(request):
    from supervision.notices.selectors import home_notices

    return render(request, "home.html", {"home_notices": home_notices(request.user)})


# The site map: (section, [(label, url names to try, query string)]). A link whose
# view is not (yet) installed is left out rather than broken.
SITEMAP = [
    (
        _("网络演出剧（节）目备案"),
        [
            (_("用户登录"), ["accounts:login"], ""),
            (_("验证码登录"), ["accounts:login_sms"], ""),
            (_("经营单位用户注册"), ["accounts:register"], ""),
            (_("活动申请"), ["filings:apply", "filings:activity_apply", "filings:index"], ""),
            (_("受理状态"), ["filings:status", "filings:application_list"], ""),
            (_("网络演出剧（节）目管理"), ["filings:programmes", "filings:programme_list"], ""),
            (_("行政指导"), ["guidance:list"], ""),
        ],
    ),
    (
        _("网络视听节目季度推优"),
        [
            (_("登录"), ["accounts:login"], "?programme=nrta"),
            (_("机构注册"), ["accounts:register_institution"], ""),
            (_("个人注册"), ["accounts:register_individual"], ""),
            (_("推优项目"), ["awards:projects", "awards:project_list", "awards:index"], ""),
            (_("我的申报"), ["awards:mine", "awards:my_nominations", "awards:nominations"], ""),
            (_("推优结果公布"), ["awards:results", "awards:public_results", "awards:results_index"], ""),
        ],
    ),
    (
        _("账户与帮助"),
        [
            (_("忘记密码"), ["accounts:password_reset"], ""),
            (_("账户"), ["accounts:profile"], ""),
            (_("消息"), ["review:messages"], ""),
            (_("帮助中心"), ["help"], ""),
            (_("网络演出剧（节）目审批备案操作手册"), [("manual", "mct")], ""),
            (_("优秀网络视听作品推选活动申报系统操作手册"), [("manual", "nrta")], ""),
        ],
    ),
    (
        _("网站信息"),
        [
            (_("关于我们"), [("page", "about")], ""),
            (_("网站地图"), [("page", "sitemap")], ""),
            (_("隐私保护"), [("page", "privacy")], ""),
            (_("免责声明"), [("page", "disclaimer")], ""),
            (_("用户须知"), [("page", "user-agreement")], ""),
            (_("政府网站找错"), [("page", "error-report")], ""),
        ],
    ),
]


def _reverse_first(candidates) -> str | None:
    for candidate in candidates:
        name, args = (candidate[0], candidate[1:]) if isinstance(candidate, tuple) else (candidate, ())
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return None


def sitemap_sections() -> list[tuple[str, list[tuple[str, str]]]]:
    sections = []
    for title, entries in SITEMAP:
        links = []
        for label, candidates, query in entries:
            url = _reverse_first(candidates)
            if url is not None:
                links.append((label, url + query))
        sections.append((title, links))
    return sections


def page(request, slug: str):
    template = PAGES.get(slug)
    if template is None:
        raise Http404
    context = {"slug": slug}
    if slug == "sitemap":
        context["sections"] = sitemap_sections()
    return render(request, template, context)


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
    """Report "eager" when tasks run in-process (no broker configured), else try a real connection."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    from portal.celery import app

    # The URL is read from settings at call time (the app's own copy is read once at start).
    with app.connection_for_write(url=settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=0, timeout=2)  # a probe answers fast: no retry
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


def _database_unreachable() -> bool:
    """Whether the exception being handled is the database being unreachable (not a bug of ours)."""
    import sys

    from django.db import InterfaceError, OperationalError

    exc, seen = sys.exc_info()[1], 0
    while exc is not None and seen < 5:
        if isinstance(exc, (OperationalError, InterfaceError)):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def server_error(request):
    """The layout without context processors (they may be what failed); a static page if even that fails.

    The database unreachable is a 503 (errors/503.html, which needs nothing but the template
    files): nothing of the request was kept, and the same process serves again as soon as the
    database answers.
    """
    from django.http import HttpResponse, HttpResponseServerError
    from django.template import loader

    if _database_unreachable():
        response = HttpResponse(loader.get_template("errors/503.html").render({}), status=503)
        response["Retry-After"] = "30"
        return response
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
            user = getattr(request, "user", None)
            session[STASH_KEY] = {
                # Refilled only for the same person (None: a visitor not logged in, same browser session).
                "user": user.pk if user is not None and user.is_authenticated else None,
                "path": request.path,
                "data": {k: request.POST.getlist(k) for k in request.POST if k not in SECRET_FIELDS},
            }
    return render(request, "errors/csrf.html", {"back": back}, status=403)
