from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("", views.index_view, name="index"),
    path("mct/", views.page_view, {"programme": "mct"}, name="mct"),
    path("nrta/", views.page_view, {"programme": "nrta"}, name="nrta"),
    path("mct/export/<slug:key>.<str:fmt>", views.export_view, {"programme": "mct"}, name="mct_export"),
    path("nrta/export/<slug:key>.<str:fmt>", views.export_view, {"programme": "nrta"}, name="nrta_export"),
]
