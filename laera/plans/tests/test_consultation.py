"""Sending a plan for comments is a step with a deadline and a message; late comments are refused."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from laera.core.errors import ServiceError
from laera.core.models import AuditEntry
from laera.core.versioning import ConflictError
from laera.plans import selectors, services
from laera.plans.models import Plan, PlanComment, PlanStatus

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


def _send(world: Any, plan: Plan, *, days: int = 14, message: str = "") -> Plan:
    return services.plan_send_for_comments(
        actor=world.actor("coordinator"),
        plan=plan,
        until=timezone.localdate() + days * DAY,
        message=message,
        version=plan.version,
    )


def _close(plan: Plan) -> None:
    """The deadline passed yesterday (as if the days had gone by)."""
    Plan.objects.filter(pk=plan.pk).update(comments_until=timezone.localdate() - DAY)
    plan.refresh_from_db()


def url(world: Any, name: str, **kwargs: Any) -> str:
    return reverse(f"plans:{name}", kwargs={"org_slug": world.organisation.slug, **kwargs})


def _en(client: Client) -> Client:
    client.post(reverse("accounts:language"), {"language": "en"})
    return client


def test_sending_needs_a_deadline_after_today_and_is_audited(world: Any) -> None:
    plan = world.extra_objects["plan"]
    coordinator = world.actor("coordinator")
    with pytest.raises(ServiceError, match="must be after today"):
        services.plan_send_for_comments(
            actor=coordinator, plan=plan, until=timezone.localdate(), version=plan.version
        )
    with pytest.raises(ServiceError, match="deadline for the comments"):
        services.plan_set_status(actor=coordinator, plan=plan, status=PlanStatus.CONSULTATION)
    with pytest.raises(PermissionDenied):
        services.plan_send_for_comments(
            actor=world.actor("employee"), plan=plan, until=timezone.localdate() + DAY, version=plan.version
        )
    with pytest.raises(ConflictError):
        services.plan_send_for_comments(
            actor=coordinator, plan=plan, until=timezone.localdate() + DAY, version=plan.version - 1
        )
    sent = _send(world, plan, message="  Si fra om SE-temaet.  ")
    assert sent.status == PlanStatus.CONSULTATION and sent.version == plan.version + 1
    assert sent.comments_until == timezone.localdate() + 14 * DAY
    assert sent.comments_message == "Si fra om SE-temaet."
    entry = AuditEntry.objects.get(action="plan.consultation", object_id=str(plan.pk))
    assert entry.before["status"] == "draft" and entry.after["comments_until"]
    # Out for comments, the deadline can be moved; a published plan cannot be sent again.
    later = _send(world, sent, days=30)
    assert later.comments_until == timezone.localdate() + 30 * DAY
    published = services.plan_set_status(actor=world.actor("leader"), plan=later, status="published")
    with pytest.raises(ServiceError):
        _send(world, published)


def test_comments_are_taken_until_the_deadline_and_refused_after(world: Any) -> None:
    plan = _send(world, world.extra_objects["plan"], days=1)
    services.plan_comment(actor=world.actor("employee"), plan=plan, text="Godt tema.")
    Plan.objects.filter(pk=plan.pk).update(comments_until=timezone.localdate())
    plan.refresh_from_db()
    assert plan.comments_open()  # the deadline day itself still counts
    services.plan_comment(actor=world.actor("employee"), plan=plan, text="Siste dag.")
    _close(plan)
    assert not plan.comments_open()
    with pytest.raises(ServiceError, match="closed on"):
        services.plan_comment(actor=world.actor("employee"), plan=plan, text="For sent.")
    assert list(PlanComment.objects.filter(plan=plan).values_list("text", flat=True)) == [
        "Godt tema.",
        "Siste dag.",
    ]


def test_plans_open_for_comment(world: Any, other_world: Any) -> None:
    plan = world.extra_objects["plan"]
    employee = world.actor("employee")
    assert list(selectors.plans_open_for_comment(employee)) == []  # a draft
    plan = _send(world, plan)
    assert list(selectors.plans_open_for_comment(employee)) == [plan]
    assert list(selectors.plans_open_for_comment(world.actor("leader"))) == [plan]
    assert list(selectors.plans_open_for_comment(world.actor("external"))) == []
    assert list(selectors.plans_open_for_comment(other_world.actor("employee"))) == []
    _close(plan)
    assert list(selectors.plans_open_for_comment(employee)) == []


def test_the_plan_page_shows_the_round_at_the_top(world: Any, client_for: Any) -> None:
    plan = _send(world, world.extra_objects["plan"], message="Vi vil særlig høre om SE-temaet.")
    client = _en(client_for("employee"))
    page = client.get(url(world, "plan_detail", plan_id=plan.pk)).content.decode()
    banner = page.index('id="consultation"')
    assert "Out for comments until" in page and "Vi vil særlig høre om SE-temaet." in page
    assert 'href="#comment-form"' in page
    form = page.index('id="comment-form"')
    assert banner < form < page.index('id="theme-')  # the form comes before the plan's themes
    client.post(url(world, "plan_comment", plan_id=plan.pk), {"text": "Kan SE åpnes for mottak?"})
    assert PlanComment.objects.filter(plan=plan).count() == 1

    _close(plan)
    page = client.get(url(world, "plan_detail", plan_id=plan.pk)).content.decode()
    assert "Comments closed on" in page and 'id="comment-form"' not in page
    assert "Kan SE åpnes for mottak?" in page  # what was written is still shown
    response = client.post(url(world, "plan_comment", plan_id=plan.pk), {"text": "For sent"}, follow=True)
    assert "closed on" in response.content.decode() and "not saved" in response.content.decode()
    assert PlanComment.objects.filter(plan=plan).count() == 1


def test_the_send_for_comments_page(world: Any, client_for: Any) -> None:
    plan = world.extra_objects["plan"]
    target = url(world, "plan_send_for_comments", plan_id=plan.pk)
    assert client_for("employee").get(target).status_code == 404  # a draft it may not see
    coordinator = _en(client_for("coordinator"))
    detail = coordinator.get(url(world, "plan_detail", plan_id=plan.pk)).content.decode()
    assert target in detail and 'value="consultation"' not in detail
    response = coordinator.post(
        target,
        {"comments_until": timezone.localdate().isoformat(), "comments_message": "", "version": plan.version},
    )
    assert "The deadline for comments must be after today." in response.content.decode()
    response = coordinator.post(target, {"comments_message": "x", "version": plan.version})
    assert "This field is required." in response.content.decode()
    until = timezone.localdate() + 10 * DAY
    response = coordinator.post(
        target, {"comments_until": until.isoformat(), "comments_message": "Hei", "version": plan.version}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.comments_until, plan.comments_message) == ("consultation", until, "Hei")
    # An old form does not overwrite a newer deadline.
    stale = coordinator.post(
        target,
        {"comments_until": (until + DAY).isoformat(), "comments_message": "", "version": plan.version - 1},
    )
    assert stale.status_code == 200
    plan.refresh_from_db()
    assert plan.comments_until == until
    assert client_for("employee").get(target).status_code == 403
