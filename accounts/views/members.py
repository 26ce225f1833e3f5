# Placeholder views: replaced by the real implementation.
from django.http import HttpResponse


def members_view(request, *args, **kwargs):
    return HttpResponse(status=501)


def member_add_view(request, *args, **kwargs):
    return HttpResponse(status=501)


def member_remove_view(request, *args, **kwargs):
    return HttpResponse(status=501)


def member_transfer_view(request, *args, **kwargs):
    return HttpResponse(status=501)


def phone_change_view(request, *args, **kwargs):
    return HttpResponse(status=501)
