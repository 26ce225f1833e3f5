"""Errors the awards services raise; ``message`` is shown to the user as it is."""

from __future__ import annotations

from review.engine import ReviewError


class AwardError(ReviewError):
    """A refused awards operation (one base with the engine's refusals)."""


class NotPermitted(AwardError):
    pass


class NotEditable(AwardError):
    """The nomination is not (any more) in an editable state."""


class Incomplete(AwardError):
    """申报 found problems; ``problems`` lists them (validation.Problem), each next to its field."""

    def __init__(self, message, problems):
        super().__init__(message)
        self.problems = problems
