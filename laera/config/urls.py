from django.contrib import admin
from django.urls import include, path

from laera.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accessibility/", core_views.accessibility_statement, name="accessibility"),
    path("accounts/", include("laera.accounts.urls")),
    path("invitations/", include("laera.organisations.invitation_urls")),
    path("o/<slug:org_slug>/", include("laera.organisations.urls")),
    path("o/<slug:org_slug>/mapping/", include("laera.mapping.urls")),
    path("o/<slug:org_slug>/plans/", include("laera.plans.urls")),
    path("o/<slug:org_slug>/competences/", include("laera.competences.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "laera.core.views.error_404"
handler403 = "laera.core.views.error_403"
handler500 = "laera.core.views.error_500"
