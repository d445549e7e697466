"""Services of mapping rounds: answering, the leader's rating, reminders, requirements, qualifications."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.formats import date_format

from laera.competences.models import Assessment, Importance, MappingRound, Qualification, RoundParticipant
from laera.competences.selectors import rounds as selectors
from laera.competences.services import catalogues
from laera.competences.services import rounds as services
from laera.core.errors import ServiceError
from laera.testing.world import World

from .gap_world import row_version

pytestmark = pytest.mark.django_db


def _round(world: World) -> MappingRound:
    return world.extra_objects["round"]


def _second_competence(world: World, level: int = 2) -> Any:
    competence = catalogues.competence_create(
        actor=None,
        area=world.extra_objects["area"],
        data=catalogues.CompetenceInput(name="Arbeidsrett", category="knowledge"),
    )
    catalogues.requirement_set(
        actor=None,
        data=catalogues.RequirementInput(competence=competence, unit=world.team, level=level),
    )
    return competence


def test_round_create_invites_the_people_of_the_units_below(world: World) -> None:
    round = services.round_create(
        actor=world.actor("admin"),
        organisation=world.organisation,
        data=services.RoundInput(
            name="Hele kontoret",
            catalogue=world.extra_objects["catalogue"],
            units=[world.top],
            opens_on=timezone.localdate(),
            deadline=timezone.localdate() + datetime.timedelta(days=10),
        ),
    )
    invited = set(round.participants.values_list("person_id", flat=True))
    people = world.people
    assert {
        people["employee"].pk,
        people["coordinator"].pk,
        people["other_leader"].pk,
        people["admin"].pk,
    } <= invited
    assert people["external"].pk not in invited


def test_a_leader_may_not_start_a_round_for_another_unit(world: World) -> None:
    data = services.RoundInput(
        name="Mottak",
        catalogue=world.extra_objects["catalogue"],
        units=[world.other_team],
        opens_on=timezone.localdate(),
        deadline=timezone.localdate(),
    )
    with pytest.raises(PermissionDenied):
        services.round_create(actor=world.actor("leader"), organisation=world.organisation, data=data)


def test_round_update_refuses_a_catalogue_of_another_organisation(world: World, other_world: World) -> None:
    round = _round(world)
    data = services.RoundInput(
        name=round.name,
        catalogue=other_world.extra_objects["catalogue"],
        units=[world.team],
        opens_on=round.opens_on,
        deadline=round.deadline,
    )
    with pytest.raises(ServiceError):
        services.round_update(actor=world.actor("admin"), round=round, data=data, version=round.version)


def test_self_assessment_rules(world: World) -> None:
    round = _round(world)
    competence = world.extra_objects["competence"]
    employee = world.actor("employee")
    # A level outside the scale (0–4).
    with pytest.raises(ServiceError):
        services.assessment_save_self(
            actor=employee, round=round, data=services.SelfInput(competence, level=5), version=1
        )
    # Someone outside the round.
    with pytest.raises(ServiceError):
        services.assessment_save_self(
            actor=world.actor("other_leader"),
            round=round,
            data=services.SelfInput(competence, level=1),
            version=0,
        )
    # A competence that does not apply to the person.
    loose = catalogues.competence_create(
        actor=None,
        area=world.extra_objects["area"],
        data=catalogues.CompetenceInput(name="Uten krav", category="knowledge"),
    )
    with pytest.raises(ServiceError):
        services.assessment_save_self(
            actor=employee, round=round, data=services.SelfInput(loose, level=1), version=0
        )
    # Saved and dated.
    row = services.assessment_save_self(
        actor=employee,
        round=round,
        data=services.SelfInput(competence, level=3, comment=" Brukt mye "),
        version=1,  # the world's employee answered once
    )
    assert (row.self_level, row.self_comment, row.wants_to_learn) == (3, "Brukt mye", False)
    assert row.self_at is not None and row.required_level == 3 and row.importance == Importance.CRITICAL


def test_closed_and_planned_rounds_take_no_answers(world: World) -> None:
    round = _round(world)
    competence = world.extra_objects["competence"]
    services.round_close(actor=world.actor("leader"), round=round)
    round.refresh_from_db()
    with pytest.raises(ServiceError):
        services.assessment_save_self(
            actor=world.actor("employee"),
            round=round,
            data=services.SelfInput(competence, level=1),
            version=1,
        )
    with pytest.raises(ServiceError):
        services.assessment_save_leader(
            actor=world.actor("leader"),
            round=round,
            person=world.people["employee"],
            data=services.LeaderInput(competence, level=2),
            version=1,
        )
    with pytest.raises(ServiceError):
        services.leader_rating_done(actor=world.actor("leader"), round=round, person=world.people["employee"])
    round.closed_at = None
    round.opens_on = timezone.localdate() + datetime.timedelta(days=1)
    round.save()
    with pytest.raises(ServiceError):
        services.assessment_save_self(
            actor=world.actor("employee"),
            round=round,
            data=services.SelfInput(competence, level=1),
            version=1,
        )


def test_answered_follows_the_answers(world: World) -> None:
    round = _round(world)
    employee = world.actor("employee")
    participant = RoundParticipant.objects.get(round=round, person=world.people["employee"])
    assert participant.submitted_at is not None
    second = _second_competence(world)
    participant.refresh_from_db()
    assert participant.submitted_at is None  # a new requirement, not rated yet: in progress again
    first = world.extra_objects["competence"]
    person = world.people["employee"]
    services.assessment_save_self(
        actor=employee,
        round=round,
        data=services.SelfInput(first, level=None),
        version=row_version(round, person, first),
    )
    participant.refresh_from_db()
    assert participant.submitted_at is None
    services.assessment_save_self(
        actor=employee,
        round=round,
        data=services.SelfInput(first, level=1),
        version=row_version(round, person, first),
    )
    participant.refresh_from_db()
    assert participant.submitted_at is None  # the second competence is still unrated
    services.assessment_save_self(
        actor=employee, round=round, data=services.SelfInput(second, level=2), version=0
    )
    participant.refresh_from_db()
    assert participant.submitted_at is not None


def test_leader_rating_side_by_side(world: World) -> None:
    round = _round(world)
    competence = world.extra_objects["competence"]
    employee = world.people["employee"]
    row = services.assessment_save_leader(
        actor=world.actor("leader"),
        round=round,
        person=employee,
        data=services.LeaderInput(competence, level=3, comment="Godt", agreed_level=3),
        version=1,
    )
    assert (row.self_level, row.leader_level, row.agreed_level) == (2, 3, 3)
    assert row.self_at and row.leader_at and row.agreed_at and row.leader == world.people["leader"]
    with pytest.raises(PermissionDenied):
        services.assessment_save_leader(
            actor=world.actor("other_leader"),
            round=round,
            person=employee,
            data=services.LeaderInput(competence, level=1),
            version=row.version,
        )
    with pytest.raises(PermissionDenied):
        services.assessment_save_leader(
            actor=world.actor("coordinator"),
            round=round,
            person=employee,
            data=services.LeaderInput(competence, level=1),
            version=row.version,
        )
    with pytest.raises(ServiceError):
        services.assessment_save_leader(
            actor=world.actor("leader"),
            round=round,
            person=employee,
            data=services.LeaderInput(competence, level=9),
            version=row.version,
        )
    with pytest.raises(PermissionDenied):
        services.leader_rating_done(actor=world.actor("other_leader"), round=round, person=employee)
    done = services.leader_rating_done(actor=world.actor("leader"), round=round, person=employee)
    assert done.leader_done_at is not None


def test_refresh_requirements_carries_a_new_level_into_open_rounds_only(world: World) -> None:
    round = _round(world)
    competence = world.extra_objects["competence"]
    closed = services.round_create(
        actor=None,
        organisation=world.organisation,
        data=services.RoundInput(
            name="I fjor",
            catalogue=world.extra_objects["catalogue"],
            units=[world.team],
            opens_on=timezone.localdate() - datetime.timedelta(days=3),
            deadline=timezone.localdate() + datetime.timedelta(days=3),
        ),
    )
    services.assessment_save_self(
        actor=world.actor("employee"), round=closed, data=services.SelfInput(competence, level=2), version=0
    )
    services.round_close(actor=world.actor("admin"), round=closed)
    requirement = competence.requirements.get()
    requirement.level = 4
    requirement.save()
    changed = services.refresh_requirements(world.extra_objects["catalogue"])
    assert changed == 1
    assert Assessment.objects.get(round=round, person=world.people["employee"]).required_level == 4
    assert Assessment.objects.get(round=closed, person=world.people["employee"]).required_level == 3


def test_reminders_go_once_in_the_persons_language(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    round = _round(world)
    coordinator = world.people["coordinator"]
    coordinator.user.language = "en"
    coordinator.user.save()
    leader = world.people["leader"]
    leader.user.language = "nb"
    leader.user.save()
    round.deadline = timezone.localdate() + datetime.timedelta(days=2)
    round.save()
    assert services.reminders_due(round)
    out = io.StringIO()
    call_command("send-round-reminders", "--dry-run", stdout=out)
    assert "2 reminders would be sent" in out.getvalue()
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send-round-reminders", stdout=out)
    # The employee has answered; the coordinator and the leader have not. The reminder is a notice,
    # e-mailed when the change commits, in each person's language.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([coordinator.email, leader.email])
    by_person = {m.to[0]: m for m in mail.outbox}
    for email, language in ((coordinator.email, "en"), (leader.email, "nb")):
        with translation.override(language):
            deadline = date_format(round.deadline, "DATE_FORMAT")
        assert deadline in by_person[email].subject and round.name in by_person[email].subject
    with translation.override("en"):
        english = date_format(round.deadline, "DATE_FORMAT")
    with translation.override("nb"):
        assert date_format(round.deadline, "DATE_FORMAT") != english
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send-round-reminders", stdout=out)
    assert len(mail.outbox) == 2
    assert RoundParticipant.objects.filter(round=round, reminded_at__isnull=False).count() == 2
    # Sending again by hand reaches them a second time.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.round_send_reminders(actor=world.actor("leader"), round=round, again=True) == 2
    assert len(mail.outbox) == 4


def test_reminder_not_due_before_its_day(world: World) -> None:
    round = _round(world)
    round.reminder_days = 3
    round.deadline = timezone.localdate() + datetime.timedelta(days=10)
    round.save()
    assert not services.reminders_due(round)
    call_command("send-round-reminders", stdout=io.StringIO())
    assert mail.outbox == []


def test_qualifications_and_who_sees_them_expiring(world: World) -> None:
    today = timezone.localdate()
    employee = world.people["employee"]
    expired = services.qualification_create(
        actor=world.actor("leader"),
        person=employee,
        data=services.QualificationInput(
            name="Truckførerbevis", expires_on=today - datetime.timedelta(days=2)
        ),
    )
    later = services.qualification_create(
        actor=world.actor("employee"),
        person=employee,
        data=services.QualificationInput(
            name="Master", kind="education", expires_on=today + datetime.timedelta(days=400)
        ),
    )
    with pytest.raises(PermissionDenied):
        services.qualification_create(
            actor=world.actor("other_leader"), person=employee, data=services.QualificationInput(name="X")
        )
    with pytest.raises(ServiceError):
        services.qualification_update(
            actor=world.actor("employee"),
            qualification=later,
            data=services.QualificationInput(
                name="Master", obtained_on=today, expires_on=today - datetime.timedelta(days=1)
            ),
            version=later.version,
        )
    leader_view = list(selectors.qualifications_expiring(world.actor("leader"), 90))
    assert expired in leader_view and later not in leader_view
    assert world.extra_objects["qualification"] in leader_view
    assert list(selectors.qualifications_expiring(world.actor("other_leader"), 90)) == []
    assert list(selectors.qualifications_expiring(world.actor("employee"), 90)) == []
    assert later in selectors.qualifications_expiring(world.actor("admin"), 500)
    services.qualification_delete(actor=world.actor("employee"), qualification=later)
    assert not Qualification.objects.filter(pk=later.pk).exists()
