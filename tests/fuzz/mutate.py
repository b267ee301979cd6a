"""Byte-level mutations of a file, shared by the targets that damage files (``freeze``, ``models``).

Every mutation draws from the case's own ``rng`` alone, so a case replays on its own. The common
ones (cut, bits flipped, junk inserted, unchanged) come first; a target adds its own (a byte order
mark, a document wrapped deep, ...) as ``extras``, drawn between the common ones and "unchanged".
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

Mutation = Callable[[random.Random, bytes], tuple[str, bytes]]
"""One way to damage a file: ``(rng, raw) -> (what was done, the damaged bytes)``."""


def mutate_bytes(
    rng: random.Random, raw: bytes, *, junk: Sequence[bytes], max_flips: int, extras: Sequence[Mutation] = ()
) -> tuple[str, bytes]:
    """``raw`` cut, with 1 to ``max_flips`` bits flipped, with one of ``junk`` inserted, changed by one of
    ``extras``, or unchanged; returns what was done and the result."""
    how = rng.randrange(4 + len(extras))
    if how == 0:
        n = rng.randrange(len(raw))
        return f"cut to {n} bytes", raw[:n]
    if how == 1:
        out = bytearray(raw)
        for _ in range(rng.randint(1, max_flips)):
            out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
        return "bits flipped", bytes(out)
    if how == 2:
        at = rng.randrange(len(raw))
        piece = rng.choice(list(junk))
        return f"inserted {piece[:8]!r}", raw[:at] + piece + raw[at:]
    if how < 3 + len(extras):
        return extras[how - 3](rng, raw)
    return "unchanged", raw
