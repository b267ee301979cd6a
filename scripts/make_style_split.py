"""Draw the built-in styles' fixed split into ``src/jupymuse/data/style_split.json`` (a build product).

Per style, every melody goes to one of three sides: ``held_out`` (``HELD_OUT`` melodies: the test set
of ``benchmarks/generation_quality.py`` and friends, never trained on), ``validation`` (``VALIDATION``
of the rest: picks the best epoch and the sampling defaults) and ``train``. Near-twins (the same tune
in another harmonisation, key or variant: ``jupymuse.evaluate.twin_groups``, interval 4-grams at
Jaccard >= 0.3, twins of twins included) always fall on the same side, so no held-out melody has a
twin the model trained on. Whole twin groups are drawn in a seeded order; a group that would overshoot
a side's size is passed over for smaller ones, so each side gets exactly its size.

All three lists are stored by melody key, so a music21 version that converts more or fewer files
cannot move a melody from one side to another (an unlisted melody is used nowhere).

    python scripts/make_style_split.py [--out src/jupymuse/data/style_split.json]
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

from jupymuse.corpus.builtin_styles import (
    HELD_OUT,
    SPLIT_FILE,
    SPLIT_SEED,
    STYLE_CORPORA,
    VALIDATION,
    melody_key,
    style_melodies,
)
from jupymuse.evaluate import twin_groups


def draw(groups: list[list[str]], size: int, rng: np.random.Generator) -> tuple[list[str], list[list[str]]]:
    """``size`` keys made of whole groups taken in a random order, and the groups left over."""
    taken: list[str] = []
    left: list[list[str]] = []
    for g in rng.permutation(len(groups)):
        group = groups[int(g)]
        if len(taken) + len(group) <= size:
            taken.extend(group)
        else:
            left.append(group)
    return taken, left


def split(name: str) -> dict[str, list[str]]:
    """One style's three sides, each list in corpus order."""
    melodies = style_melodies(name)
    keys = [melody_key(m) for m in melodies]
    if len(set(keys)) != len(keys):
        raise SystemExit(f"{name}: melody keys are not unique")
    members: dict[int, list[str]] = defaultdict(list)
    for key, group in zip(keys, twin_groups(melodies), strict=True):
        members[group].append(key)
    groups = list(members.values())
    rng = np.random.default_rng([SPLIT_SEED, list(STYLE_CORPORA).index(name)])
    held, rest = draw(groups, HELD_OUT, rng)
    valid, rest = draw(rest, round(VALIDATION * (len(keys) - len(held))), rng)
    order = {k: i for i, k in enumerate(keys)}
    train = sorted((k for g in rest for k in g), key=order.__getitem__)
    print(
        f"{name}: {len(keys)} melodies in {len(groups)} twin groups (largest {max(map(len, groups))}): "
        f"{len(train)} train, {len(valid)} validation, {len(held)} held out"
    )
    return {
        "train": train,
        "validation": sorted(valid, key=order.__getitem__),
        "held_out": sorted(held, key=order.__getitem__),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=SPLIT_FILE)
    args = parser.parse_args()
    data = {name: split(name) for name in STYLE_CORPORA}
    args.out.write_text(json.dumps(data, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


main()
