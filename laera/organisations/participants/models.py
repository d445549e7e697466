"""The participant fields, inherited by every model that says who takes part."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..models import JobRole, Person, Unit


class Participants(models.Model):
    """All employees, units, job roles, named people and external groups.

    The relations have no reverse accessor (`related_name="+"`): a unit does not list the arenas and
    activities it takes part in, the selectors of those apps ask instead. A concrete model keeps its own
    join tables (`<app>_<model>_participant_units`, ...).
    """

    participants_all = models.BooleanField(_("all employees"), default=False)
    participant_units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name=_("units"))
    participant_job_roles = models.ManyToManyField(
        JobRole, blank=True, related_name="+", verbose_name=_("job roles")
    )
    participant_people = models.ManyToManyField(
        Person, blank=True, related_name="+", verbose_name=_("named people")
    )
    participant_groups = models.CharField(
        _("external groups"), max_length=300, blank=True, help_text=_("Separated by commas.")
    )

    class Meta:
        abstract = True
