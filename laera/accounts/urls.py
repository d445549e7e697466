from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("language/", views.set_language_view, name="language"),
    path("profile/", views.profile_view, name="profile"),
    path("profile/email/", views.email_change_view, name="email_change"),
    path("profile/email/confirm/", views.email_change_confirm_view, name="email_change_confirm"),
    path("password/", views.password_change_view, name="password_change"),
    path("password-reset/", views.password_reset_view, name="password_reset"),
    path("password-reset/sent/", views.password_reset_done_view, name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.password_reset_confirm_view,
        name="password_reset_confirm",
    ),
    path("password-reset/done/", views.password_reset_complete_view, name="password_reset_complete"),
]
