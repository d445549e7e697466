from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    Area,
    Assessment,
    Catalogue,
    Competence,
    GapSignal,
    MappingRound,
    Qualification,
    Requirement,
    RoundParticipant,
    ScaleLevel,
)


class ScaleLevelInline(admin.TabularInline):
    model = ScaleLevel
    extra = 0
    fields = ["value", "label_nb", "label_nn", "label_sv", "label_da", "label_en"]


@admin.register(Catalogue)
class CatalogueAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "proficient_level", "template_key"]
    list_filter = ["organisation"]
    search_fields = ["name"]
    inlines = [ScaleLevelInline]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "catalogue", "organisation", "position"]
    list_filter = ["organisation"]
    raw_id_fields = ["catalogue"]


@admin.register(Competence)
class CompetenceAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "category", "nkr_level", "organisation"]
    list_filter = ["organisation", "category"]
    search_fields = ["name"]
    raw_id_fields = ["catalogue", "area"]


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin):
    list_display = ["competence", "job_role", "unit", "level", "importance", "future_level", "future_by"]
    list_filter = ["organisation", "importance"]
    raw_id_fields = ["competence", "job_role", "unit"]


@admin.register(MappingRound)
class MappingRoundAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "catalogue", "opens_on", "deadline", "closed_at"]
    list_filter = ["organisation"]
    raw_id_fields = ["catalogue", "created_by"]
    filter_horizontal = ["units"]


@admin.register(RoundParticipant)
class RoundParticipantAdmin(admin.ModelAdmin):
    list_display = ["person", "round", "submitted_at", "leader_done_at", "reminded_at"]
    list_filter = ["organisation"]
    raw_id_fields = ["round", "person"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    """Personal data: the operator sees that rows exist, for support, but cannot add, change or delete
    them here (the gap figures kept from these rows are updated only by Læra's own services)."""

    list_display = ["person", "competence", "round", "self_level", "leader_level", "agreed_level"]
    list_filter = ["organisation"]
    raw_id_fields = ["round", "person", "competence", "leader"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Qualification)
class QualificationAdmin(admin.ModelAdmin):
    list_display = ["name", "person", "kind", "expires_on", "organisation"]
    list_filter = ["organisation", "kind"]
    raw_id_fields = ["person", "competence"]


@admin.register(GapSignal)
class GapSignalAdmin(admin.ModelAdmin):
    list_display = ["competence", "unit", "round", "people_below", "input_round_id", "created_at"]
    list_filter = ["organisation"]
    raw_id_fields = ["competence", "round", "unit", "sent_by"]
