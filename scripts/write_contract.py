"""Write the synced traits of the widgets into the contract fixture, ``tests/contract/boundary.json``.

The page sees a widget's traits with ``sync=True`` as its model's fields. This script reads them
from the Python classes (``PianoRoll``, ``ScoreView``; ipywidgets' and anywidget's own traits such as
``_model_name`` or ``layout`` left out), in the order the class declares them, each with its
traitlets type and the TypeScript type the page reads, and rewrites the fixture's ``"traits"``
section with them; every other section is left as it is. ``tests/test_contract.py`` checks the
fixture against the classes, and ``js/test/contract.test.ts`` checks ``js/src/protocol.ts`` (and
``js/src/score/protocol.ts``) against the fixture, so a trait added on one side alone fails a test.

    python scripts/write_contract.py    # after adding, removing or retyping a synced trait
"""

from __future__ import annotations

import json
from pathlib import Path

import anywidget
import traitlets

from jupymuse.widget import PianoRoll
from jupymuse.widget.score_view import ScoreView

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "contract" / "boundary.json"
COMMAND = "python scripts/write_contract.py"
"""What to run after changing a synced trait (failing tests name it)."""

WIDGETS: tuple[type[anywidget.AnyWidget], ...] = (PianoRoll, ScoreView)
"""The widgets whose synced traits the page mirrors, each under its class name in the fixture."""

SCALARS: dict[type[traitlets.TraitType], str] = {  # type: ignore[type-arg]
    traitlets.Bool: "boolean",
    traitlets.Int: "number",
    traitlets.Float: "number",
    traitlets.Unicode: "string",
    traitlets.Bytes: "DataView | ArrayBuffer",  # a binary buffer: anywidget hands the page a DataView
}
"""The TypeScript type of each traitlets type that holds one value (subclasses, e.g. CInt, alike)."""


OBJECTS: dict[str, str] = {"listened": "Listened"}
"""Dict traits by name, each a JSON object of one shape, and the TypeScript type the page reads it as:
``listened`` is :mod:`jupymuse.widget.listened`'s value on the roll and on the score alike."""


class ContractError(SystemExit):
    """A synced trait this script cannot describe: exits with one sentence naming it."""


def _scalar(trait: traitlets.TraitType) -> tuple[str, str] | None:  # type: ignore[type-arg]
    """(traitlets name, TypeScript type) of a one-value trait, None for any other trait."""
    for kind in type(trait).__mro__:
        if kind in SCALARS:
            return kind.__name__, SCALARS[kind]
    return None


def trait_types(name: str, trait: traitlets.TraitType) -> tuple[str, str]:  # type: ignore[type-arg]
    """(traitlets type, TypeScript type) of trait ``name``: ``("Tuple(Int, Int)", "[number, number]")``.

    A dict trait named in ``OBJECTS`` (a JSON object of a known shape) is listed as its class name and
    the TypeScript type named there.
    """
    if isinstance(trait, traitlets.Dict) and name in OBJECTS:
        return type(trait).__name__, OBJECTS[name]
    scalar = _scalar(trait)
    if scalar is not None:
        return scalar
    if isinstance(trait, traitlets.Tuple) and trait._traits:
        parts = [trait_types(name, item) for item in trait._traits]
        return f"Tuple({', '.join(p for p, _ in parts)})", f"[{', '.join(t for _, t in parts)}]"
    if isinstance(trait, traitlets.List) and isinstance(trait._trait, traitlets.TraitType):
        python, ts = trait_types(name, trait._trait)
        return f"List({python})", f"{ts}[]" if "|" not in ts else f"({ts})[]"
    raise ContractError(
        f"the synced trait {name!r} is a traitlets.{type(trait).__name__}, which has no TypeScript type in "
        "scripts/write_contract.py: add it there (SCALARS or trait_types)"
    )


def synced_traits(widget: type[anywidget.AnyWidget]) -> list[dict[str, str]]:
    """The widget's own synced traits in declaration order: name, traitlets type, TypeScript type."""
    own = set(widget.class_traits(sync=True)) - set(anywidget.AnyWidget.class_traits(sync=True))
    declared = dict.fromkeys(name for klass in reversed(widget.__mro__) for name in vars(klass) if name in own)
    traits = widget.class_traits(sync=True)
    rows = []
    for name in declared:
        python, ts = trait_types(name, traits[name])
        rows.append({"name": name, "python": python, "ts": ts})
    return rows


def all_traits() -> dict[str, list[dict[str, str]]]:
    """The fixture's ``"traits"`` section: each widget's synced traits under its class name."""
    return {widget.__name__: synced_traits(widget) for widget in WIDGETS}


def write(path: Path = FIXTURE) -> bool:
    """Rewrite the ``"traits"`` section of the fixture at ``path``; True when it changed."""
    text = path.read_text(encoding="utf-8")
    contract = json.loads(text)
    contract["traits"] = all_traits()
    new = json.dumps(contract, indent=1, ensure_ascii=False)
    if new == text:
        return False
    path.write_text(new, encoding="utf-8")
    return True


def main() -> None:
    changed = write()
    counts = ", ".join(f"{name} {len(rows)}" for name, rows in all_traits().items())
    where = FIXTURE.relative_to(ROOT)
    print(f"{where}: traits {'rewritten' if changed else 'already up to date'} ({counts})")


if __name__ == "__main__":
    main()
