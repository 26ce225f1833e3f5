# Placeholder views: replaced by the real implementation.
from django.http import HttpResponse


def otp_setup_view(request, *args, **kwargs):
    return HttpResponse(status=501)


def otp_verify_view(request, *args, **kwargs):
    return HttpResponse(status=501)
