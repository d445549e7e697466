"""The demo as tests get it (laera/testing/demo.py): a copy on SQLite holds what a fresh load holds."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection

from laera.organisations.models import Person
from laera.testing import copies
from laera.testing.demo import load_demo_data
from laera.testing.shared import SHARED


def _keys() -> dict[str, list[int]]:
    """Every table's primary keys: which rows there are, and under which keys."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            found[model._meta.label] = sorted(model._base_manager.values_list("pk", flat=True))
    return found


def _sequences() -> list[tuple[str, int]]:
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, seq FROM sqlite_sequence ORDER BY name")
        return list(cursor.fetchall())


@pytest.mark.django_db(transaction=True)
def test_a_copied_demo_holds_the_rows_keys_and_sequences_of_a_fresh_load(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(copies, "COPIES", {})
    SHARED.flush()  # keys counted from 1 again, so that loads from here can be compared
    load_demo_data()
    loaded, sequences = _keys(), _sequences()
    assert len(loaded["organisations.Person"]) > 30
    assert ("demo" in copies.COPIES) == (connection.vendor == "sqlite")

    SHARED.flush()
    load_demo_data()  # on SQLite: the copy
    assert _keys() == loaded
    assert _sequences() == sequences

    SHARED.flush()
    call_command("demo", stdout=io.StringIO())
    assert _keys() == loaded
    assert _sequences() == sequences


@pytest.mark.django_db(transaction=True)
def test_after_a_flush_that_keeps_counting_the_copy_brings_its_own_content_types(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A transactional test's flush makes the content types again under new keys, and Django remembers
    them by model: after the copy is back, what Django remembers must be what the database holds."""
    monkeypatch.setattr(copies, "COPIES", {})
    load_demo_data()
    call_command("flush", interactive=False, verbosity=0, reset_sequences=False)
    remembered = ContentType.objects.get_for_model(Person).pk

    load_demo_data()

    stored = ContentType.objects.filter(app_label="organisations", model="person").get().pk
    assert ContentType.objects.get_for_model(Person).pk == stored
    if connection.vendor == "sqlite":
        assert stored != remembered  # the copy's keys, not the flush's
    assert Person.objects.filter(email="leder@demo.laera.no").exists()


@pytest.mark.django_db(transaction=True)
def test_a_database_that_holds_something_gets_a_real_load(world, monkeypatch: pytest.MonkeyPatch) -> None:
    """With rows already there, copying the demo over them would lose them: it is loaded beside them."""
    monkeypatch.setattr(copies, "COPIES", {})
    load_demo_data()
    assert "demo" not in copies.COPIES
    assert world.organisation.__class__.objects.filter(pk=world.organisation.pk).exists()
    assert world.organisation.__class__.objects.filter(slug="nav-royken").exists()
