from django.contrib import admin
from django.urls import include, path

from laera.competences import urls as competence_urls
from laera.core import views as core_views
from laera.organisations.views import home as organisation_home
from laera.plans import urls as plan_urls

urlpatterns = [
    path("", organisation_home.choose_organisation, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accessibility/", core_views.accessibility_statement, name="accessibility"),
    path("accounts/", include("laera.accounts.urls")),
    path("invitations/", include("laera.organisations.invitation_urls")),
    path("o/<slug:org_slug>/", include("laera.organisations.urls")),
    path("o/<slug:org_slug>/mapping/", include("laera.mapping.urls")),
    path("o/<slug:org_slug>/plans/", include("laera.plans.urls")),
    path("o/<slug:org_slug>/", include("laera.notifications.urls")),
    # The competences namespace also holds plans' page of an outcome's competences, at its old address.
    path(
        "o/<slug:org_slug>/competences/",
        include((competence_urls.urlpatterns + plan_urls.competence_urlpatterns, competence_urls.app_name)),
    ),
    path("admin/", admin.site.urls),
]

handler404 = "laera.core.views.error_404"
handler403 = "laera.core.views.error_403"
handler500 = "laera.core.views.error_500"
