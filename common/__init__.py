"""The ground floor: utilities any app may import (validators, regions, private
files, rate limits, the one WeasyPrint renderer). It imports no app of the
portal; the project package (``portal``: settings, urls, celery, site-wide
commands) is the roof above every app."""
