from django.urls import path

from . import views, views_certificates

app_name = "review"

urlpatterns = [
    # Message centre (消息)
    path("messages/", views.message_list, name="messages"),
    path("messages/read-all/", views.mark_all_read, name="messages_read_all"),
    path("messages/<str:token>/", views.message_open, name="message_open"),
    # Certificates (证照): public verification, the unit's 证照查看, downloads
    path("verify/<str:token>/", views_certificates.verify, name="verify"),
    path("verify/<str:token>/language/", views_certificates.verify_language, name="verify_language"),
    path("certificates/", views_certificates.certificate_list, name="certificate_list"),
    path("certificates/zip/", views_certificates.certificate_zip, name="certificate_zip"),
    path("certificates/<str:public_id>/", views_certificates.certificate_detail, name="certificate"),
    path("certificates/<str:public_id>/pdf/", views_certificates.certificate_pdf, name="certificate_pdf"),
]
