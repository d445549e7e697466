"""The cross-organisation harness: every URL of the project, as a user of organisation A, for the objects
of organisation B, answers 404 — not 403, not 500, not data. Anonymous users are sent to sign-in.

URLs are discovered from the URL configuration, so pages added later are covered without editing this
file; a new keyword in a URL must be added to `laera.testing.world.url_objects` or this test fails.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from laera.testing.routes import Route, all_routes
from laera.testing.routes import route_url as _url
from laera.testing.world import PASSWORD, World, url_objects

PUBLIC = {
    "healthz",
    "accessibility",
    "accounts:login",
    "accounts:logout",
    "accounts:language",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "invitations:accept",  # reached by the token e-mailed to the invited address; tested apart
}
ALL_ROUTES = all_routes()  # every named URL outside the operator's admin site
ORG_ROUTES = [r for r in ALL_ROUTES if "org_slug" in r.kwargs]
PRIVATE_ROUTES = [r for r in ALL_ROUTES if r.name not in PUBLIC]


def _client(world: World, role: str) -> Client:
    client = Client()
    assert client.login(email=world.people[role].user.email, password=PASSWORD)
    return client


def test_the_harness_sees_the_organisation_pages() -> None:
    names = {r.name for r in ORG_ROUTES}
    assert {"organisations:home", "organisations:unit_detail", "organisations:person_detail"} <= names


def test_every_url_keyword_has_a_test_object(world: World) -> None:
    known = set(url_objects(world)) | {"org_slug"}
    missing = {
        f"{r.name}: {k}" for r in ALL_ROUTES if r.name not in PUBLIC for k in r.kwargs if k not in known
    }
    assert not missing, f"Add these URL keywords to url_objects(): {sorted(missing)}"


@pytest.mark.parametrize("route", ORG_ROUTES, ids=str)
@pytest.mark.parametrize("role", ["admin", "employee", "external"])
def test_other_organisation_answers_404(route: Route, role: str, world: World, other_world: World) -> None:
    client = _client(world, role)
    # B's organisation and B's objects, as A.
    foreign = _url(route, other_world)
    assert client.get(foreign).status_code == 404, foreign
    assert client.post(foreign, {}).status_code == 404, foreign
    # A's organisation with B's objects, as A: the access helpers must refuse them too.
    if len(route.kwargs) > 1:
        mixed = _url(route, world, objects_from=other_world)
        get = client.get(mixed)
        post = client.post(mixed, {})
        assert get.status_code == 404, (mixed, get.status_code)
        assert post.status_code == 404, (mixed, post.status_code)
        for name in (other_world.people["employee"].full_name, other_world.team.name):
            assert name.encode() not in get.content


@pytest.mark.parametrize("route", ORG_ROUTES, ids=str)
def test_own_organisation_is_reachable(route: Route, world: World) -> None:
    """The same URLs with A's own objects work for A's admin, so the 404s above are real refusals."""
    response = _client(world, "admin").get(_url(route, world))
    assert response.status_code in (200, 302, 405), (route.name, response.status_code)


@pytest.mark.parametrize("route", PRIVATE_ROUTES, ids=str)
def test_anonymous_is_sent_to_sign_in(route: Route, world: World) -> None:
    url = _url(route, world)
    login = reverse(settings.LOGIN_URL)
    for response in (Client().get(url), Client().post(url, {})):
        assert response.status_code == 302, (url, response.status_code)
        assert response["Location"].startswith(login), response["Location"]


def test_query_parameters_are_scoped_too(world: World, other_world: World) -> None:
    client = _client(world, "admin")
    url = reverse("organisations:unit_create", kwargs={"org_slug": world.organisation.slug})
    assert client.get(url, {"parent": other_world.team.pk}).status_code == 404


def test_forms_refuse_foreign_choices(world: World, other_world: World) -> None:
    """A foreign id posted in a form field is not a valid choice, and nothing is written."""
    from laera.organisations.models import Membership

    client = _client(world, "admin")
    url = reverse(
        "organisations:membership_add", kwargs={"org_slug": world.organisation.slug, "unit_id": world.team.pk}
    )
    before = Membership.objects.count()
    client.post(url, {"person": other_world.people["employee"].pk})
    assert Membership.objects.count() == before
