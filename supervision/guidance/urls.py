from django.urls import path

from . import views

app_name = "guidance"
urlpatterns = [
    path("", views.list_view, name="list"),
    path("new/", views.new_view, name="new"),
    path("threads/<str:public_id>/", views.detail_view, name="detail"),
    path("files/<str:token>/", views.download_view, name="download"),
]
