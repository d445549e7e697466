"""Each organisation page as each role: admin, leader, coordinator, employee, external, and no one."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from laera.core.permissions import Role
from laera.organisations import services
from laera.organisations.models import (
    JobRole,
    Membership,
    Person,
    Unit,
    WorkingGroupMeeting,
    WorkingGroupMember,
)

pytestmark = pytest.mark.django_db

ROLES = ["admin", "leader", "coordinator", "employee", "external"]


def url(world: Any, name: str, **kwargs: Any) -> str:
    return reverse(f"organisations:{name}", kwargs={"org_slug": world.organisation.slug, **kwargs})


# Who may open which page: 200 for those listed, 403 for the rest of the organisation.
PAGES = {
    "home": ({}, set(ROLES)),
    "unit_list": ({}, {"admin", "leader", "coordinator", "employee"}),
    "unit_detail": ({"unit_id": "team"}, {"admin", "leader", "coordinator", "employee"}),
    "unit_create": ({}, {"admin", "leader"}),
    "unit_edit": ({"unit_id": "team"}, {"admin", "leader"}),
    "unit_delete": ({"unit_id": "team"}, {"admin"}),
    "person_list": ({}, {"admin", "leader", "coordinator", "employee"}),
    "person_create": ({}, {"admin", "leader"}),
    "person_edit": ({"person_id": "employee"}, {"admin", "leader"}),
    "job_role_list": ({}, {"admin", "leader", "coordinator", "employee"}),
    "job_role_edit": ({"job_role_id": "job_role"}, {"admin"}),
    "working_group_detail": ({"unit_id": "team"}, {"admin", "leader", "coordinator", "employee"}),
    "working_group_edit": ({"unit_id": "team"}, {"admin", "leader"}),
    "meeting_create": ({"unit_id": "team"}, {"admin", "leader", "coordinator"}),
    "meeting_detail": ({"meeting_id": "meeting"}, {"admin", "leader", "coordinator", "employee"}),
    "meeting_edit": ({"meeting_id": "meeting"}, {"admin", "leader", "coordinator"}),
    "settings": ({}, {"admin"}),
    "audit_log": ({}, {"admin"}),
    "people_import": ({}, {"admin"}),
}


def _kwargs(world: Any, spec: dict[str, str]) -> dict[str, int]:
    lookup = {
        "team": world.team.pk,
        "employee": world.people["employee"].pk,
        "job_role": world.job_role.pk,
        "meeting": world.meeting.pk,
    }
    return {key: lookup[value] for key, value in spec.items()}


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_page_access_by_role(page: str, role: str, world: Any, client_for: Any) -> None:
    spec, allowed = PAGES[page]
    response = client_for(role).get(url(world, page, **_kwargs(world, spec)))
    expected = 200 if role in allowed else 403
    if role == "external" and "person_id" in spec:
        expected = 404  # an external contributor cannot even see other people
    assert response.status_code == expected, (page, role, response.status_code)


def test_external_sees_only_themself(world: Any, client_for: Any) -> None:
    client = client_for("external")
    me = world.people["external"]
    assert client.get(url(world, "person_detail", person_id=me.pk)).status_code == 200
    assert client.get(url(world, "person_detail", person_id=world.people["employee"].pk)).status_code == 404


def test_person_in_no_organisation_gets_404(world: Any) -> None:
    from laera.accounts.models import User

    User.objects.create_user(email="loner@x.no", password="pw-123456789")
    client = Client()
    client.login(email="loner@x.no", password="pw-123456789")
    assert client.get(url(world, "home")).status_code == 404
    assert client.get(reverse("home")).status_code == 200  # asks them to get added


def test_deactivated_person_loses_access(world: Any, client_for: Any) -> None:
    client = client_for("employee")
    Person.objects.filter(pk=world.people["employee"].pk).update(is_active=False)
    assert client.get(url(world, "home")).status_code == 404


def test_admin_creates_a_unit_and_a_person(world: Any, client_for: Any) -> None:
    client = client_for("admin")
    response = client.post(
        url(world, "unit_create"),
        {"name": "Sykefravær", "parent": world.top.pk, "leader": "", "description": ""},
    )
    unit = Unit.objects.get(organisation=world.organisation, name="Sykefravær")
    assert response["Location"] == unit.get_absolute_url()
    response = client.post(
        url(world, "person_create"),
        {
            "full_name": "Kari Nordmann",
            "email": "kari@testby.test",
            "job_role": world.job_role.pk,
            "role": Role.EMPLOYEE,
            "units": [unit.pk],
        },
    )
    person = Person.objects.get(email="kari@testby.test")
    assert response["Location"] == person.get_absolute_url()
    assert list(person.units.all()) == [unit]


def test_invalid_input_shows_errors_and_saves_nothing(world: Any, client_for: Any) -> None:
    client = client_for("admin")
    client.post(reverse("accounts:language"), {"language": "en"})
    before = Person.objects.count()
    response = client.post(
        url(world, "person_create"), {"full_name": "", "email": "not-an-email", "role": "boss"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "This field is required." in content and "Enter a valid email address." in content
    assert Person.objects.count() == before
    response = client.post(
        url(world, "person_create"),
        {"full_name": "Kopi", "email": "employee@testby.test", "role": Role.EMPLOYEE},
    )
    assert "already has the e-mail address" in response.content.decode()
    assert Person.objects.count() == before


def test_unit_cycle_is_explained(world: Any, client_for: Any) -> None:
    client = client_for("admin")
    client.post(reverse("accounts:language"), {"language": "en"})
    sub = services.unit_create(actor=None, organisation=world.organisation, name="Under", parent=world.team)
    response = client.post(
        url(world, "unit_edit", unit_id=world.team.pk),
        {
            "name": world.team.name,
            "parent": sub.pk,
            "leader": "",
            "description": "",
            "version": world.team.version,
        },
    )
    assert response.status_code == 200
    assert "cannot be placed under itself" in response.content.decode()


def test_leader_manages_membership(world: Any, client_for: Any) -> None:
    client = client_for("leader")
    other = world.people["external"]
    client.post(url(world, "membership_add", unit_id=world.team.pk), {"person": other.pk})
    membership = Membership.objects.get(unit=world.team, person=other)
    client.post(url(world, "membership_remove", membership_id=membership.pk))
    assert not Membership.objects.filter(pk=membership.pk).exists()
    # Not in a unit they do not lead.
    foreign = Membership.objects.get(unit=world.other_team)
    assert client.post(url(world, "membership_remove", membership_id=foreign.pk)).status_code == 403


def test_working_group_members_by_htmx(world: Any, client_for: Any) -> None:
    client = client_for("leader")
    employee = world.people["employee"]
    response = client.post(
        url(world, "working_group_member_add", unit_id=world.team.pk),
        {"person": employee.pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "<html" not in response.content.decode()  # a partial
    assert employee.full_name in response.content.decode()
    member = WorkingGroupMember.objects.get(group=world.group, person=employee)
    response = client.post(
        url(world, "working_group_member_remove", member_id=member.pk), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert not WorkingGroupMember.objects.filter(pk=member.pk).exists()


def test_working_group_error_by_htmx_is_shown_in_the_partial(world: Any, client_for: Any) -> None:
    client = client_for("leader")
    client.post(reverse("accounts:language"), {"language": "en"})
    response = client.post(
        url(world, "working_group_member_add", unit_id=world.team.pk),
        {"person": world.people["external"].pk},
        HTTP_HX_REQUEST="true",
    )
    assert "External contributors cannot sit in a working group." in response.content.decode()


def test_working_group_page_warns_outside_three_to_five(world: Any, client_for: Any) -> None:
    client = client_for("employee")
    client.post(reverse("accounts:language"), {"language": "en"})
    content = client.get(url(world, "working_group_detail", unit_id=world.team.pk)).content.decode()
    assert "The group has 2 members" in content


def test_coordinator_writes_and_edits_minutes(world: Any, client_for: Any) -> None:
    client = client_for("coordinator")
    response = client.post(
        url(world, "meeting_create", unit_id=world.team.pk),
        {
            "held_on": "2026-01-12",
            "minute_taker": world.people["coordinator"].pk,
            "minutes": "Kartla arenaene.",
        },
    )
    meeting = WorkingGroupMeeting.objects.get(held_on="2026-01-12")
    assert response["Location"] == url(world, "meeting_detail", meeting_id=meeting.pk)
    client.post(
        url(world, "meeting_edit", meeting_id=meeting.pk),
        {
            "held_on": "2026-01-13",
            "minute_taker": "",
            "minutes": "Kartla arenaene og ansvar.",
            "version": meeting.version,
        },
    )
    meeting.refresh_from_db()
    assert meeting.minutes == "Kartla arenaene og ansvar."
    client.post(url(world, "meeting_delete", meeting_id=meeting.pk))
    assert not WorkingGroupMeeting.objects.filter(pk=meeting.pk).exists()


def test_job_roles_by_admin(world: Any, client_for: Any) -> None:
    client = client_for("admin")
    client.post(url(world, "job_role_list"), {"name": "Jobbveileder", "description": "SE"})
    role = JobRole.objects.get(organisation=world.organisation, name="Jobbveileder")
    client.post(
        url(world, "job_role_edit", job_role_id=role.pk),
        {"name": "Jobbspesialist", "description": "", "version": role.version},
    )
    role.refresh_from_db()
    assert role.name == "Jobbspesialist"
    client.post(url(world, "job_role_delete", job_role_id=role.pk))
    assert not JobRole.objects.filter(pk=role.pk).exists()
    assert client_for("employee").post(url(world, "job_role_list"), {"name": "X"}).status_code == 403


def test_settings_change_the_default_language(world: Any, client_for: Any) -> None:
    client = client_for("admin")
    response = client.post(
        url(world, "settings"),
        {
            "name": "NAV Testby",
            "default_language": "sv",
            "time_zone": "Europe/Stockholm",
            "version": world.organisation.version,
        },
    )
    assert response.status_code == 302
    world.organisation.refresh_from_db()
    assert world.organisation.default_language == "sv"
    assert client_for("employee").get(url(world, "home")).context["LANGUAGE_CODE"] == "sv"


def test_people_search_by_htmx_returns_rows(world: Any, client_for: Any) -> None:
    client = client_for("employee")
    response = client.get(url(world, "person_list"), {"q": "Koordinator"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "Koordinator NAV Testby" in content and "Ansatt NAV Testby" not in content
    assert "<html" not in content


def test_start_page_says_what_to_do_next(world: Any, client_for: Any) -> None:
    client = client_for("leader")
    client.post(reverse("accounts:language"), {"language": "en"})
    content = client.get(url(world, "home")).content.decode()
    assert "What to do next" in content
    assert "The group has 2 members" in content  # their working group is too small
    client = client_for("external")
    client.post(reverse("accounts:language"), {"language": "en"})
    content = client.get(url(world, "home")).content.decode()
    assert "You are invited to contribute" in content
    assert reverse("organisations:unit_list", kwargs={"org_slug": world.organisation.slug}) not in content


def _grow(world: Any, n: int) -> None:
    for i in range(n):
        unit = services.unit_create(
            actor=None, organisation=world.organisation, name=f"Team {i}", parent=world.top
        )
        for j in range(3):
            services.person_create(
                actor=None,
                organisation=world.organisation,
                full_name=f"P {i}-{j}",
                email=f"p{i}-{j}@testby.test",
                job_role=world.job_role,
                units=[unit, world.team],
            )


@pytest.mark.parametrize(
    "page", ["home", "unit_list", "person_list", "unit_detail", "working_group_detail", "job_role_list"]
)
def test_query_count_does_not_grow_with_the_data(
    page: str, world: Any, client_for: Any, django_assert_num_queries: Any
) -> None:
    spec, _allowed = PAGES[page]
    client = client_for("admin")
    target = url(world, page, **_kwargs(world, spec))
    client.get(target)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(target).status_code == 200
    _grow(world, 12)
    with CaptureQueriesContext(connection) as large:
        assert client.get(target).status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
