"""portal.middleware.CSPMiddleware: django-csp's headers, the site's own policy built once (issue 11)."""

from __future__ import annotations

import pytest
from csp import middleware as csp_middleware
from csp.constants import NONCE
from csp.decorators import csp_exempt, csp_update
from django.http import HttpResponse
from django.test import RequestFactory

from portal import middleware

pytestmark = pytest.mark.django_db


def _pair(view, path="/page/"):
    """The response of our middleware and of django-csp's, for the same view and path."""
    factory = RequestFactory()
    ours = middleware.CSPMiddleware(view)(factory.get(path))
    theirs = csp_middleware.CSPMiddleware(view)(factory.get(path))
    return ours, theirs


def _headers(response) -> dict[str, str | None]:
    return {
        name: response.headers.get(name) for name in ("Content-Security-Policy", "Content-Security-Policy-Report-Only")
    }


def _parsed(response) -> dict[str, str]:
    """The enforced policy as {directive: sources} (django-csp's order of directives is a set's)."""
    header = response.headers.get("Content-Security-Policy") or ""
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def test_the_site_policy_is_django_csps_and_built_once(monkeypatch):
    ours, theirs = _pair(lambda request: HttpResponse("ok"))
    assert _headers(ours) == _headers(theirs)
    assert "default-src 'self'" in ours["Content-Security-Policy"]
    monkeypatch.setattr(csp_middleware, "build_policy", lambda **kw: 1 / 0)
    monkeypatch.setattr(middleware.csp_utils, "build_policy", lambda **kw: 1 / 0)
    again = middleware.CSPMiddleware(lambda request: HttpResponse("ok"))(RequestFactory().get("/page/"))
    assert again["Content-Security-Policy"] == theirs["Content-Security-Policy"]  # from the kept string


def test_a_views_own_policy_a_nonce_and_an_exemption_are_django_csps(settings):
    @csp_update({"img-src": ["https://tiles.example.cn"]})
    def updated(request):
        return HttpResponse("ok")

    def with_nonce(request):
        return HttpResponse(str(request.csp_nonce))

    @csp_exempt()
    def exempt(request):
        return HttpResponse("ok")

    ours, theirs = _pair(updated)
    assert "https://tiles.example.cn" in ours["Content-Security-Policy"]
    assert _headers(ours) == _headers(theirs)
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": ["'self'", NONCE]}}
    ours, theirs = _pair(with_nonce)
    assert _parsed(ours) == {"default-src": "'self'", "script-src": f"'self' 'nonce-{ours.content.decode()}'"}
    assert _parsed(theirs) == {"default-src": "'self'", "script-src": f"'self' 'nonce-{theirs.content.decode()}'"}
    ours, theirs = _pair(lambda request: HttpResponse("ok"))  # the same setting, no nonce used
    assert _parsed(ours) == _parsed(theirs) == {"default-src": "'self'", "script-src": "'self'"}
    ours, theirs = _pair(exempt)
    assert (
        _headers(ours)
        == _headers(theirs)
        == {
            "Content-Security-Policy": None,
            "Content-Security-Policy-Report-Only": None,
        }
    )
    ready = HttpResponse("ok")
    ready["Content-Security-Policy"] = "default-src 'none'; sandbox"  # a download's stricter policy stays
    assert (
        middleware.CSPMiddleware(lambda request: ready)(RequestFactory().get("/f/"))["Content-Security-Policy"]
        == "default-src 'none'; sandbox"
    )


def test_a_changed_setting_is_followed(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}, "EXCLUDE_URL_PREFIXES": ["/free/"]}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'self'"]}}
    ours, theirs = _pair(lambda request: HttpResponse("ok"))
    assert _headers(ours) == _headers(theirs)
    assert ours["Content-Security-Policy"] == "default-src 'none'"
    assert ours["Content-Security-Policy-Report-Only"] == "default-src 'self'"
    free, free_theirs = _pair(lambda request: HttpResponse("ok"), path="/free/x/")
    assert _headers(free) == _headers(free_theirs)
    assert free.headers.get("Content-Security-Policy") is None
