# Placeholder views: replaced by the real implementation.
from django.http import HttpResponse


def send_code_view(request, *args, **kwargs):
    return HttpResponse(status=501)
