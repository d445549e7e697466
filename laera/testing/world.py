"""A small, complete organisation for tests: one person of every role, units, a working group, minutes.

Built through the services, so tests see what the pages would have written.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from laera.core.permissions import Role
from laera.organisations.tenancy import Actor


@dataclass
class World:
    organisation: Any
    top: Any
    team: Any
    other_team: Any
    job_role: Any
    people: dict[str, Any]
    group: Any
    meeting: Any
    membership: Any
    group_member: Any
    extra: dict[str, Any] = field(default_factory=dict)
    extra_objects: dict[str, Any] = field(default_factory=dict)

    def actor(self, role: str) -> Actor:
        return Actor(organisation=self.organisation, person=self.people[role])

    def user(self, role: str) -> Any:
        return self.people[role].user


PASSWORD = "correct-horse-battery"  # noqa: S105 - test password


def build_world(name: str = "NAV Testby", slug: str | None = None) -> World:
    from laera.organisations import services

    slug = slug or name.lower().replace(" ", "-")
    organisation, admin, _password = services.organisation_create(
        name=name, slug=slug, admin_email=f"admin@{slug}.test", admin_name=f"Admin {name}"
    )
    top = services.unit_create(actor=None, organisation=organisation, name=f"{name} kontor")
    team = services.unit_create(actor=None, organisation=organisation, name="Oppfølging", parent=top)
    other_team = services.unit_create(actor=None, organisation=organisation, name="Mottak", parent=top)
    job_role = services.job_role_create(actor=None, organisation=organisation, name="NAV-veileder")

    def person(key: str, role: str, label: str, units: list[Any]) -> Any:
        return services.person_create(
            actor=None,
            organisation=organisation,
            full_name=f"{label} {name}",
            email=f"{key.replace('_', '-')}@{slug}.test",
            job_role=job_role,
            role=role,
            units=units,
        )

    people = {
        "admin": admin,
        "leader": person("leader", Role.LEADER, "Leder", [team]),
        "coordinator": person("coordinator", Role.COORDINATOR, "Koordinator", [team]),
        "employee": person("employee", Role.EMPLOYEE, "Ansatt", [team]),
        "external": person("external", Role.EXTERNAL, "Brukerrepresentant", []),
        "other_leader": person("other_leader", Role.LEADER, "Mottaksleder", [other_team]),
    }
    for p in people.values():
        p.user.set_password(PASSWORD)
        p.user.save()
    services.membership_add(actor=None, unit=top, person=admin)
    team.leader = people["leader"]
    team.save()
    other_team.leader = people["other_leader"]
    other_team.save()
    group_member = services.working_group_member_add(actor=None, unit=team, person=people["coordinator"])
    services.working_group_member_add(actor=None, unit=team, person=people["leader"])
    group = services.working_group_update(
        actor=None,
        unit=team,
        mandate="Lage plan for læring",
        deadline=datetime.date(2026, 1, 31),
        lead=people["coordinator"],
        minute_taker=people["coordinator"],
        version=None,  # the operator sets it up: no form to compare with
    )
    meeting = services.meeting_create(
        actor=None,
        unit=team,
        held_on=datetime.date(2025, 12, 1),
        minutes="Referat fra første møte.",
        minute_taker=people["coordinator"],
    )
    from laera.organisations.models import Membership

    membership = Membership.objects.get(person=people["employee"], unit=team)
    world = World(
        organisation=organisation,
        top=top,
        team=team,
        other_team=other_team,
        job_role=job_role,
        people=people,
        group=group,
        meeting=meeting,
        membership=membership,
        group_member=group_member,
    )
    _add_mapping(world)
    _add_plan(world)
    _add_competences(world)
    _add_job(world)
    _add_notification(world)
    return world


def _add_mapping(world: World) -> None:
    from laera.mapping import services as mapping
    from laera.mapping.models import Method, Recurrence

    arena = mapping.arena_create(
        actor=None,
        unit=world.team,
        data=mapping.ArenaInput(
            name="Teammøte",
            recurrence=Recurrence.WEEKLY,
            starts_on=datetime.date(2026, 1, 5),
            participant_units=[world.team],
            responsible=world.people["leader"],
        ),
    )
    flow = mapping.flow_create(
        actor=None,
        unit=world.team,
        data=mapping.FlowInput(
            transfer=1,
            activity="Fadderordning",
            arena=arena,
            informal_responsible=world.people["coordinator"],
        ),
    )
    method = Method.objects.for_org(world.organisation).get(key="buddy_scheme")
    world.extra.update(arena_id=arena.pk, flow_id=flow.pk, method_id=method.pk)
    world.extra_objects.update(arena=arena, flow=flow, method=method)


def url_objects(world: World) -> dict[str, int]:
    """For each URL keyword, the id of an object of this world's organisation.

    The cross-organisation harness fails on a URL keyword missing here, so every new kind of object
    in a URL must be added — which is what makes the harness cover every later page too.
    """
    return {
        "unit_id": world.team.pk,
        "person_id": world.people["employee"].pk,
        "job_role_id": world.job_role.pk,
        "meeting_id": world.meeting.pk,
        "membership_id": world.membership.pk,
        "member_id": world.group_member.pk,
        **world.extra,
    }


def _add_job(world: World) -> None:
    """A people import the admin started (of no rows: it ends at once), for the job's page."""
    from django.db import transaction

    from laera.organisations import services as organisations

    with transaction.atomic():
        job = organisations.people_import_start(
            actor=world.actor("admin"), rows=[], site_url="http://testserver"
        )
    world.extra.update(job_id=job.pk)
    world.extra_objects.update(job=job)


def _add_notification(world: World) -> None:
    """A notice for the admin: the plan is published."""
    from django.db import transaction

    from laera.core.notices import Notice, notify
    from laera.notifications.models import Notification

    plan = world.extra_objects["plan"]
    admin = world.people["admin"]
    with transaction.atomic():
        notify(
            Notice(
                kind="plans.published",
                organisation_id=world.organisation.pk,
                key=f"world.plans.published:{plan.pk}",
                url=plan.get_absolute_url(),
                params={"plan": plan.name, "lang": plan.language},
            ),
            [admin.pk],
        )
    notification = Notification.objects.get(person=admin, key=f"world.plans.published:{plan.pk}")
    world.extra.update(notification_id=notification.pk)
    world.extra_objects.update(notification=notification)


def _add_plan(world: World) -> None:
    from laera.plans import services as plans
    from laera.plans.models import TimeKind

    plan = plans.plan_create(
        actor=None,
        unit=world.team,
        data=plans.PlanInput(
            name="Våren 2026", period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 6, 30)
        ),
    )
    theme = plans.theme_create(actor=None, plan=plan, title="Supported Employment", why="Forslag fra ansatte")
    outcome = plans.outcome_create(
        actor=None,
        theme=theme,
        text="NAV-veiledere skal kjenne til grunnleggende forskning om SE",
        category="knowledge",
    )
    activity = plans.activity_create(
        actor=None,
        outcome=outcome,
        data=plans.ActivityInput(
            arena=world.extra_objects["arena"],
            method=world.extra_objects["method"],
            participants_all=True,
            time_kind=TimeKind.DATES,
            dates=[datetime.date(2026, 4, 22)],
        ),
    )
    world.extra.update(
        plan_id=plan.pk, theme_id=theme.pk, outcome_id=outcome.pk, activity_id=activity.pk, fmt="md"
    )
    world.extra_objects.update(plan=plan, theme=theme, outcome=outcome, activity=activity)


def _add_competences(world: World) -> None:
    """A catalogue with one competence required of the job role, an open round with the team's answers,
    a qualification and a gap sent to the input round."""
    from django.utils import timezone

    from laera.competences.models import Importance
    from laera.competences.selectors.gaps import Figures
    from laera.competences.services import catalogues, evidence, rounds

    organisation = world.organisation
    catalogue = catalogues.catalogue_create(actor=None, organisation=organisation, name="Kompetanse i NAV")
    area = catalogues.area_create(actor=None, catalogue=catalogue, name="Metoder")
    competence = catalogues.competence_create(
        actor=None,
        area=area,
        data=catalogues.CompetenceInput(name="Motiverende intervju", category="skills", nkr_level="6"),
    )
    catalogues.requirement_set(
        actor=None,
        data=catalogues.RequirementInput(
            competence=competence, job_role=world.job_role, level=3, importance=Importance.CRITICAL
        ),
    )
    today = timezone.localdate()
    round = rounds.round_create(
        actor=None,
        organisation=organisation,
        data=rounds.RoundInput(
            name="Kartlegging våren 2026",
            catalogue=catalogue,
            units=[world.team],
            opens_on=today - datetime.timedelta(days=7),
            deadline=today + datetime.timedelta(days=14),
        ),
    )
    rounds.assessment_save_self(
        actor=world.actor("employee"),
        round=round,
        data=rounds.SelfInput(competence=competence, level=2, wants_to_learn=True),
        version=0,  # not rated before
    )
    qualification = rounds.qualification_create(
        actor=None,
        person=world.people["employee"],
        data=rounds.QualificationInput(
            name="Førstehjelpskurs", expires_on=today + datetime.timedelta(days=30), competence=competence
        ),
    )
    signal = evidence.gap_signal_create(
        actor=None, competence=competence, figures=Figures(), round=round, unit=world.team
    )
    world.extra.update(
        catalogue_id=catalogue.pk,
        area_id=area.pk,
        competence_id=competence.pk,
        round_id=round.pk,
        qualification_id=qualification.pk,
        signal_id=signal.pk,
    )
    world.extra_objects.update(
        catalogue=catalogue,
        area=area,
        competence=competence,
        round=round,
        qualification=qualification,
        signal=signal,
    )
