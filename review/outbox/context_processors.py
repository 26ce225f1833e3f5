def inbox(request):
    """Unread message count for the header: one query, only when a page shows it, only for signed-in users."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_message_count": 0}
    cache: list[int] = []

    def unread_message_count() -> int:  # templates call it; evaluated at most once per request
        if not cache:
            from .selectors import unread_count

            cache.append(unread_count(user))
        return cache[0]

    return {"unread_message_count": unread_message_count}
