"""The accessibility statement in a browser: all its parts, and no axe findings on desktop or phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from laera.testing.browser import PHONE, assert_accessible

DESKTOP: ViewportSize = {"width": 1280, "height": 800}


@pytest.mark.parametrize("viewport", [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")])
def test_statement_reads_well_and_passes_axe(
    page: Page, live_server, settings, viewport: ViewportSize
) -> None:
    settings.LAERA_ACCESSIBILITY_CONTACT = "uu@drift.example.no"
    page.set_viewport_size(viewport)
    page.set_extra_http_headers({"Accept-Language": "en"})
    response = page.goto(live_server.url + "/accessibility/")
    assert response is not None and response.ok

    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
    for heading in ["Compliance status", "Known problems", "Feedback and contact", "Enforcement procedure"]:
        expect(main.get_by_role("heading", level=2, name=heading)).to_be_visible()
    expect(main.get_by_role("link", name="uu@drift.example.no")).to_have_attribute(
        "href", "mailto:uu@drift.example.no"
    )
    expect(main.get_by_role("link", name="Tilsynet for universell utforming av ikt")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert_accessible(page, f"accessibility-statement-{viewport['width']}")
