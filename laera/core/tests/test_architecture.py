"""The layer rules of docs/architecture.md that import-linter cannot see, checked on the source itself.

import-linter (`lint-imports`, run by `make lint` and `make test`) checks which module may import which.
These tests check the rest: views stay short, only services write or open transactions, and no import
hides inside a function (where it would hide a cycle from import-linter).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # the laera package
MAX_VIEW_LINES = 40

# Model writes: these method names are only ever a database write in this code base.
WRITE_METHODS = {"save", "bulk_create", "bulk_update", "get_or_create", "update_or_create", "delete"}
# `create` and `update` are also dict and set methods, so only a queryset's count as writes.
QUERYSET_WRITE_METHODS = {"create", "update"}
QUERYSET_SOURCES = {"objects", "filter", "exclude", "all", "for_org", "select_for_update", "_default_manager"}


def _modules() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*.py")):
        parts = set(path.relative_to(ROOT).parts)
        if parts & {"tests", "migrations", "testing"}:
            continue
        yield path


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT.parent))


def _is_view_module(path: Path) -> bool:
    return path.name == "views.py" or path.parent.name == "views"


def _is_service_module(path: Path) -> bool:
    return path.name == "services.py" or path.parent.name == "services"


# Modules that may write although they are not services, and why.
WRITERS_BY_NATURE = {
    # The audit log's one writer, called by every service inside its transaction.
    "laera/core/audit.py",
    # The background worker's own bookkeeping: its heartbeat, tasks lost by dead workers, the schedule.
    "laera/core/worker.py",
    # save() and managers of the models themselves.
    *(_name(p) for p in ROOT.rglob("models.py")),
    *(_name(p) for p in ROOT.rglob("models/*.py")),
    # Each app's demo loader is the service that writes its sample data (in bulk where it is large),
    # run by `laera demo` inside one transaction.
    *(_name(p) for p in ROOT.glob("*/demo.py")),
    # Not model writes: openpyxl's Workbook.save and python-docx's Document.save into a buffer.
    "laera/core/spreadsheets.py",
    "laera/documents/docx.py",
    # A read-only transaction, there only so that SET LOCAL gives one large grouped read its settings.
    "laera/competences/figures_sql.py",
}


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _view_lengths() -> list[tuple[str, int]]:
    found = []
    for path in _modules():
        if not _is_view_module(path):
            continue
        for node in _tree(path).body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                assert node.end_lineno is not None
                found.append((f"{_name(path)}:{node.name}", node.end_lineno - start + 1))
    return found


def _receiver_is_queryset(node: ast.expr) -> bool:
    while True:
        if isinstance(node, ast.Attribute):
            if node.attr in QUERYSET_SOURCES:
                return True
            node = node.value
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in QUERYSET_SOURCES:
                return True
            node = func
        else:
            return False


def _writes(path: Path) -> Iterator[str]:
    yield from _writes_in(_tree(path), _name(path))


def _writes_in(tree: ast.Module, label: str) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method = node.func.attr
            if method in WRITE_METHODS or (
                method in QUERYSET_WRITE_METHODS and _receiver_is_queryset(node.func.value)
            ):
                yield f"{label}:{node.lineno} .{method}()"
        if isinstance(node, ast.Attribute) and node.attr == "atomic":
            yield f"{label}:{node.lineno} transaction.atomic"


def _function_level_imports(path: Path) -> Iterator[str]:
    yield from _function_level_imports_in(_tree(path), _name(path))


def _imports_laera(node: ast.Import | ast.ImportFrom) -> bool:
    if isinstance(node, ast.ImportFrom):
        return node.level > 0 or (node.module or "").split(".")[0] == "laera"
    return any(alias.name.split(".")[0] == "laera" for alias in node.names)


def _function_level_imports_in(tree: ast.Module, label: str) -> Iterator[str]:
    """Imports of Læra's own modules inside a function. A library imported late on purpose (WeasyPrint
    loads Pango when imported) hides no cycle and is allowed."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom) and _imports_laera(inner):
                    yield f"{label}:{inner.lineno} in {node.name}()"


def test_the_checks_see_writes_transactions_and_hidden_imports() -> None:
    """The scanners find what they look for, so an empty result below means something."""
    tree = ast.parse(
        "from django.db import transaction\n"
        "@transaction.atomic\n"
        "def view(request, form):\n"
        "    from laera.plans.models import Plan\n"
        "    import weasyprint\n"
        "    Plan.objects.filter(pk=1).update(title='x')\n"
        "    Plan.objects.create(title='y')\n"
        "    {}.update(a=1)\n"
        "    set().update({1})\n"
        "    form.save()\n"
    )
    writes = sorted(hit.split(" ", 1)[1] for hit in _writes_in(tree, "probe"))
    assert writes == [".create()", ".save()", ".update()", "transaction.atomic"]
    assert [hit.split(" ", 1)[1] for hit in _function_level_imports_in(tree, "probe")] == ["in view()"]


def test_no_view_is_longer_than_forty_lines() -> None:
    views = _view_lengths()
    assert len(views) > 100, "the scan should see every view of every app"
    long = [f"{name} ({lines} lines)" for name, lines in views if lines > MAX_VIEW_LINES]
    assert long == [], "split these views (docs/architecture.md, 'Views'):\n" + "\n".join(long)


@pytest.mark.parametrize("kind", ["writes", "transactions"])
def test_only_services_write_and_open_transactions(kind: str) -> None:
    found = []
    for path in _modules():
        if _is_service_module(path) or _name(path) in WRITERS_BY_NATURE:
            continue
        for write in _writes(path):
            if (kind == "transactions") == write.endswith("transaction.atomic"):
                found.append(write)
    assert found == [], f"move these {kind} into a service (docs/architecture.md):\n" + "\n".join(found)


def test_no_import_hides_inside_a_function() -> None:
    found = [hit for path in _modules() for hit in _function_level_imports(path)]
    assert found == [], "import at module level; a cycle is a design problem to fix:\n" + "\n".join(found)


def test_every_app_with_organisation_pages_has_one_permission_policy_module() -> None:
    """Whoever adds an app with pages inside an organisation writes its rules in `<app>/policies.py`
    (docs/architecture.md §3.2), on the base class every policy shares."""
    apps = sorted(
        path.parent.parent.name if path.parent.name == "views" else path.parent.name
        for path in _modules()
        if _is_view_module(path) and "@org_view" in path.read_text(encoding="utf-8")
    )
    assert {"competences", "mapping", "organisations", "plans"} <= set(apps)
    for app in set(apps):
        policies = ROOT / app / "policies.py"
        assert policies.exists(), f"laera/{app} has organisation pages but no policies.py"
        assert "PermissionPolicy" in policies.read_text(encoding="utf-8"), f"laera/{app}/policies.py"
