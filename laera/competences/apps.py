from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetencesConfig(AppConfig):
    name = "laera.competences"
    label = "competences"
    verbose_name = _("Competences")
