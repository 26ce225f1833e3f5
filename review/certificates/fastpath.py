"""``VerifyFastPathMiddleware``: the public verification page from its cache, ahead of the middleware it
does not need (issue 11: /verify/<token>/ at ≥ 0.7× a bare "hello").

Placed after SecurityMiddleware, CSPMiddleware, WhiteNoise and the NUL check (so every response keeps
their headers and checks) and before sessions, locale, CSRF, authentication, OTP and messages. Only a
GET of /verify/<token>/ by a visitor without a session or message cookie whose page is already cached
is answered here (``views.cached_page``); everything else goes on unchanged.
"""

from __future__ import annotations

import re

from . import views

_VERIFY = re.compile(r"^/verify/([^/]{1,64})/$")


class VerifyFastPathMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "GET":
            match = _VERIFY.match(request.path_info)
            if match is not None:
                response = views.cached_page(request, match.group(1))
                if response is not None:
                    return response
        return self.get_response(request)
