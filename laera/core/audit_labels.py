"""Readable, translated names for the actions the audit log records, grouped by what they change."""

from __future__ import annotations

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry

# Every action a service writes, under the kind of thing it changes. A test scans the code for
# `action="…"` and fails when one is missing here.
ACTION_GROUPS: list[tuple[Promise, dict[str, Promise]]] = [
    (
        _("Organisation"),
        {
            "organisation.create": _("Organisation created"),
            "organisation.update": _("Organisation settings changed"),
            "unit.create": _("Unit created"),
            "unit.update": _("Unit changed"),
            "unit.delete": _("Unit deleted"),
            "job_role.create": _("Job role created"),
            "job_role.update": _("Job role changed"),
            "job_role.delete": _("Job role deleted"),
            "working_group.update": _("Working group changed"),
            "working_group.member_add": _("Working group member added"),
            "working_group.member_remove": _("Working group member removed"),
            "meeting.create": _("Meeting created"),
            "meeting.update": _("Meeting changed"),
            "meeting.delete": _("Meeting deleted"),
        },
    ),
    (
        _("People and accounts"),
        {
            "person.create": _("Person added"),
            "person.update": _("Person changed"),
            "person.email_change": _("Person's e-mail address changed"),
            "people.import": _("People imported"),
            "membership.add": _("Membership added"),
            "membership.remove": _("Membership removed"),
            "invitation.send": _("Invitation sent"),
            "invitation.accept": _("Invitation accepted"),
            "invitation.revoke": _("Invitation withdrawn"),
            "user.language": _("Language changed"),
            "user.email_change_request": _("E-mail address change requested"),
            "user.email_change": _("E-mail address changed"),
            "user.delete": _("User account deleted"),
        },
    ),
    (
        _("Mapping"),
        {
            "arena.create": _("Arena created"),
            "arena.update": _("Arena changed"),
            "arena.archive": _("Arena archived"),
            "arena.restore": _("Arena restored"),
            "flow.create": _("Knowledge flow created"),
            "flow.update": _("Knowledge flow changed"),
            "flow.delete": _("Knowledge flow deleted"),
            "method.create": _("Method created"),
            "method.update": _("Method changed"),
            "method.hide": _("Method hidden"),
            "method.show": _("Method shown again"),
        },
    ),
    (
        _("Competences"),
        {
            "catalogue.create": _("Catalogue created"),
            "catalogue.update": _("Catalogue changed"),
            "catalogue.copy": _("Catalogue copied"),
            "catalogue.from_template": _("Catalogue created from a template"),
            "catalogue.scale": _("Catalogue scale changed"),
            "area.create": _("Competence area created"),
            "area.update": _("Competence area changed"),
            "area.delete": _("Competence area deleted"),
            "competence.create": _("Competence created"),
            "competence.update": _("Competence changed"),
            "competence.delete": _("Competence deleted"),
            "requirement.create": _("Requirement set"),
            "requirement.update": _("Requirement changed"),
            "requirement.delete": _("Requirement removed"),
            "qualification.create": _("Qualification added"),
            "qualification.update": _("Qualification changed"),
            "qualification.delete": _("Qualification deleted"),
            "gap_signal.create": _("Gap signal added"),
            "gap_signal.delete": _("Gap signal deleted"),
        },
    ),
    (
        _("Mapping rounds"),
        {
            "round.create": _("Mapping round created"),
            "round.update": _("Mapping round changed"),
            "round.close": _("Mapping round closed"),
            "round.remind": _("Mapping round reminder sent"),
            "assessment.self": _("Self-assessment saved"),
            "assessment.leader": _("Leader assessment saved"),
            "assessment.leader_done": _("Leader assessment completed"),
        },
    ),
    (
        _("Plans"),
        {
            "plan.create": _("Plan created"),
            "plan.update": _("Plan changed"),
            "plan.copy": _("Plan copied"),
            "plan.comment": _("Plan comment written"),
            "plan.draft": _("Plan moved back to draft"),
            "plan.consultation": _("Plan sent out for comments"),
            "plan.published": _("Plan published"),
            "plan.running": _("Plan started"),
            "plan.evaluation": _("Plan evaluation started"),
            "plan.closed": _("Plan closed"),
            "theme.create": _("Theme created"),
            "theme.update": _("Theme changed"),
            "theme.delete": _("Theme deleted"),
            "outcome.create": _("Learning outcome created"),
            "outcome.update": _("Learning outcome changed"),
            "outcome.delete": _("Learning outcome deleted"),
            "outcome.competences": _("Learning outcome competences changed"),
            "activity.create": _("Activity created"),
            "activity.update": _("Activity changed"),
            "activity.delete": _("Activity deleted"),
            "activity.time_checked": _("Activity's copied time checked"),
        },
    ),
]

ACTION_LABELS: dict[str, Promise] = {
    action: label for _group, labels in ACTION_GROUPS for action, label in labels.items()
}


def action_label(action: str) -> str:
    """The translated name of `action`; an unknown one still reads as words ("Gap signal: create")."""
    label = ACTION_LABELS.get(action)
    if label is not None:
        return str(label)
    subject, _dot, verb = action.partition(".")
    subject = subject.replace("_", " ").strip().capitalize()
    verb = verb.replace("_", " ").strip()
    return f"{subject}: {verb}" if verb else subject


def object_description(entry: AuditEntry) -> str:
    """What the entry changed; an object without a name is described by its kind, never by a bare id."""
    name = entry.object_repr.strip()
    if name and name != entry.object_id:
        return name
    try:
        kind = str(apps.get_model(entry.object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        kind = gettext("object")
    return gettext("%(kind)s without a title") % {"kind": kind.capitalize()}
