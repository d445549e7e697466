"""NAV Røyken's plan for spring 2015, published, with a draft team sub-plan.

The plan is the appendix of 003_8a0b773b4c09b074.txt (the KLAR guide, a source named in docs/product.md §7).
"""

from __future__ import annotations

import dataclasses
import datetime

from laera.competences import demo as competence_demo
from laera.competences.models import Catalogue
from laera.core.hooks import register_hook
from laera.documents.examples import royken_example
from laera.mapping.models import Arena, Method
from laera.organisations.models import Organisation, Person, Unit

from . import services
from .models import Outcome, Plan, PlanStatus, TimeKind
from .policies import EDITABLE

D = datetime.date


@register_hook("demo_load", order=30)
def load(organisation: Organisation) -> None:
    if Plan.objects.for_org(organisation).exists():
        return
    office = Unit.objects.get(organisation=organisation, name="NAV Røyken")
    # The appendix gives no evaluation date; the working group's minutes say the plan is evaluated in June.
    doc = royken_example()
    # The introduction says where the themes came from; the plan check wants it said per theme.
    why = (
        "Innspill fra de ansatte i kontoret, og oppdragsbrev og tilskuddsbrev fra NAV og "
        "Fylkesmannen i Buskerud."
    )
    doc = dataclasses.replace(
        doc,
        evaluation_on=D(2015, 6, 18),
        themes=tuple(dataclasses.replace(t, why=t.why or why) for t in doc.themes),
    )
    plan = services.plan_import(actor=None, unit=office, doc=doc)
    services.plan_set_status(actor=None, plan=plan, status=PlanStatus.PUBLISHED)
    _team_sub_plan(organisation, plan)


def _team_sub_plan(organisation: Organisation, parent: Plan) -> None:
    team = Unit.objects.get(organisation=organisation, name="Oppfølgingsteam")
    people = {p.email: p for p in Person.objects.for_org(organisation)}
    methods = {m.key: m for m in Method.objects.for_org(organisation)}
    arenas = {a.name: a for a in Arena.objects.for_org(organisation)}
    plan = services.plan_create(
        actor=None,
        unit=team,
        parent=parent,
        data=services.PlanInput(
            name="Våren 2015 – Oppfølgingsteam",
            period_start=D(2015, 1, 1),
            period_end=D(2015, 6, 30),
            introduction=(
                "Teamets delplan under kontorets plan for læring. Teammedlemmene bidrar selv til "
                "innholdet, og temaene er åpne for kolleger fra andre team."
            ),
            evaluation_on=D(2015, 6, 11),
            language="nb",
        ),
    )
    theme = services.theme_create(
        actor=None,
        plan=plan,
        title="Motiverende intervju i oppfølgingssamtalen",
        why="Forslag fra teammøtet i januar: flere ønsket å øve mer på MI.",
    )
    outcome = services.outcome_create(
        actor=None,
        theme=theme,
        category="skills",
        verb="apply",
        text="Veilederne i teamet kan anvende MI i oppfølgingssamtaler",
    )
    services.activity_create(
        actor=None,
        outcome=outcome,
        data=services.ActivityInput(
            arena=arenas.get("Veiledningsgrupper MI"),
            method=methods.get("guidance_group"),
            method_detail="Veiledningsgruppe med rollespill",
            responsible=people.get("koordinator@demo.laera.no"),
            participant_units=[team],
            time_kind=TimeKind.RECURRENCE,
            recurrence="every_3_weeks",
            dates=[D(2015, 1, 13)],
            open_to_others=True,
            hours=None,
        ),
    )
    services.activity_create(
        actor=None,
        outcome=outcome,
        data=services.ActivityInput(
            arena=arenas.get("Teammøte/fagmøte Oppfølgingsteam"),
            method=methods.get("case_discussion"),
            method_detail="Casedrøfting av egne samtaler",
            participant_units=[team],
            time_kind=TimeKind.DATES,
            dates=[D(2015, 2, 10), D(2015, 3, 10)],
        ),
    )
    second = services.outcome_create(
        actor=None,
        theme=theme,
        category="knowledge",
        verb="have_knowledge_of",
        text="Veilederne i teamet har kunnskap om forskningen på MI",
    )
    services.activity_create(
        actor=None,
        outcome=second,
        data=services.ActivityInput(
            place="E-arena",
            method=methods.get("e_learning"),
            method_detail="E-læringsmodul om MI",
            participant_units=[team],
            time_kind=TimeKind.DEADLINE,
            deadline=D(2015, 3, 1),
        ),
    )


# Learning outcomes of the office's plans, found by theme title, and the competences they build. The link
# belongs to plans, so it is made here, once both the plans (order 30) and the catalogue (40) are loaded.
OUTCOME_LINKS: list[tuple[str, list[str]]] = [
    ("Supported employment (SE)", ["se_principles", "se_job_development", "se_workplace_follow_up"]),
    ("Nasjonal kvalitetsstrategi", ["quality_strategy", "quality_improvement"]),
    ("Motiverende intervju i oppfølgingssamtalen", ["mi_basics"]),
]


@register_hook("demo_load", order=45)
def link_outcome_competences(organisation: Organisation) -> None:
    catalogue = Catalogue.objects.filter(
        organisation=organisation, template_key=competence_demo.TEMPLATE_KEY
    ).first()
    if catalogue is None:
        return
    competences = competence_demo.competences_by_key(catalogue)
    for theme_title, keys in OUTCOME_LINKS:
        outcome = (
            Outcome.objects.filter(organisation=organisation, theme__title=theme_title)
            .select_related("theme__plan")
            .order_by("theme__plan_id", "position", "pk")
            .first()
        )
        if outcome is None:
            continue
        linked = [competences[key] for key in keys]
        if set(outcome.competences.values_list("pk", flat=True)) == {c.pk for c in linked}:
            continue
        plan: Plan = outcome.theme.plan
        if plan.status in EDITABLE:
            services.outcome_set_competences(actor=None, outcome=outcome, competences=linked, version=None)
        else:
            # The office's plan was published in January 2015; the demo reproduces the links it was
            # published with, which the service (rightly) refuses on a published plan.
            outcome.competences.set(linked)
