from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("", views.list_view, name="list"),
    path("files/<str:token>/", views.download_view, name="download"),
    path("<str:public_id>/", views.detail_view, name="detail"),
    path("<str:public_id>/cancel/", views.cancel_view, name="cancel"),
]
