"""The audit log page: readable actions and objects, filtered by who, what and when, page by page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from laera.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def audit_url(world: Any) -> str:
    return reverse("organisations:audit_log", kwargs={"org_slug": world.organisation.slug})


def entry(
    world: Any, action: str, *, role: str | None = None, repr_: str = "Thing", day: int = 0
) -> AuditEntry:
    made = AuditEntry.objects.create(
        organisation=world.organisation,
        actor=world.user(role) if role else None,
        action=action,
        object_type="plans.activity",
        object_id="36",
        object_repr=repr_,
    )
    if day:
        AuditEntry.objects.filter(pk=made.pk).update(
            created_at=datetime.datetime(2026, 3, day, 12, 0, tzinfo=datetime.UTC)
        )
    return made


def english(client: Any) -> Any:
    client.post(reverse("accounts:language"), {"language": "en"})
    return client


def shown(response: Any) -> list[AuditEntry]:
    return [row["entry"] for row in response.context["rows"]]


@pytest.fixture
def entries(world: Any) -> dict[str, AuditEntry]:
    AuditEntry.objects.filter(organisation=world.organisation).delete()
    return {
        "import": entry(world, "people.import", role="admin", repr_="NAV Testby", day=1),
        "requirement": entry(world, "requirement.create", role="leader", repr_="Veiledning", day=10),
        "blank": entry(world, "activity.create", role="leader", repr_="36", day=20),
    }


def test_actions_and_objects_read_as_words(
    world: Any, client_for: Any, entries: dict[str, AuditEntry]
) -> None:
    response = english(client_for("admin")).get(audit_url(world))
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("People imported", "Requirement set", "Activity created", "Activity without a title"):
        assert text in html
    for code in ("people.import", "requirement.create", "activity.create"):
        assert code not in html.replace(f'value="{code}"', "")  # only as the filter's option values
    assert "<td>36</td>" not in html


def test_filter_by_who(world: Any, client_for: Any, entries: dict[str, AuditEntry]) -> None:
    leader = world.people["leader"]
    response = client_for("admin").get(audit_url(world), {"who": leader.pk})
    assert set(shown(response)) == {entries["requirement"], entries["blank"]}


def test_filter_by_what(world: Any, client_for: Any, entries: dict[str, AuditEntry]) -> None:
    response = client_for("admin").get(audit_url(world), {"what": "people.import"})
    assert shown(response) == [entries["import"]]


def test_filter_by_dates_includes_both_ends(
    world: Any, client_for: Any, entries: dict[str, AuditEntry]
) -> None:
    response = client_for("admin").get(audit_url(world), {"date_from": "2026-03-10", "date_to": "2026-03-20"})
    assert shown(response) == [entries["blank"], entries["requirement"]]
    response = client_for("admin").get(audit_url(world), {"date_to": "2026-03-09"})
    assert shown(response) == [entries["import"]]


def test_filters_combine_and_say_when_nothing_matches(
    world: Any, client_for: Any, entries: dict[str, AuditEntry]
) -> None:
    params = {"who": world.people["admin"].pk, "what": "requirement.create"}
    response = english(client_for("admin")).get(audit_url(world), params)
    assert shown(response) == []
    assert "No changes match these filters." in response.content.decode()


def test_dates_the_wrong_way_round_are_an_error(
    world: Any, client_for: Any, entries: dict[str, AuditEntry]
) -> None:
    response = english(client_for("admin")).get(
        audit_url(world), {"date_from": "2026-03-20", "date_to": "2026-03-01"}
    )
    assert response.status_code == 200
    assert "The end date must be on or after the start date." in response.content.decode()
    assert response.context["form"].errors["date_to"]


def test_unknown_filter_values_are_errors_not_crashes(
    world: Any, client_for: Any, other_world: Any, entries: dict[str, AuditEntry]
) -> None:
    stranger = other_world.people["admin"]
    response = client_for("admin").get(
        audit_url(world), {"who": stranger.pk, "what": "nope", "date_from": "x"}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"who", "what", "date_from"}
    assert len(shown(response)) == 3


def test_who_lists_only_this_organisations_people(world: Any, other_world: Any, client_for: Any) -> None:
    response = client_for("admin").get(audit_url(world))
    people = set(response.context["form"].fields["who"].queryset)
    assert world.people["leader"] in people
    assert not people & set(other_world.people.values())


def test_other_organisations_entries_are_never_shown(
    world: Any, other_world: Any, client_for: Any, entries: dict[str, AuditEntry]
) -> None:
    theirs = entry(other_world, "people.import", role="admin")
    response = client_for("admin").get(audit_url(world), {"what": "people.import"})
    assert theirs not in shown(response)


def test_pages_keep_the_filters(world: Any, client_for: Any, entries: dict[str, AuditEntry]) -> None:
    for _ in range(55):
        entry(world, "unit.update", role="admin")
    response = client_for("admin").get(audit_url(world), {"what": "unit.update"})
    assert len(shown(response)) == 50
    html = response.content.decode()
    assert "?what=unit.update&amp;page=2" in html
    second = client_for("admin").get(audit_url(world), {"what": "unit.update", "page": 2})
    assert len(shown(second)) == 5
    assert {e.action for e in shown(second)} == {"unit.update"}


@pytest.mark.parametrize("role", ["leader", "coordinator", "employee", "external"])
def test_filters_do_not_open_the_page_to_other_roles(world: Any, client_for: Any, role: str) -> None:
    response = client_for(role).get(audit_url(world), {"what": "people.import"})
    assert response.status_code == 403
