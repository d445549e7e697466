"""Who is acting, in which organisation, and the decorator every organisation page goes through."""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails

from laera.core.errors import ServiceError
from laera.core.permissions import Role, descendants
from laera.core.policies import refuse

from .models import Organisation, Person, Unit, WorkingGroupMember


@dataclass
class Actor:
    """A signed-in person acting in one organisation, with their scope computed once per request."""

    organisation: Organisation
    person: Person
    _parent_map: dict[int, int | None] | None = field(default=None, repr=False)
    _led: set[int] | None = field(default=None, repr=False)
    _coordinated: set[int] | None = field(default=None, repr=False)

    @property
    def user(self) -> Any:
        return self.person.user

    @property
    def role(self) -> str:
        return str(self.person.role)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_external(self) -> bool:
        return self.role == Role.EXTERNAL

    @property
    def is_member(self) -> bool:
        """Anyone but an external contributor: may read the organisation's directory and plans."""
        return not self.is_external

    def parent_map(self) -> dict[int, int | None]:
        if self._parent_map is None:
            self._parent_map = dict(Unit.objects.for_org(self.organisation).values_list("id", "parent_id"))
        return self._parent_map

    @property
    def led_unit_ids(self) -> set[int]:
        """Units this person leads, with every unit below them. Admins lead everything."""
        if self._led is None:
            if self.is_admin:
                self._led = set(self.parent_map())
            elif self.role == Role.LEADER:
                roots = set(
                    Unit.objects.for_org(self.organisation)
                    .filter(leader=self.person)
                    .values_list("id", flat=True)
                )
                self._led = descendants(self.parent_map(), roots)
            else:
                self._led = set()
        return self._led

    @property
    def coordinated_unit_ids(self) -> set[int]:
        """Units whose working group this person sits in and the units below them, plus those they lead."""
        if self._coordinated is None:
            own: set[int] = set()
            if self.role in (Role.COORDINATOR, Role.LEADER, Role.ADMIN):
                own = set(
                    WorkingGroupMember.objects.for_org(self.organisation)
                    .filter(person=self.person)
                    .values_list("group__unit_id", flat=True)
                )
            # A working group plans for its unit and the teams below it (team sub-plans).
            self._coordinated = descendants(self.parent_map(), own) | self.led_unit_ids
        return self._coordinated

    def forget_scope(self) -> None:
        """Services call this after changing the unit tree, leaders or working groups."""
        self._parent_map = self._led = self._coordinated = None

    # Facts about the person's reach, not rules: what a role may do with them is each app's policy
    # (`<app>/policies.py`), which views, services and selectors ask.

    def leads(self, unit_id: int) -> bool:
        """The unit is one this person leads, or below one."""
        return unit_id in self.led_unit_ids

    def coordinates(self, unit_id: int) -> bool:
        """The unit is one whose plans this person helps make (working group or leader), or below one."""
        return unit_id in self.coordinated_unit_ids

    def require(self, allowed: bool) -> None:
        """Refuse with 403 when a policy's answer is no (the same refusal as the policies' `require`)."""
        if not allowed:
            raise refuse()

    def require_member(self) -> None:
        self.require(self.is_member)


def resolve_actor(user: Any, org_slug: str) -> Actor:
    """The acting person in the organisation with this slug; 404 when the user is not in it."""
    if not user.is_authenticated:
        raise Http404
    person = (
        Person.objects.select_related("organisation", "user", "job_role")
        .filter(organisation__slug=org_slug, user=user, is_active=True, organisation__is_active=True)
        .first()
    )
    if person is None:
        raise Http404
    return Actor(organisation=person.organisation, person=person)


def actor_user(actor: Actor | None) -> Any:
    """The user to write in the audit log; None for the operator (command line, demo loader)."""
    return actor.user if actor is not None else None


def ensure_same_organisation(organisation: Any, *objects: Any) -> None:
    """Refuse, in the user's language, any object (None is allowed) of another organisation."""
    for obj in objects:
        if obj is not None and obj.organisation_id != organisation.pk:
            raise ServiceError(_("That belongs to another organisation."))


def id_or_404(value: str) -> int:
    """An id from the query string, for an `access_*` helper: one that is not a number is not found, the
    same answer as for an id of another organisation."""
    try:
        return int(value)
    except ValueError:
        raise Http404 from None


def get_in_organisation(queryset: Any, actor: Actor, pk: Any) -> Any:
    """The object with this id in the actor's organisation, or 404 — the same for a missing id and an id of
    another organisation. Role checks come after, so a foreign id is never a 403."""
    try:
        return queryset.filter(organisation=actor.organisation).get(pk=int(pk))
    except (ValueError, TypeError, queryset.model.DoesNotExist) as exc:
        raise Http404 from exc


class OrgRequest(HttpRequest):
    """A request inside an organisation, after `org_view` (and django-htmx's middleware)."""

    actor: Actor
    htmx: HtmxDetails


def org_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Resolve `org_slug` into `request.actor`: sign-in first, then 404 outside one's organisation.

    The organisation's time zone is active for the rest of the request.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, org_slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        actor = resolve_actor(request.user, org_slug)
        request.actor = actor  # type: ignore[attr-defined]
        timezone.activate(zoneinfo.ZoneInfo(actor.organisation.time_zone))
        return view(request, *args, **kwargs)

    return wrapper
