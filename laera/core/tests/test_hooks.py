"""The hook registry: order, registration once, and discovery of every app's hooks module."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from laera.core import hooks
from laera.core.demo import demo_accounts, load_demo


@pytest.fixture
def registry() -> Iterator[None]:
    """An empty registry for the test, the real one back afterwards."""
    saved = {name: list(entries) for name, entries in hooks._registry.items()}
    hooks._registry.clear()
    yield
    hooks._registry.clear()
    hooks._registry.update(saved)


def test_hooks_come_back_lowest_order_first_and_equal_orders_as_registered(registry: None) -> None:
    @hooks.register_hook("test_hook", order=20)
    def late() -> str:
        return "late"

    @hooks.register_hook("test_hook", order=10)
    def first() -> str:
        return "first"

    @hooks.register_hook("test_hook", order=20)
    def later() -> str:
        return "later"

    assert [hook() for hook in hooks.get_hooks("test_hook")] == ["first", "late", "later"]


def test_the_decorator_returns_the_function_unchanged(registry: None) -> None:
    def step() -> int:
        return 1

    assert hooks.register_hook("test_hook")(step) is step


def test_registering_the_same_function_again_is_a_no_op(registry: None) -> None:
    def step() -> int:
        return 1

    hooks.register_hook("test_hook", order=5)(step)
    hooks.register_hook("test_hook", order=5)(step)
    assert hooks.get_hooks("test_hook") == [step]


def test_an_unknown_hook_name_has_no_hooks(registry: None) -> None:
    assert hooks.get_hooks("nobody_registers_this") == []


def test_every_apps_start_steps_are_discovered_in_the_start_pages_order() -> None:
    names = [f"{hook.__module__}.{hook.__name__}" for hook in hooks.get_hooks("start_steps")]
    assert names == [
        "laera.competences.hooks.answer_steps",
        "laera.competences.hooks.leader_steps",
        "laera.plans.hooks.plan_steps",
        "laera.mapping.hooks.mapping_steps",
        "laera.competences.hooks.admin_steps",
        "laera.organisations.hooks.organisation_steps",
        "laera.competences.hooks.expected_steps",
    ]


@pytest.mark.django_db
def test_the_demo_loaders_are_discovered_organisations_first() -> None:
    printed: list[str] = []
    organisation: Any = load_demo(stdout=printed.append)
    assert organisation.slug == "nav-royken"
    assert printed[:4] == [
        "  laera.organisations.demo.load",
        "  laera.mapping.demo.load",
        "  laera.plans.demo.load",
        "  laera.competences.demo.load",
    ]
    assert [email for email, _role in demo_accounts()] == [
        "admin@demo.laera.no",
        "leder@demo.laera.no",
        "koordinator@demo.laera.no",
        "ansatt@demo.laera.no",
    ]


def test_new_organisations_are_set_up_by_the_apps_hooks() -> None:
    names = [f"{hook.__module__}.{hook.__name__}" for hook in hooks.get_hooks("organisation_setup")]
    assert names == ["laera.mapping.hooks.install_method_bank"]
