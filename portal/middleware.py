"""Request checks shared by every view."""

from __future__ import annotations

from csp import constants as csp_constants
from csp import middleware as csp_middleware
from csp import utils as csp_utils
from django.conf import settings
from django.core.exceptions import BadRequest
from django.dispatch import receiver
from django.test.signals import setting_changed


def _has_nul(values) -> bool:
    return any("\x00" in value for value in values if isinstance(value, str))


class RejectNulCharactersMiddleware:
    """A NUL character in the path, the query or a cookie is a 400 (errors/400.html).

    PostgreSQL refuses NUL in text, so a %00 in a public id or a filter would
    otherwise be a ValueError (500) in whichever query it reaches. Form fields
    are left to the forms (Django's CharField refuses NUL with a message next to
    the field, keeping what was typed); views reading POST values outside a form
    must check them themselves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path_info
            or _has_nul(v for _k, values in request.GET.lists() for v in [_k, *values])
            or _has_nul(request.COOKIES.values())
        ):
            raise BadRequest("NUL character in request")
        return self.get_response(request)


class CSPMiddleware(csp_middleware.CSPMiddleware):
    """django-csp's middleware, with the site's own policy built once instead of on every response.

    django-csp rebuilds both headers from the settings for each response (``asdict`` of its policy
    parts and ``build_policy``: ~0.1 ms, a sixth of the whole /verify/<token>/ hit). A response that
    carries no policy of its own (``@csp_update``/``@csp_replace``/``@csp``, their report-only forms)
    and a request that used no nonce get the same two strings every time: those are kept, per
    settings (rebuilt when a test changes CONTENT_SECURITY_POLICY*). Anything else goes through
    django-csp unchanged, as do its exemptions and excluded prefixes.
    """

    _OWN = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None for name in self._OWN
        ):
            return super().process_response(request, response)
        if settings.DEBUG and response.status_code in (500, 404):
            return response
        enforced, report_only = _site_policies()
        for header, value, exempt, prefixes in (
            (csp_constants.HEADER, enforced[0], "_csp_exempt", enforced[1]),
            (csp_constants.HEADER_REPORT_ONLY, report_only[0], "_csp_exempt_ro", report_only[1]),
        ):
            if (
                value
                and header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(prefixes)
            ):
                response[header] = value
        request.csp_nonce = csp_middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response


_policies: tuple | None = None


def _site_policies() -> tuple[tuple[str, tuple], tuple[str, tuple]]:
    """(header, excluded prefixes) of the enforced and the report-only policy from the settings."""
    global _policies
    if _policies is None:
        enforced = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
        report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None) or {}
        _policies = (
            (csp_utils.build_policy(), tuple(enforced.get("EXCLUDE_URL_PREFIXES", None) or ())),
            (csp_utils.build_policy(report_only=True), tuple(report_only.get("EXCLUDE_URL_PREFIXES", None) or ())),
        )
    return _policies


@receiver(setting_changed)
def _settings_changed(*, setting, **kwargs) -> None:
    global _policies
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _policies = None
