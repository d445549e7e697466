from django.urls import path

from .views import administration, home, job_roles, people, units, working_groups

app_name = "organisations"

urlpatterns = [
    path("", home.org_home, name="home"),
    path("units/", units.unit_list, name="unit_list"),
    path("units/new/", units.unit_create, name="unit_create"),
    path("units/search/", units.unit_search, name="unit_search"),
    path("units/<int:unit_id>/", units.unit_detail, name="unit_detail"),
    path("units/<int:unit_id>/edit/", units.unit_edit, name="unit_edit"),
    path("units/<int:unit_id>/delete/", units.unit_delete, name="unit_delete"),
    path("units/<int:unit_id>/members/add/", units.membership_add, name="membership_add"),
    path("memberships/<int:membership_id>/remove/", units.membership_remove, name="membership_remove"),
    path(
        "units/<int:unit_id>/working-group/", working_groups.working_group_detail, name="working_group_detail"
    ),
    path(
        "units/<int:unit_id>/working-group/edit/",
        working_groups.working_group_edit,
        name="working_group_edit",
    ),
    path(
        "units/<int:unit_id>/working-group/members/add/",
        working_groups.working_group_member_add,
        name="working_group_member_add",
    ),
    path(
        "working-group-members/<int:member_id>/remove/",
        working_groups.working_group_member_remove,
        name="working_group_member_remove",
    ),
    path(
        "units/<int:unit_id>/working-group/meetings/new/",
        working_groups.meeting_create,
        name="meeting_create",
    ),
    path("meetings/<int:meeting_id>/", working_groups.meeting_detail, name="meeting_detail"),
    path("meetings/<int:meeting_id>/edit/", working_groups.meeting_edit, name="meeting_edit"),
    path("meetings/<int:meeting_id>/delete/", working_groups.meeting_delete, name="meeting_delete"),
    path("people/", people.person_list, name="person_list"),
    path("people/new/", people.person_create, name="person_create"),
    path("people/search/", people.person_search, name="person_search"),
    path("people/import/", administration.people_import, name="people_import"),
    path("people/import/<int:job_id>/", administration.people_import_job, name="people_import_job"),
    path(
        "people/import/template.csv",
        administration.people_import_template,
        {"fmt": "csv"},
        name="people_import_template_csv",
    ),
    path(
        "people/import/template.xlsx",
        administration.people_import_template,
        {"fmt": "xlsx"},
        name="people_import_template_xlsx",
    ),
    path("people/<int:person_id>/", people.person_detail, name="person_detail"),
    path("people/<int:person_id>/edit/", people.person_edit, name="person_edit"),
    path("people/<int:person_id>/invite/", people.person_invite, name="person_invite"),
    path("job-roles/", job_roles.job_role_list, name="job_role_list"),
    path("job-roles/<int:job_role_id>/edit/", job_roles.job_role_edit, name="job_role_edit"),
    path("job-roles/<int:job_role_id>/delete/", job_roles.job_role_delete, name="job_role_delete"),
    path("settings/", administration.organisation_settings, name="settings"),
    path("audit/", administration.audit_log, name="audit_log"),
]
