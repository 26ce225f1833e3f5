"""One base for every refusal a user reads (a transition, a certificate operation, a programme's rule)."""

from __future__ import annotations


class ReviewError(Exception):
    """A refused operation; ``message`` is shown to the user as it is, ``field`` names the field it concerns."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.field = field


class TransitionNotAllowed(ReviewError):
    """The object is not (any more) in a state this transition starts from."""


class NotPermitted(ReviewError):
    """The actor's role or scope does not allow this step."""


class CommentRequired(ReviewError):
    """The step needs a comment (or a structured reason) that was not given."""


class Refused(ReviewError):
    """A guard refused the step for a reason of the programme's (a quota, a missing score)."""
