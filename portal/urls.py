from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from review.staff import reviewer_site

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("pages/<slug:slug>/", views.page, name="page"),
    path("help/", views.help_index, name="help"),
    path("help/<slug:programme>/", views.manual, name="manual"),
    path("help/<slug:programme>/pdf/", views.manual_pdf, name="manual_pdf"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("captcha/", include("captcha.urls")),
    path("accounts/", include("accounts.urls")),
    path("filings/", include("filings.urls")),
    path("awards/", include("awards.urls")),
    path("supervision/", include("supervision.urls")),
    path("uploads/", include("common.resumable.urls")),
    path("", include("review.urls")),
    path("staff/", reviewer_site.urls),
    path("admin/", admin.site.urls),
]

handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"

if settings.DEBUG:  # pragma: no cover
    pass
