"""``make run``: the embedded default (SQLite, in-process tasks) as a newcomer's first run should see it.

* DEBUG is off unless ``DEBUG=1`` (developers): a mistyped address shows the portal's own
  404 page, not Django's debug page with the list of every URL.
* Static files are served by WhiteNoise straight from ``static/`` and the apps (no
  ``collectstatic`` step); with DEBUG on runserver's own handler serves them as before.
* ALLOWED_HOSTS come from ``HOST`` (and SITE_URL's host), as the Makefile starts runserver
  on ``$(HOST):$(PORT)``; an explicit ALLOWED_HOSTS wins. ``HOST=0.0.0.0`` (every
  interface) allows any host name.
* Side effects of a request (certificate PDFs, notifications) do not run inside it:
  the background loop ``make run`` starts beside the server (``run_periodic --loop``)
  carries them out within about a second (``BACKGROUND_LOOP_TASKS``; review.certificates.background).
"""

from urllib.parse import urlsplit

from .dev import *  # noqa: F403
from .dev import CELERY_TASK_ALWAYS_EAGER, SITE_URL, STATIC_ROOT, env, env_bool, env_list

DEBUG = env_bool("DEBUG", False)

_host = env("HOST", "127.0.0.1").strip("[]")
if env_list("ALLOWED_HOSTS"):
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
elif _host in {"0.0.0.0", "::"}:  # noqa: S104 (the address runserver listens on, not a binding)
    ALLOWED_HOSTS = ["*"]
else:
    ALLOWED_HOSTS = list(
        dict.fromkeys([_host, urlsplit(SITE_URL).hostname or _host, "127.0.0.1", "localhost", "[::1]"])
    )

# WhiteNoise (already in the middleware) finds the files where runserver would: no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Only when tasks would run eagerly (no broker): with REDIS_URL a Celery worker does this work.
BACKGROUND_LOOP_TASKS = CELERY_TASK_ALWAYS_EAGER and env_bool("BACKGROUND_LOOP_TASKS", True)
