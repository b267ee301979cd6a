"""Fuzz target ``freeze``: mutated copies of the lessons through ``jupymuse freeze`` (issue 21, cases 1 and 4).

Inputs start from the lessons in ``notebooks/`` (their long strings, pictures mostly, cut short so a
case is quick), most with live widget views beside pictures and saved widget state put in, so
freezing has work to do. Mutations: anything in the tree set to a wrong type, null, a huge number
(a 5,000-digit integer, ``1e400``, ``-1e400``), a lone surrogate, lists nested 50 to 100,000 deep;
the cells, outputs, data or metadata made strings, lists or nulls (``{"cells": ["oops"]}``); keys
dropped; the file's bytes cut, flipped, not UTF-8, with a byte order mark or ``NaN``/``Infinity``.
The file is a random output (``_outputs.py``: mode, owner, symbolic link, read-only) and is frozen
by ``freeze_file`` or by the command line (``jupymuse freeze``, in this process).

The result is either the notebook as :func:`jupymuse.freeze.freeze` leaves a strict JSON reading of
it, written as strict JSON (no ``Infinity`` or ``NaN``), the same file untouched when there was
nothing to drop, or a refusal (``JupymuseError``; the command's ``error:`` line and exit status 1 or
2) that left the file as it was (checked by the runner with its mode, owner and link).
"""

from __future__ import annotations

import contextlib
import copy
import functools
import io
import json
import random
from pathlib import Path
from typing import Any

from jupymuse import JupymuseError
from jupymuse.cli import main as cli_main
from jupymuse.freeze import PICTURES, WIDGET_VIEW, freeze, freeze_file

from . import _outputs
from .harness import Case
from .mutate import Mutation, mutate_bytes

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


class CommandRefused(Exception):
    """The command line refused (exit status 1 or 2, one ``error:`` line): a documented refusal."""


NAME = "freeze"
EXPECTED: tuple[type[BaseException], ...] = (JupymuseError, CommandRefused)

BIG, HUGE, NEG_HUGE, NAN = "@@BIG@@", "@@1e400@@", "@@-1e400@@", "@@NaN@@"
RAW = {BIG: "9" * 5000, HUGE: "1e400", NEG_HUGE: "-1e400", NAN: "NaN"}
VALUES: list[Any] = [
    None, "oops", "", 0, -1, 1.5, 1e308, 2**64, True, [], {}, ["oops"], [None], {"a": None}, "\ud800",
    "x\udfffy", "\x00", BIG, HUGE, NEG_HUGE, NAN, "@@DEEP50@@", "@@DEEP500@@", "@@DEEP900@@", "@@DEEP5000@@",
    "@@DEEP100000@@",
]  # fmt: skip
STRUCTURE = [
    ("cells",), ("metadata",), ("nbformat",), ("metadata", "widgets"), ("cells", 0), ("cells", 0, "outputs"),
    ("cells", 0, "cell_type"), ("cells", 0, "outputs", 0), ("cells", 0, "outputs", 0, "data"),
    ("cells", 0, "outputs", 0, "data", WIDGET_VIEW), ("cells", 0, "metadata"),
]  # fmt: skip


# ---------------------------------------------------------------------- the lessons, shortened
def _shorten(node: Any) -> Any:
    if isinstance(node, str):
        return node[:200]
    if isinstance(node, list):
        return [_shorten(x) for x in node[:40]]
    if isinstance(node, dict):
        return {k: _shorten(v) for k, v in node.items()}
    return node


@functools.cache
def lessons() -> tuple[dict[str, Any], ...]:
    """The lessons with long strings cut to 200 characters and long lists to 40 items."""
    paths = sorted(NOTEBOOKS.glob("*.ipynb"))
    if not paths:
        raise RuntimeError(f"no lessons in {NOTEBOOKS}")
    return tuple(_shorten(json.loads(p.read_text(encoding="utf-8"))) for p in paths)


def _with_widgets(rng: random.Random, nb: dict[str, Any]) -> None:
    """Put live widget views (mostly beside a picture) into code cells' outputs, and saved widget state."""
    code = [c for c in nb["cells"] if c.get("cell_type") == "code"]
    for cell in rng.sample(code, min(len(code), rng.randint(1, 4))):
        data: dict[str, Any] = {WIDGET_VIEW: {"model_id": "abc", "version_major": 2, "version_minor": 0}}
        if rng.random() < 0.8:
            data[rng.choice(PICTURES)] = "iVBORw0KGgo="
        data["text/plain"] = "PianoRoll(...)"
        cell.setdefault("outputs", []).insert(0, {"output_type": "display_data", "data": data, "metadata": {}})
    if rng.random() < 0.5:
        nb["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2}}


# ---------------------------------------------------------------------- mutations
def _place(node: Any, path: tuple[Any, ...], value: Any) -> bool:
    """Set ``path`` in ``node`` to ``value`` where the path exists (an index counts from the first item)."""
    for key in path[:-1]:
        if (isinstance(node, dict) and key in node) or (isinstance(node, list) and isinstance(key, int) and node):
            node = node[key if isinstance(node, dict) else min(key, len(node) - 1)]
        else:
            return False
    last = path[-1]
    if isinstance(node, dict) and isinstance(last, str):
        node[last] = value
        return True
    if isinstance(node, list) and isinstance(last, int) and node:
        node[min(last, len(node) - 1)] = value
        return True
    return False


def _anywhere(rng: random.Random, nb: Any) -> tuple[Any, ...]:
    path: list[Any] = []
    node = nb
    while isinstance(node, dict | list) and node and rng.random() < 0.8:
        key = rng.choice(list(node)) if isinstance(node, dict) else rng.randrange(len(node))
        path.append(key)
        node = node[key]
    return tuple(path)


def mutate(rng: random.Random, nb: dict[str, Any]) -> str:
    """Change ``nb`` in place; what was done."""
    how = rng.randrange(5)
    value = rng.choice(VALUES)
    if how <= 1:
        path = rng.choice(STRUCTURE)
        return f"{'.'.join(map(str, path))}={_short(value)}" if _place(nb, path, value) else "unchanged"
    if how == 2:
        path = _anywhere(rng, nb)
        return f"{_short(list(path))}={_short(value)}" if path and _place(nb, path, value) else "unchanged"
    path = _anywhere(rng, nb) if how == 3 else rng.choice(STRUCTURE)
    parent: Any = nb
    for key in path[:-1]:
        parent = parent[key] if isinstance(parent, dict) and key in parent else None
        if not isinstance(parent, dict | list):
            return "unchanged"
    if path and isinstance(parent, dict) and path[-1] in parent:
        del parent[path[-1]]
        return f"dropped {_short(list(path))}"
    return "unchanged"


def dumps(doc: Any, ensure_ascii: bool) -> bytes:
    """JSON of ``doc`` with the placeholders written as what ``json.dumps`` cannot write."""
    text = json.dumps(doc, indent=1, ensure_ascii=ensure_ascii)
    for mark, raw in RAW.items():
        text = text.replace(json.dumps(mark), raw)
    for depth in (50, 500, 900, 5000, 100_000):
        text = text.replace(json.dumps(f"@@DEEP{depth}@@"), "[" * depth + "]" * depth)
    return text.encode("utf-8", "surrogatepass")


_JUNK = (b"\xff\xfe", b"\xc3", b"\xed\xa0\x80", b"NaN", b"Infinity", b"\x00")
_WHOLE = (b"", b"null", b"[]", b'"nb"', b"1e400", b"{}", b'{"cells": ["oops"]}')
_NOTEBOOK_DAMAGE: tuple[Mutation, ...] = (
    lambda rng, raw: ("byte order mark", b"\xef\xbb\xbf" + raw),
    lambda rng, raw: ("whole file replaced", rng.choice(_WHOLE)),
    lambda rng, raw: ("duplicate key", raw.replace(b'"cells"', b'"cells": [], "cells"', 1)),
)
"""What only a notebook's JSON meets, beside :func:`mutate.mutate_bytes`'s common damage."""


def damage(rng: random.Random, raw: bytes) -> tuple[str, bytes]:
    """A byte-level change: cut, bits flipped, not UTF-8, a byte order mark, NaN, the whole file replaced."""
    return mutate_bytes(rng, raw, junk=_JUNK, max_flips=6, extras=_NOTEBOOK_DAMAGE)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 30 else f"{text[:27]}..."


def make(rng: random.Random) -> Case:
    """A mutated lesson written to a random output: ``Case(label, how to freeze, output)``."""
    i = rng.randrange(len(lessons()))
    nb = copy.deepcopy(lessons()[i])
    if rng.random() < 0.8:
        _with_widgets(rng, nb)
    labels = [mutate(rng, nb) for _ in range(rng.choice([0, 1, 1, 2, 3]))]
    raw = dumps(nb, ensure_ascii=rng.random() < 0.5)
    if rng.random() < 0.25:
        label, raw = damage(rng, raw)
        labels.append(label)
    via = rng.choice(["freeze_file", "command"])
    output = _outputs.draw(rng, ".ipynb", raw, must_write=False)
    return Case(f"lesson {i}: {', '.join(labels) or 'as saved'}; {via}", via, output)


# ---------------------------------------------------------------------- the target
def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def strict(raw: bytes) -> Any:
    """``raw`` read as strict JSON: no ``Infinity``/``NaN``, no number a float cannot hold."""

    def finite(text: str) -> float:
        value = float(text)
        if value in (float("inf"), float("-inf")):
            raise ValueError(f"{text} is beyond a float")
        return value

    return json.loads(raw.decode("utf-8"), parse_constant=_constant, parse_float=finite)


def expected(raw: bytes) -> tuple[Any, bool] | None:
    """What freezing ``raw`` should write (and whether it writes at all), or None for a file it refuses."""
    try:
        nb = strict(raw)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return None
    had_state = isinstance(nb.get("metadata"), dict) and "widgets" in nb["metadata"]
    dropped = freeze(nb)
    return nb, bool(dropped or had_state)


def run(case: Case) -> None:
    """Freeze the file; compare what it holds afterwards with what freezing should give."""
    path = case.output_path()
    assert case.output is not None
    before = case.output.content if path.is_file() else None
    if case.data == "command":
        err = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            status = cli_main(["freeze", str(path)])
        if status:
            lines = err.getvalue().splitlines()
            if status not in (1, 2) or len(lines) != 1 or not lines[0].startswith("error: "):
                raise AssertionError(f"exit status {status} with {err.getvalue()[:300]!r}")
            raise CommandRefused(lines[0])
    else:
        freeze_file(path)
    want = expected(before) if before is not None else None
    if want is None:
        raise AssertionError("a file that is not a readable notebook was accepted")
    after = path.read_bytes()
    doc, writes = want
    if not writes:
        if after != before:
            raise AssertionError("a notebook with nothing to drop was rewritten")
        return
    if case.output.read_only:
        raise AssertionError("a read-only notebook with widget views was not refused")
    try:
        frozen = strict(after)
    except (ValueError, RecursionError) as exc:
        raise AssertionError(f"the frozen notebook is not strict JSON: {exc}") from None
    if frozen != doc:
        raise AssertionError("the frozen notebook is not the notebook with its views dropped")
