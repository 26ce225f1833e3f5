"""The review engine: the contract programmes implement and the one function that moves them.

Read first: :class:`Kind`, :class:`Transition`, :class:`Queue`, :func:`register`
and :func:`perform`. Refusals are :class:`ReviewError` (``message`` for the
user); guards raise :class:`Refused`; scheduled steps act as :data:`SYSTEM`;
side effects outside the outbox subscribe to :data:`transition_committed`.
"""

from .contract import SYSTEM, Guard, Kind, Queue, SideEffects, Step, Transition, transitions
from .errors import CommentRequired, NotPermitted, Refused, ReviewError, TransitionNotAllowed
from .perform import available_transitions, history, perform, role_matches, role_of
from .registry import all_kinds, find_kind, get_kind, kind_for, register
from .signals import transition_committed

__all__ = [
    "SYSTEM",
    "CommentRequired",
    "Guard",
    "Kind",
    "NotPermitted",
    "Queue",
    "Refused",
    "ReviewError",
    "SideEffects",
    "Step",
    "Transition",
    "TransitionNotAllowed",
    "all_kinds",
    "available_transitions",
    "find_kind",
    "get_kind",
    "history",
    "kind_for",
    "perform",
    "register",
    "role_matches",
    "role_of",
    "transition_committed",
    "transitions",
]
