"""Which melodies ``GRUModel.fit`` trains on and which it validates on (no TensorFlow)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import numpy as np

from ..errors import ModelError
from ..music import Melody


def split_validation(
    melodies: Iterable[Melody], validation: float | Iterable[Melody], seed: int
) -> tuple[Iterable[Melody], Iterable[Melody] | None]:
    """Training and validation melodies; lists for data in memory, lazy views for streams."""
    if isinstance(melodies, Melody):
        melodies = [melodies]
    if iter(melodies) is melodies:
        raise ModelError(
            "fit needs melodies it can read once per epoch: a Corpus, a list, or "
            "jupymuse.corpus.stream_midi_folder(path), not a one-time generator"
        )
    if not isinstance(validation, (int, float)):
        return (list(melodies) if isinstance(melodies, Sequence) else melodies), list(validation)
    if not 0 <= validation < 1:
        raise ModelError(f"validation must be a fraction in [0, 1) or a list of melodies, not {validation!r}")
    if not validation:
        return (list(melodies) if isinstance(melodies, Sequence) else melodies), None
    if isinstance(melodies, Sequence):
        items = [m for m in melodies if len(m)]
        order = np.random.default_rng(seed).permutation(len(items))
        n_val = max(1, round(len(items) * validation)) if len(items) > 1 else 0
        return [items[i] for i in order[n_val:]], ([items[i] for i in order[:n_val]] or None)
    every = max(2, round(1 / validation))
    return _EveryKth(melodies, every, keep=False), _EveryKth(melodies, every, keep=True)


class _EveryKth:
    """A lazy view of a stream: every ``every``-th melody (``keep``) or all the others."""

    def __init__(self, source: Iterable[Melody], every: int, keep: bool) -> None:
        self.source, self.every, self.keep = source, every, keep

    def __iter__(self) -> Iterator[Melody]:
        for i, m in enumerate(self.source):
            if (i % self.every == 0) == self.keep:
                yield m
