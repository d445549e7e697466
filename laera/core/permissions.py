"""Roles in Læra and what each may do (docs/product.md §2).

A person has one role in an organisation. Leaders act on the units they lead and everything below them;
coordinators on the units whose working group they sit in; admins on the whole organisation. Employees
read; external contributors see only what they are invited to.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Organisation admin")
    LEADER = "leader", _("Leader")
    COORDINATOR = "coordinator", _("Coordinator")
    EMPLOYEE = "employee", _("Employee")
    EXTERNAL = "external", _("External contributor")


# How far each role reaches: no one may give a role, or edit a person, ranking above their own.
ROLE_RANK: dict[str, int] = {
    Role.EXTERNAL: 0,
    Role.EMPLOYEE: 1,
    Role.COORDINATOR: 2,
    Role.LEADER: 3,
    Role.ADMIN: 4,
}


def role_rank(role: str) -> int:
    """The role's place in ROLE_RANK; -1 for an unknown role."""
    return ROLE_RANK.get(str(role), -1)


def descendants(parent_map: dict[int, int | None], roots: set[int]) -> set[int]:
    """All unit ids at or below `roots` in the tree given as {unit_id: parent_id}."""
    children: dict[int | None, list[int]] = {}
    for unit_id, parent_id in parent_map.items():
        children.setdefault(parent_id, []).append(unit_id)
    found: set[int] = set()
    stack = [r for r in roots if r in parent_map]
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.add(current)
        stack.extend(children.get(current, []))
    return found
