"""Fixtures shared by every app's tests."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from laera.testing.world import PASSWORD, World, build_world


@pytest.fixture
def world(db: Any) -> World:
    return build_world("NAV Testby", "testby")


@pytest.fixture
def other_world(db: Any) -> World:
    return build_world("NAV Annenby", "annenby")


@pytest.fixture
def client_for(world: World) -> Any:
    """A signed-in test client for a role in `world`."""

    def make(role: str, w: World | None = None) -> Client:
        client = Client()
        target = w or world
        assert client.login(email=target.people[role].user.email, password=PASSWORD)
        return client

    return make
