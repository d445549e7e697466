from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import EmailDelivery


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(admin.ModelAdmin):
    """Every organisation's e-mails of notices and how their sending went, for the operator; read only.
    The notices themselves are the people's own and are not shown here."""

    list_display = ["key", "organisation", "status", "attempts", "next_try_at", "sent_at"]
    list_filter = ["status", "organisation"]
    search_fields = ["key"]
    readonly_fields = [f.name for f in EmailDelivery._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: EmailDelivery | None = None) -> bool:
        return False
