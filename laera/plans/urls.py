from django.urls import path

from .views import evidence, items, plans

app_name = "plans"

urlpatterns = [
    path("", plans.plan_list, name="plan_list"),
    path("new/", plans.plan_create, name="plan_create"),
    path("<int:plan_id>/", plans.plan_detail, name="plan_detail"),
    path("<int:plan_id>/edit/", plans.plan_edit, name="plan_edit"),
    path("<int:plan_id>/status/", plans.plan_status, name="plan_status"),
    path("<int:plan_id>/comments/", plans.plan_comment, name="plan_comment"),
    path("<int:plan_id>/send-for-comments/", plans.plan_send_for_comments, name="plan_send_for_comments"),
    path("<int:plan_id>/print/", plans.plan_print, name="plan_print"),
    path("<int:plan_id>/timeline/", plans.plan_timeline, name="plan_timeline"),
    path("<int:plan_id>/copy/", plans.plan_copy, name="plan_copy"),
    path("<int:plan_id>/download/<slug:fmt>/", plans.plan_download, name="plan_download"),
    path("<int:plan_id>/themes/new/", items.theme_create, name="theme_create"),
    path("themes/<int:theme_id>/edit/", items.theme_edit, name="theme_edit"),
    path("themes/<int:theme_id>/delete/", items.theme_delete, name="theme_delete"),
    path("themes/<int:theme_id>/outcomes/new/", items.outcome_create, name="outcome_create"),
    path("outcomes/<int:outcome_id>/edit/", items.outcome_edit, name="outcome_edit"),
    path("outcomes/<int:outcome_id>/delete/", items.outcome_delete, name="outcome_delete"),
    path("outcomes/<int:outcome_id>/activities/new/", items.activity_create, name="activity_create"),
    path("activities/<int:activity_id>/edit/", items.activity_edit, name="activity_edit"),
    path("activities/<int:activity_id>/delete/", items.activity_delete, name="activity_delete"),
    path(
        "activities/<int:activity_id>/time-checked/",
        items.activity_time_checked,
        name="activity_time_checked",
    ),
]

# Pages of plans that live at an address under the competence pages (named `competences:…`): laera.config.urls
# adds them to the competences namespace, because the link they edit belongs to plans.
competence_urlpatterns = [
    path("outcomes/<int:outcome_id>/", evidence.outcome_competences, name="outcome_competences"),
]
