"""The shipped catalogue templates and copying one into an organisation."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from laera.competences.catalogue_templates import TEMPLATES
from laera.competences.models import Area, Catalogue, Competence, NkrLevel, ScaleLevel
from laera.competences.scale import LANGUAGE_CODES
from laera.competences.services.catalogues import catalogue_from_template
from laera.core.errors import ServiceError
from laera.core.models import AuditEntry
from laera.core.nkr import Category


def _texts(template: Any) -> list[Any]:
    texts = [template.name, template.description]
    for area in template.areas:
        texts += [area.name, area.description]
        for competence in area.competences:
            texts += [competence.name, competence.description]
    return texts


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_every_template_text_renders_in_every_language(language: str) -> None:
    assert set(LANGUAGE_CODES) == {"nb", "nn", "sv", "da", "en"}
    for template in TEMPLATES.values():
        with translation.override(language):
            rendered = [str(text) for text in _texts(template)]
        assert all(text.strip() for text in rendered)
        assert not any("%(" in text for text in rendered)
        # Names must stay unique within the catalogue in every language (the catalogue refuses clashes).
        names = [str(c.name).lower() for a in template.areas for c in a.competences]
        assert len(names) == len(set(names))


def test_nav_office_template_is_complete() -> None:
    template = TEMPLATES["nav_office"]
    assert template.key == "nav_office"
    assert 6 <= len(template.areas) <= 8
    assert 20 <= template.competence_count <= 30
    keys = [c.key for a in template.areas for c in a.competences]
    assert len(keys) == len(set(keys))
    for area in template.areas:
        for competence in area.competences:
            assert competence.category in Category.values
            assert competence.nkr_level == "" or competence.nkr_level in NkrLevel.values
    with translation.override("en"):
        names = {str(c.name) for a in template.areas for c in a.competences}
    assert {
        "Motivational interviewing (MI)",
        "The six marks of good quality",
        "Privacy and the GDPR",
    } <= names


@pytest.mark.django_db
def test_copying_a_template_gives_its_areas_competences_and_texts(world: Any) -> None:
    template = TEMPLATES["nav_office"]
    # Copied in English while the default language (nb) is active: the copy follows `language`, so the
    # template's texts are compared as rendered in English.
    catalogue = catalogue_from_template(
        actor=world.actor("admin"), organisation=world.organisation, key="nav_office", language="en"
    )
    with translation.override("en"):
        description = str(template.description)
        area_texts = [(str(a.name), str(a.description)) for a in template.areas]
        competence_texts = [
            [(str(t.name), str(t.description), t.category, t.nkr_level) for t in a.competences]
            for a in template.areas
        ]
    assert catalogue.template_key == "nav_office"
    assert catalogue.name == "Competences in a NAV office"
    assert catalogue.description == description
    areas = list(Area.objects.filter(catalogue=catalogue).order_by("position"))
    assert [(a.name, a.description) for a in areas] == area_texts
    competences = Competence.objects.filter(catalogue=catalogue)
    assert competences.count() == template.competence_count
    for area, expected in zip(areas, competence_texts, strict=True):
        copied = list(area.competences.order_by("position"))
        assert [(c.name, c.description, c.category, c.nkr_level) for c in copied] == expected
    assert ScaleLevel.objects.filter(catalogue=catalogue).count() == 5
    assert not catalogue.competences.filter(requirements__isnull=False).exists()
    assert AuditEntry.objects.filter(
        organisation=world.organisation, action="catalogue.from_template"
    ).exists()


@pytest.mark.django_db
def test_copying_renders_the_texts_in_the_chosen_language(world: Any) -> None:
    template = TEMPLATES["nav_office"]
    with translation.override("nb"):
        expected_name = str(template.name)
        expected_first = str(template.areas[0].competences[0].name)
    with translation.override("en"):
        catalogue = catalogue_from_template(
            actor=None, organisation=world.organisation, key="nav_office", language="nb"
        )
    assert catalogue.name == expected_name
    first = Competence.objects.filter(catalogue=catalogue).order_by("area__position", "position").first()
    assert first is not None and first.name == expected_first


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["leader", "coordinator", "employee", "external"])
def test_only_admins_copy_a_template(world: Any, role: str) -> None:
    before = Catalogue.objects.filter(organisation=world.organisation).count()
    with pytest.raises(PermissionDenied):
        catalogue_from_template(
            actor=world.actor(role), organisation=world.organisation, key="nav_office", language="nb"
        )
    assert Catalogue.objects.filter(organisation=world.organisation).count() == before


@pytest.mark.django_db
def test_an_unknown_template_or_language_is_refused(world: Any) -> None:
    before = Catalogue.objects.filter(organisation=world.organisation).count()
    with translation.override("en"), pytest.raises(ServiceError, match="no catalogue template called"):
        catalogue_from_template(
            actor=world.actor("admin"), organisation=world.organisation, key="no_such_thing", language="nb"
        )
    with translation.override("en"), pytest.raises(ServiceError, match="languages"):
        catalogue_from_template(
            actor=world.actor("admin"), organisation=world.organisation, key="nav_office", language="fr"
        )
    assert Catalogue.objects.filter(organisation=world.organisation).count() == before
