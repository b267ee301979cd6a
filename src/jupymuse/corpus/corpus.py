"""``Corpus``: a named collection of melodies with statistics and deterministic splits."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, overload

import numpy as np

from .. import arguments
from ..errors import ArgumentTypeError, SettingError
from ..music import Melody
from ..music.notation import pitch_name


@dataclass(frozen=True)
class SkippedFile:
    """A file, or one tune of a file, that could not be read while loading, and why (a student-readable
    message). ``tune`` names the tune (number, title, place in the file) when the rest of the file loaded."""

    path: str
    reason: str
    tune: str | None = None


@dataclass(frozen=True)
class CorpusStats:
    """Descriptive numbers about a corpus (``corpus.stats()``)."""

    melodies: int
    notes: int
    rests: int
    pitch_min: int | None
    pitch_max: int | None
    distinct_pitches: int
    duration_histogram: dict[int, int] = field(default_factory=dict)
    time_signatures: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        lines = [
            f"melodies:        {self.melodies:,}",
            f"notes:           {self.notes:,} ({self.notes / max(1, self.melodies):.1f} per melody)",
            f"rests:           {self.rests:,}",
        ]
        if self.pitch_min is not None and self.pitch_max is not None:
            lines.append(
                f"pitch range:     {pitch_name(self.pitch_min)}-{pitch_name(self.pitch_max)} "
                f"(MIDI {self.pitch_min}-{self.pitch_max}, {self.distinct_pitches} distinct pitches)"
            )
        top = sorted(self.duration_histogram.items(), key=lambda kv: -kv[1])[:8]
        lines.append("durations:       " + ", ".join(f"{d} steps x{c:,}" for d, c in top))
        ts = sorted(self.time_signatures.items(), key=lambda kv: -kv[1])[:5]
        lines.append("time signatures: " + ", ".join(f"{t} x{c:,}" for t, c in ts))
        return "\n".join(lines)


class Split(NamedTuple):
    """Train, validation and test parts of a corpus."""

    train: Corpus
    valid: Corpus
    test: Corpus


class Corpus(Sequence[Melody]):
    """An ordered, immutable collection of melodies.

    Args:
        melodies: the melodies.
        name: where they come from (``"bach-chorales"``, a folder path, ...).
        skipped: files that could not be read while loading (see ``load_midi_folder``).
    """

    def __init__(self, melodies: Iterable[Melody], name: str = "custom", skipped: Iterable[SkippedFile] = ()) -> None:
        self._melodies = tuple(arguments.melodies(melodies))
        if not isinstance(name, str):
            raise ArgumentTypeError(f"name must be text, not {arguments.shown(name)}")
        self.name = name
        self.skipped = tuple(arguments.items(skipped, "skipped"))
        if not all(isinstance(s, SkippedFile) for s in self.skipped):
            raise ArgumentTypeError("skipped must hold SkippedFile records (what load_midi_folder reports)")

    def __len__(self) -> int:
        return len(self._melodies)

    def __iter__(self) -> Iterator[Melody]:
        return iter(self._melodies)

    @overload
    def __getitem__(self, index: int) -> Melody: ...
    @overload
    def __getitem__(self, index: slice) -> Corpus: ...
    def __getitem__(self, index: int | slice) -> Melody | Corpus:
        if isinstance(index, slice):
            return Corpus(self._melodies[index], self.name)
        return self._melodies[index]

    def __repr__(self) -> str:
        return f"<Corpus {self.name!r}: {len(self):,} melodies, {self.n_notes:,} notes>"

    @property
    def n_notes(self) -> int:
        """Total number of notes over all melodies."""
        return sum(len(m) for m in self._melodies)

    def take(self, indices: Iterable[int], name: str | None = None) -> Corpus:
        """The melodies at ``indices``, in that order (negative ones count from the end)."""
        if name is not None and not isinstance(name, str):
            raise ArgumentTypeError(f"name must be text or None, not {arguments.shown(name)}")
        n = len(self._melodies)
        at = [arguments.whole(i, "an index", -n, n - 1) for i in arguments.items(indices, "indices")]
        return Corpus([self._melodies[i] for i in at], name or self.name)

    def filter(self, predicate: Callable[[Melody], bool]) -> Corpus:
        """The melodies for which ``predicate(melody)`` is true."""
        predicate = arguments.function(predicate, "predicate")
        return Corpus((m for m in self._melodies if predicate(m)), self.name)

    def _order(self, seed: int) -> np.ndarray:
        return np.random.default_rng(arguments.whole(seed, "seed", 0)).permutation(len(self))

    def split(self, valid: float = 0.1, test: float = 0.1, seed: int = 0) -> Split:
        """Shuffle with ``seed`` and cut into train/valid/test by fractions; same seed, same split."""
        valid, test = arguments.number(valid, "valid", 0, 1), arguments.number(test, "test", 0, 1)
        if valid + test >= 1:
            raise SettingError(f"valid and test are fractions in [0, 1) whose sum is below 1, not {valid} + {test}")
        order = self._order(seed)
        n_test = round(len(self) * test)
        n_valid = round(len(self) * valid)
        return Split(
            train=self.take(order[n_test + n_valid :], f"{self.name}[train]"),
            valid=self.take(order[n_test : n_test + n_valid], f"{self.name}[valid]"),
            test=self.take(order[:n_test], f"{self.name}[test]"),
        )

    def kfold(self, k: int = 10, seed: int = 0) -> list[tuple[Corpus, Corpus]]:
        """``k`` (train, test) pairs: each melody is in exactly one test part; same seed, same folds."""
        k = arguments.whole(k, "k", 2)
        if k > len(self):
            raise SettingError(f"k must be between 2 and the number of melodies ({len(self)}), not {k}")
        order = self._order(seed)
        parts = np.array_split(order, k)
        folds = []
        for i, test_idx in enumerate(parts):
            train_idx = np.concatenate([p for j, p in enumerate(parts) if j != i])
            folds.append(
                (
                    self.take(np.sort(train_idx), f"{self.name}[fold {i} train]"),
                    self.take(np.sort(test_idx), f"{self.name}[fold {i} test]"),
                )
            )
        return folds

    def stats(self) -> CorpusStats:
        """Counts, pitch range, duration histogram and time signatures."""
        durations: Counter[int] = Counter()
        signatures: Counter[str] = Counter()
        pitches: Counter[int] = Counter()
        rests = 0
        for m in self._melodies:
            signatures[f"{m.time_signature[0]}/{m.time_signature[1]}"] += 1
            pos = m.notes[0].start if m.notes else 0
            for n in m.notes:
                durations[n.duration] += 1
                pitches[n.pitch] += 1
                rests += n.start > pos
                pos = n.end
        return CorpusStats(
            melodies=len(self),
            notes=sum(pitches.values()),
            rests=rests,
            pitch_min=min(pitches) if pitches else None,
            pitch_max=max(pitches) if pitches else None,
            distinct_pitches=len(pitches),
            duration_histogram=dict(sorted(durations.items())),
            time_signatures=dict(signatures),
        )
