"""Errors the filing services raise; ``message`` is shown to the user as it is."""

from __future__ import annotations

from review.engine import ReviewError


class FilingError(ReviewError):
    """A refused filing operation (one base with the engine's refusals)."""


class NotEditable(FilingError):
    """The application is not (any more) in an editable state, or the part is not ticked."""


class NotPermitted(FilingError):
    pass


class Blocked(FilingError):
    """The unit may not start new filings (qualification not activated, licence expired …)."""


class RowInUse(FilingError):
    pass


class Incomplete(FilingError):
    """提交 found problems; ``problems`` lists them (validation.Problem)."""

    def __init__(self, message, problems):
        super().__init__(message)
        self.problems = problems
