from django.urls import path

from .views import activation, auth, members, otp, registration, sms

app_name = "accounts"
urlpatterns = [
    # A3 login, session, password, cancellation (views/auth.py)
    path("login/", auth.login_view, name="login"),
    path("login/sms/", auth.sms_login_view, name="login_sms"),
    path("logout/", auth.logout_view, name="logout"),
    path("keepalive/", auth.keepalive_view, name="keepalive"),
    path("password/set/", auth.password_set_view, name="password_set"),
    path("password/change/", auth.password_change_view, name="password_change"),
    path("password/reset/", auth.password_reset_view, name="password_reset"),
    path("password/reset/<uidb64>/<token>/", auth.password_reset_confirm_view, name="password_reset_confirm"),
    path("profile/", auth.profile_view, name="profile"),
    path("cancel/", auth.cancel_view, name="cancel"),
    # A1/A2 registration, A4 SMS codes (views/registration.py, views/sms.py)
    path("register/", registration.register_enterprise_view, name="register"),
    path("register/institution/", registration.register_institution_view, name="register_institution"),
    path("register/individual/", registration.register_individual_view, name="register_individual"),
    path("sms/send/", sms.send_code_view, name="sms_send"),
    # A1b members of a unit, change of mobile (views/members.py)
    path("members/", members.members_view, name="members"),
    path("members/add/", members.member_add_view, name="member_add"),
    path("members/remove/", members.member_remove_view, name="member_remove"),
    path("members/transfer/", members.member_transfer_view, name="member_transfer"),
    path("phone/change/", members.phone_change_view, name="phone_change"),
    # A5 qualification activation (views/activation.py), A6 staff second factor (views/otp.py)
    path("activate/", activation.activate_view, name="activate"),
    path("otp/enrol/", otp.otp_enrol_view, name="otp_enrol"),
    path("otp/setup/", otp.otp_setup_view, name="otp_setup"),
    path("otp/verify/", otp.otp_verify_view, name="otp_verify"),
]
