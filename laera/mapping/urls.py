from django.urls import path

from .views import arenas, flows, methods

app_name = "mapping"

urlpatterns = [
    path("arenas/", arenas.arena_list, name="arena_list"),
    path("arenas/new/", arenas.arena_create, name="arena_create"),
    path("arenas/import/", arenas.arena_import, name="arena_import"),
    path("arenas/import/<int:job_id>/", arenas.arena_import_job, name="arena_import_job"),
    path("arenas/calendar/", arenas.arena_calendar, name="arena_calendar"),
    path("arenas/<int:arena_id>/", arenas.arena_detail, name="arena_detail"),
    path("arenas/<int:arena_id>/edit/", arenas.arena_edit, name="arena_edit"),
    path("arenas/<int:arena_id>/archive/", arenas.arena_archive, name="arena_archive"),
    path("flows/", flows.flow_overview, name="flow_overview"),
    path("units/<int:unit_id>/flows/", flows.unit_flows, name="unit_flows"),
    path("units/<int:unit_id>/flows/add/", flows.flow_add, name="flow_add"),
    path("units/<int:unit_id>/diagram/", flows.unit_diagram, name="unit_diagram"),
    path("units/<int:unit_id>/responsibility/", flows.unit_responsibility, name="unit_responsibility"),
    path("flows/<int:flow_id>/edit/", flows.flow_edit, name="flow_edit"),
    path("flows/<int:flow_id>/delete/", flows.flow_delete, name="flow_delete"),
    path("methods/", methods.method_list, name="method_list"),
    path("methods/new/", methods.method_create, name="method_create"),
    path("methods/<int:method_id>/", methods.method_detail, name="method_detail"),
    path("methods/<int:method_id>/edit/", methods.method_edit, name="method_edit"),
    path("methods/<int:method_id>/hide/", methods.method_hide, name="method_hide"),
]
