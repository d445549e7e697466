from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    Invitation,
    JobRole,
    Membership,
    Organisation,
    Person,
    Unit,
    WorkingGroup,
    WorkingGroupMeeting,
    WorkingGroupMember,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "default_language", "is_active", "is_demo", "created_at"]
    search_fields = ["name", "slug"]
    list_filter = ["is_active", "is_demo", "default_language"]


class TenantAdmin(admin.ModelAdmin):
    list_filter = ["organisation"]
    list_select_related = ["organisation"]


@admin.register(Unit)
class UnitAdmin(TenantAdmin):
    list_display = ["name", "organisation", "parent", "leader"]
    search_fields = ["name"]
    raw_id_fields = ["parent", "leader"]


@admin.register(Person)
class PersonAdmin(TenantAdmin):
    list_display = ["full_name", "email", "organisation", "role", "job_role", "is_active"]
    search_fields = ["full_name", "email"]
    raw_id_fields = ["user", "job_role"]


@admin.register(JobRole)
class JobRoleAdmin(TenantAdmin):
    list_display = ["name", "organisation"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(TenantAdmin):
    list_display = ["person", "unit", "organisation"]
    raw_id_fields = ["person", "unit"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(TenantAdmin):
    list_display = ["unit", "organisation", "lead", "deadline"]
    raw_id_fields = ["unit", "lead", "minute_taker"]


@admin.register(WorkingGroupMember)
class WorkingGroupMemberAdmin(TenantAdmin):
    list_display = ["person", "group", "organisation"]
    raw_id_fields = ["person", "group"]


@admin.register(WorkingGroupMeeting)
class WorkingGroupMeetingAdmin(TenantAdmin):
    list_display = ["group", "held_on", "organisation"]
    raw_id_fields = ["group", "minute_taker"]


@admin.register(Invitation)
class InvitationAdmin(TenantAdmin):
    """Read only: invitations are sent and accepted through Læra's pages and commands."""

    list_display = [
        "person",
        "email",
        "organisation",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    search_fields = ["email", "person__full_name"]
    exclude = ["key", "token_hash"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
