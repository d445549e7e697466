"""The server side of the front-end conventions (docs/frontend.md): the live region and the script on
every page, error summaries that link to fields, partials that mark what to announce and focus, and
named people chosen with the person picker rather than listed in full."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from laera.core.forms import StyledForm
from laera.core.versioning import VersionField
from laera.mapping.forms import ArenaForm
from laera.organisations import services
from laera.organisations.forms import PeopleImportForm
from laera.organisations.widgets import PersonMultipleChoiceField
from laera.plans.forms import ActivityForm
from laera.testing.world import World

HTMX = {"HX-Request": "true"}


@pytest.fixture
def client_for(client_for: Any) -> Any:
    """The shared signed-in client, reading the pages in English."""

    def make(role: str) -> Any:
        client = client_for(role)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


def _url(world: World, name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs={"org_slug": world.organisation.slug, **kwargs})


def _script() -> str:
    return (Path(__file__).resolve().parents[1] / "static" / "laera" / "laera.js").read_text(encoding="utf-8")


def test_every_page_has_the_live_region_and_the_script(world: World, client_for: Any) -> None:
    html = client_for("employee").get(_url(world, "organisations:home")).content.decode()
    assert '<div id="laera-status" role="status" aria-live="polite" class="visually-hidden"' in html
    assert 'data-error-text="Something went wrong, and the change was not saved. Try again."' in html
    assert "data-offline-text=" in html
    assert 'src="/static/laera/laera.js" defer' in html


def test_the_script_keeps_to_the_content_security_policy() -> None:
    script = _script()
    for forbidden in ("eval(", "new Function", "innerHTML", 'setTimeout("', "document.write"):
        assert forbidden not in script
    for event in ("htmx:afterSettle", "htmx:responseError", "htmx:sendError"):
        assert event in script


def test_error_summary_lists_each_field_error_with_a_link(world: World) -> None:
    with translation.override("en"):
        form = PeopleImportForm(data={}, files={})
        assert not form.is_valid()
        html = str(form)
    assert 'class="ds-error-summary laera-error-summary" tabindex="-1" autofocus data-focus' in html
    assert '<a class="ds-link" href="#id_file">File: This field is required.</a>' in html
    assert html.index("ds-error-summary") < html.index('type="file"')


def test_a_valid_form_has_no_error_summary() -> None:
    assert "ds-error-summary" not in str(PeopleImportForm())


def test_a_refused_version_is_left_to_the_conflict_box() -> None:
    """A form refused only for its version lists nothing: the conflict box beside it explains what is saved
    now, and a summary would take focus from it. Any other error still brings the summary."""

    class Versioned(StyledForm):
        name = forms.CharField(required=False)
        version = VersionField()

    form = Versioned(data={"name": "x", "version": "3"})
    assert form.is_valid()
    form.add_error("version", "Someone else saved this first.")
    assert "ds-error-summary" not in str(form)
    form.add_error("name", "Too short.")
    html = str(form)
    assert "ds-error-summary" in html and "Too short." in html and "Someone else saved" not in html


@pytest.mark.parametrize(
    "name", ["organisations:people_import", "mapping:arena_import", "competences:catalogue_import"]
)
def test_an_empty_import_submit_shows_the_summary(world: World, client_for: Any, name: str) -> None:
    kwargs = {"catalogue_id": world.extra_objects["catalogue"].pk} if "catalogue" in name else {}
    response = client_for("admin").post(_url(world, name, **kwargs), {})
    html = response.content.decode()
    assert response.status_code == 200
    assert "ds-error-summary" in html and 'href="#id_file"' in html


def test_working_group_swaps_say_what_happened(world: World, client_for: Any) -> None:
    client = client_for("leader")
    employee = world.people["employee"]
    response = client.post(
        _url(world, "organisations:working_group_member_add", unit_id=world.team.pk),
        {"person": employee.pk},
        headers=HTMX,
    )
    html = response.content.decode()
    assert f"data-status>{employee.full_name} is added to the working group.</p>" in html
    assert "data-focus" in html
    refused = client.post(
        _url(world, "organisations:working_group_member_add", unit_id=world.team.pk), {}, headers=HTMX
    ).content.decode()
    assert "data-status>Choose a person to add.</p>" in refused
    assert 'role="alert"' not in refused  # announced once, through the page's live region


def test_deleting_a_flow_row_says_so_and_takes_focus(world: World, client_for: Any) -> None:
    flow = world.extra_objects["flow"]
    html = (
        client_for("coordinator")
        .post(_url(world, "mapping:flow_delete", flow_id=flow.pk), headers=HTMX)
        .content.decode()
    )
    assert 'data-status data-focus tabindex="-1">The row is deleted.</p>' in html


def test_self_assessment_save_is_marked_for_the_live_region(world: World, client_for: Any) -> None:
    round = world.extra_objects["round"]
    competence = world.extra_objects["competence"]
    client = client_for("employee")
    page = client.get(_url(world, "competences:self_assessment", round_id=round.pk)).content.decode()
    assert "data-focus-stay" in page
    found = re.search(rf'name="c{competence.pk}-version" id="c{competence.pk}-version" value="(\d*)"', page)
    assert found
    url = _url(world, "competences:self_assessment_save", round_id=round.pk, competence_id=competence.pk)
    data = {f"c{competence.pk}-level": "3", f"c{competence.pk}-version": found.group(1)}
    html = client.post(url, data, headers=HTMX).content.decode()
    assert re.search(rf"<span data-status>Saved: (<span[^>]*>)?{competence.name}(</span>)?</span>", html)


@pytest.fixture
def outsider(world: World) -> Any:
    """An active person in another unit than the plan's and the arena's (Oppfølging)."""
    return world.people["other_leader"]


def test_named_people_on_an_activity_are_a_person_picker(world: World, outsider: Any) -> None:
    form = ActivityForm(actor=world.actor("admin"))
    field: Any = form.fields["participant_people"]
    assert isinstance(field, PersonMultipleChoiceField)
    html = str(form["participant_people"].as_field_group())
    assert "data-picker" in html and 'type="search"' in html and "hx-get=" in html
    # Only those chosen are in the page: no one yet, and no list of everyone to choose from.
    assert "<select" not in html and 'type="checkbox"' not in html
    assert outsider.full_name not in html and world.people["employee"].full_name not in html


def test_named_people_already_chosen_stay_chosen(world: World, outsider: Any) -> None:
    actor = world.actor("admin")
    form = ActivityForm(actor=actor, initial={"participant_people": [outsider]})
    html = str(form["participant_people"].as_field_group())
    assert f'name="participant_people" value="{outsider.pk}"' in html and outsider.full_name in html
    # A submitted choice of someone in the organisation is kept, as before.
    bound = ActivityForm(data={"participant_people": [str(outsider.pk)]}, actor=actor)
    bound.is_valid()
    assert "participant_people" not in bound.errors


def test_named_people_of_another_organisation_are_refused(world: World, other_world: World) -> None:
    stranger = other_world.people["employee"]
    form = ActivityForm(data={"participant_people": [str(stranger.pk)]}, actor=world.actor("admin"))
    form.is_valid()
    assert "participant_people" in form.errors


def test_named_people_on_an_arena_render_what_is_chosen(world: World, outsider: Any) -> None:
    arena = world.extra_objects["arena"]
    initial = {**ArenaForm.initial_for(arena), "participant_people": [outsider]}
    html = str(ArenaForm(actor=world.actor("admin"), initial=initial)["participant_people"].as_field_group())
    assert outsider.full_name in html and world.people["employee"].full_name not in html


def test_named_people_scale_with_those_chosen_not_the_organisation(world: World) -> None:
    def rendered() -> str:
        form = ActivityForm(
            actor=world.actor("admin"), initial={"participant_people": [world.people["employee"]]}
        )
        return str(form["participant_people"].as_field_group())

    before = rendered()
    for number in range(30):
        services.person_create(
            actor=None,
            organisation=world.organisation,
            full_name=f"Mottak {number}",
            email=f"mottak{number}@testby.test",
            job_role=None,
            role="employee",
            units=[world.team],
        )
    assert rendered() == before
