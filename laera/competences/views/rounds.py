"""Mapping rounds, the self-assessment, the leader's rating and qualifications."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laera.core.errors import ServiceError
from laera.core.forms import apply_service
from laera.core.versioning import Conflict, ConflictError, conflict_for, save_versioned, version_error
from laera.organisations.models import Person
from laera.organisations.selectors import access_person_for_members
from laera.organisations.tenancy import Actor, OrgRequest, id_or_404, org_view

from ..forms.rounds import LeaderRatingForm, QualificationForm, RoundForm, SelfAssessmentForm, prefix_for
from ..models import Catalogue, MappingRound
from ..policies import (
    FiguresAction,
    PersonAction,
    RoundAction,
    assessment_policy,
    figures_policy,
    round_policy,
)
from ..selectors import expected as expected_selectors
from ..selectors import rounds as selectors
from ..selectors.access import access_competence, access_qualification, access_round
from ..selectors.catalogues import scale_levels
from ..services import rounds as services

EXPIRY_DAYS = 90
QUALIFICATIONS_PER_PAGE = 50  # expiring qualifications per page
SEARCH_LENGTH = 200  # a search of the round's people is cut to this many characters


def _url(actor: Actor, name: str, **kwargs: Any) -> str:
    return reverse(f"competences:{name}", kwargs={"org_slug": actor.organisation.slug, **kwargs})


@org_view
def competence_home(request: OrgRequest) -> HttpResponse:
    actor = request.actor
    actor.require_member()
    runs = round_policy.allows(actor, RoundAction.START)
    return render(
        request,
        "competences/home.html",
        {
            "my_rounds": selectors.my_rounds(actor),
            "expected": expected_selectors.expected_of_me(actor),
            "my_person_id": actor.person.pk,
            "run_rounds": list(selectors.rounds_run_by(actor)[:10]) if runs else [],
            "runs": runs,
            "sees_gaps": figures_policy.allows(actor, FiguresAction.VIEW),
            "expiring_count": selectors.qualifications_expiring(actor, EXPIRY_DAYS).count() if runs else 0,
            "expiry_days": EXPIRY_DAYS,
        },
    )


@org_view
def round_list(request: OrgRequest) -> HttpResponse:
    actor = request.actor
    actor.require_member()
    runs = round_policy.allows(actor, RoundAction.START)
    return render(
        request,
        "competences/round_list.html",
        {
            "my_rounds": selectors.my_rounds(actor),
            "run_rounds": selectors.rounds_run_by(actor) if runs else [],
            "runs": runs,
        },
    )


def _round_form_page(request: OrgRequest, round: MappingRound | None) -> HttpResponse:
    actor = request.actor
    form = RoundForm(
        request.POST or None, actor=actor, initial=RoundForm.initial_for(round), creating=round is None
    )
    conflict = None
    saved: MappingRound | None = None
    if request.method == "POST" and round is None:
        if form.is_valid():
            saved = apply_service(
                form,
                lambda: services.round_create(
                    actor=actor, organisation=actor.organisation, data=form.to_input()
                ),
            )
    elif request.method == "POST" and round is not None:
        saved, conflict = save_versioned(
            form,
            lambda: services.round_update(
                actor=actor, round=round, data=form.to_input(), version=form.cleaned_data["version"]
            ),
            reload=lambda: access_round(actor, round.pk),
            fresh=lambda current: RoundForm(actor=actor, initial=RoundForm.initial_for(current)),
        )
    if saved is not None:
        messages.success(request, _("The mapping round %(name)s is saved.") % {"name": saved.name})
        return redirect(saved.get_absolute_url())
    has_catalogue = Catalogue.objects.filter(organisation=actor.organisation).exists()
    return render(
        request,
        "competences/round_form.html",
        {"form": form, "round": round, "has_catalogue": has_catalogue, "conflict": conflict},
    )


@org_view
def round_create(request: OrgRequest) -> HttpResponse:
    actor = request.actor
    actor.require(round_policy.allows(actor, RoundAction.START))
    return _round_form_page(request, None)


@org_view
def round_edit(request: OrgRequest, round_id: int) -> HttpResponse:
    actor = request.actor
    round = access_round(actor, round_id)
    actor.require(round_policy.allows(actor, RoundAction.MANAGE, round))
    return _round_form_page(request, round)


@org_view
def round_detail(request: OrgRequest, round_id: int) -> HttpResponse:
    actor = request.actor
    round = access_round(actor, round_id)
    participant = selectors.participant_of(round, actor.person)
    follows = round_policy.allows(actor, RoundAction.FOLLOW, round)
    actor.require(follows or participant is not None)
    context: dict[str, Any] = {
        "round": round,
        "units": list(round.units.order_by("name")),
        "participant": participant,
        "follows": follows,
        "manages": round_policy.allows(actor, RoundAction.MANAGE, round),
    }
    if participant is not None:
        context["my_answered"], context["my_total"] = selectors.answered_counts(round, actor.person)
    if follows:
        context["progress"] = _round_progress(request, round)
        context["states"] = _progress_states()
    return render(request, "competences/round_detail.html", context)


def _round_progress(request: OrgRequest, round: MappingRound) -> selectors.RoundProgress:
    """The progress at the level, search, state filter and page the query string asks for."""
    actor, params = request.actor, request.GET
    unit_id = params.get("unit", "")
    unit = selectors.access_followed_unit(actor, id_or_404(unit_id)) if unit_id else None
    return selectors.round_progress(
        actor,
        round,
        unit=unit,
        query=params.get("q", "").strip()[:SEARCH_LENGTH],
        state=params.get("state", ""),
        page=params.get("page"),
    )


def _progress_states() -> list[tuple[str, str]]:
    """The choices of the progress filter, in the selector's order."""
    labels = {"not_started": _("Not started"), "in_progress": _("In progress"), "answered": _("Answered")}
    return [("", _("All")), *((state, labels[state]) for state in selectors.STATES)]


@org_view
def round_close(request: OrgRequest, round_id: int) -> HttpResponse:
    actor = request.actor
    round = access_round(actor, round_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    actor.require(round_policy.allows(actor, RoundAction.MANAGE, round))
    services.round_close(actor=actor, round=round)
    messages.success(request, _("The mapping round is closed."))
    return redirect(round.get_absolute_url())


@org_view
def round_remind(request: OrgRequest, round_id: int) -> HttpResponse:
    actor = request.actor
    round = access_round(actor, round_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    actor.require(round_policy.allows(actor, RoundAction.MANAGE, round))
    try:
        sent = services.round_send_reminders(actor=actor, round=round, again=True)
    except ServiceError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext(
                "A reminder was sent to %(count)s person who has not answered.",
                "Reminders sent to %(count)s people who have not answered.",
                sent,
            )
            % {"count": sent},
        )
    return redirect(round.get_absolute_url())


# Self-assessment ----------------------------------------------------------------------------------


def _require_participant(actor: Actor, round: MappingRound) -> None:
    """Only the round's participants answer in it; 403 for anyone else."""
    if selectors.participant_of(round, actor.person) is None:
        raise PermissionDenied(_("You are not taking part in this mapping round."))


def _self_changed(form: SelfAssessmentForm, item: selectors.FormItem) -> bool:
    d, row = form.cleaned_data, item.row
    if row is None:
        return d["level"] is not None or bool(d["comment"].strip()) or d["wants_to_learn"]
    return (d["level"], d["comment"].strip(), d["wants_to_learn"]) != (
        row.self_level,
        row.self_comment,
        row.wants_to_learn,
    )


RowForm = SelfAssessmentForm | LeaderRatingForm


@dataclass
class AreaLink:
    """An area of a large form: where it is, how much of it is answered, whether it is the one shown."""

    area: Any
    url: str
    answered: int
    total: int
    current: bool


def _area_query(data: selectors.AssessmentForm, one_area: bool) -> str:
    return f"?area={data.groups[0].area.pk}" if one_area and data.groups else ""


def _area_links(data: selectors.AssessmentForm, one_area: bool) -> list[AreaLink]:
    """One link per area when the page shows one at a time (none otherwise)."""
    if not one_area:
        return []
    shown = data.groups[0].area.pk
    return [
        AreaLink(
            area=group.area,
            url=f"?area={group.area.pk}",
            answered=sum(item.answered for item in group.items),
            total=len(group.items),
            current=group.area.pk == shown,
        )
        for group in data.all_groups
    ]


def _open_rows(data: selectors.AssessmentForm, form_class: type[RowForm], post: Any = None) -> None:
    """Give each competence of the page its form: bound to what was sent, or opened on its row."""
    for item in data.items:
        item.form = form_class(
            post, prefix=prefix_for(item.competence.pk), initial=form_class.initial_for(item.row)
        )


def _row_conflict(
    form: RowForm, levels: list[Any], message: str, current: Any, version: int | None
) -> Conflict:
    """A row refused for its version: what is saved in it now, and the row re-bound to that version."""
    form_class = type(form)

    def fresh(row: Any) -> RowForm:
        return form_class(prefix=form.prefix, initial=form_class.initial_for(row), levels=levels)

    return conflict_for(form, message, current, version, fresh)


def _refused(form: RowForm, levels: list[Any], exc: ConflictError) -> Conflict:
    form.add_error("version", exc.messages[0])
    return _row_conflict(form, levels, exc.messages[0], exc.current, exc.version)


def _save_row(
    form: RowForm, levels: list[Any], save: Callable[[], Any], reload: Callable[[], Any]
) -> tuple[Any, Conflict | None, str]:
    """Save one row from its bound form: (the row saved, None, ""); (None, a conflict, "") when refused
    for its version; or (None, None, the error)."""
    if not form.is_valid():
        if "version" not in form.errors:
            return None, None, _("Choose a step of the scale.")
        row = reload()
        version = row.version if row is not None else 0
        return None, _row_conflict(form, levels, version_error(form), row, version), ""
    try:
        return save(), None, ""
    except ConflictError as exc:
        return None, _refused(form, levels, exc), ""
    except ServiceError as exc:
        return None, None, " ".join(exc.messages)


def _save_page(
    data: selectors.AssessmentForm,
    changed: Callable[[Any, selectors.FormItem], bool],
    save: Callable[[list[tuple[Any, int | None]], bool], dict[int, ConflictError]],
) -> list[str]:
    """Save every changed row of the page (the form sent without JavaScript), all or none, through the
    page's service (`save(rows, rollback)`).

    Rows refused for their version keep what was sent, show what is saved and take its version, so
    that sending the page again replaces it. Returns the errors to show; none when all is saved."""
    changes: list[selectors.FormItem] = []
    for item in data.items:
        form = item.form
        if form.is_valid():
            if changed(form, item):
                changes.append(item)
        elif "version" in form.errors:
            message = version_error(form)
            item.conflict = _row_conflict(form, data.levels, message, item.row, item.version)
        else:
            return [_("%(name)s: choose a step of the scale.") % {"name": item.competence.name}]
    rows = [(item.form.to_input(item.competence), item.form.cleaned_data["version"]) for item in changes]
    try:
        conflicts = save(rows, any(item.conflict is not None for item in data.items))
    except ServiceError as exc:
        return list(exc.messages)
    for index, refusal in conflicts.items():
        changes[index].conflict = _refused(changes[index].form, data.levels, refusal)
    return [
        f"{item.competence.name}: {item.conflict.message}" for item in data.items if item.conflict is not None
    ]


@org_view
def self_assessment(request: OrgRequest, round_id: int) -> HttpResponse:
    actor = request.actor
    round = access_round(actor, round_id)
    if selectors.participant_of(round, actor.person) is None:
        if round_policy.allows(actor, RoundAction.FOLLOW, round):
            return redirect(round.get_absolute_url())
        raise PermissionDenied(_("You are not taking part in this mapping round."))
    data = selectors.assessment_form(round, actor.person)
    one_area = data.show_one_area(request.GET.get("area"))
    errors: list[str] = []
    if request.method == "POST":
        _open_rows(data, SelfAssessmentForm, request.POST)
        errors = _save_page(
            data,
            _self_changed,
            lambda rows, rollback: services.assessments_save_self(
                actor=actor, round=round, rows=rows, rollback=rollback
            ),
        )
        if not errors:
            messages.success(request, _("Your answers are saved."))
            return redirect(_url(actor, "self_assessment", round_id=round.pk) + _area_query(data, one_area))
    else:
        _open_rows(data, SelfAssessmentForm)
    context = {"data": data, "errors": errors, "round": round, "area_links": _area_links(data, one_area)}
    return render(request, "competences/self_assessment.html", context)


@org_view
def self_assessment_save(request: OrgRequest, round_id: int, competence_id: int) -> HttpResponse:
    """Save one competence of the self-assessment; HTMX gets the status, the row's new version and the
    new count back — or, when the row was saved elsewhere since, what is saved and its version."""
    actor = request.actor
    round = access_round(actor, round_id)
    competence = access_competence(actor, competence_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _require_participant(actor, round)
    form = SelfAssessmentForm(request.POST, prefix=prefix_for(competence.pk))
    saved, conflict, error = _save_row(
        form,
        scale_levels(round.catalogue),
        lambda: services.assessment_save_self(
            actor=actor, round=round, data=form.to_input(competence), version=form.cleaned_data["version"]
        ),
        lambda: selectors.assessment_row(round, actor.person, competence),
    )
    if not request.htmx:
        if conflict is not None or error:
            messages.error(request, conflict.message if conflict is not None else error)
        return redirect(_url(actor, "self_assessment", round_id=round.pk))
    answered, total = selectors.answered_counts(round, actor.person)
    return render(
        request,
        "competences/partials/self_saved.html",
        {
            "error": error,
            "conflict": conflict,
            "version": saved.version if saved is not None else conflict.version if conflict else None,
            "answered": answered,
            "total": total,
            "competence": competence,
        },
    )


# The leader's rating ------------------------------------------------------------------------------


def _round_and_person(request: OrgRequest, round_id: int, person_id: int) -> tuple[MappingRound, Person]:
    """The round and the person, or 404 when either is missing or of another organisation."""
    actor = request.actor
    return access_round(actor, round_id), access_person_for_members(actor, person_id)


def _require_leader_of(actor: Actor, round: MappingRound, person: Person) -> None:
    """Only the person's leader (or an admin) rates them, and only in a round they take part in."""
    actor.require_member()
    assessment_policy.require(actor, PersonAction.RATE, person.pk)
    if selectors.participant_of(round, person) is None:
        raise PermissionDenied(_("This person is not taking part in the mapping round."))


def _leader_access(request: OrgRequest, round_id: int, person_id: int) -> tuple[MappingRound, Person]:
    round, person = _round_and_person(request, round_id, person_id)
    _require_leader_of(request.actor, round, person)
    return round, person


def _leader_changed(form: LeaderRatingForm, item: selectors.FormItem) -> bool:
    d, row = form.cleaned_data, item.row
    if row is None:
        return d["level"] is not None or bool(d["comment"].strip()) or d["agreed_level"] is not None
    return (d["level"], d["comment"].strip(), d["agreed_level"]) != (
        row.leader_level,
        row.leader_comment,
        row.agreed_level,
    )


@org_view
def leader_rating(request: OrgRequest, round_id: int, person_id: int) -> HttpResponse:
    actor = request.actor
    round, person = _leader_access(request, round_id, person_id)
    data = selectors.assessment_form(round, person)
    one_area = data.show_one_area(request.GET.get("area"))
    errors: list[str] = []
    if request.method == "POST":
        _open_rows(data, LeaderRatingForm, request.POST)
        errors = _save_page(
            data,
            _leader_changed,
            lambda rows, rollback: services.assessments_save_leader(
                actor=actor, round=round, person=person, rows=rows, rollback=rollback
            ),
        )
        if not errors:
            messages.success(request, _("Your ratings are saved."))
            page = _url(actor, "leader_rating", round_id=round.pk, person_id=person.pk)
            return redirect(page + _area_query(data, one_area))
    else:
        _open_rows(data, LeaderRatingForm)
    return render(
        request,
        "competences/leader_rating.html",
        {
            "data": data,
            "errors": errors,
            "round": round,
            "person": person,
            "participant": selectors.participant_of(round, person),
            "mine": data.rated_by(actor.person.pk),
            "editable": round.closed_at is None and round.status != "planned",
            "area_links": _area_links(data, one_area),
        },
    )


@org_view
def leader_rating_save(
    request: OrgRequest, round_id: int, person_id: int, competence_id: int
) -> HttpResponse:
    """Save the leader's rating of one competence; like the self-assessment's row, HTMX gets the status
    and the row's version back, or what another leader saved in the meantime."""
    actor = request.actor
    round, person = _round_and_person(request, round_id, person_id)
    competence = access_competence(actor, competence_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _require_leader_of(actor, round, person)
    form = LeaderRatingForm(request.POST, prefix=prefix_for(competence.pk))
    saved, conflict, error = _save_row(
        form,
        scale_levels(round.catalogue),
        lambda: services.assessment_save_leader(
            actor=actor,
            round=round,
            person=person,
            data=form.to_input(competence),
            version=form.cleaned_data["version"],
        ),
        lambda: selectors.assessment_row(round, person, competence),
    )
    if not request.htmx:
        if conflict is not None or error:
            messages.error(request, conflict.message if conflict is not None else error)
        return redirect(_url(actor, "leader_rating", round_id=round.pk, person_id=person.pk))
    return _leader_saved(request, round, person, competence, saved, conflict, error)


def _leader_saved(
    request: OrgRequest,
    round: MappingRound,
    person: Person,
    competence: Any,
    saved: Any,
    conflict: Conflict | None,
    error: str,
) -> HttpResponse:
    """HTMX's answer to a saved row: the status, the row's version and the count of ratings."""
    actor = request.actor
    data = selectors.assessment_form(round, person)
    return render(
        request,
        "competences/partials/leader_saved.html",
        {
            "error": error,
            "conflict": conflict,
            "version": saved.version if saved is not None else conflict.version if conflict else None,
            "answered": data.rated_by(actor.person.pk),
            "total": data.total,
            "competence": competence,
        },
    )


@org_view
def leader_rating_done(request: OrgRequest, round_id: int, person_id: int) -> HttpResponse:
    actor = request.actor
    round, person = _round_and_person(request, round_id, person_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _require_leader_of(actor, round, person)
    try:
        services.leader_rating_done(actor=actor, round=round, person=person)
    except ServiceError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(_url(actor, "leader_rating", round_id=round.pk, person_id=person.pk))
    messages.success(request, _("Your rating of %(name)s is marked as done.") % {"name": person.full_name})
    if round_policy.allows(actor, RoundAction.FOLLOW, round):
        return redirect(round.get_absolute_url())
    return redirect(_url(actor, "leader_rating", round_id=round.pk, person_id=person.pk))


# Qualifications -----------------------------------------------------------------------------------


@org_view
def qualification_list(request: OrgRequest) -> HttpResponse:
    actor = request.actor
    actor.require_member()
    try:
        days = max(0, min(int(request.GET.get("days", EXPIRY_DAYS)), 3650))
    except ValueError:
        days = EXPIRY_DAYS
    leads = actor.is_admin or bool(actor.led_unit_ids)
    if request.GET.get("person"):
        person = access_person_for_members(actor, id_or_404(request.GET["person"]))
        return redirect(_url(actor, "qualification_create", person_id=person.pk))
    find = request.GET.get("find", "").strip()[:100]
    expiring = selectors.qualifications_expiring(actor, days) if leads else None
    return render(
        request,
        "competences/qualification_list.html",
        {
            "mine": selectors.my_qualifications(actor),
            "leads": leads,
            "expiring": Paginator(expiring, QUALIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
            if expiring is not None
            else None,
            "days": days,
            "expiring_query": f"days={days}",
            "today": timezone.localdate(),
            "find": find,
            "found": selectors.people_for_qualifications(actor, find) if leads and find else None,
            "found_shown": selectors.FOUND_SHOWN,
        },
    )


@org_view
def qualification_create(request: OrgRequest, person_id: int) -> HttpResponse:
    actor = request.actor
    person = access_person_for_members(actor, person_id)
    assessment_policy.require(actor, PersonAction.EDIT_QUALIFICATIONS, person.pk)
    form = QualificationForm(request.POST or None, actor=actor, creating=True)
    if request.method == "POST" and form.is_valid():
        saved = apply_service(
            form, lambda: services.qualification_create(actor=actor, person=person, data=form.to_input())
        )
        if saved is not None:
            messages.success(request, _("The qualification %(name)s is saved.") % {"name": saved.name})
            return redirect(_url(actor, "qualification_list"))
    return render(
        request,
        "competences/qualification_form.html",
        {"form": form, "person": person, "qualification": None},
    )


@org_view
def qualification_edit(request: OrgRequest, qualification_id: int) -> HttpResponse:
    actor = request.actor
    qualification = access_qualification(actor, qualification_id)
    actor.require_member()
    assessment_policy.require(actor, PersonAction.EDIT_QUALIFICATIONS, qualification.person_id)
    form = QualificationForm(
        request.POST or None, actor=actor, initial=QualificationForm.initial_for(qualification)
    )
    conflict = None
    if request.method == "POST":
        saved, conflict = save_versioned(
            form,
            lambda: services.qualification_update(
                actor=actor,
                qualification=qualification,
                data=form.to_input(),
                version=form.cleaned_data["version"],
            ),
            reload=lambda: access_qualification(actor, qualification_id),
            fresh=lambda current: QualificationForm(
                actor=actor, initial=QualificationForm.initial_for(current)
            ),
        )
        if saved is not None:
            messages.success(request, _("The qualification %(name)s is saved.") % {"name": saved.name})
            return redirect(_url(actor, "qualification_list"))
    return render(
        request,
        "competences/qualification_form.html",
        {
            "form": form,
            "person": qualification.person,
            "qualification": qualification,
            "conflict": conflict,
        },
    )


@org_view
def qualification_delete(request: OrgRequest, qualification_id: int) -> HttpResponse:
    actor = request.actor
    qualification = access_qualification(actor, qualification_id)
    actor.require_member()
    assessment_policy.require(actor, PersonAction.EDIT_QUALIFICATIONS, qualification.person_id)
    if request.method == "POST":
        name = qualification.name
        services.qualification_delete(actor=actor, qualification=qualification)
        messages.success(request, _("The qualification %(name)s is deleted.") % {"name": name})
        return redirect(_url(actor, "qualification_list"))
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    return render(request, "competences/qualification_delete.html", {"qualification": qualification})
