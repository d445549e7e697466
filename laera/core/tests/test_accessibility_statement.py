"""The accessibility statement has the parts the EU model statement and uustatus.no ask for."""

from __future__ import annotations

import re

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from laera.core.views import ACCESSIBILITY_CHECKED_DATE, ACCESSIBILITY_STATEMENT_DATE

pytestmark = pytest.mark.django_db


def _statement(language: str = "en") -> lxml.html.HtmlElement:
    response = Client().get(reverse("accessibility"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return lxml.html.document_fromstring(response.content.decode())


def _main(page: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    (main,) = page.findall(".//main")
    return main


def _section(main: lxml.html.HtmlElement, heading: str) -> list[lxml.html.HtmlElement]:
    """The elements after the h2 `heading`, up to the next h2."""
    h2 = next(h for h in main.iter("h2") if h.text_content().strip() == heading)
    elements = []
    for element in h2.itersiblings():
        if element.tag == "h2":
            break
        elements.append(element)
    assert elements, heading
    return elements


def test_names_the_standard_and_the_compliance_status() -> None:
    main = _main(_statement())
    text = " ".join(main.text_content().split())
    assert "WCAG) 2.1 at levels A and AA" in text
    status = " ".join(e.text_content() for e in _section(main, "Compliance status"))
    assert "partly meets WCAG 2.1 level AA" in status


@pytest.mark.parametrize(
    ("language", "pattern"),
    [("en", r"\d{1,2} [A-Z][a-z]+ \d{4}"), ("nb", r"\d{1,2}\. [a-zæøå]+ \d{4}")],
)
def test_shows_the_dates_in_the_users_date_format(language: str, pattern: str) -> None:
    times = _main(_statement(language)).findall(".//dl//time")
    dates = [ACCESSIBILITY_STATEMENT_DATE, ACCESSIBILITY_CHECKED_DATE]
    assert [t.get("datetime") for t in times] == [d.isoformat() for d in dates]
    with translation.override(language):
        assert [t.text_content() for t in times] == [date_format(d, "DATE_FORMAT") for d in dates]
    assert all(re.fullmatch(pattern, t.text_content()) for t in times)


def test_lists_the_known_problems() -> None:
    (problems,) = [e for e in _section(_main(_statement()), "Known problems") if e.tag == "ul"]
    items = [" ".join(li.text_content().split()) for li in problems.findall("li")]
    assert len(items) >= 3
    assert any("knowledge-flow diagram" in item and "table" in item for item in items)
    assert any("heatmap" in item and "table" in item for item in items)
    assert any("PDF/UA" in item for item in items)


def test_without_an_operator_contact_it_sends_users_to_their_administrator(settings) -> None:
    settings.LAERA_ACCESSIBILITY_CONTACT = ""
    contact = _section(_main(_statement()), "Feedback and contact")
    text = " ".join(e.text_content() for e in contact)
    assert "contact your organisation's Læra administrator" in text
    assert "operator of this installation" not in text
    assert not [a for e in contact for a in e.iter("a")]


@pytest.mark.parametrize(
    ("setting", "href"),
    [
        ("uu@drift.example.no", "mailto:uu@drift.example.no"),
        ("https://drift.example.no/tilgjengelighet", "https://drift.example.no/tilgjengelighet"),
    ],
)
def test_with_an_operator_contact_it_links_to_it(settings, setting: str, href: str) -> None:
    settings.LAERA_ACCESSIBILITY_CONTACT = setting
    contact = _section(_main(_statement()), "Feedback and contact")
    text = " ".join(e.text_content() for e in contact)
    assert "operator of this installation" in text and "Læra administrator" in text
    links = [a for e in contact for a in e.iter("a")]
    assert [(a.get("href"), a.text_content()) for a in links] == [(href, setting)]


def test_an_operator_contact_that_is_neither_address_is_shown_as_text(settings) -> None:
    settings.LAERA_ACCESSIBILITY_CONTACT = "Servicedesk, tlf. 22 00 00 00"
    contact = _section(_main(_statement()), "Feedback and contact")
    assert "Servicedesk, tlf. 22 00 00 00" in " ".join(e.text_content() for e in contact)
    assert not [a for e in contact for a in e.iter("a")]


def test_links_to_the_supervisory_authorities_of_norway_sweden_and_denmark() -> None:
    enforcement = _section(_main(_statement()), "Enforcement procedure")
    links = {a.text_content(): (a.get("href"), a.get("lang")) for e in enforcement for a in e.iter("a")}
    assert links == {
        "Tilsynet for universell utforming av ikt": ("https://www.uutilsynet.no/", "nb"),
        "uustatus.no": ("https://www.uustatus.no/", None),
        "Myndigheten för digital förvaltning (Digg)": ("https://www.digg.se/", "sv"),
        "Digitaliseringsstyrelsen": ("https://digst.dk/", "da"),
    }
