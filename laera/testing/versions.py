"""The version rules every editing service keeps, checked the same way for each of them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import models
from django.utils import translation

from laera.core.audit import snapshot
from laera.core.versioning import ConflictError


def assert_version_rules(
    obj: models.Model, save: Callable[[int | None], Any], *, field: str = "version"
) -> Any:
    """`save(version)` is a service call on `obj` from a form opened at `version`. It must refuse a
    save without a version and one from an older version, each time leaving `obj` as it was and
    naming the saved object, and save from the current version, counting one more. Then the version
    the form had is an older one, refused in turn. Returns what the successful save returned."""

    def saved() -> dict[str, Any]:
        obj.refresh_from_db()
        return snapshot(obj)

    before = saved()
    current = int(before[field])
    with translation.override("en"):
        for version, message in ((None, "without the version"), (current - 1, "Someone else saved")):
            with pytest.raises(ConflictError, match=message) as refused:
                save(version)
            assert saved() == before, f"{obj!r} changed by a save from version {version}"
            assert refused.value.version == current and refused.value.current is not None
        result = save(current)
        assert saved()[field] == current + 1
        after = saved()
        with pytest.raises(ConflictError, match="Someone else saved"):
            save(current)
        assert saved() == after
    return result
