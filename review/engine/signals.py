"""Signals of the engine. Side effects outside the outbox subscribe here."""

from django.dispatch import Signal

# Sent after the transaction of a transition commits (never inside it), with
# ``sender`` = the kind's model and the keyword arguments ``obj`` (the fresh
# object), ``kind`` (review.engine.Kind), ``transition`` and ``actor``.
# A receiver's exception is logged and never reaches the user.
transition_committed = Signal()
