"""portal.urls with one view more, as a helper might add it tomorrow (test_url_matrix's own check)."""

from django.http import HttpResponse
from django.urls import path

from portal.urls import *  # noqa: F403
from portal.urls import urlpatterns as portal_patterns


def new_view(request, public_id):  # pragma: no cover - never requested
    return HttpResponse(public_id)


urlpatterns = [*portal_patterns, path("filings/secret/<str:public_id>/", new_view, name="new_secret_page")]
