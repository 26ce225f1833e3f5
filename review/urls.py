from django.urls import path

from .certificates import views as certificates
from .outbox import views as messages

app_name = "review"

urlpatterns = [
    # Message centre (消息)
    path("messages/", messages.message_list, name="messages"),
    path("messages/read-all/", messages.mark_all_read, name="messages_read_all"),
    path("messages/<str:token>/", messages.message_open, name="message_open"),
    # Certificates (证照): public verification, the unit's 证照查看, downloads
    path("verify/<str:token>/", certificates.verify, name="verify"),
    path("verify/<str:token>/language/", certificates.verify_language, name="verify_language"),
    path("certificates/", certificates.certificate_list, name="certificate_list"),
    path("certificates/zip/", certificates.certificate_zip, name="certificate_zip"),
    path("certificates/<str:public_id>/", certificates.certificate_detail, name="certificate"),
    path("certificates/<str:public_id>/pdf/", certificates.certificate_pdf, name="certificate_pdf"),
]
