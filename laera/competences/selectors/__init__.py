"""Reads for the competence pages: access helpers, the catalogue, rounds and the gap analysis."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from laera.organisations.tenancy import Actor

    from .expected import ExpectedSummary


def expected_of_me_summary(actor: Actor) -> ExpectedSummary:
    """The counts for "What is expected of me" on the start page: see `expected.expected_of_me_summary`.

    Returns an `ExpectedSummary` with `required`, `below`, `unrated` and `critical_below` (competences
    required of the actor now, how many they are under, how many have no rating, how many of those under
    are critical) and `rounds_to_answer` with `next_deadline` (open mapping rounds the actor has not
    finished, and the earliest deadline). Link to `competences:home`, where the list itself is shown.
    """
    from .expected import expected_of_me_summary as summary  # the models load after the app registry

    return summary(actor)
