"""What every new organisation gets, step by step of the loop (e.g. the method bank).

Each entry is the dotted path of a function taking the new organisation; it must be idempotent.
"""

from __future__ import annotations

from typing import Any

from django.utils.module_loading import import_string

ORGANISATION_SETUP: list[str] = [
    "laera.mapping.services.method_bank_install",
]


def organisation_setup(organisation: Any) -> None:
    for path in ORGANISATION_SETUP:
        import_string(path)(organisation)
