"""Every action the code writes to the audit log has a readable, translated name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

from laera.core.audit_labels import ACTION_LABELS, action_label, object_description
from laera.core.models import AuditEntry
from laera.plans.models import PlanStatus

ROOT = Path(__file__).resolve().parents[2]
ACTION_LITERAL = re.compile(r"\baction=([^,\n]*)")
CODE = re.compile(r"""f?["']([a-z_]+\.[a-z_{}]+)["']""")
# The few actions built from a value: every value the code can put there.
DYNAMIC = {"plan.{status}": [f"plan.{status}" for status in PlanStatus.values]}


def written_actions() -> set[str]:
    found: set[str] = set()
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for expression in ACTION_LITERAL.findall(path.read_text(encoding="utf-8")):
            for code in CODE.findall(expression):
                if "{" in code:
                    assert code in DYNAMIC, f"{path}: work out which actions {code!r} can be"
                    found.update(DYNAMIC[code])
                else:
                    found.add(code)
    return found


def test_the_scan_finds_the_actions() -> None:
    actions = written_actions()
    assert {"people.import", "requirement.create", "arena.archive", "plan.published"} <= actions
    assert len(actions) > 70


def test_every_written_action_has_a_label() -> None:
    missing = sorted(written_actions() - ACTION_LABELS.keys())
    assert not missing, f"add these actions to laera/core/audit_labels.py: {missing}"


def test_unknown_action_still_reads_as_words() -> None:
    with translation.override("en"):
        assert action_label("gap_signal.bulk_merge") == "Gap signal: bulk merge"
        assert action_label("people.import") == "People imported"


def test_labels_are_translated() -> None:
    with translation.override("en"):
        english = action_label("people.import")
    assert english == "People imported"
    with translation.override("nb"):
        assert action_label("people.import") == "Personer importert"
    assert all(not str(label).startswith(code) for code, label in ACTION_LABELS.items())


@pytest.mark.parametrize(
    ("repr_", "object_id", "expected"),
    [
        ("Mentoring", "36", "Mentoring"),
        ("36", "36", "Activity without a title"),
        ("", "36", "Activity without a title"),
    ],
)
def test_object_without_a_name_is_never_a_bare_id(repr_: str, object_id: str, expected: str) -> None:
    entry = AuditEntry(
        action="activity.create", object_type="plans.activity", object_id=object_id, object_repr=repr_
    )
    with translation.override("en"):
        assert object_description(entry) == expected


def test_object_of_an_unknown_type() -> None:
    entry = AuditEntry(action="x.y", object_type="gone.model", object_id="7", object_repr="7")
    with translation.override("en"):
        assert object_description(entry) == "Object without a title"
