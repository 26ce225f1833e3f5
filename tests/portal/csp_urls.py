"""The portal's URLs plus one view that fails, to see the 500 page's headers (tests/portal/test_csp.py)."""

from django.urls import path

from portal.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [path("__broken__/", broken), *urlpatterns]
