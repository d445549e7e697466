"""Who takes part: the same five kinds of participants on arenas, plan activities and, later, sessions and
input rounds.

All employees, units, job roles, named people and external groups (docs/product.md §3.2, §3.5), written
once:

- `models.Participants`, the abstract model whose fields a model that has participants inherits;
- `services.ParticipantsInput` (the Protocol a service's input satisfies, `ParticipantsData` gives it the
  fields) and the helpers a service calls to apply, save and audit them;
- `forms.ParticipantFields`, the form mixin with the fields, their widgets and their choices.

This module reads only: the label used by pages and documents.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

# The many-to-many relations; `participants_all` and `participant_groups` are plain fields.
RELATIONS = ("participant_units", "participant_job_roles", "participant_people")
FIELDS = ("participants_all", *RELATIONS, "participant_groups")


def participants_label(obj: Any) -> str:
    """The participants as one line of text; reads prefetched relations only."""
    parts: list[str] = []
    if obj.participants_all:
        parts.append(_("All employees"))
    parts += [u.name for u in obj.participant_units.all()]
    parts += [r.name for r in obj.participant_job_roles.all()]
    parts += [p.full_name for p in obj.participant_people.all()]
    if obj.participant_groups:
        parts.append(obj.participant_groups)
    return ", ".join(parts)
