"""A plan as plain data, and back: export → import into another organisation → export is the same."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

import pytest

from laera.documents.plan_data import PlanDocument
from laera.plans import selectors, services
from laera.plans.exchange import plan_document
from laera.plans.models import Activity, TimeKind
from laera.plans.services import plan_import

pytestmark = pytest.mark.django_db
D = datetime.date


def _without_keys(doc: PlanDocument) -> PlanDocument:
    themes = tuple(
        dataclasses.replace(
            t,
            key="",
            outcomes=tuple(
                dataclasses.replace(
                    o, key="", activities=tuple(dataclasses.replace(a, key="") for a in o.activities)
                )
                for o in t.outcomes
            ),
        )
        for t in doc.themes
    )
    return dataclasses.replace(doc, themes=themes, children=tuple(_without_keys(c) for c in doc.children))


def _export(plan: Any) -> PlanDocument:
    return plan_document(selectors.plan_tree_queryset().get(pk=plan.pk))


def test_round_trip_into_another_organisation(world: Any, other_world: Any) -> None:
    plan = world.extra_objects["plan"]
    outcome = world.extra_objects["outcome"]
    services.activity_create(
        actor=None,
        outcome=outcome,
        data=services.ActivityInput(
            place="Høgskolen i Østfold",
            method_detail="Forelesning «SE i praksis»",
            responsible_external="HiØ",
            participants_text="Alle ansatte i kontoret",
            time_kind=TimeKind.DATES,
            dates=[D(2026, 4, 22), D(2026, 4, 23)],
            dates_are_alternatives=True,
            hours=None,
        ),
    )
    services.activity_create(
        actor=None,
        outcome=outcome,
        data=services.ActivityInput(
            time_kind=TimeKind.RECURRENCE,
            recurrence="every_3_weeks",
            dates=[D(2026, 1, 13)],
            participants_all=True,
            mandatory=True,
            capacity=8,
            hours=None,
        ),
    )
    services.activity_create(
        actor=None,
        outcome=outcome,
        data=services.ActivityInput(
            time_kind=TimeKind.DEADLINE,
            deadline=D(2026, 5, 1),
            place="E-arena",
            method_detail="E-læring om SE",
        ),
    )
    services.activity_create(
        actor=None,
        outcome=outcome,
        data=services.ActivityInput(
            time_kind=TimeKind.TRIGGER, trigger="Nyansatt medarbeider", place="Høgskole"
        ),
    )
    first = _export(plan)
    copy = plan_import(actor=None, unit=other_world.team, doc=first)
    second = _export(copy)
    assert _without_keys(
        dataclasses.replace(
            second, organisation=first.organisation, unit=first.unit, leader=first.leader, status=first.status
        )
    ) == _without_keys(first)
    assert copy.organisation == other_world.organisation
    recurring = Activity.objects.get(outcome__theme__plan=copy, time_kind=TimeKind.RECURRENCE)
    assert recurring.rrule == "FREQ=WEEKLY;INTERVAL=3" and recurring.recurrence == "every_3_weeks"
    mapped = Activity.objects.filter(outcome__theme__plan=copy, arena__isnull=False).get()
    assert mapped.arena.organisation == other_world.organisation  # type: ignore[union-attr]


def test_documents_are_in_the_plans_language(world: Any) -> None:
    plan = world.extra_objects["plan"]
    plan.language = "sv"
    plan.save()
    doc = _export(plan)
    assert doc.language == "sv"
    assert doc.labels.outcome != "Learning outcome"


def test_linked_competences_travel_by_name(world: Any, other_world: Any) -> None:
    """The outcome's competences go out by name and come back linked to the receiving organisation's
    competences of the same name; one it does not have is left out."""
    from laera.competences.services import catalogues

    outcome = world.extra_objects["outcome"]
    competence = world.extra_objects["competence"]  # "Motiverende intervju" in both worlds' catalogues
    only_here = catalogues.competence_create(
        actor=None, area=world.extra_objects["area"], data=catalogues.CompetenceInput(name="Jobbutvikling")
    )
    outcome.competences.set([competence, only_here])
    first = _export(world.extra_objects["plan"])
    assert first.themes[0].outcomes[0].competences == ("Jobbutvikling", "Motiverende intervju")
    copy = plan_import(actor=None, unit=other_world.team, doc=first)
    imported = copy.themes.get().outcomes.get()
    assert list(imported.competences.all()) == [other_world.extra_objects["competence"]]
