from django.db import IntegrityError, transaction

from ..models import Sequence


def next_value(key: str) -> int:
    """Next number of a counter; safe under concurrent callers (row lock), never reused.

    Must be called inside the caller's transaction so that the number and the
    object that carries it commit together.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                Sequence.objects.get_or_create(key=key)
        except IntegrityError:  # a concurrent first use created it
            pass
        seq = Sequence.objects.select_for_update().get(key=key)
        seq.value += 1
        seq.save(update_fields=["value"])
        return seq.value
