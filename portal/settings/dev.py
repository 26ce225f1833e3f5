"""Embedded default for a first run: SQLite, eager tasks, console SMS/email."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)

# The embedded SQLite database lives under var/ (not in git): make sure it exists.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    from pathlib import Path

    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)  # noqa: F405
