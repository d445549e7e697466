"""The demo organisation for tests that need its data, loaded once per test process on SQLite.

Loading the demo through its loaders takes about a second; some forty browser tests start from it, each
in a database emptied after the test before. On SQLite the first load into an empty database is copied
aside and given back to each later test that starts from an empty database (laera/testing/copies.py).
"""

from __future__ import annotations

import io

from django.core.management import call_command

from laera.testing.copies import made_once


def _load() -> None:
    call_command("demo", stdout=io.StringIO())


def load_demo_data() -> None:
    """Load the demo organisation, as `laera demo` does."""
    made_once("demo", _load)
