def inbox(request):
    """Unread message count for the header (filled in by the message centre)."""
    return {"unread_message_count": 0}
