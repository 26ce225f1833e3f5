"""The portal's URLs plus one bare view, to compare the verification page against
the cheapest response Django can give under the same settings and middleware."""

from django.http import HttpResponse
from django.urls import path

from portal.urls import handler400, handler403, handler404, handler500  # noqa: F401
from portal.urls import urlpatterns as portal_urlpatterns


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *portal_urlpatterns]
