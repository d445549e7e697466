"""Who takes part: the same five kinds of participants on arenas and on plan activities.

All employees, units, job roles, named people and external groups (PRODUCT.md §3.2, §3.5). Models that
have them carry `participants_all`, the three many-to-many relations below and `participant_groups`.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from laera.core.audit import snapshot

RELATIONS = ("participant_units", "participant_job_roles", "participant_people")


def set_participants(obj: Any, data: Any) -> None:
    """Give `obj` the units, job roles and people named on `data` (an input dataclass of a service)."""
    for relation in RELATIONS:
        getattr(obj, relation).set(getattr(data, relation))


def snapshot_with_participants(obj: Any) -> dict[str, Any]:
    """The audit snapshot of `obj`, with the ids of its participants."""
    return snapshot(obj) | {
        relation: sorted(o.pk for o in getattr(obj, relation).all()) for relation in RELATIONS
    }


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
