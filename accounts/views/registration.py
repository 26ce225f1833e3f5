# Placeholder views: replaced by the real implementation.
from django.http import HttpResponse


def register_enterprise_view(request, *args, **kwargs):
    return HttpResponse(status=501)


def register_institution_view(request, *args, **kwargs):
    return HttpResponse(status=501)


def register_individual_view(request, *args, **kwargs):
    return HttpResponse(status=501)
