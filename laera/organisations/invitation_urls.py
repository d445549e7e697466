"""The public invitation page, outside any organisation's addresses: the invitee is not a member yet."""

from django.urls import path

from .views import invitations

app_name = "invitations"

urlpatterns = [
    path("<str:token>/", invitations.invitation_accept, name="accept"),
]
