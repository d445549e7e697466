"""An outcome saved with a depth gets the depth's opening when its text has no verb (issue 10, item 3)."""

from __future__ import annotations

from typing import Any

import pytest

from laera.core import nkr
from laera.core.errors import ServiceError
from laera.plans import services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nb", "kan anvende MI i oppfølgingssamtaler"),
        ("sv", "kan tillämpa MI i oppfølgingssamtaler"),
        ("en", nkr.get_verb("apply").suggested("en") + " MI i oppfølgingssamtaler"),  # type: ignore[union-attr]
    ],
)
def test_the_opening_comes_in_the_plans_language(world: Any, language: str, expected: str) -> None:
    plan = world.extra_objects["plan"]
    plan.language = language
    plan.save()
    outcome = services.outcome_create(
        actor=world.actor("coordinator"),
        theme=world.extra_objects["theme"],
        text="  MI i oppfølgingssamtaler ",
        category="skills",
        verb="apply",
    )
    assert outcome.text == expected


def test_a_text_that_names_its_depth_is_kept(world: Any) -> None:
    theme = world.extra_objects["theme"]
    coordinator = world.actor("coordinator")
    kept = services.outcome_create(
        actor=coordinator, theme=theme, text="Veilederne kan anvende MI", category="skills", verb="apply"
    )
    assert kept.text == "Veilederne kan anvende MI"
    # Another step of the ladder is not overwritten either; the plan check speaks of a mismatch.
    other = services.outcome_create(
        actor=coordinator, theme=theme, text="Veilederne kjenner til MI", category="skills", verb="apply"
    )
    assert other.text == "Veilederne kjenner til MI"
    plain = services.outcome_create(actor=coordinator, theme=theme, text="MI", category="skills")
    assert plain.text == "MI"  # no depth chosen: nothing to put in front


def test_editing_adds_the_opening_too(world: Any) -> None:
    outcome = services.outcome_create(
        actor=None, theme=world.extra_objects["theme"], text="SE-metodikken", category="knowledge"
    )
    saved = services.outcome_update(
        actor=world.actor("coordinator"),
        outcome=outcome,
        text="SE-metodikken",
        category="knowledge",
        verb="know_of",
        version=outcome.version,
    )
    assert saved.text == nkr.get_verb("know_of").suggested("nb") + " SE-metodikken"  # type: ignore[union-attr]
    with pytest.raises(ServiceError):
        services.outcome_update(
            actor=world.actor("coordinator"),
            outcome=saved,
            text="  ",
            category="knowledge",
            verb="know_of",
            version=saved.version,
        )
