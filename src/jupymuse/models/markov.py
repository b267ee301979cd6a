"""``MarkovModel``: the note-level Markov chain P(s_t | s_{t-n}, ..., s_{t-1}), counted from data.

The state ``s_t`` is an event (pitch or rest, and duration; see :mod:`jupymuse.music.events`).
Its probability is factored by the chain rule, which loses nothing:

    P(s_t | ctx) = P(pitch_t | ctx) * P(duration_t | ctx, pitch_t)

so the pitch part alone gives the pitch cross-entropy that IDyOM reports, and with plain counts the
product is exactly "count the transitions and divide by the row total".

``context`` says what of the previous ``order`` events is remembered:

* ``"note"`` (default): previous events as (pitch, duration) pairs, for both parts;
* ``"pitch"``: previous pitches for the pitch part and previous durations for the duration part
  (like IDyOM's separate pitch and duration viewpoints).

Smoothing: interpolated Witten-Bell (PPM escape method C, "blending"): each context order mixes its
counts with the next shorter context's estimate, weighted by how many different continuations the
context has seen; below order 0 lies a base distribution that is never zero (uniform over the 128
pitches and the rest; ``1/(d(d+1))`` over durations d = 1, 2, ...). So no event ever has probability
zero, which cross-entropy needs. Melodies start from a begin marker, so the chain learns how
melodies open.

Generation uses only the pitches and durations seen in training; ``log_prob`` keeps a small
probability for everything else.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Self

import numpy as np

from .. import arguments
from ..errors import ArgumentTypeError, ModelError
from ..music import Melody
from ..music.events import N_PITCH_SYMBOLS, REST, Event, melody_events
from ..music.notation import pitch_name
from ..music.note import MAX_STEPS
from .formats import (
    MARKOV_FILE,
    MAX_COUNT,
    MAX_DURATIONS,
    MAX_MARKOV_BYTES,
    MAX_ORDER,
    MAX_STEPS_PER_QUARTER,
    MB,
    Fields,
    pair_check,
    read_counts,
    read_sampling,
)
from .generation import GeneratesMelodies, SamplingRequest, no_pitch_left
from .protocol import NoteLogProbs
from .sampling import GenerationProbs, draw, shape
from .storage import atomic_write_text

if TYPE_CHECKING:
    from .gru_styles import StyleArg

ContextMode = Literal["note", "pitch"]
Context = tuple[Hashable, ...]
_BOS_NOTE = (-1, 0)
_BOS_VALUE = -1


_FILE_FIELDS = (
    *("order", "context", "steps_per_quarter", "n_events"),
    *("pitches", "durations", "pitch_counts", "duration_counts", "sampling"),
)


def duration_base(d: int) -> float:
    """Base probability of a duration of ``d`` steps: 1/(d(d+1)), summing to 1 over d >= 1."""
    return 1.0 / (d * (d + 1))


class _Table:
    """Counts of symbols after contexts of length 0..order, with interpolated Witten-Bell estimates.

    Every suffix of a counted context is counted too, so if a context is absent, so are all the
    longer ones ending with it: the estimators stop climbing at the first absent context.
    """

    def __init__(self, order: int) -> None:
        self.order = order
        self.counts: dict[Context, dict[int, int]] = {}
        self._stats: dict[Context, tuple[int, int, np.ndarray, np.ndarray]] = {}

    def add(self, context: Context, symbol: int) -> None:
        n = len(context)
        for k in range(min(self.order, n) + 1):
            row = self.counts.setdefault(context[n - k :], {})
            row[symbol] = row.get(symbol, 0) + 1

    def finalize(self, index_of: dict[int, int]) -> None:
        """Precompute totals, distinct counts and dense index arrays for ``dist``."""
        self._stats = {}
        for ctx, row in self.counts.items():
            syms = np.fromiter((index_of[s] for s in row), dtype=np.int64, count=len(row))
            cnts = np.fromiter(row.values(), dtype=np.float64, count=len(row))
            self._stats[ctx] = (int(cnts.sum()), len(row), syms, cnts)

    def prob(self, context: Context, symbol: int, base: float) -> float:
        p = base
        n = len(context)
        for k in range(min(self.order, n) + 1):
            ctx = context[n - k :]
            stats = self._stats.get(ctx)
            if stats is None:
                break
            total, distinct, _, _ = stats
            p = (self.counts[ctx].get(symbol, 0) + distinct * p) / (total + distinct)
        return p

    def dist(self, context: Context, base: np.ndarray) -> np.ndarray:
        p = base.copy()
        n = len(context)
        for k in range(min(self.order, n) + 1):
            stats = self._stats.get(context[n - k :])
            if stats is None:
                break
            total, distinct, syms, cnts = stats
            p *= distinct
            p[syms] += cnts
            p /= total + distinct
        return p


@dataclass(frozen=True)
class TransitionMatrix:
    """Transition probabilities for teaching: ``probs[i, j]`` = P(column j | row context i).

    Rows are the contexts seen in training (for order 1: the previous state), columns the states
    seen in training. ``counts`` are the raw transition counts behind them ("count by hand").
    Each row of ``probs`` is renormalised over the columns shown.
    """

    rows: list[str]
    cols: list[str]
    probs: np.ndarray
    counts: np.ndarray


def _label(element: Hashable) -> str:
    if element in (_BOS_NOTE, _BOS_VALUE):
        return "start"
    if isinstance(element, tuple):
        p, d = element
        return f"{'r' if p == REST else pitch_name(p)}:{d}"
    assert isinstance(element, int)
    return "r" if element == REST else pitch_name(element)


class MarkovModel(GeneratesMelodies):
    """A Markov chain over notes of order ``order`` with smoothing (see the module docstring).

    Args:
        order: how many previous events the next one depends on (1 = the classic first-order
            chain P(s_t | s_{t-1})); 0 ignores the past.
        context: ``"note"`` or ``"pitch"``: what of the previous events is remembered.
    """

    def __init__(self, order: int = 1, *, context: ContextMode = "note") -> None:
        if not isinstance(order, int) or not 0 <= order <= 12:
            raise ModelError(f"order must be a whole number from 0 to 12, not {order!r}")
        if context not in ("note", "pitch"):
            raise ModelError(f"context must be 'note' or 'pitch', not {context!r}")
        self.order = order
        self.context: ContextMode = context
        self._reset()

    def _reset(self) -> None:
        """Forget everything learned."""
        self.steps_per_quarter: int | None = None
        self._pitch = _Table(self.order)
        self._dur = _Table(self.order + 1)
        self._pitches: list[int] = []
        self._durations: list[int] = []
        self._n_events = 0

    # ---------------------------------------------------------------- basics
    @property
    def name(self) -> str:
        """e.g. ``"Markov order 2 (note context)"``."""
        return f"Markov order {self.order} ({self.context} context)"

    @property
    def is_fitted(self) -> bool:
        """Whether the model has learned from data."""
        return self._n_events > 0

    def __repr__(self) -> str:
        state = f"{self._n_events:,} events" if self.is_fitted else "not trained"
        return f"<MarkovModel order={self.order} context={self.context!r}: {state}>"

    def _require_fitted(self) -> None:
        if not self.is_fitted:
            raise ModelError("this Markov model has not been trained yet: call model.fit(corpus) first")

    # ---------------------------------------------------------------- contexts
    def _pitch_elements(self, events: list[Event]) -> list[Hashable]:
        if self.context == "note":
            return [_BOS_NOTE, *events]
        return [_BOS_VALUE, *(p for p, _ in events)]

    def _dur_elements(self, events: list[Event]) -> list[Hashable]:
        if self.context == "note":
            return [_BOS_NOTE, *events]
        return [_BOS_VALUE, *(d for _, d in events)]

    def _ctx(self, elements: list[Hashable], t: int) -> Context:
        """Context for predicting event ``t`` (``elements`` has the begin marker at index 0)."""
        lo = max(0, t + 1 - self.order)
        return tuple(elements[lo : t + 1]) if self.order else ()

    # ---------------------------------------------------------------- learning
    def fit(self, melodies: Iterable[Melody] | Melody) -> Self:
        """Count the transitions in ``melodies`` (from scratch); returns the model.

        Raises:
            ModelError: no melodies with notes, or melodies on different grids.
        """
        items = [melodies] if isinstance(melodies, Melody) else arguments.melodies(melodies)
        grids = {m.steps_per_quarter for m in items if len(m)}
        if not grids:
            raise ModelError("there are no melodies with notes to learn from")
        if len(grids) > 1:
            raise ModelError(f"the melodies use different grids ({sorted(grids)} steps per quarter); use one")
        self._reset()
        self.steps_per_quarter = grids.pop()
        pitches: set[int] = set()
        durations: set[int] = set()
        for m in items:
            events = melody_events(m)
            pel, delem = self._pitch_elements(events), self._dur_elements(events)
            for t, (p, d) in enumerate(events):
                self._pitch.add(self._ctx(pel, t), p)
                self._dur.add((*self._ctx(delem, t), p), d)
                pitches.add(p)
                durations.add(d)
            self._n_events += len(events)
        self._pitches = sorted(pitches)
        self._durations = sorted(durations)
        self._finalize()
        return self

    def _finalize(self) -> None:
        self._pitch.finalize({p: p for p in range(N_PITCH_SYMBOLS)})
        self._dur_index = {d: i for i, d in enumerate(self._durations)}
        self._dur.finalize(self._dur_index)
        self._pitch_base = np.full(N_PITCH_SYMBOLS, 1.0 / N_PITCH_SYMBOLS)
        self._dur_base = np.array([duration_base(d) for d in self._durations])

    # ---------------------------------------------------------------- probabilities
    def pitch_distribution(self, history: list[Event]) -> np.ndarray:
        """P(next pitch | history) over MIDI 0-127 and REST (index 128); sums to 1."""
        self._require_fitted()
        tail = self._tail(history)
        return self._pitch.dist(self._ctx(self._pitch_elements(tail), len(tail)), self._pitch_base)

    def pitch_distributions(self, melody: Melody) -> np.ndarray:
        """P(next pitch) before each event of ``melody`` and after its last: shape (events + 1, 129)."""
        self._require_fitted()
        pel = self._pitch_elements(melody_events(arguments.melody(melody)))  # once: O(events), not O(events^2)
        return np.array([self._pitch.dist(self._ctx(pel, t), self._pitch_base) for t in range(len(pel))])

    def _tail(self, history: Sequence[Event]) -> list[Event]:
        """The events of ``history`` a context can reach (the last ``order``), checked: O(order), not O(history)."""
        if isinstance(history, str | bytes) or not isinstance(history, Sequence):
            raise ArgumentTypeError(
                f"history must be a list of (pitch, duration) events, not {arguments.shown(history)}"
            )
        tail = list(history[len(history) - self.order :] if len(history) > self.order else history)
        for event in tail:
            if not isinstance(event, tuple | list) or len(event) != 2:
                raise ArgumentTypeError(f"history must hold (pitch, duration) events, not {arguments.shown(event)}")
            arguments.whole(event[0], "an event's pitch (REST = 128)", 0, REST)
            arguments.whole(event[1], "an event's duration", 1)
        return [(int(p), int(d)) for p, d in tail]

    def duration_distribution(self, history: list[Event], pitch: int) -> tuple[list[int], np.ndarray]:
        """The durations seen in training and P(duration | history, pitch) for each.

        The probabilities sum to less than 1: the rest belongs to durations never seen in training.
        """
        self._require_fitted()
        tail = self._tail(history)
        pitch = arguments.whole(pitch, "pitch (REST = 128)", 0, REST)
        ctx = (*self._ctx(self._dur_elements(tail), len(tail)), pitch)
        return list(self._durations), self._dur.dist(ctx, self._dur_base)

    def joint_distribution(self, history: list[Event]) -> tuple[list[int], list[int], np.ndarray]:
        """``(pitches, durations, J)`` with J[i, j] = P(pitches[i], durations[j] | history).

        Restricted to the pitches and durations seen in training and renormalised (generation
        draws the pitch, then its duration, from the two factors of this table).
        """
        pitch_p = self.pitch_distribution(history)[self._pitches]
        tail = self._tail(history)  # the context reaches no further back
        ctx = self._ctx(self._dur_elements(tail), len(tail))
        joint = np.empty((len(self._pitches), len(self._durations)))
        for i, p in enumerate(self._pitches):
            row = self._dur.dist((*ctx, p), self._dur_base)
            joint[i] = pitch_p[i] * row / row.sum()
        joint /= joint.sum()
        return list(self._pitches), list(self._durations), joint

    def log_prob(self, melody: Melody) -> NoteLogProbs:
        """ln P of each event of ``melody`` given the events before it (pitch part and whole note)."""
        self._require_fitted()
        events = melody_events(arguments.melody(melody))
        pel, delem = self._pitch_elements(events), self._dur_elements(events)
        pitch_lp = np.empty(len(events))
        note_lp = np.empty(len(events))
        for t, (p, d) in enumerate(events):
            base_p = 1.0 / N_PITCH_SYMBOLS
            lp = math.log(self._pitch.prob(self._ctx(pel, t), p, base_p))
            ld = math.log(self._dur.prob((*self._ctx(delem, t), p), d, duration_base(d)))
            pitch_lp[t] = lp
            note_lp[t] = lp + ld
        return NoteLogProbs(tuple(events), pitch_lp, note_lp)

    def _removed_scores(
        self, cut: Melody, style: StyleArg, among: Sequence[int]
    ) -> tuple[np.ndarray, np.ndarray] | None:
        from .markov_attribution import removed_scores

        return removed_scores(self, cut, among)

    # ---------------------------------------------------------------- generation
    def _grid(self) -> int | None:
        return self.steps_per_quarter

    def _longest_duration(self) -> int | None:
        return max(self._durations, default=None)

    def _sample(self, request: SamplingRequest, record: bool) -> tuple[list[list[Event]], GenerationProbs | None]:
        """Draw each step's pitch among those seen in training, then its duration (numpy, per candidate)."""
        allowed = request.allowed[self._pitches]
        if not any(allowed[i] for i, p in enumerate(self._pitches) if p != REST):
            raise no_pitch_left()
        t_, k_, p_ = request.temperature, request.top_k, request.top_p
        dt_, dp_ = request.duration_temperature, request.duration_top_p
        rng = np.random.default_rng(request.seed)
        n, steps = request.n, request.steps
        shape_ = (n, steps, N_PITCH_SYMBOLS) if record else (0, 0, N_PITCH_SYMBOLS)  # no arrays unless asked
        raw, drawn_from = np.zeros(shape_), np.zeros(shape_)
        out = []
        for c in range(n):
            history = melody_events(request.primer)
            new: list[Event] = []
            for t in range(steps):
                full = self.pitch_distribution(history)
                pitch_p = full[self._pitches] * allowed
                pitch_p = shape(pitch_p / pitch_p.sum(), t_, k_, p_)
                pitch = self._pitches[draw(pitch_p, rng)]
                durations, dur_p = self.duration_distribution(history, pitch)
                dur_p = shape(dur_p / dur_p.sum(), dt_, k_, dp_)
                event = (pitch, durations[draw(dur_p, rng)])
                history.append(event)
                new.append(event)
                if record:
                    raw[c, t] = full
                    drawn_from[c, t, self._pitches] = pitch_p
            out.append(new)
        return out, (GenerationProbs(raw, drawn_from) if record else None)

    # ---------------------------------------------------------------- teaching
    def transition_matrix(self, feature: Literal["note", "pitch"] = "note") -> TransitionMatrix:
        """The chain's transition table over the contexts and states seen in training.

        ``feature="note"``: columns are (pitch, duration) states; ``"pitch"``: columns are pitches
        (the pitch part of the model). For order 1 the rows are the previous state.
        """
        self._require_fitted()
        if feature not in ("note", "pitch"):
            raise ModelError(f"feature must be 'note' or 'pitch', not {arguments.shown(feature)}")
        contexts = [c for c in self._pitch.counts if len(c) == self.order]
        contexts.sort(key=lambda c: [_label(e) for e in c])
        if feature == "pitch":
            cols = list(self._pitches)
            shape = (len(contexts), len(cols))  # no context of this order seen: no rows, not a 1-d array
            counts = np.array([[self._pitch.counts[c].get(p, 0) for p in cols] for c in contexts], float).reshape(shape)
            probs = np.array([self._pitch.dist(c, self._pitch_base)[cols] for c in contexts], float).reshape(shape)
            labels = [_label(p) for p in cols]
        else:
            # contexts of length 1 in the duration table are (pitch,): they list every state seen
            states: list[tuple[int, int]] = sorted(
                (int(c[0]), d)  # type: ignore[call-overload]
                for c, row in self._dur.counts.items()
                if len(c) == 1
                for d in row
            )
            labels = [_label(s) for s in states]
            counts = np.zeros((len(contexts), len(states)))
            probs = np.zeros((len(contexts), len(states)))
            for i, c in enumerate(contexts):
                pd = self._pitch.dist(c, self._pitch_base)
                dctx = self._dur_context_for_pitch_context(c)
                durs_of = {p: self._dur.dist((*dctx, p), self._dur_base) for p in {p for p, _ in states}}
                for j, (p, d) in enumerate(states):
                    probs[i, j] = pd[p] * durs_of[p][self._dur_index[d]]
                    counts[i, j] = self._dur.counts.get((*dctx, p), {}).get(d, 0)
        probs = probs / probs.sum(axis=1, keepdims=True)
        rows = [" ".join(_label(e) for e in c) or "(any)" for c in contexts]
        return TransitionMatrix(rows, labels, probs, counts)

    def _dur_context_for_pitch_context(self, ctx: Context) -> Context:
        if self.context == "note":
            return ctx
        raise ModelError("the note transition matrix needs context='note'; use feature='pitch'")

    # ---------------------------------------------------------------- persistence
    def to_dict(self) -> dict[str, Any]:
        """Everything the model knows, as JSON-ready data (counts, not probabilities)."""
        self._require_fitted()

        def table(t: _Table) -> list[Any]:
            return [
                [[list(e) if isinstance(e, tuple) else e for e in ctx], [[s, c] for s, c in row.items()]]
                for ctx, row in t.counts.items()
            ]

        return {
            **MARKOV_FILE.header(),
            "order": self.order,
            "context": self.context,
            "steps_per_quarter": self.steps_per_quarter,
            "n_events": self._n_events,
            "pitches": self._pitches,
            "durations": self._durations,
            "pitch_counts": table(self._pitch),
            "duration_counts": table(self._dur),
            "sampling": self.sampling.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "the model data") -> MarkovModel:
        """Rebuild a model from :meth:`to_dict` data, every field checked against its type and limits.

        Raises:
            ModelFileError: a field is missing, unknown, of the wrong type or out of range (named in the
                message, ``source`` naming the file).
        """
        f = Fields(data, source)
        f.only([*MARKOV_FILE.header(), *_FILE_FIELDS])
        context: ContextMode = "pitch" if f.choice("context", ("note", "pitch")) == "pitch" else "note"
        model = cls(f.integer("order", 0, MAX_ORDER), context=context)
        model.steps_per_quarter = f.integer("steps_per_quarter", 1, MAX_STEPS_PER_QUARTER)
        model._n_events = f.integer("n_events", 1, MAX_COUNT)
        model._pitches = f.integers("pitches", 0, N_PITCH_SYMBOLS - 1, max_len=N_PITCH_SYMBOLS, ascending=True)
        model._durations = f.integers("durations", 1, MAX_STEPS, max_len=MAX_DURATIONS, ascending=True)
        pitches, durations = set(model._pitches), set(model._durations)
        pitch_ok = dur_ok = pair_check(pitches, durations, _BOS_NOTE)
        if model.context == "pitch":
            pitch_ok, dur_ok = (pitches | {_BOS_VALUE}).__contains__, (durations | {_BOS_VALUE}).__contains__
        model._pitch.counts = read_counts(f, "pitch_counts", model.order, pitch_ok, None, pitches)
        model._dur.counts = read_counts(f, "duration_counts", model.order + 1, dur_ok, pitches, durations)
        model._finalize()
        model.sampling = read_sampling(f, styles=model.styles, can_end=model.can_end)
        return model

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the model as JSON (counts and settings; safe to open, no code inside).

        Raises:
            ModelError: the file would be larger than ``load_model`` reads (``MAX_MARKOV_BYTES``).
        """
        path = arguments.path(path)
        text = json.dumps(self.to_dict(), separators=(",", ":"))
        if len(text) > MAX_MARKOV_BYTES:
            raise ModelError(
                f"this model would make a {len(text) / MB:,.0f} MB file, over the {MAX_MARKOV_BYTES // MB} MB "
                "that load_model reads: train a lower order or on fewer melodies"
            )
        return atomic_write_text(Path(path), text)
