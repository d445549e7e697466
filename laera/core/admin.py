from django.contrib import admin

from .models import AuditEntry, Job, ScheduledJob, WorkerBeat


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "organisation", "actor", "action", "object_type", "object_repr"]
    list_filter = ["organisation", "action"]
    search_fields = ["object_repr", "action"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(WorkerBeat)
class WorkerBeatAdmin(admin.ModelAdmin):
    """The background workers that are running (or stopped without saying so), for the operator."""

    list_display = ["worker_id", "host", "pid", "started_at", "seen_at"]
    readonly_fields = [f.name for f in WorkerBeat._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ScheduledJob)
class ScheduledJobAdmin(admin.ModelAdmin):
    """When each periodic task is next queued; the operator may move a run forward or back."""

    list_display = ["name", "next_run_at", "last_queued_at"]
    readonly_fields = ["name", "last_queued_at"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Every organisation's background jobs (imports, exports), for the operator; read only."""

    list_display = ["created_at", "organisation", "kind", "status", "done", "total", "started_by"]
    list_filter = ["status", "kind", "organisation"]
    exclude = ["input", "file"]
    readonly_fields = [f.name for f in Job._meta.fields if f.name not in ("input", "file")]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
