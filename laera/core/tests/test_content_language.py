"""Organisation content keeps its language on pages in another one (WCAG 3.1.2).

A bokmål organisation's units, arenas, catalogues, rounds and plans are written in bokmål; a user who reads
Læra in English must get those names inside an element with lang="nb", and the page's own words without
one. On a page in bokmål the same names need no lang of their own.
"""

from __future__ import annotations

import re
from typing import Any

import lxml.html
import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from laera.testing.world import World

pytestmark = pytest.mark.django_db


def _pages(world: World) -> list[tuple[str, str, list[str], list[str]]]:
    """(role, url, organisation content on the page, page chrome on the page)."""
    slug = world.organisation.slug
    objects = world.extra_objects

    def url(name: str, **kwargs: Any) -> str:
        return reverse(name, kwargs={"org_slug": slug, **kwargs})

    return [
        ("coordinator", url("organisations:home"), ["Oppfølging"], ["Start", "Units"]),
        (
            "coordinator",
            url("organisations:unit_list"),
            ["Oppfølging", "Mottak", "NAV Testby kontor"],
            ["Units"],
        ),
        ("coordinator", url("organisations:unit_detail", unit_id=world.team.pk), ["Oppfølging"], ["Members"]),
        ("admin", url("organisations:job_role_list"), ["NAV-veileder"], ["Job roles"]),
        # The start page's next steps are sentences made in code: the names inside them are marked too.
        ("coordinator", url("organisations:home"), ["Oppfølging"], ["What to do next"]),
        ("coordinator", url("mapping:arena_list"), ["Teammøte", "Oppfølging"], ["Learning arenas"]),
        ("coordinator", url("mapping:arena_detail", arena_id=objects["arena"].pk), ["Teammøte"], ["Unit"]),
        ("coordinator", url("mapping:flow_overview"), ["Oppfølging"], ["Knowledge flow"]),
        (
            "coordinator",
            url("mapping:unit_flows", unit_id=world.team.pk),
            ["Fadderordning"],
            ["Knowledge flow"],
        ),
        ("admin", url("competences:catalogue_list"), ["Kompetanse i NAV"], ["Competence catalogues"]),
        (
            "admin",
            url("competences:catalogue_detail", catalogue_id=objects["catalogue"].pk),
            ["Kompetanse i NAV", "Metoder", "Motiverende intervju"],
            ["Competences"],
        ),
        (
            "admin",
            url("competences:competence_detail", competence_id=objects["competence"].pk),
            ["Motiverende intervju", "Metoder", "NAV-veileder"],
            ["Competences"],
        ),
        (
            "coordinator",
            url("competences:round_detail", round_id=objects["round"].pk),
            ["Kartlegging våren 2026", "Kompetanse i NAV", "Oppfølging"],
            ["Deadline"],
        ),
        ("coordinator", url("plans:plan_list"), ["Våren 2026", "Oppfølging"], ["Plans for learning"]),
        ("coordinator", url("organisations:person_list"), ["NAV-veileder", "Oppfølging"], ["People"]),
        (
            "coordinator",
            url("organisations:working_group_detail", unit_id=world.team.pk),
            ["Oppfølging", "Lage plan for læring"],
            ["Mandate"],
        ),
        (
            "admin",
            url("competences:requirements", catalogue_id=objects["catalogue"].pk),
            ["Kompetanse i NAV", "NAV-veileder"],
            ["Requirements"],
        ),
    ]


def _language_of(element: Any) -> str:
    return str(element.xpath("ancestor-or-self::*[@lang][1]/@lang")[0])


def _elements_with_text(document: Any, text: str) -> list[Any]:
    """Elements whose own text (not their children's) names `text` as whole words, outside <option>."""
    pattern = re.compile(rf"(?<!\w){re.escape(text)}(?!\w)")
    found = []
    for element in document.xpath("//body//*"):
        if element.tag in ("option", "script"):
            continue
        own = [element.text or ""] + [child.tail or "" for child in element]
        if any(pattern.search(part) for part in own):
            found.append(element)
    return found


def _page(client: Any, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.content.decode())


def _speaks(world: World, role: str, language: str) -> None:
    user = world.user(role)
    user.language = language
    user.save(update_fields=["language"])


def test_organisation_content_is_marked_on_a_page_in_another_language(world: World, client_for: Any) -> None:
    assert world.organisation.default_language == "nb"
    for role in ("coordinator", "admin"):
        _speaks(world, role, "en")
    for role, url, names, chrome in _pages(world):
        document = _page(client_for(role), url)
        assert document.get("lang") == "en", url
        for name in names:
            elements = _elements_with_text(document, name)
            assert elements, (url, name)
            for element in elements:
                assert _language_of(element) == "nb", (url, name, lxml.html.tostring(element)[:200])
        for words in chrome:
            elements = _elements_with_text(document, words)
            assert elements, (url, words)
            assert all(_language_of(e) == "en" for e in elements), (url, words)
        # The header names the organisation in its own language.
        brand = document.xpath("//*[contains(@class, 'laera-brand__org')]")[0]
        assert brand.get("lang") == "nb"


def test_a_page_in_the_organisations_language_has_no_redundant_lang(world: World, client_for: Any) -> None:
    for role in ("coordinator", "admin"):
        _speaks(world, role, "nb")
    for role, url, names, _chrome in _pages(world):
        document = _page(client_for(role), url)
        assert document.get("lang") == "nb", url
        marked = [e for e in document.xpath("//body//*[@lang]") if e.tag != "option"]
        assert marked == [], (url, [lxml.html.tostring(e)[:120] for e in marked])
        for name in names:
            assert all(_language_of(e) == "nb" for e in _elements_with_text(document, name)), (url, name)


def test_content_tag_marks_only_content_in_another_language(world: World) -> None:
    template = Template(
        "{% load laera %}[{% content name %}][{% content name 'sv' %}][{% content '' %}]<p{% content_lang %}>"
    )
    context = Context({"actor": world.actor("coordinator"), "name": "Oppfølging & mottak"})
    with translation.override("en"):
        assert template.render(context) == (
            '[<span lang="nb">Oppfølging &amp; mottak</span>][<span lang="sv">Oppfølging &amp; mottak</span>]'
            '[]<p lang="nb">'
        )
    with translation.override("nb"):
        assert template.render(context) == (
            '[Oppfølging &amp; mottak][<span lang="sv">Oppfølging &amp; mottak</span>][]<p>'
        )
