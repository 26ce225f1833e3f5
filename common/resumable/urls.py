from django.urls import path

from . import views

app_name = "resumable"
urlpatterns = [
    path("tus/", views.endpoint_view, name="endpoint"),
    path("tus/<str:token>/", views.upload_view, name="upload"),
]
