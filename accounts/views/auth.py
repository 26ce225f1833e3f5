# Placeholder views: replaced by the real implementation.
from django.http import HttpResponse


def login_view(request, *args, **kwargs):
    return HttpResponse(status=501)


def sms_login_view(request, *args, **kwargs):
    return HttpResponse(status=501)


def logout_view(request, *args, **kwargs):
    return HttpResponse(status=501)


def keepalive_view(request, *args, **kwargs):
    return HttpResponse(status=501)


def password_set_view(request, *args, **kwargs):
    return HttpResponse(status=501)


def password_change_view(request, *args, **kwargs):
    return HttpResponse(status=501)


def password_reset_view(request, *args, **kwargs):
    return HttpResponse(status=501)


def password_reset_confirm_view(request, *args, **kwargs):
    return HttpResponse(status=501)


def profile_view(request, *args, **kwargs):
    return HttpResponse(status=501)


def cancel_view(request, *args, **kwargs):
    return HttpResponse(status=501)


def lockout_response(request, credentials, *args, **kwargs):
    return HttpResponse(status=429)
