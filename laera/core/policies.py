"""Permission policies: one module per app answers every question about what an actor may do.

Like Wagtail's `permission_policies`, a policy answers two questions for the same rules, so the rules are
written once: *may this actor do this action to this object* (`allows`) and *on which objects may they do
it* (`objects_for`, a queryset). Views, services and selectors all ask the app's policy; none of them
repeats a role check of its own. Each app keeps its policies in `<app>/policies.py`, as module-level
instances (`plan_policy = PlanPolicy()`), with the actions it knows as a `StrEnum`.

The actor is the signed-in person in an organisation (`laera.organisations.tenancy.Actor`). Core cannot
import it (core imports no app), so it is typed here by what the policies use of it.
"""

from __future__ import annotations

from typing import Any, Generic, Protocol, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

M = TypeVar("M", bound=models.Model)


class PolicyActor(Protocol):
    """What a policy may read of the acting person (`organisations.tenancy.Actor` has all of it)."""

    @property
    def organisation(self) -> Any: ...

    @property
    def person(self) -> Any: ...

    @property
    def role(self) -> str: ...

    @property
    def is_admin(self) -> bool: ...

    @property
    def is_member(self) -> bool: ...

    @property
    def led_unit_ids(self) -> set[int]: ...

    @property
    def coordinated_unit_ids(self) -> set[int]: ...


def refuse() -> PermissionDenied:
    """The one refusal every policy raises: 403 with the same message in the user's language."""
    return PermissionDenied(_("Your role does not allow this."))


class PermissionPolicy(Generic[M]):
    """The rules for one kind of object. Subclasses set `model` and implement the two questions.

    `allows(actor, action)` without an object answers "may they do it to anything at all" (to show a
    button or a menu entry); with an object it answers for that object. `objects_for(actor, action)` is
    the queryset of every object the actor may do it on, already limited to their organisation, so a
    selector never widens it.
    """

    model: type[M]

    def allows(self, actor: PolicyActor, action: str, obj: M | None = None) -> bool:
        raise NotImplementedError

    def objects_for(self, actor: PolicyActor, action: str) -> models.QuerySet[M]:
        """By default: every object of the organisation if the actor may do it at all, else none. A policy
        whose answer differs per object narrows this."""
        if not self.allows(actor, action):
            return self.model._default_manager.none()
        return self.in_organisation(actor)

    def require(self, actor: PolicyActor, action: str, obj: M | None = None) -> None:
        """Refuse with 403 unless `allows` says yes."""
        if not self.allows(actor, action, obj):
            raise refuse()

    @staticmethod
    def foreign(actor: PolicyActor, obj: Any) -> bool:
        """The object belongs to another organisation: every policy refuses it, whatever the action."""
        return obj is not None and obj.organisation_id != actor.organisation.pk

    def in_organisation(self, actor: PolicyActor) -> models.QuerySet[M]:
        """Every object of the actor's organisation: where `objects_for` starts."""
        return self.model._default_manager.filter(organisation=actor.organisation)
