"""Copying a plan marks every moved or kept time "Check the time" until someone checks it (issue 10, 1/2)."""

from __future__ import annotations

import datetime
import io
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from laera.core.errors import ServiceError
from laera.core.models import AuditEntry
from laera.core.versioning import ConflictError
from laera.documents.exchange import plan_from_json, plan_to_json
from laera.plans import checks, documents, periods, selectors, services
from laera.plans.models import Activity, Plan, TimeKind
from laera.plans.services import plan_import

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


def _spring() -> Plan:
    call_command("demo", stdout=io.StringIO())
    return selectors.plan_tree_queryset().get(organisation__slug="nav-royken", parent=None)


def _autumn(source: Plan) -> Plan:
    start, end = periods.next_period(source.period_start, source.period_end)
    copy = services.plan_copy(
        actor=None,
        source=source,
        data=services.PlanInput(name="Høsten 2015", period_start=start, period_end=end, language="nb"),
    )
    return selectors.plan_tree_queryset().get(pk=copy.pk)


def _activities(plan: Plan) -> list[Activity]:
    return [a for t in plan.themes.all() for o in t.outcomes.all() for a in o.activities.all()]


def test_every_copied_time_is_marked_and_listed_by_the_plan_check() -> None:
    source = _spring()
    assert not any(a.time_to_check for a in _activities(source))
    copy = _autumn(source)
    activities = _activities(copy)
    marked = [a for a in activities if a.time_to_check]
    # Every activity with a date, deadline, recurrence, trigger or words of its own carries the mark; only
    # "continuously through the period" without words follows the new period by itself.
    assert marked and all(
        a.time_to_check == (a.time_kind != TimeKind.CONTINUOUS or bool(a.time_text)) for a in activities
    )
    # The copied times are a review list beside the plan check, not findings of it.
    assert all(f.code != "times_to_check" for f in checks.check_plan(copy))
    finding = checks.times_to_check(copy)
    assert finding is not None
    assert checks.times_to_check(selectors.plan_tree_queryset().get(pk=source.pk)) is None
    assert [activity_id for _label, activity_id in finding.items] == [a.pk for a in marked]
    assert f"{len(marked)} activities" in finding.message
    assert any("Juni" not in label and "Desember" in label for label, _id in finding.items)


def test_editing_the_time_or_saying_it_is_right_clears_the_mark(world: Any) -> None:
    coordinator = world.actor("coordinator")
    activity = world.extra_objects["activity"]
    Activity.objects.filter(pk=activity.pk).update(time_to_check=True)
    activity.refresh_from_db()
    # A save that leaves the time as it was keeps the mark ...
    same = services.ActivityInput(
        arena=activity.arena,
        method=activity.method,
        participants_all=True,
        time_kind=activity.time_kind,
        dates=[D.fromisoformat(d) for d in activity.dates],
        time_text=activity.time_text,
    )
    activity = services.activity_update(
        actor=coordinator, activity=activity, data=same, version=activity.version
    )
    assert activity.time_to_check
    # ... a new time clears it,
    same.dates = [D(2026, 5, 6)]
    same.time_text = ""
    activity = services.activity_update(
        actor=coordinator, activity=activity, data=same, version=activity.version
    )
    assert not activity.time_to_check
    # and so does "the time is right", audited and refused from an old version.
    Activity.objects.filter(pk=activity.pk).update(time_to_check=True)
    activity.refresh_from_db()
    with pytest.raises(ConflictError):
        services.activity_confirm_time(actor=coordinator, activity=activity, version=activity.version - 1)
    activity = services.activity_confirm_time(actor=coordinator, activity=activity, version=activity.version)
    assert not activity.time_to_check
    assert AuditEntry.objects.filter(action="activity.time_checked", object_id=str(activity.pk)).exists()
    with pytest.raises(PermissionDenied):
        services.activity_confirm_time(
            actor=world.actor("employee"), activity=activity, version=activity.version
        )


def test_the_edit_form_offers_the_check_only_for_a_marked_activity(world: Any, client_for: Any) -> None:
    activity = world.extra_objects["activity"]
    client: Client = client_for("coordinator")
    target = reverse(
        "plans:activity_edit", kwargs={"org_slug": world.organisation.slug, "activity_id": activity.pk}
    )
    assert 'name="time_checked"' not in client.get(target).content.decode()
    Activity.objects.filter(pk=activity.pk).update(time_to_check=True)
    assert 'name="time_checked"' in client.get(target).content.decode()
    plan_url = reverse(
        "plans:plan_detail",
        kwargs={"org_slug": world.organisation.slug, "plan_id": activity.outcome.theme.plan_id},
    )
    page = client.get(plan_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "laera-time-check" in page and "time-checked/" in page
    checked = reverse(
        "plans:activity_time_checked",
        kwargs={"org_slug": world.organisation.slug, "activity_id": activity.pk},
    )
    assert client.get(checked).status_code == 405
    response = client.post(checked, {"version": activity.version}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "data-status" in response.content.decode()
    assert f'id="activity-{activity.pk}" tabindex="-1" data-focus' in response.content.decode()
    activity.refresh_from_db()
    assert not activity.time_to_check
    assert client_for("employee").post(checked, {"version": activity.version}).status_code in (403, 404)


def test_the_exchange_format_knowingly_leaves_the_mark_out() -> None:
    """The mark is a working note for the working group, not part of the plan: an exported copy reads
    like any plan, and an imported plan starts with nothing to check (docs/plan-exchange-format.md)."""
    copy = _autumn(_spring())
    text = plan_to_json(documents.document_for(copy))
    assert (
        "time_to_check" not in text
        and "check" not in json.loads(text)["themes"][0]["outcomes"][0]["activities"][0]
    )
    imported = plan_import(actor=None, unit=copy.unit, doc=plan_from_json(text))
    imported = selectors.plan_tree_queryset().get(pk=imported.pk)
    assert _activities(imported) and not any(a.time_to_check for a in _activities(imported))
    # The times themselves come back: the same kinds, dates and deadlines in the same order.
    assert [(a.time_kind, a.dates, a.deadline) for a in _activities(imported)] == [
        (a.time_kind, a.dates, a.deadline) for a in _activities(copy)
    ]


def test_a_copy_without_times_carries_no_mark(world: Any) -> None:
    plan = world.extra_objects["plan"]
    activity = world.extra_objects["activity"]
    services.activity_update(
        actor=world.actor("coordinator"),
        activity=activity,
        version=activity.version,
        data=services.ActivityInput(place="Kontoret", time_kind=TimeKind.CONTINUOUS),
    )
    copy = services.plan_copy(
        actor=world.actor("coordinator"),
        source=selectors.plan_tree_queryset().get(pk=plan.pk),
        data=services.PlanInput(name="Neste", period_start=D(2026, 7, 1), period_end=D(2026, 12, 31)),
    )
    assert not Activity.objects.filter(outcome__theme__plan=copy, time_to_check=True).exists()
    with pytest.raises(ServiceError):
        services.plan_set_status(actor=world.actor("coordinator"), plan=copy, status="consultation")
