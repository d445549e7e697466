"""The demo organisation is loaded in steps, one per app, in the order of the learning loop.

Core knows no app: each app registers its part in its own `demo.py`, through the hook registry.

- `demo_organisation` (exactly one, organisations): creates the demo organisation or finds it again.
- `demo_load`: the loaders, each taking the organisation, run in their order. Each must be idempotent:
  running `laera demo` twice gives the same data.
- `demo_accounts`: each returns the accounts it made as (e-mail, role), for the command to print.

The `demo` modules are imported here, when the demo is loaded, rather than in every process at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from .hooks import get_hooks

DEMO_SLUG = "nav-royken"


def _discover() -> None:
    autodiscover_modules("demo")


@transaction.atomic
def load_demo(*, stdout: Callable[[str], Any] = print) -> Any:
    """Create or refresh the demo organisation through every app's loader, all or nothing; return the
    organisation."""
    _discover()
    (ensure_organisation,) = get_hooks("demo_organisation")
    organisation = ensure_organisation()
    for loader in get_hooks("demo_load"):
        loader(organisation)
        stdout(f"  {loader.__module__}.{loader.__qualname__}")
    return organisation


def demo_accounts() -> list[tuple[str, str]]:
    """The demo accounts as (e-mail, role), from every app that makes some."""
    _discover()
    return [account for hook in get_hooks("demo_accounts") for account in hook()]
