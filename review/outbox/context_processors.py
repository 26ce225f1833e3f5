def inbox(request):
    """Unread message count for the header: only when a page shows it, only for signed-in users,
    from the per-user cache (review.outbox.unread), so a typical page runs no query for it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_message_count": 0}
    cache: list[int] = []

    def unread_message_count() -> int:  # templates call it; evaluated at most once per request
        if not cache:
            from .unread import unread_count

            cache.append(unread_count(user))
        return cache[0]

    return {"unread_message_count": unread_message_count}
