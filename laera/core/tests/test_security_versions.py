"""No lost updates on any editing page: every form that edits a saved object carries its version.

The walk finds the pages from the URL configuration (`laera.testing.routes`) and each page's forms
from its HTML (`laera.testing.forms`), so a page added later is walked with its own fields. Every
form with a hidden version is posted

* without the version: refused — no redirect, the message and the saved object shown, nothing written;
* after someone else saved it, from the version the page was opened with: refused with what they saved
  shown, nothing written;
* once more as the refusal returned it (re-bound to the saved version): saved, a deliberate overwrite.

A page whose name says it edits (EDITING_PAGES) must carry a version, so a new editing page without one
fails here rather than losing someone's work.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import reverse

from laera.core.models import AuditEntry
from laera.testing.forms import Control, PageForm, page_forms
from laera.testing.routes import Route, all_routes, route_url
from laera.testing.world import PASSWORD, World

pytestmark = pytest.mark.django_db

ORG_ROUTES = [route for route in all_routes() if "org_slug" in route.kwargs]
ROLES = ("admin", "leader", "coordinator", "employee")  # the first whose page has the form walks it

# Pages that edit, by route name: each must show a form with a version to someone who may edit.
EDITING_PAGES = (
    "*_edit",
    "organisations:settings",
    "competences:catalogue_scale",
    "competences:requirements",
    "competences:self_assessment",
    "competences:leader_rating",
    "competences:outcome_competences",
)
# Pages that show their form once something is chosen in the query.
QUERIES: dict[str, Callable[[World], dict[str, Any]]] = {
    "competences:requirements": lambda world: {"job_role": world.job_role.pk},
}

MISSING = "sent without the version"
STALE = "Someone else saved this"
FIRST, WITHOUT, SECOND = "Versjonsprøve først lagret", "Versjonsprøve uten versjon", "Versjonsprøve andre"


@dataclass
class EditingPage:
    route: Route
    role: str
    client: Client
    url: str
    query: dict[str, Any]
    form: PageForm

    @property
    def post_url(self) -> str:
        if self.form.action:
            return self.form.action
        return f"{self.url}?{urlencode(self.query)}" if self.query else self.url

    def get(self) -> str:
        return self.client.get(self.url, self.query).content.decode()

    def fresh_form(self) -> PageForm:
        """The form as the page shows it now, with the version saved now."""
        return next(f for f in page_forms(self.get()) if f.method == "post" and f.has_version)


def _clients(world: World) -> dict[str, Client]:
    clients = {}
    for role in ROLES:
        client = Client()
        assert client.login(email=world.people[role].user.email, password=PASSWORD)
        client.post(reverse("accounts:language"), {"language": "en"})
        clients[role] = client
    return clients


def _editing_page(route: Route, world: World, clients: dict[str, Client]) -> EditingPage | None:
    """The route's page as the first role that gets a form with a version on it, or None."""
    url = route_url(route, world)
    query = QUERIES[route.name](world) if route.name in QUERIES else {}
    for role in ROLES:
        response = clients[role].get(url, query)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        forms = [f for f in page_forms(response.content.decode()) if f.method == "post" and f.has_version]
        if forms:
            return EditingPage(route, role, clients[role], url, query, forms[0])
    return None


def _versions() -> dict[tuple[str, Any, str], int]:
    """Every version of every saved object: a refused save must leave all of them as they were."""
    state: dict[tuple[str, Any, str], int] = {}
    for model in apps.get_models():
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if f.name == "version" or f.name.endswith("_version")
        ]
        for row in model._default_manager.values("pk", *names) if names else []:
            for name in names:
                state[(model._meta.label, row["pk"], name)] = row[name]
    return state


def _conflict_box(html: str) -> str:
    """The part of the page that shows a refused save: its message and what is saved now."""
    if "laera-conflict" not in html:
        return ""
    return html.split("laera-conflict", 1)[1].split("</div>", 1)[0]


def _toggled(form: PageForm, control: Control) -> dict[str, list[str]]:
    """A change of a choice: another option of a select, or a tick box ticked or cleared."""
    if control.kind == "select":
        current = control.sent()
        others = [value for value, _selected in control.options if [value] != current]
        return {control.name: [next((value for value in others if value), others[0])]}
    values = form.data().get(control.name, [])
    value = control.value or "on"
    return {control.name: [v for v in values if v != value] if control.checked else [*values, value]}


def _save_first(page: EditingPage) -> Control:
    """Save the form, changed in one field that the page then shows: someone else's save. Each try
    starts from the page as it is then, as a field may be one the service clears (a place beside an
    arena) or refuses (a date)."""
    for control in page.form.text_fields():
        form = page.fresh_form()
        response = page.client.post(page.post_url, form.data(**{control.name: FIRST}))
        if response.status_code == 302 and FIRST in page.get():
            return control
    for control in page.form.choice_fields():
        form, before = page.fresh_form(), _versions()
        response = page.client.post(page.post_url, form.data(**_toggled(form, control)))
        if response.status_code == 302 and _versions() != before:
            return control
    raise AssertionError("none of the form's fields could be changed and saved")


@contextmanager
def _rolled_back() -> Iterator[None]:
    """Each page is walked on the same test data: what one walk saves is undone before the next."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _walk(page: EditingPage) -> None:
    name = page.route.name
    texts = page.form.text_fields()
    audit = AuditEntry.objects.count()
    versions = _versions()

    # Without the version: refused, the saved object shown, nothing written.
    changes = {texts[0].name: WITHOUT} if texts else {}
    response = page.client.post(page.post_url, page.form.data(without_version=True, **changes))
    html = response.content.decode()
    assert response.status_code == 200, f"{name}: a save without the version got {response.status_code}"
    assert MISSING in html, f"{name}: a save without the version does not say why it was refused"
    assert _conflict_box(html), f"{name}: a save without the version does not show what is saved"
    assert _versions() == versions and AuditEntry.objects.count() == audit, f"{name}: saved without version"
    assert WITHOUT not in page.get(), f"{name}: the text sent without a version was saved"

    # Someone else saves; then a save from the version the page was opened with is refused.
    changed = _save_first(page)
    saved_versions = _versions()
    assert saved_versions != versions, f"{name}: a save did not count a new version"
    audit = AuditEntry.objects.count()
    stale = page.form.data(**{changed.name: SECOND}) if changed.is_text else page.form.data()
    response = page.client.post(page.post_url, stale)
    html = response.content.decode()
    box = _conflict_box(html)
    assert response.status_code == 200, f"{name}: a save from an older version got {response.status_code}"
    assert STALE in box, f"{name}: a save from an older version does not say someone else saved"
    if changed.is_text:
        assert FIRST in box, f"{name}: the other person's saved text is not shown"
    else:
        assert "<dd>" in box, f"{name}: the other person's saved choice is not shown"
    assert _versions() == saved_versions and AuditEntry.objects.count() == audit, f"{name}: overwritten"

    # The refused form came back re-bound to the saved version: sending it again overwrites, on purpose.
    again = next(f for f in page_forms(html) if f.method == "post" and f.has_version)
    response = page.client.post(page.post_url, again.data())
    assert response.status_code == 302, f"{name}: the form re-bound to the saved version does not save"
    assert _versions() != saved_versions, f"{name}: the deliberate save did not count a new version"
    if changed.is_text:
        assert SECOND in page.get(), f"{name}: the deliberate save did not keep what was sent"


def test_every_editing_form_refuses_a_missing_and_an_older_version(world: World) -> None:
    clients = _clients(world)
    walked: list[str] = []
    failures: list[str] = []
    for route in ORG_ROUTES:
        with _rolled_back():
            page = _editing_page(route, world, clients)
            if page is None:
                continue
            walked.append(route.name)
            try:
                _walk(page)
            except AssertionError as exc:
                failures.append(f"{exc} (as {page.role}, {page.url})")
    assert not failures, "\n".join(failures)
    # The walk must have found the editing pages: at least every one named here.
    expected = {
        "organisations:unit_edit",
        "organisations:job_role_edit",
        "organisations:settings",
        "organisations:working_group_edit",
        "organisations:meeting_edit",
        "mapping:arena_edit",
        "mapping:flow_edit",
        "mapping:method_edit",
        "plans:plan_edit",
        "plans:theme_edit",
        "plans:outcome_edit",
        "plans:activity_edit",
        "competences:catalogue_edit",
        "competences:catalogue_scale",
        "competences:area_edit",
        "competences:competence_edit",
        "competences:requirements",
        "competences:round_edit",
        "competences:self_assessment",
        "competences:leader_rating",
        "competences:qualification_edit",
        "competences:outcome_competences",
    }
    assert expected <= set(walked), f"Not walked: {sorted(expected - set(walked))}"


def test_every_editing_page_carries_a_version(world: World) -> None:
    """A page whose name says it edits shows a form with a version to those who may edit there."""
    clients = _clients(world)
    editing = [
        route
        for route in ORG_ROUTES
        if any(
            fnmatch.fnmatch(route.name, p) or fnmatch.fnmatch(route.name.split(":")[-1], p)
            for p in EDITING_PAGES
        )
    ]
    assert len(editing) >= 20, [route.name for route in editing]
    missing = [route.name for route in editing if _editing_page(route, world, clients) is None]
    assert not missing, f"These editing pages have no form with a version: {missing}"


# In place, with HTMX ---------------------------------------------------------------------------------

HTMX = {"HX-Request": "true"}


def _english_client(world: World, role: str) -> Client:
    client = Client()
    assert client.login(email=world.people[role].user.email, password=PASSWORD)
    client.post(reverse("accounts:language"), {"language": "en"})
    return client


def test_a_conflict_in_place_returns_the_form_with_what_is_saved(world: World) -> None:
    """The theme edited in place on the plan page: the refusal comes back into the theme's editor, with
    the other person's title, the focus on the message, and the form re-bound to the saved version."""
    from laera.plans import services as plans
    from laera.plans.models import Theme

    theme = world.extra_objects["theme"]
    client = _english_client(world, "coordinator")
    address = reverse("plans:theme_edit", kwargs={"org_slug": world.organisation.slug, "theme_id": theme.pk})
    opened = next(f for f in page_forms(client.get(address, headers=HTMX).content.decode()) if f.has_version)
    plans.theme_update(
        actor=world.actor("leader"), theme=theme, title="Lagret av lederen", description="", why="", version=1
    )
    response = client.post(address, opened.data(title="Min tittel"), headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert response["HX-Retarget"] == f"#editor-theme-{theme.pk}" and response["HX-Reswap"] == "innerHTML"
    box = _conflict_box(html)
    assert "Someone else saved this theme" in box and "Lagret av lederen" in box
    assert "autofocus" in html.split("laera-conflict", 1)[1].split(">", 1)[0]
    again = next(f for f in page_forms(html) if f.has_version)
    assert again.data()["version"] == ["2"] and again.data()["title"] == ["Min tittel"]
    # Without a version, in place too.
    refused = client.post(address, again.data(without_version=True), headers=HTMX).content.decode()
    assert MISSING in _conflict_box(refused)
    assert Theme.objects.get(pk=theme.pk).title == "Lagret av lederen"
    # Saving the returned form again replaces the leader's title, deliberately.
    saved = client.post(address, again.data(), headers=HTMX)
    assert saved.status_code == 200 and f'id="theme-{theme.pk}"' in saved.content.decode()
    assert Theme.objects.get(pk=theme.pk).title == "Min tittel"


def test_two_leaders_rating_the_same_row_in_place(world: World) -> None:
    """The leader's rating saves row by row: a row another leader saved since the page was opened is
    refused with their rating shown, and the row is given the saved version for a deliberate save."""
    from laera.competences.models import Assessment
    from laera.competences.services import rounds

    round, competence = world.extra_objects["round"], world.extra_objects["competence"]
    employee = world.people["employee"]
    cid = competence.pk
    kwargs = {"org_slug": world.organisation.slug, "round_id": round.pk, "person_id": employee.pk}
    leader = _english_client(world, "leader")
    page = leader.get(reverse("competences:leader_rating", kwargs=kwargs)).content.decode()
    opened = next(f for f in page_forms(page) if f.has_version)
    row = Assessment.objects.get(round=round, person=employee, competence=competence)
    assert opened.data()[f"c{cid}-version"] == [str(row.version)]
    rounds.assessment_save_leader(
        actor=world.actor("admin"),
        round=round,
        person=employee,
        data=rounds.LeaderInput(competence=competence, level=4, comment="Sterk", agreed_level=4),
        version=row.version,
    )
    address = reverse("competences:leader_rating_save", kwargs={**kwargs, "competence_id": cid})
    fields = opened.data(**{f"c{cid}-level": "2", f"c{cid}-comment": "Trenger øving"})
    row_fields = {name: value for name, value in fields.items() if name.startswith(f"c{cid}-")}
    response = leader.post(address, row_fields, headers=HTMX)
    html = response.content.decode()
    box = _conflict_box(html)
    assert "Someone else saved this assessment" in box and "Sterk" in box and "4 " in box
    saved_version = row.version + 1
    assert f'id="c{cid}-version" value="{saved_version}" hx-swap-oob="true"' in html
    row.refresh_from_db()
    assert (row.leader_level, row.leader_comment, row.version) == (4, "Sterk", saved_version)
    # The row, sent again with the version it was given, replaces the other rating on purpose.
    response = leader.post(address, {**row_fields, f"c{cid}-version": str(saved_version)}, headers=HTMX)
    assert "Saved" in response.content.decode()
    row.refresh_from_db()
    assert (row.leader_level, row.leader_comment, row.leader) == (2, "Trenger øving", world.people["leader"])


def test_a_self_assessment_row_without_its_version_is_refused_in_place(world: World) -> None:
    from laera.competences.models import Assessment

    round, competence = world.extra_objects["round"], world.extra_objects["competence"]
    cid = competence.pk
    client = _english_client(world, "employee")
    address = reverse(
        "competences:self_assessment_save",
        kwargs={"org_slug": world.organisation.slug, "round_id": round.pk, "competence_id": cid},
    )
    response = client.post(address, {f"c{cid}-level": "4"}, headers=HTMX)
    html = response.content.decode()
    assert MISSING in _conflict_box(html)
    row = Assessment.objects.get(round=round, person=world.people["employee"], competence=competence)
    assert row.self_level == 2
    assert f'id="c{cid}-version" value="{row.version}" hx-swap-oob="true"' in html
