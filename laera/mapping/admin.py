from django.contrib import admin

from .models import Arena, KnowledgeFlow, Method


@admin.register(Arena)
class ArenaAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "organisation", "recurrence", "kind", "archived_at"]
    list_filter = ["organisation", "kind", "recurrence"]
    search_fields = ["name"]
    raw_id_fields = ["unit", "responsible", "informal_responsible"]
    filter_horizontal = ["participant_units", "participant_job_roles", "participant_people"]


@admin.register(KnowledgeFlow)
class KnowledgeFlowAdmin(admin.ModelAdmin):
    list_display = ["activity", "transfer", "unit", "organisation"]
    list_filter = ["organisation", "transfer"]
    raw_id_fields = ["unit", "arena", "formal_responsible", "informal_responsible"]


@admin.register(Method)
class MethodAdmin(admin.ModelAdmin):
    list_display = ["__str__", "key", "organisation", "mode", "effort", "is_hidden"]
    list_filter = ["organisation", "mode", "is_hidden"]
