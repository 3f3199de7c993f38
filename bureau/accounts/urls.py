from django.urls import path

from bureau.accounts import views

urlpatterns = [
    path("password/", views.password_change, name="password-change"),
    path("second-factor/", views.second_factor, name="second-factor"),
    path("second-factor/verify/", views.verify, name="second-factor-verify"),
    path("lockouts/", views.lockouts, name="accounts-lockouts"),
    path("lockouts/unlock/", views.unlock, name="accounts-unlock"),
    path("login-log/", views.login_log, name="accounts-login-log"),
    path("devices/", views.device_list, name="accounts-devices"),
    path("devices/<int:pk>/reset/", views.device_reset, name="accounts-device-reset"),
]
