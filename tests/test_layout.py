"""The shape of the code: dependencies point one way, files and functions stay readable.

These are the layout rules from docs/architecture.md, checked from the source text (no imports, no
Node): no import cycle among jupymuse's modules; every import, at module level, inside a function,
under ``TYPE_CHECKING`` or named in a ``lazy_names`` table, follows the layer diagram
(:data:`MAY_IMPORT`); no source file over 500 lines; no Python or TypeScript function over 80 lines.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from ts_functions import functions

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
    return name in MODULES and MODULES[name].name == "__init__.py"


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


BASE = ("errors", "files", "lazy")
"""What every layer may use (the leaf ``widget`` only ``errors``): the error family, the one atomic writer,
lazy names."""
CHECKED = ("arguments", "music", *BASE)
"""What every layer above ``music`` may use: the checks of users' arguments (they know melodies) too."""
MAY_IMPORT: dict[str, tuple[str, ...]] = {
    "errors": (),
    "lazy": (),
    "files": ("errors",),
    "freeze": ("errors", "files"),
    "music": BASE,
    "arguments": ("music", "errors"),
    "corpus": CHECKED,
    "models": CHECKED,  # models know "an iterable of melodies", never corpora
    "evaluate": ("models", "corpus", *CHECKED),
    "quality": ("models", *CHECKED),  # beside evaluate; only the benchmark and tests import it
    "widget": ("music", "errors"),  # the leaf: knows notes, never models
    "studio": ("widget", "evaluate", "models", "corpus", *CHECKED),
    "cli": ("jupymuse", "freeze", "evaluate", "models", "corpus", *CHECKED),  # "jupymuse": the version
    "__main__": ("cli",),
    "jupymuse": ("studio", "widget", "evaluate", "models", "corpus", *CHECKED),  # the public names
}
"""Each layer of docs/architecture.md's diagram (a subpackage, a top-level module, or ``jupymuse`` for the
package's ``__init__``) and the layers it may import besides itself; an import of any other is refused."""


def layer_of(module: str) -> str:
    """``jupymuse.models.gru`` -> ``models``; ``jupymuse.files`` -> ``files``; ``jupymuse`` -> ``jupymuse``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _lazy_targets(module: str, tree: ast.Module) -> Iterator[tuple[str, int]]:
    """Modules named in ``lazy_names(__name__, {...})`` tables (inline or a module-level dict), and lines."""
    tables = {
        t.id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict)
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("lazy_names") and len(node.args) == 2:
            table = node.args[1]
            table = tables.get(table.id, table) if isinstance(table, ast.Name) else table
            for value in table.values if isinstance(table, ast.Dict) else []:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    name = value.value
                    level = len(name) - len(name.lstrip("."))
                    if level:  # relative to the package, as importlib reads it
                        package = module if _is_package(module) else module.rpartition(".")[0]
                        base = package.split(".")[: len(package.split(".")) - (level - 1)]
                        name = ".".join([*base, name[level:]])
                    yield name, value.lineno


def every_import(module: str, tree: ast.Module) -> Iterator[tuple[str, int]]:
    """Every jupymuse module ``module`` imports anywhere (functions, ``TYPE_CHECKING``, lazy tables), and
    the line of each import."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for target in _imports(module, [node], top_level=True):
                yield target, node.lineno
    yield from _lazy_targets(module, tree)


def layer_violations(module: str, tree: ast.Module, path: str) -> list[str]:
    """Each import in ``module`` (source ``tree``, shown as ``path``) of a layer its layer may not import."""
    own = layer_of(module)
    allowed = {own, *MAY_IMPORT.get(own, ())}
    return [
        f"{path}:{line} {module} imports {target}: {own} may import only {', '.join(sorted(allowed))}"
        for target, line in sorted(every_import(module, tree), key=lambda found: found[1])
        if layer_of(target) not in allowed
    ]


BAD_MODULE = """
from typing import TYPE_CHECKING
from ..music import Melody
from . import gru
if TYPE_CHECKING:
    from ..corpus import Corpus
def f() -> None:
    import jupymuse.studio
    from ..evaluate import scores
__getattr__ = lazy_names(__name__, {"PianoRoll": "jupymuse.widget", "GRUModel": ".gru"})
"""


def test_the_layer_checker_finds_every_kind_of_import() -> None:
    found = layer_violations("jupymuse.models.bad", ast.parse(BAD_MODULE), "bad.py")
    assert [v.split(" may import")[0] for v in found] == [
        "bad.py:6 jupymuse.models.bad imports jupymuse.corpus: models",
        "bad.py:8 jupymuse.models.bad imports jupymuse.studio: models",
        "bad.py:9 jupymuse.models.bad imports jupymuse.evaluate.scores: models",
        "bad.py:10 jupymuse.models.bad imports jupymuse.widget: models",
    ]
    assert found[0].endswith("models may import only arguments, errors, files, lazy, models, music")


def test_every_module_belongs_to_a_layer_of_the_table() -> None:
    assert sorted({layer_of(name) for name in MODULES} - set(MAY_IMPORT)) == []


def test_the_layers_point_one_way() -> None:
    """The table itself has no cycle (the package's ``__init__``, which names everything, aside)."""
    graph = {k: {v for v in vs if v != "jupymuse"} for k, vs in MAY_IMPORT.items() if k != "jupymuse"}
    assert cycles(graph) == []


def test_every_import_follows_the_layer_diagram() -> None:
    """music <- corpus, models <- evaluate <- studio, cli; widget <- studio; lazy, TYPE_CHECKING and
    function-level imports count."""
    found = [
        v for name, path in MODULES.items() for v in layer_violations(name, _tree(name), str(path.relative_to(ROOT)))
    ]
    assert found == []


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


def long_typescript_functions(root: Path) -> list[str]:
    """``file:line name (n lines)`` for each function in ``root``'s TypeScript over the limit."""
    long = []
    for path in sorted(root.rglob("*.ts")):
        for f in functions(path.read_text(encoding="utf-8")):
            if f.lines > MAX_FUNCTION_LINES:
                long.append(f"{path.relative_to(ROOT)}:{f.start} {f.name} ({f.lines} lines)")
    return long


TYPESCRIPT = """
// a comment with a brace { and a function() {
const PATTERN = /^[{(]+\\/}$/g;  /* { */
type Handler = (e: Event) => void;
const table = new Map<string, (a: number) => [number, number]>([["x", (a) => [a, a]]]);
export function draw(ctx: Context, notes: readonly Note[]): { width: number } {
  const label = `note ${notes.map((n) => `${n.pitch}}`).join(", ")} }`;
  if (notes.length > 0) {
    for (const n of notes) {
      switch (n.pitch) {
        case 1: {
          break;
        }
      }
    }
  }
  return { width: label.length };
}
class Roll<T> extends Base implements Thing {
  private onMove = (e: MouseEvent): void => {
    try {
      this.move(e);
    } catch {
      return;
    }
  };
  constructor(private readonly size: number) {
    super();
  }
  get width(): number {
    return this.size;
  }
  async load<K>(key: K): Promise<Map<K, () => void>> {
    return new Map();
  }
  render(): () => void {
    return () => {
      this.load(1);
    };
  }
}
const sum = (xs: number[]) =>
  xs.reduce(
    (a, b) => a + b,
    0,
  );
const callbacks = { start() { return 1; }, stop: function () {
  return 2;
} };
"""


def test_the_typescript_reader_finds_every_kind_of_function() -> None:
    found = [(f.name, f.start, f.lines) for f in functions(TYPESCRIPT)]
    assert found == [
        ("<arrow>", 5, 1),  # in the Map's entries: the function type in its type arguments is no function
        ("draw", 6, 13),
        ("<arrow>", 7, 1),
        ("onMove", 20, 7),
        ("constructor", 27, 3),
        ("width", 30, 3),
        ("load", 33, 3),
        ("render", 36, 5),
        ("<arrow>", 37, 3),
        ("sum", 42, 5),
        ("<arrow>", 44, 1),
        ("stop", 47, 3),  # an outer function before the one it holds
        ("start", 47, 1),
    ]


def test_no_typescript_function_over_80_lines() -> None:
    """Each function, method and arrow function in js/src, from its first line to its last (nested ones
    inside it counted too, as for Python)."""
    assert long_typescript_functions(JS_SRC) == []
