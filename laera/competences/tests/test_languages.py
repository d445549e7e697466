"""Every competence page speaks each of the five languages, with the scale's own labels in that language."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape, strip_tags

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def _speaking(client: Client, code: str) -> Client:
    client.post(reverse("accounts:language"), {"language": code})
    return client


def _text(code: str, message: str, **values: Any) -> str:
    with translation.override(code):
        return escape(translation.gettext(message) % values)


def _page(world: Any, name: str, **kwargs: Any) -> str:
    return reverse(f"competences:{name}", kwargs={"org_slug": world.organisation.slug, **kwargs})


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_leader_s_pages_in_each_language(code: str, world: Any, client_for: Any) -> None:
    client = _speaking(client_for("admin"), code)
    objects = world.extra_objects
    employee = world.people["employee"]
    pages = [
        (_page(world, "home"), _text(code, "Competences")),
        (_page(world, "gap_overview"), _text(code, "Competence gaps")),
        (
            _page(world, "unit_gaps", unit_id=world.team.pk),
            _text(code, "Competence gaps in %(unit)s", unit=world.team.name),
        ),
        (
            _page(world, "person_profile", person_id=employee.pk),
            _text(code, "Competence profile: %(name)s", name=employee.full_name),
        ),
        (
            _page(world, "requirements", catalogue_id=objects["catalogue"].pk),
            _text(code, "Requirements in %(name)s", name=objects["catalogue"].name),
        ),
        (
            _page(world, "leader_rating", round_id=objects["round"].pk, person_id=employee.pk),
            _text(code, "Rating of %(name)s", name=employee.full_name),
        ),
        (_page(world, "qualification_list"), _text(code, "Qualifications and certificates")),
    ]
    for url, heading in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'<html lang="{code}"' in html
        assert heading in strip_tags(html), (code, url, heading)


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_self_assessment_shows_the_scale_in_the_reader_s_language(
    code: str, world: Any, client_for: Any
) -> None:
    catalogue = world.extra_objects["catalogue"]
    client = _speaking(client_for("coordinator"), code)
    response = client.get(_page(world, "self_assessment", round_id=world.extra_objects["round"].pk))
    assert response.status_code == 200
    html = response.content.decode()
    for level in catalogue.levels.all():
        label = getattr(level, f"label_{code}")
        assert escape(label) in html, (code, label)
    with translation.override(code):
        assert escape(translation.gettext("I want to learn this")) in html


def test_the_default_scale_is_stored_translated_in_all_five_languages(world: Any) -> None:
    level = world.extra_objects["catalogue"].levels.get(value=4)
    labels = [getattr(level, f"label_{code}") for code in LANGUAGES]
    assert labels[LANGUAGES.index("en")] == "Can guide others"
    # Five hand translations, no two languages with the same wording except where they truly agree.
    assert len(set(labels)) >= 4
    assert all(labels)
