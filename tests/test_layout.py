"""The house rules that a grep can check (issue 11): only the engine knows the engine, SQL
lives in sql/, and resources are found as package resources, not by walking up a checkout."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import monitor

PACKAGE = Path(monitor.__file__).parent
# the engine, and the state's lock beside it, are the only modules that may know DuckDB
ENGINE_MODULES = {"engine.py"}
SQL_START = re.compile(
    r"^\s*(select|insert|update|delete|create|alter|drop|with|begin|commit|rollback|set|"
    r"copy|attach|pragma)\b",
    re.IGNORECASE,
)
SQL_INSIDE = re.compile(r"\b(select\b.+\bfrom|insert\s+into|delete\s+from|create\s+(or\s+replace\s+)?(table|view))\b",
                        re.IGNORECASE | re.DOTALL)  # fmt: skip


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py"))


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            ids.add(id(first.value))
    return ids


def test_only_the_engine_imports_duckdb() -> None:
    found = []
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.split(".")[0] == "duckdb" for n in names):
                found.append(path.relative_to(PACKAGE).as_posix())
    assert set(found) <= ENGINE_MODULES, found


def test_no_sql_outside_sql_folder() -> None:
    """No string in the package's Python reads as a SQL statement, except the engine's own
    (docstrings and messages may mention SQL words)."""
    found = []
    for path in modules():
        name = path.relative_to(PACKAGE).as_posix()
        if name in ENGINE_MODULES:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = _docstrings(tree)
        for node in ast.walk(tree):
            parts: list[str] = []
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docs
            ):
                parts = [node.value]
            elif isinstance(node, ast.JoinedStr):
                parts = ["".join(v.value for v in node.values
                                 if isinstance(v, ast.Constant) and isinstance(v.value, str))]  # fmt: skip
            for text in parts:
                if SQL_INSIDE.search(text) or (SQL_START.match(text) and " " in text.strip()
                                               and re.search(r"\b(from|into|table|where|=)\b", text, re.I)):  # fmt: skip
                    found.append(f"{name}:{node.lineno}: {text.strip()[:60]!r}")  # type: ignore[attr-defined]
    assert not found, "SQL outside sql/:\n" + "\n".join(found)


def test_no_path_walks_up_from_a_module() -> None:
    """Resources are package data found with importlib.resources (monitor.resources)."""
    roots = [PACKAGE, PACKAGE.parents[1].parent / "packages"]
    found = [
        f"{p}:{n}"
        for root in roots
        if root.is_dir()
        for p in root.rglob("*.py")
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if "parents[" in line and "tests" not in p.parts
    ]
    assert not found, found
