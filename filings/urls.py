from django.urls import path

from .views import check, confirm, files, pages

app_name = "filings"
urlpatterns = [
    path("", pages.apply_view, name="apply"),
    path("new/<slug:kind>/", pages.new_view, name="new"),
    path("status/", pages.status_view, name="status"),
    path("programmes/", pages.programmes_view, name="programmes"),
    path("programmes/<str:public_id>/", pages.programme_view, name="programme"),
    path("programmes/<str:public_id>/change/", pages.change_start_view, name="change_start"),
    path("applications/<str:public_id>/", pages.detail_view, name="detail"),
    path("applications/<str:public_id>/edit/", pages.edit_view, name="edit"),
    path("applications/<str:public_id>/check/", check.check_view, name="check"),
    path("applications/<str:public_id>/withdraw/", confirm.withdraw_view, name="withdraw"),
    path("applications/<str:public_id>/delete/", confirm.delete_view, name="delete"),
    path("applications/<str:public_id>/void/", confirm.void_view, name="void"),
    path("changes/<str:public_id>/", pages.change_detail_view, name="change_detail"),
    path("changes/<str:public_id>/edit/", pages.change_edit_view, name="change_edit"),
    path("changes/<str:public_id>/check/", check.change_check_view, name="change_check"),
    path("changes/<str:public_id>/withdraw/", confirm.withdraw_view, {"is_change": True}, name="change_withdraw"),
    path("changes/<str:public_id>/delete/", confirm.delete_view, {"is_change": True}, name="change_delete"),
    path("changes/<str:public_id>/void/", confirm.void_view, {"is_change": True}, name="change_void"),
    path("files/<str:token>/", files.download_view, name="download"),
]
