import re

from django.conf import settings

_LEGACY_UA = re.compile(r"MSIE |Trident/")


def site(request):
    context = {
        "PORTAL": settings.PORTAL,
        "SESSION_IDLE_SECONDS": settings.SESSION_IDLE_SECONDS,
        "SESSION_WARNING_SECONDS": settings.SESSION_WARNING_SECONDS,
        "legacy_browser": bool(_LEGACY_UA.search(request.META.get("HTTP_USER_AGENT", ""))),
    }
    session = getattr(request, "session", None)
    if session is not None and request.method == "GET":
        stash = session.get("stashed_form")
        if stash and stash.get("path") == request.path:
            # The form goes back only to whoever typed it: the same account, or (stashed
            # while not logged in) the same browser session still not logged in. A stash
            # of an account waits for that account's next login.
            signed_in = request.user.is_authenticated
            current = request.user.pk if signed_in else None
            if stash.get("user") == current:
                context["restore_form"] = stash.get("data", {})
                del session["stashed_form"]
            elif signed_in:
                del session["stashed_form"]
    return context
