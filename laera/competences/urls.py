from django.urls import path

from .views import catalogues, gaps, overview, rounds

app_name = "competences"

urlpatterns = [
    path("", rounds.competence_home, name="home"),
    # Catalogue, scale and requirements
    path("catalogues/", catalogues.catalogue_list, name="catalogue_list"),
    path("catalogues/new/", catalogues.catalogue_create, name="catalogue_create"),
    path("catalogues/<int:catalogue_id>/", catalogues.catalogue_detail, name="catalogue_detail"),
    path("catalogues/<int:catalogue_id>/edit/", catalogues.catalogue_edit, name="catalogue_edit"),
    path("catalogues/<int:catalogue_id>/scale/", catalogues.catalogue_scale, name="catalogue_scale"),
    path("catalogues/<int:catalogue_id>/copy/", catalogues.catalogue_copy, name="catalogue_copy"),
    path("catalogues/<int:catalogue_id>/import/", catalogues.catalogue_import, name="catalogue_import"),
    path(
        "catalogues/<int:catalogue_id>/import/<int:job_id>/",
        catalogues.catalogue_import_job,
        name="catalogue_import_job",
    ),
    path(
        "catalogues/<int:catalogue_id>/export.csv",
        catalogues.catalogue_export_csv,
        name="catalogue_export_csv",
    ),
    path(
        "catalogues/<int:catalogue_id>/export.xlsx",
        catalogues.catalogue_export_xlsx,
        name="catalogue_export_xlsx",
    ),
    path("catalogues/<int:catalogue_id>/areas/new/", catalogues.area_create, name="area_create"),
    path("areas/<int:area_id>/edit/", catalogues.area_edit, name="area_edit"),
    path("areas/<int:area_id>/delete/", catalogues.area_delete, name="area_delete"),
    path(
        "catalogues/<int:catalogue_id>/competences/new/",
        catalogues.competence_create,
        name="competence_create",
    ),
    path("competences/<int:competence_id>/", catalogues.competence_detail, name="competence_detail"),
    path("competences/<int:competence_id>/edit/", catalogues.competence_edit, name="competence_edit"),
    path("competences/<int:competence_id>/delete/", catalogues.competence_delete, name="competence_delete"),
    path("catalogues/<int:catalogue_id>/requirements/", catalogues.requirements, name="requirements"),
    # Mapping rounds, self-assessment, the leader's rating, qualifications
    path("rounds/", rounds.round_list, name="round_list"),
    path("rounds/new/", rounds.round_create, name="round_create"),
    path("rounds/<int:round_id>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:round_id>/edit/", rounds.round_edit, name="round_edit"),
    path("rounds/<int:round_id>/close/", rounds.round_close, name="round_close"),
    path("rounds/<int:round_id>/remind/", rounds.round_remind, name="round_remind"),
    path("rounds/<int:round_id>/me/", rounds.self_assessment, name="self_assessment"),
    path(
        "rounds/<int:round_id>/me/<int:competence_id>/",
        rounds.self_assessment_save,
        name="self_assessment_save",
    ),
    path("rounds/<int:round_id>/people/<int:person_id>/", rounds.leader_rating, name="leader_rating"),
    path(
        "rounds/<int:round_id>/people/<int:person_id>/<int:competence_id>/",
        rounds.leader_rating_save,
        name="leader_rating_save",
    ),
    path(
        "rounds/<int:round_id>/people/<int:person_id>/done/",
        rounds.leader_rating_done,
        name="leader_rating_done",
    ),
    path("qualifications/", rounds.qualification_list, name="qualification_list"),
    path(
        "people/<int:person_id>/qualifications/new/", rounds.qualification_create, name="qualification_create"
    ),
    path("qualifications/<int:qualification_id>/edit/", rounds.qualification_edit, name="qualification_edit"),
    path(
        "qualifications/<int:qualification_id>/delete/",
        rounds.qualification_delete,
        name="qualification_delete",
    ),
    # Gap analysis
    path("gaps/", overview.gap_overview, name="gap_overview"),
    path("gaps/heatmap.xlsx", gaps.gap_export, name="gap_export"),
    path("gaps/exports/<int:job_id>/", gaps.gap_export_job, name="gap_export_job"),
    path("gaps/exports/<int:job_id>/download/", gaps.gap_export_download, name="gap_export_download"),
    path("gaps/units/<int:unit_id>/", gaps.unit_gaps, name="unit_gaps"),
    path("gaps/units/<int:unit_id>/report.xlsx", gaps.unit_gap_export, name="unit_gap_export"),
    path("people/<int:person_id>/", gaps.person_profile, name="person_profile"),
    path("gaps/signals/", gaps.gap_signal_list, name="gap_signal_list"),
    path("gaps/signals/new/", gaps.gap_signal_create, name="gap_signal_create"),
    path("gaps/signals/<int:signal_id>/withdraw/", gaps.gap_signal_withdraw, name="gap_signal_withdraw"),
]
