from django.contrib import admin

from .models import Activity, Outcome, Plan, PlanComment, Theme


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "organisation", "status", "period_start", "period_end"]
    list_filter = ["organisation", "status"]
    search_fields = ["name", "title"]
    raw_id_fields = ["unit", "parent", "based_on"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "organisation"]
    list_filter = ["organisation"]
    raw_id_fields = ["plan"]


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "category", "theme", "organisation"]
    list_filter = ["organisation", "category"]
    raw_id_fields = ["theme"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["__str__", "outcome", "time_kind", "organisation"]
    list_filter = ["organisation", "time_kind"]
    raw_id_fields = ["outcome", "arena", "method", "responsible"]
    filter_horizontal = ["participant_units", "participant_job_roles", "participant_people"]


@admin.register(PlanComment)
class PlanCommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "plan", "author", "created_at"]
    raw_id_fields = ["plan", "author"]
