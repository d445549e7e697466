"""Reads for the competence pages: access helpers, the catalogue, rounds and the gap analysis.

`expected_of_me_summary` is the counts for "What is expected of me" on the start page: see
`expected.expected_of_me_summary`. It returns an `ExpectedSummary` with `required`, `below`, `unrated` and
`critical_below` (competences required of the actor now, how many they are under, how many have no
rating, how many of those under are critical) and `rounds_to_answer` with `next_deadline` (open mapping
rounds the actor has not finished, and the earliest deadline). Link to `competences:home`, where the list
itself is shown.
"""

from __future__ import annotations

from .expected import expected_of_me_summary as expected_of_me_summary
