"""What every new organisation gets, step by step of the loop (e.g. the method bank).

Each app registers its part as an `organisation_setup` hook (laera.core.hooks) in its `hooks.py`: a
function taking the new organisation, which must be idempotent.
"""

from __future__ import annotations

from typing import Any

from .hooks import get_hooks


def organisation_setup(organisation: Any) -> None:
    for hook in get_hooks("organisation_setup"):
        hook(organisation)
