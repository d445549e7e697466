"""The demo organisation is loaded in steps, one per app, in the order of the learning loop.

Each loader takes the organisation and must be idempotent: running `laera demo` twice gives the same data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.module_loading import import_string

DEMO_SLUG = "nav-royken"

# Later steps of the loop add their loaders here.
DEMO_LOADERS: list[str] = [
    "laera.organisations.demo.load",
    "laera.mapping.demo.load",
    "laera.plans.demo.load",
    "laera.competences.demo.load",
]


def load_demo(*, stdout: Callable[[str], Any] = print) -> Any:
    from laera.organisations.demo import ensure_organisation

    organisation = ensure_organisation()
    for path in DEMO_LOADERS:
        loader = import_string(path)
        loader(organisation)
        stdout(f"  {path}")
    return organisation
