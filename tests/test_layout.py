"""The shape of the code: dependencies point one way, files and functions stay readable.

These are the layout rules from docs/architecture.md, checked from the source text (no imports):
no import cycle among jupymuse's modules, ``widget/`` depends on ``music/`` alone, no source file
over 500 lines, no Python function over 80 lines.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "jupymuse"
JS_SRC = ROOT / "js" / "src"
MAX_FILE_LINES = 500
MAX_FUNCTION_LINES = 80


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _resolve(module: str, node: ast.ImportFrom) -> str:
    """The absolute module an ``ImportFrom`` in ``module`` names (``from ..music import x``)."""
    if not node.level:
        return node.module or ""
    base = module.split(".") if _is_package(module) else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _type_checking_block(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(module: str, body: list[ast.stmt], *, top_level: bool) -> Iterator[str]:
    """jupymuse modules imported by ``body`` (only module-level statements when ``top_level``)."""
    for node in body if top_level else ast.walk(ast.Module(body=body, type_ignores=[])):
        if top_level and _type_checking_block(node):
            continue
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.startswith("jupymuse"))
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node)
            if not target.startswith("jupymuse"):
                continue
            subs = [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in MODULES]
            # `from . import sub` imports the submodule; names that are not submodules come from `target`
            yield from subs
            if len(subs) < len(node.names):
                yield target
        elif top_level and isinstance(node, (ast.If, ast.Try, ast.With)):
            nested = [s for b in ("body", "orelse", "finalbody") for s in getattr(node, b, [])]
            nested += [s for h in getattr(node, "handlers", []) for s in h.body]
            yield from _imports(module, nested, top_level=True)


def _tree(name: str) -> ast.Module:
    return ast.parse(MODULES[name].read_text(encoding="utf-8"))


def module_graph() -> dict[str, set[str]]:
    """Module-level import edges among jupymuse's own modules."""
    return {
        name: {t for t in _imports(name, _tree(name).body, top_level=True) if t in MODULES and t != name}
        for name in MODULES
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_checker_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_among_modules() -> None:
    assert cycles(module_graph()) == []


def test_widget_depends_on_music_alone() -> None:
    """The piano roll is a leaf: it knows notes, never models, corpora or evaluation (lazy imports too)."""
    allowed = ("jupymuse.music", "jupymuse.errors", "jupymuse.widget")
    bad = {
        name: sorted(t for t in _imports(name, _tree(name).body, top_level=False) if not t.startswith(allowed))
        for name in MODULES
        if name.startswith("jupymuse.widget")
    }
    assert {k: v for k, v in bad.items() if v} == {}


def test_lower_layers_never_import_the_studio_or_widget() -> None:
    upper = ("jupymuse.studio", "jupymuse.widget", "jupymuse.cli")
    for layer in ("jupymuse.music", "jupymuse.corpus", "jupymuse.models", "jupymuse.evaluate"):
        for name in (n for n in MODULES if n.startswith(layer)):
            found = [t for t in _imports(name, _tree(name).body, top_level=False) if t.startswith(upper)]
            assert found == [], f"{name} imports {found}"


@pytest.mark.parametrize(
    "path",
    [*sorted(SRC.rglob("*.py")), *sorted(JS_SRC.rglob("*.ts"))],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_no_source_file_over_500_lines(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_FILE_LINES, f"{path.name} has {lines} lines: split it by concept"


def test_no_python_function_over_80_lines() -> None:
    long = []
    for name, path in MODULES.items():
        for node in ast.walk(_tree(name)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                size = (node.end_lineno or node.lineno) - node.lineno + 1
                if size > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({size} lines)")
    assert long == []
