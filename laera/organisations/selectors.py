"""Reads for organisation pages: scoped to the actor, with related rows fetched up front.

The `access_*` helpers fetch one object and authorise in one call: a missing id and an id of
another organisation both raise Http404.
"""

from __future__ import annotations

import datetime
import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laera.core.hooks import get_hooks
from laera.core.models import AuditEntry, Job, JobStatus
from laera.core.permissions import Role, descendants, role_rank
from laera.core.text import content_span, sentence
from laera.organisations.tenancy import Actor, get_in_organisation

from .models import (
    Invitation,
    InvitationStatus,
    JobRole,
    Membership,
    Organisation,
    Person,
    Unit,
    WorkingGroup,
    WorkingGroupMeeting,
    WorkingGroupMember,
)
from .policies import (
    OrganisationAction,
    UnitAction,
    WorkingGroupAction,
    organisation_policy,
    unit_policy,
    working_group_policy,
)

DEMO_ACCOUNTS = [
    ("admin@demo.laera.no", "admin"),
    ("leder@demo.laera.no", "leader"),
    ("koordinator@demo.laera.no", "coordinator"),
    ("ansatt@demo.laera.no", "employee"),
]


def demo_accounts_shown() -> list[tuple[str, str]]:
    """The demo accounts, for the sign-in page, while a demo organisation is loaded."""
    if Organisation.objects.filter(is_demo=True, is_active=True).exists():
        return DEMO_ACCOUNTS
    return []


def organisations_for_user(user: Any) -> QuerySet[Organisation]:
    """The organisations where this user is an active person."""
    return Organisation.objects.filter(
        is_active=True,
        id__in=Person.objects.filter(user=user, is_active=True).values("organisation_id"),
    ).order_by("name")


def organisation_saved(actor: Actor) -> Organisation:
    """The actor's organisation as saved now: its settings may have changed since the request began."""
    return Organisation.objects.get(pk=actor.organisation.pk)


def access_unit(actor: Actor, unit_id: int) -> Unit:
    obj = get_in_organisation(Unit.objects.select_related("parent", "leader", "organisation"), actor, unit_id)
    actor.require_member()
    return obj


def access_person(actor: Actor, person_id: int) -> Person:
    """Members see the directory; an external contributor sees only themself."""
    person = get_in_organisation(
        Person.objects.select_related("user", "job_role", "organisation"), actor, person_id
    )
    if actor.is_external and person.pk != actor.person.pk:
        raise Http404
    return person


def access_person_for_members(actor: Actor, person_id: int) -> Person:
    """A person, for pages only members use (ratings, qualifications): 404 for a missing id or one of
    another organisation, then 403 for an external contributor, whose role refuses them those pages."""
    person: Person = get_in_organisation(
        Person.objects.select_related("user", "job_role", "organisation"), actor, person_id
    )
    actor.require_member()
    return person


def people_in_unit_tree(unit: Unit) -> list[int]:
    """The active people who are members of the unit or of any unit below it (ids), for notices to
    everyone a unit's plan affects."""
    tree = dict(Unit.objects.filter(organisation_id=unit.organisation_id).values_list("id", "parent_id"))
    units = descendants(tree, {unit.pk})
    members = Membership.objects.filter(unit_id__in=units, person__is_active=True)
    return sorted(set(members.values_list("person_id", flat=True)))


def working_group_people(unit_id: int) -> list[int]:
    """The active members of the unit's working group (ids)."""
    members = WorkingGroupMember.objects.filter(group__unit_id=unit_id, person__is_active=True)
    return sorted(set(members.values_list("person_id", flat=True)))


def unit_leaders_of(person_ids: list[int]) -> dict[int, list[int]]:
    """For each person, the active leaders of the units they are members of (ids), themselves left out."""
    leaders: dict[int, list[int]] = {pk: [] for pk in person_ids}
    rows = Membership.objects.filter(
        person_id__in=person_ids, unit__leader__isnull=False, unit__leader__is_active=True
    ).values_list("person_id", "unit__leader_id")
    for person_id, leader_id in rows:
        if leader_id != person_id and leader_id not in leaders[person_id]:
            leaders[person_id].append(leader_id)
    return leaders


RUNNING_JOB_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


def access_job(actor: Actor, job_id: int) -> Job:
    """A background job (an import), for the person who started it and the organisation's admins: 404
    for a missing id or one of another organisation, then 403 for anyone else. A job page shows only
    jobs of its own kind: the view sends any other to that job's own page."""
    job: Job = get_in_organisation(Job.objects.select_related("started_by"), actor, job_id)
    if job.started_by_id != actor.person.pk:
        organisation_policy.require(actor, OrganisationAction.MANAGE)
    return job


def running_job(actor: Actor, kind: str) -> Job | None:
    """The newest job of this kind in the organisation that has not ended, if any."""
    return (
        Job.objects.filter(organisation=actor.organisation, kind=kind, status__in=RUNNING_JOB_STATUSES)
        .order_by("-created_at")
        .first()
    )


def access_job_role(actor: Actor, job_role_id: int) -> JobRole:
    obj = get_in_organisation(JobRole.objects.all(), actor, job_role_id)
    actor.require_member()
    return obj


def access_meeting(actor: Actor, meeting_id: int) -> WorkingGroupMeeting:
    meeting = get_in_organisation(
        WorkingGroupMeeting.objects.select_related("group", "group__unit", "minute_taker"), actor, meeting_id
    )
    actor.require_member()
    return meeting


def access_membership(actor: Actor, membership_id: int) -> Membership:
    obj = get_in_organisation(Membership.objects.select_related("person", "unit"), actor, membership_id)
    actor.require_member()
    return obj


def access_working_group_member(actor: Actor, member_id: int) -> WorkingGroupMember:
    obj = get_in_organisation(
        WorkingGroupMember.objects.select_related("person", "group", "group__unit"), actor, member_id
    )
    actor.require_member()
    return obj


@dataclass
class UnitNode:
    unit: Unit
    depth: int
    member_count: int
    children: list[UnitNode] = field(default_factory=list)


def unit_tree(actor: Actor) -> list[UnitNode]:
    """The organisation's units, depth first, each with its member count — two queries at any size."""
    actor.require_member()
    units = list(
        Unit.objects.for_org(actor.organisation)
        .select_related("leader")
        .annotate(member_count=Count("memberships"))
        .order_by("name")
    )
    by_parent: dict[int | None, list[Unit]] = {}
    for unit in units:
        by_parent.setdefault(unit.parent_id, []).append(unit)
    known = {u.pk for u in units}
    ordered: list[UnitNode] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for unit in by_parent.get(parent_id, []):
            ordered.append(UnitNode(unit=unit, depth=depth, member_count=unit.member_count))  # type: ignore[attr-defined]
            walk(unit.pk, depth + 1)

    walk(None, 0)
    # Rows whose parent is missing would be unreachable; show them at the top rather than lose them.
    for unit in units:
        if unit.parent_id is not None and unit.parent_id not in known:
            ordered.append(UnitNode(unit=unit, depth=0, member_count=unit.member_count))
    return ordered


def unit_path(actor: Actor, unit: Unit) -> list[Unit]:
    """The unit's ancestors from the top, without the unit itself."""
    parents = actor.parent_map()
    names = dict(Unit.objects.for_org(actor.organisation).values_list("id", "name"))
    path: list[Unit] = []
    current = parents.get(unit.pk)
    seen: set[int] = set()
    while current is not None and current not in seen:
        seen.add(current)
        path.append(Unit(id=current, name=names.get(current, ""), organisation=actor.organisation))
        current = parents.get(current)
    return list(reversed(path))


def unit_children(actor: Actor, unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.for_org(actor.organisation).filter(parent=unit).order_by("name")


def unit_members(actor: Actor, unit: Unit) -> QuerySet[Membership]:
    return (
        Membership.objects.for_org(actor.organisation)
        .filter(unit=unit)
        .select_related("person", "person__job_role")
        .order_by("person__full_name")
    )


def without_unit() -> Any:
    """People with no membership: `~Exists` through the memberships' index, not a join of everyone."""
    return ~Exists(Membership.objects.filter(person_id=OuterRef("pk")))


def people_list(
    actor: Actor, *, query: str = "", unit_id: int | None = None, unitless: bool = False
) -> QuerySet[Person]:
    actor.require_member()
    qs = (
        Person.objects.for_org(actor.organisation)
        .select_related("job_role", "user")
        .prefetch_related(Prefetch("units", queryset=Unit.objects.order_by("name")))
        .order_by("full_name")
    )
    if query:
        qs = qs.filter(full_name__icontains=query) | qs.filter(email__icontains=query)
    if unit_id:
        qs = qs.filter(memberships__unit_id=unit_id)
    if unitless:
        qs = qs.filter(without_unit())
    return qs


class PersonScope(StrEnum):
    """Which people a person field offers (`laera.organisations.widgets`); its search offers the same.

    The value is the search's `field` parameter. The last three belong to a unit, given with them.
    """

    ACTIVE = "active"  # every active person: the responsible of an arena, a row, an activity; named people
    LEADERS = "leaders"  # active leaders and admins: the leader of a unit
    ACCOUNTS = "accounts"  # everyone with an account, active or not: the audit log's "who"
    UNIT_MEMBER = (
        "unit-member"  # active, not in the unit yet, and for a leader ranking below them or themself
    )
    GROUP_CANDIDATE = "group-candidate"  # active, not in the unit's working group yet
    GROUP = "group"  # the members of the unit's working group: its lead and minute taker


UNIT_SCOPES = frozenset({PersonScope.UNIT_MEMBER, PersonScope.GROUP_CANDIDATE, PersonScope.GROUP})
PERSON_SEARCH_MIN_LENGTH = 2
PERSON_SEARCH_LIMIT = 15


def person_choices(actor: Actor, scope: str, *, unit_id: int | None = None) -> QuerySet[Person]:
    """The people a person field of this scope offers the actor, by name; never anyone of another
    organisation. A scope of a unit without one offers no one. Not authorised here: the form's view has
    done that, and `person_field_choices` does it for the search."""
    people = Person.objects.for_org(actor.organisation).order_by("full_name", "pk")
    if scope == PersonScope.ACTIVE:
        return people.filter(is_active=True)
    if scope == PersonScope.LEADERS:
        return people.filter(is_active=True, role__in=[Role.LEADER, Role.ADMIN])
    if scope == PersonScope.ACCOUNTS:
        return people.filter(user__isnull=False)
    if scope not in UNIT_SCOPES or unit_id is None:
        return people.none()
    if scope == PersonScope.GROUP:
        return people.filter(working_groups__group__unit_id=unit_id)
    if scope == PersonScope.GROUP_CANDIDATE:
        return people.filter(is_active=True).exclude(working_groups__group__unit_id=unit_id)
    people = people.filter(is_active=True).exclude(memberships__unit_id=unit_id)
    if actor.is_admin:
        return people
    # The people `membership_add` lets a leader place: ranking below them, and themself.
    below = [role for role in Role.values if role_rank(role) < role_rank(actor.role)]
    return people.filter(Q(role__in=below) | Q(pk=actor.person.pk))


def person_field_choices(actor: Actor, scope_name: str, unit_id: int | None = None) -> QuerySet[Person]:
    """`person_choices` for the person search, authorised as the form that offers them: 404 for an
    unknown scope, a missing unit or one of another organisation, 403 for an external contributor or
    someone who may not use that form."""
    try:
        scope = PersonScope(scope_name)
    except ValueError:
        raise Http404 from None
    actor.require_member()
    if scope in UNIT_SCOPES:
        if unit_id is None:
            raise Http404
        unit = access_unit(actor, unit_id)
        if scope == PersonScope.GROUP:
            working_group_policy.require_for_unit(actor, WorkingGroupAction.COORDINATE, unit.pk)
        else:
            unit_policy.require(actor, UnitAction.LEAD, unit)
    elif scope == PersonScope.ACCOUNTS:
        organisation_policy.require(actor, OrganisationAction.MANAGE)
    return person_choices(actor, scope, unit_id=unit_id)


@dataclass(frozen=True)
class Choice:
    """One person or unit as a picker shows it (`laera.organisations.widgets`)."""

    pk: int
    label: str


@dataclass
class Matches:
    """What a picker's search found: at most `PERSON_SEARCH_LIMIT` choices, and whether there are more."""

    query: str
    found: list[Choice] = field(default_factory=list)
    more: bool = False
    too_short: bool = False


def _matching(
    queryset: QuerySet[Any],
    query: str,
    fields: list[str],
    exclude: set[int] | None,
    choice: Callable[[Any], Choice],
) -> Matches:
    """The rows of `queryset` in which every word of `query` is in one of `fields`, case-insensitively,
    in the queryset's order, as choices: one query, at most `PERSON_SEARCH_LIMIT` of them."""
    query = " ".join(query.split())
    if len(query) < PERSON_SEARCH_MIN_LENGTH:
        return Matches(query=query, too_short=True)
    for word in query.split(" "):
        condition = Q()
        for name in fields:
            condition |= Q(**{f"{name}__icontains": word})
        queryset = queryset.filter(condition)
    if exclude:
        queryset = queryset.exclude(pk__in=exclude)
    found = [choice(row) for row in queryset[: PERSON_SEARCH_LIMIT + 1]]
    return Matches(query=query, found=found[:PERSON_SEARCH_LIMIT], more=len(found) > PERSON_SEARCH_LIMIT)


def person_labels(people: QuerySet[Person]) -> QuerySet[Any]:
    """People as a picker shows them: their name."""
    return people.values_list("pk", "full_name", named=True)


def person_choice(row: Any) -> Choice:
    return Choice(row.pk, row.full_name)


def people_matching(people: QuerySet[Person], query: str, *, exclude: set[int] | None = None) -> Matches:
    """The people of `people` whose name or e-mail contains every word of `query`, case-insensitively,
    by name: one query, at most `PERSON_SEARCH_LIMIT` of them. Members may read the e-mail addresses of
    the directory (the person page shows them), so matching on them tells nothing new."""
    return _matching(person_labels(people), query, ["full_name", "email"], exclude, person_choice)


# An organisation with more units than this chooses them with the unit picker's search, not a checkbox each:
# 400 checkboxes make a form of 150 KB that nobody reads through, while a list this long still is read.
UNIT_CHECKBOXES_UP_TO = 30


class UnitScope(StrEnum):
    """Which units a unit field offers (`laera.organisations.widgets`); its search offers the same. The value
    is the search's `field` parameter."""

    ALL = "all"  # every unit of the organisation: the units that take part in an arena or an activity
    LED = "led"  # for an admin every unit, for others the units they lead: the units of a mapping round


def unit_choices(actor: Actor, scope: str) -> QuerySet[Unit]:
    """The units a unit field of this scope offers the actor, by name; never a unit of another
    organisation. Not authorised here: the form's view has done that, and `unit_field_choices` does it for
    the search."""
    units = Unit.objects.for_org(actor.organisation).order_by("name", "pk")
    if scope == UnitScope.ALL or (scope == UnitScope.LED and actor.is_admin):
        return units
    if scope == UnitScope.LED:
        return units.filter(pk__in=actor.led_unit_ids)
    return units.none()


def unit_field_choices(actor: Actor, scope_name: str) -> QuerySet[Unit]:
    """`unit_choices` for the unit search: 404 for an unknown scope, 403 for an external contributor."""
    try:
        scope = UnitScope(scope_name)
    except ValueError:
        raise Http404 from None
    actor.require_member()
    return unit_choices(actor, scope)


def unit_labels(units: QuerySet[Unit]) -> QuerySet[Any]:
    """Units as a picker shows them: the name, and the unit it is part of, since names repeat between
    departments (each has its "Team 1")."""
    return units.values_list("pk", "name", "parent__name", named=True)


def unit_choice(row: Any) -> Choice:
    if row.parent__name:
        return Choice(row.pk, _("%(unit)s (in %(parent)s)") % {"unit": row.name, "parent": row.parent__name})
    return Choice(row.pk, row.name)


def units_matching(units: QuerySet[Unit], query: str, *, exclude: set[int] | None = None) -> Matches:
    """The units of `units` whose name contains every word of `query`, case-insensitively, by name: one
    query, at most `PERSON_SEARCH_LIMIT` of them."""
    return _matching(unit_labels(units), query, ["name"], exclude, unit_choice)


def audit_entries(
    actor: Actor,
    *,
    who: Person | None = None,
    action: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEntry]:
    """The organisation's audit log, newest first; the dates count in the current time zone, both included."""
    organisation_policy.require(actor, OrganisationAction.MANAGE)
    qs = AuditEntry.objects.filter(organisation=actor.organisation).select_related("actor")
    if who is not None:
        qs = qs.filter(actor_id=who.user_id)
    if action:
        qs = qs.filter(action=action)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    return qs


def person_memberships(actor: Actor, person: Person) -> QuerySet[Membership]:
    return (
        Membership.objects.for_org(actor.organisation)
        .filter(person=person)
        .select_related("unit")
        .order_by("unit__name")
    )


def job_roles_list(actor: Actor) -> QuerySet[JobRole]:
    actor.require_member()
    return JobRole.objects.for_org(actor.organisation).annotate(people_count=Count("people")).order_by("name")


def working_group_for(actor: Actor, unit: Unit) -> WorkingGroup | None:
    return (
        WorkingGroup.objects.for_org(actor.organisation)
        .select_related("lead", "minute_taker", "unit")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=WorkingGroupMember.objects.select_related("person", "person__job_role").order_by(
                    "person__full_name"
                ),
            )
        )
        .filter(unit=unit)
        .first()
    )


def working_group_meetings(actor: Actor, group: WorkingGroup) -> QuerySet[WorkingGroupMeeting]:
    return (
        WorkingGroupMeeting.objects.for_org(actor.organisation)
        .filter(group=group)
        .select_related("minute_taker")
    )


@dataclass
class NextStep:
    """One thing the start page asks of the person: what is due, a link, and a date where there is one."""

    text: str
    url: str
    link_text: str
    date: datetime.date | None = None
    kind: str = ""


def step_url(actor: Actor, name: str, **kwargs: int) -> str:
    """The address of an organisation page, for a next step's link."""
    return reverse(name, kwargs={"org_slug": actor.organisation.slug, **kwargs})


def more_steps(total: int, shown: int, actor: Actor, url_name: str, kind: str) -> list[NextStep]:
    """A last step pointing to the full list when there are more than the few shown."""
    if total <= shown:
        return []
    rest = total - shown
    return [
        NextStep(
            ngettext("and %(count)s more.", "and %(count)s more.", rest) % {"count": rest},
            step_url(actor, url_name),
            _("See all"),
            kind=kind,
        )
    ]


@dataclass
class GroupStatus:
    group: WorkingGroup
    unit: Unit
    size: int
    warnings: list[str]


def working_group_warnings(group: WorkingGroup | None, size: int) -> list[str]:
    """Plain-language advice from the KLAR guide (003_8a0b773b4c09b074.txt, docs/product.md §3.1 and §7):
    3–5 members, a lead, a minute taker, a mandate, a deadline."""
    warnings: list[str] = []
    if group is None or size == 0:
        return [_("The unit has no working group yet.")]
    if size < WorkingGroup.ADVISED_MIN:
        warnings.append(
            ngettext(
                "The group has %(count)s member. The guide advises at least 3, "
                "from different professions and teams.",
                "The group has %(count)s members. The guide advises at least 3, "
                "from different professions and teams.",
                size,
            )
            % {"count": size}
        )
    elif size > WorkingGroup.ADVISED_MAX:
        warnings.append(
            ngettext(
                "The group has %(count)s member. The guide advises at most 5, so it can work quickly.",
                "The group has %(count)s members. The guide advises at most 5, so it can work quickly.",
                size,
            )
            % {"count": size}
        )
    if group.lead_id is None:
        warnings.append(_("No one leads the group."))
    if group.minute_taker_id is None:
        warnings.append(_("No one takes the minutes."))
    if not group.mandate.strip():
        warnings.append(_("The group has no written mandate."))
    if group.deadline is None:
        warnings.append(_("The group has no deadline."))
    return warnings


def group_statuses(actor: Actor, unit_ids: set[int]) -> list[GroupStatus]:
    """Working-group status for the given units, in three queries whatever their number."""
    units = list(Unit.objects.for_org(actor.organisation).filter(pk__in=unit_ids).order_by("name"))
    groups = {
        g.unit_id: g
        for g in WorkingGroup.objects.for_org(actor.organisation)
        .filter(unit_id__in=unit_ids)
        .annotate(size=Count("members"))
    }
    result = []
    for unit in units:
        group = groups.get(unit.pk)
        size = getattr(group, "size", 0)
        if group is None:
            continue
        result.append(
            GroupStatus(group=group, unit=unit, size=size, warnings=working_group_warnings(group, size))
        )
    return result


@dataclass
class StartPage:
    steps: list[NextStep]
    my_units: list[Unit]
    led_units: list[Unit]
    my_groups: list[GroupStatus]
    counts: dict[str, int]
    closing_steps: list[NextStep] = field(default_factory=list)
    group_unit_ids: set[int] = field(default_factory=set)


def organisation_counts(actor: Actor) -> dict[str, int]:
    """For admins: units, active people, those of them in no unit and without an e-mail address, those
    with an address but no account yet (not invited, and invited with an open invitation) and units
    without a leader — three queries, the people counted in one pass (in no unit: against the set of
    members, hashed once, not a look-up per person)."""
    org = actor.organisation
    no_account = Q(user__isnull=True) & ~Q(email="") & ~Q(role="external")
    members = Membership.objects.filter(organisation=org).values("person_id")
    counts = (
        Person.objects.for_org(org)
        .filter(is_active=True)
        .aggregate(
            people=Count("pk"),
            without_unit=Count("pk", filter=~Q(pk__in=members)),
            without_email=Count("pk", filter=Q(email="")),
            no_account=Count("pk", filter=no_account),
        )
    )
    # The open invitations are few: counted from their side.
    invited = (
        Invitation.objects.filter(
            person__organisation=org,
            person__is_active=True,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .filter(Q(person__user__isnull=True) & ~Q(person__email="") & ~Q(person__role="external"))
        .values("person_id")
        .distinct()
        .count()
    )
    units = Unit.objects.for_org(org).aggregate(
        units=Count("pk"), without_leader=Count("pk", filter=Q(leader__isnull=True))
    )
    return {
        "units": units["units"],
        "people": counts["people"],
        "without_unit": counts["without_unit"],
        "without_email": counts["without_email"],
        "not_invited": counts["no_account"] - invited,
        "invited": invited,
        "units_without_leader": units["without_leader"],
    }


def start_page(actor: Actor) -> StartPage:
    """What this person should do next about the organisation itself, by role: setting it up (admins),
    the working groups they lead or sit in, and their own profile. The start page's view adds what is
    due in the other steps of the loop (`start_steps`)."""
    org = actor.organisation
    slug = org.slug
    steps: list[NextStep] = []
    closing: list[NextStep] = []
    my_units = (
        list(Unit.objects.for_org(org).filter(memberships__person=actor.person).order_by("name"))
        if actor.is_member
        else []
    )
    led_units: list[Unit] = []
    counts: dict[str, int] = {}

    if actor.is_admin:
        counts = organisation_counts(actor)
        people_url = reverse("organisations:person_list", kwargs={"org_slug": slug})
        units_url = reverse("organisations:unit_list", kwargs={"org_slug": slug})
        if counts["people"] <= 1:
            steps.append(
                NextStep(
                    _("Add the people of the organisation, one by one or from your HR system's export."),
                    reverse("organisations:people_import", kwargs={"org_slug": slug}),
                    _("Import people"),
                    kind="import",
                )
            )
        if counts["units"] <= 1:
            steps.append(
                NextStep(
                    _("Set up the units: the office and its teams."),
                    reverse("organisations:unit_create", kwargs={"org_slug": slug}),
                    _("New unit"),
                    kind="units",
                )
            )
        if counts["without_unit"]:
            steps.append(
                NextStep(
                    ngettext(
                        "%(count)s person belongs to no unit.",
                        "%(count)s people belong to no unit.",
                        counts["without_unit"],
                    )
                    % {"count": counts["without_unit"]},
                    people_url + "?without_unit=1",
                    _("See who"),
                    kind="without_unit",
                )
            )
        if counts["not_invited"]:
            steps.append(
                NextStep(
                    ngettext(
                        "%(count)s person has an e-mail address but cannot sign in yet: "
                        "send them an invitation.",
                        "%(count)s people have an e-mail address but cannot sign in yet: "
                        "send them an invitation.",
                        counts["not_invited"],
                    )
                    % {"count": counts["not_invited"]},
                    people_url,
                    _("People"),
                    kind="not_invited",
                )
            )
        if counts["invited"]:
            steps.append(
                NextStep(
                    ngettext(
                        "%(count)s invitation has not been accepted yet.",
                        "%(count)s invitations have not been accepted yet.",
                        counts["invited"],
                    )
                    % {"count": counts["invited"]},
                    people_url,
                    _("People"),
                    kind="invited",
                )
            )
        if counts["units"] and counts["units_without_leader"] == counts["units"]:
            steps.append(
                NextStep(
                    _("No unit has a leader yet. Leaders approve and publish the plans for learning."),
                    units_url,
                    _("Units"),
                    kind="no_leader",
                )
            )
        elif counts["units_without_leader"]:
            steps.append(
                NextStep(
                    ngettext(
                        "%(count)s unit has no leader to approve and publish its plans.",
                        "%(count)s units have no leader to approve and publish their plans.",
                        counts["units_without_leader"],
                    )
                    % {"count": counts["units_without_leader"]},
                    units_url,
                    _("Units"),
                    kind="no_leader",
                )
            )

    if actor.role in ("leader", "admin"):
        led_units = list(Unit.objects.for_org(org).filter(leader=actor.person).order_by("name"))
        led_groups = group_statuses(actor, {u.pk for u in led_units})
        group_units = {g.group.unit_id for g in led_groups}
        for unit in led_units:
            if unit.pk not in group_units:
                steps.append(
                    NextStep(
                        sentence(
                            _(
                                "Set up a working group for %(unit)s: 3–5 people from different professions, "
                                "with a lead, a minute taker, a mandate and a deadline."
                            ),
                            {"unit": content_span(unit.name, actor.organisation.default_language)},
                        ),
                        reverse(
                            "organisations:working_group_detail",
                            kwargs={"org_slug": slug, "unit_id": unit.pk},
                        ),
                        _("Working group"),
                        kind="working_group",
                    )
                )
        for status in led_groups:
            for warning in status.warnings:
                steps.append(
                    NextStep(
                        sentence(
                            _("%(unit)s: %(warning)s"),
                            {
                                "unit": content_span(status.unit.name, actor.organisation.default_language),
                                "warning": warning,
                            },
                        ),
                        reverse(
                            "organisations:working_group_detail",
                            kwargs={"org_slug": slug, "unit_id": status.unit.pk},
                        ),
                        _("Working group"),
                        kind="working_group",
                    )
                )

    member_unit_ids = set(
        WorkingGroupMember.objects.for_org(org)
        .filter(person=actor.person)
        .values_list("group__unit_id", flat=True)
    )
    my_groups = group_statuses(actor, member_unit_ids)
    with_minutes = set(
        WorkingGroupMeeting.objects.for_org(org)
        .filter(group__unit_id__in=member_unit_ids)
        .values_list("group__unit_id", flat=True)
        .distinct()
    )
    for status in my_groups:
        if status.unit.pk not in with_minutes:
            steps.append(
                NextStep(
                    sentence(
                        _(
                            "The working group for %(unit)s has no minutes yet. Start by mapping where "
                            "knowledge flows today, and write down what you agree."
                        ),
                        {"unit": content_span(status.unit.name, actor.organisation.default_language)},
                    ),
                    reverse(
                        "organisations:meeting_create", kwargs={"org_slug": slug, "unit_id": status.unit.pk}
                    ),
                    _("Write minutes"),
                    kind="minutes",
                )
            )

    if actor.is_member and not my_units and not actor.is_admin:
        closing.append(
            NextStep(
                _("You are not in any unit yet. Ask your leader to add you."),
                reverse("organisations:unit_list", kwargs={"org_slug": slug}),
                _("See the units"),
                kind="no_unit",
            )
        )
    if actor.user is not None and not actor.user.language:
        closing.append(
            NextStep(
                _("Choose the language Læra should speak to you in."),
                reverse("accounts:profile"),
                _("My profile"),
                kind="language",
            )
        )
    return StartPage(
        steps=steps,
        my_units=my_units,
        led_units=led_units,
        my_groups=my_groups,
        counts=counts,
        closing_steps=closing,
        group_unit_ids=member_unit_ids,
    )


def start_steps(actor: Actor, page: StartPage) -> list[NextStep]:
    """Everything due for this person, the most pressing first, in a fixed number of queries.

    The organisation knows nothing of the steps of the loop above it: each app registers its steps as a
    `start_steps` hook (`<app>/hooks.py`), called with the actor and this page, in this order: rounds to
    answer (10), rounds running and ratings due (20), plans (30), mapping (40), catalogues without
    requirements (50), the organisation's own steps (60), what is expected of the person (70). An external
    contributor sees only the organisation's own steps.
    """
    if actor.is_external:
        return page.steps + page.closing_steps
    steps: list[NextStep] = []
    for hook in get_hooks("start_steps"):
        steps += hook(actor, page)
    return steps + page.closing_steps


# Invitations --------------------------------------------------------------------------------------


def invitation_by_token(token: str) -> Invitation:
    """The invitation whose link carries `token`, in any state; Http404 for a token that matches none.

    Only a hash of each token is stored; the hashes are compared in constant time.
    """
    key = token[: Invitation.KEY_LENGTH]
    invitation = None
    if len(token) > Invitation.KEY_LENGTH:
        invitation = (
            Invitation.objects.select_related("organisation", "person", "person__user", "invited_by")
            .filter(key=key)
            .first()
        )
    if invitation is None or not hmac.compare_digest(invitation.token_hash, Invitation.hash_token(token)):
        raise Http404
    return invitation


def invitation_account(invitation: Invitation) -> Any | None:
    """The account that has the invitation's address, if there is one."""
    return get_user_model().objects.filter(email__iexact=invitation.email).first()


class SignIn(StrEnum):
    """How a person gets into Læra, as the person page shows it."""

    ACCOUNT = "account"  # linked to an account with a password
    NO_PASSWORD = "no_password"  # noqa: S105 - linked to an account without a password, not invited
    INVITED = "invited"  # an invitation is open
    EXPIRED = "expired"  # the last invitation expired unanswered
    NOT_INVITED = "not_invited"  # an address, but no account and no open invitation
    NO_EMAIL = "no_email"


@dataclass(frozen=True)
class SignInState:
    state: SignIn
    invitation: Invitation | None = None  # the latest invitation, for its dates


def person_sign_in_state(actor: Actor, person: Person) -> SignInState:
    """Whether the person can sign in, or where their invitation stands. For those who may edit them."""
    if person.user is not None and person.user.has_usable_password():
        return SignInState(SignIn.ACCOUNT)  # no invitation matters any more: nothing to look up
    latest = (
        Invitation.objects.for_org(actor.organisation)
        .filter(person=person, accepted_at__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )
    status = latest.status if latest is not None else None
    if status == InvitationStatus.OPEN:
        return SignInState(SignIn.INVITED, latest)
    if person.user is not None:
        return SignInState(SignIn.NO_PASSWORD, latest)
    if not person.email:
        return SignInState(SignIn.NO_EMAIL)
    if status == InvitationStatus.EXPIRED:
        return SignInState(SignIn.EXPIRED, latest)
    return SignInState(SignIn.NOT_INVITED, latest)
