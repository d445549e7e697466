"""Spreadsheets are written only by `laera.core.spreadsheets`, and uploaded files and JSON are parsed only
by `laera.core.uploads`: a new export or import that makes its own workbook, CSV writer or reader, or
calls `json.loads` on its own, fails here, before it can write a formula or read a bomb.
"""

from __future__ import annotations

import re
from pathlib import Path

import laera

ROOT = Path(laera.__file__).parent
SHARED = {
    "core/spreadsheets.py": "the spreadsheet-safe writer",
    "core/uploads.py": "the bounded readers",
}
FORBIDDEN = {
    "a workbook": re.compile(r"\bWorkbook\s*\("),
    "a CSV writer": re.compile(r"\bcsv\s*\.\s*(?:writer|DictWriter)\s*\("),
    "a CSV reader": re.compile(r"\bcsv\s*\.\s*(?:reader|DictReader)\s*\("),
    "a workbook reader": re.compile(r"\bload_workbook\s*\("),
    "JSON parsing": re.compile(r"\bjson\s*\.\s*loads?\s*\("),
    "an import that hides one of these": re.compile(
        r"^\s*from\s+(?:csv|json|openpyxl)\s+import\s+.*\b(?:writer|reader|Dict\w+|loads?|Workbook|load_workbook)\b",
        re.MULTILINE,
    ),
}


def _sources() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if "tests" not in path.relative_to(ROOT).parts and "migrations" not in path.relative_to(ROOT).parts
    )


def find_violations(sources: list[tuple[str, str]]) -> list[str]:
    """(path relative to laera/, source) pairs to "path:line: what" for every forbidden use."""
    found: list[str] = []
    for relative, text in sources:
        if relative in SHARED:
            continue
        for what, pattern in FORBIDDEN.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"laera/{relative}:{line}: {what}")
    return found


def test_only_the_shared_modules_write_spreadsheets_or_parse_uploads() -> None:
    sources = [(path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")) for path in _sources()]
    assert len(sources) > 50
    violations = find_violations(sources)
    assert not violations, (
        "Use laera.core.spreadsheets (new_workbook, workbook_bytes, csv_bytes) to write spreadsheets and "
        "laera.core.uploads (read_table, read_bytes, load_json) to read uploads:\n" + "\n".join(violations)
    )


def test_the_shared_modules_are_where_the_scan_expects_them() -> None:
    for relative in SHARED:
        assert (ROOT / relative).is_file(), relative
    shared = {relative: (ROOT / relative).read_text(encoding="utf-8") for relative in SHARED}
    assert "Workbook(" in shared["core/spreadsheets.py"] and "csv.writer(" in shared["core/spreadsheets.py"]
    assert "load_workbook(" in shared["core/uploads.py"] and "json.loads(" in shared["core/uploads.py"]


def test_the_scan_finds_each_forbidden_use() -> None:
    """Code like this in an app would fail the test above."""
    examples = {
        "a workbook": "from openpyxl import styles\nbook = openpyxl.Workbook()\n",
        "a CSV writer": "import csv\nw = csv.writer(buffer)\n",
        "a CSV reader": "rows = csv.DictReader(io.StringIO(text))\n",
        "a workbook reader": "wb = openpyxl.load_workbook(upload)\n",
        "JSON parsing": "data = json.loads(request.body)\n",
        "an import that hides one of these": "from json import loads as parse\n",
    }
    for what, source in examples.items():
        found = find_violations([("plans/views/new.py", source)])
        assert any(violation.endswith(f": {what}") for violation in found), (what, found)
    assert find_violations([("plans/views/new.py", "rows = read_table(upload, upload.name)\n")]) == []
    assert find_violations([("core/uploads.py", "json.loads(text)\n")]) == []
