"""Request checks shared by every view."""

from __future__ import annotations

from django.core.exceptions import BadRequest


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
