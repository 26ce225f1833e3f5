# Placeholder views: replaced by the real implementation.
from django.http import HttpResponse


def activate_view(request, *args, **kwargs):
    return HttpResponse(status=501)
