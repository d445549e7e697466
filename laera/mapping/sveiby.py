"""Sveiby's nine knowledge transfers (Sveiby 2001), as the KLAR guide (003_8a0b773b4c09b074.txt, see
docs/product.md §7) uses them; the table is in docs/product.md §5.

Three families: individual competence (C), internal structure (I: routines, systems, templates, culture)
and external structure (E: users, partners, employers, colleges, reputation).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Family(models.TextChoices):
    COMPETENCE = "C", _("Individual competence")
    INTERNAL = "I", _("Internal structure")
    EXTERNAL = "E", _("External structure")


@dataclass(frozen=True)
class Transfer:
    number: int
    source: str
    target: str
    name: Promise
    example: Promise
    gap_advice: Promise


TRANSFERS: tuple[Transfer, ...] = (
    Transfer(
        1,
        "C",
        "C",
        _("Between individuals"),
        _(
            "Buddy scheme, collegial guidance, shoulder-to-shoulder learning, "
            "two colleagues sharing one user."
        ),
        _(
            "Nothing is mapped between colleagues. A buddy scheme, collegial guidance or two colleagues "
            "sharing a user lets experience pass from person to person."
        ),
    ),
    Transfer(
        2,
        "C",
        "E",
        _("From individuals to external structure"),
        _("Staff teach partners or users, talks at partner forums."),
        _(
            "Staff do not share what they know with users or partners. A talk at a partner forum or a "
            "session for employers would carry the office's knowledge out."
        ),
    ),
    Transfer(
        3,
        "E",
        "C",
        _("From external structure to individuals"),
        _("College lectures, user council input, company visits, courses."),
        _(
            "Nothing brings knowledge in from outside. Company visits, a lecture from a college or input "
            "from the user council would bring it to the staff."
        ),
    ),
    Transfer(
        4,
        "C",
        "I",
        _("From individual competence to internal structure"),
        _("Writing routines, checklists, lessons learned into the shared guidance platform."),
        _(
            "What people learn stays in their heads. Writing routines, checklists or lessons learned into "
            "a shared place makes it the office's knowledge."
        ),
    ),
    Transfer(
        5,
        "I",
        "C",
        _("From internal structure to individual competence"),
        _("E-learning modules, onboarding from documented routines, the guidance platform."),
        _(
            "Routines and systems do not reach people. E-learning modules or onboarding from the "
            "documented routines would teach what the office already knows."
        ),
    ),
    Transfer(
        6,
        "E",
        "E",
        _("Within external structure"),
        _("Regional networks, user forums, inter-municipal collaboration."),
        _(
            "No networks among partners are mapped. Regional networks, user forums or collaboration "
            "between municipalities let partners learn from each other."
        ),
    ),
    Transfer(
        7,
        "E",
        "I",
        _("From external to internal structure"),
        _("User feedback and complaints change routines; cooperation agreements."),
        _(
            "Feedback from users and partners does not change how the office works. Let complaints, "
            "user feedback and cooperation agreements change the routines."
        ),
    ),
    Transfer(
        8,
        "I",
        "E",
        _("From internal to external structure"),
        _("Published guides, self-service, a shared measures base in the region."),
        _(
            "The office's routines and tools are not shared outside. Published guides, self-service or a "
            "shared base of measures in the region would carry them out."
        ),
    ),
    Transfer(
        9,
        "I",
        "I",
        _("Within internal structure"),
        _("Aligning systems, templates and processes across teams."),
        _(
            "Nothing connects the teams' systems and routines. Aligning templates and processes across "
            "teams lets the structure learn from itself."
        ),
    ),
)

BY_NUMBER = {t.number: t for t in TRANSFERS}
TRANSFER_CHOICES = [(t.number, t.name) for t in TRANSFERS]
