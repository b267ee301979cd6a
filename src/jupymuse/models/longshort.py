"""A long-term model combined with IDyOM's short-term model: ``LongShortTermModel``.

The long-term model (LTM: any model with ``pitch_distributions`` and ``log_prob``, such as the
GRU or a Markov chain) knows the corpus; the short-term model (STM, :mod:`.shortterm`) learns the
melody being predicted. Before every event their next-pitch distributions are combined with
IDyOM's entropy weights (:mod:`.mixture`). The defaults are IDyOM's: geometric combination, bias 7,
an unbounded PPM-AX short-term model with update exclusion. :func:`choose_short_term` picks the
bias, the combination, a prior weight for the STM (IDyOM has none) and the STM's settings on
validation melodies instead (never test melodies).

Only the pitch is combined; the duration part of each event's probability is the LTM's own.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol, Self

import numpy as np

from .. import arguments
from ..errors import ArgumentTypeError, ModelError, SettingError
from ..music import Melody
from ..music.events import REST, melody_events
from .mixture import FLOOR, METHODS, Combination, Floored, combine
from .protocol import LN2, NoteLogProbs
from .shortterm import CONTEXTS, ESCAPES, ShortTermModel, ShortTermSettings, short_term_settings

IDYOM_BIAS = 7.0
"""IDyOM's default LTM-STM bias (``*ltm-stm-bias*``)."""
IDYOM_COMBINATION: Combination = "geometric"
"""IDyOM's default LTM-STM combination (``*ltm-stm-combination*``)."""


class LongTermModel(Protocol):
    """What the combination needs of the long-term model."""

    @property
    def name(self) -> str: ...

    def pitch_distributions(self, melody: Melody) -> np.ndarray: ...

    def log_prob(self, melody: Melody) -> NoteLogProbs: ...


def long_term_model(value: object) -> LongTermModel:
    """``value`` if it is a model with ``name``, ``pitch_distributions`` and ``log_prob`` (a Markov chain, the GRU)."""
    if not all(callable(getattr(value, m, None)) for m in ("pitch_distributions", "log_prob")):
        raise ArgumentTypeError(
            f"the long-term model must have pitch_distributions and log_prob (a MarkovModel or GRUModel), "
            f"not {arguments.shown(value)}"
        )
    return value  # type: ignore[return-value]


def corpus_alphabet(melodies: Iterable[Melody]) -> list[int]:
    """The pitch symbols (MIDI pitches and ``REST``) that ``melodies`` use, sorted."""
    return sorted({p for m in arguments.melodies(melodies) for p, _ in melody_events(m)})


@dataclass(frozen=True)
class Mix:
    """How the two models are combined: entropy bias, rule, and the short-term model's settings."""

    bias: float = IDYOM_BIAS
    method: Combination = IDYOM_COMBINATION
    short_term: ShortTermSettings = field(default_factory=ShortTermSettings)
    stm_weight: float = 1.0
    """Prior weight of the STM against the LTM's 1 (IDyOM: 1; 0 leaves the STM out)."""

    def __post_init__(self) -> None:
        arguments.number(self.bias, "bias", 0)
        arguments.number(self.stm_weight, "stm_weight", 0)
        arguments.choice(self.method, "method", METHODS)
        short_term_settings(self.short_term)

    @property
    def label(self) -> str:
        """E.g. ``geometric b=7 PPM-AX* U`` (``w=0.1`` added when the STM's prior weight is not 1)."""
        weight = f" w={self.stm_weight:g}" if self.stm_weight != 1 else ""
        return f"{self.method} b={self.bias:g}{weight} {self.short_term.label}"


class LongShortTermModel:
    """``ltm`` combined with a short-term model: scores melodies like any model (``log_prob``).

    Args:
        ltm: the long-term model, already fitted (or fitted by :meth:`fit`).
        mix: bias, combination rule and short-term settings (IDyOM's defaults if None).
        alphabet: the symbols the STM escapes to (uniform over them, a little over all 129);
            :meth:`fit` sets it to the training melodies' symbols when not given. None: all 129.
        floor: probability spread uniformly over each model's row before combining.
    """

    def __init__(
        self,
        ltm: LongTermModel,
        mix: Mix | None = None,
        *,
        alphabet: Iterable[int] | None = None,
        floor: float = FLOOR,
    ) -> None:
        self.ltm = long_term_model(ltm)
        if not isinstance(mix, Mix | None):
            raise ArgumentTypeError(f"mix must be a Mix or None, not {arguments.shown(mix)}")
        self.mix = mix or Mix()
        self.floor = arguments.number(floor, "floor", 0, 1)
        self._alphabet_given = alphabet is not None
        self.stm = ShortTermModel(self.mix.short_term, alphabet=alphabet)

    @property
    def name(self) -> str:
        """E.g. ``"GRU (...) + short-term (geometric b=7 PPM-AX* U)"``."""
        return f"{self.ltm.name} + short-term ({self.mix.label})"

    def fit(self, melodies: Iterable[Melody]) -> Self:
        """Fit the long-term model on ``melodies`` (the STM learns only at prediction time)."""
        melodies = arguments.melodies(melodies)
        fit = getattr(self.ltm, "fit", None)
        if fit is None:
            raise ModelError(f"{self.ltm.name} cannot be fitted: fit it first, then combine it")
        fit(melodies)
        if not self._alphabet_given:
            self.stm = ShortTermModel(self.mix.short_term, alphabet=corpus_alphabet(melodies))
        return self

    def combined(self, ltm_rows: np.ndarray, stm_rows: np.ndarray) -> np.ndarray:
        """The combination of precomputed rows (what :meth:`pitch_distributions` returns)."""
        mix = self.mix
        return combine([ltm_rows, stm_rows], mix.bias, mix.method, prior=(1.0, mix.stm_weight), floor=self.floor)

    def pitch_distributions(self, melody: Melody) -> np.ndarray:
        """P(next pitch) before each event of ``melody`` and after its last: (events + 1, 129)."""
        melody = arguments.melody(melody)
        return self.combined(self.ltm.pitch_distributions(melody), self.stm.pitch_distributions(melody))

    def log_prob(self, melody: Melody) -> NoteLogProbs:
        """ln P of each event: the combined pitch, plus the LTM's P(duration | pitch, context)."""
        ltm_lp = self.ltm.log_prob(arguments.melody(melody))
        if not len(ltm_lp.events):
            return ltm_lp
        t = len(ltm_lp.events)
        rows = self.pitch_distributions(melody)[:t]
        pitch = np.log(rows[np.arange(t), [p for p, _ in ltm_lp.events]])
        return NoteLogProbs(ltm_lp.events, pitch, pitch + (ltm_lp.note - ltm_lp.pitch))


def with_short_term(
    model: LongTermModel, mix: Mix | None = None, *, alphabet: Iterable[int] | None = None
) -> LongShortTermModel:
    """``model`` combined with IDyOM's short-term model (IDyOM's settings unless ``mix`` says)."""
    return LongShortTermModel(model, mix, alphabet=alphabet)


# ---------------------------------------------------------------------- choosing the mix
BIASES = (0.0, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 7.0, 10.0, 16.0)
STM_WEIGHTS = (1.0, 0.5, 0.25, 0.1, 0.05, 0.0)
"""IDyOM's equal prior (1), smaller ones, and 0: the LTM alone, so the choice never loses to it on validation."""
SHORT_TERM = tuple(
    ShortTermSettings(order, escape, exclusion, context)
    for order, escape, exclusion, context in itertools.product((2, 3, 5, None), ESCAPES, (True, False), CONTEXTS)
)


@dataclass(frozen=True)
class MixScore:
    """One candidate mix and its pitch bits per note on the validation melodies."""

    mix: Mix
    pitch_bits: float


def choose_short_term(
    ltm: LongTermModel,
    validation: Sequence[Melody],
    *,
    alphabet: Iterable[int] | None = None,
    biases: Sequence[float] = BIASES,
    methods: Sequence[Combination] = METHODS,
    short_term: Sequence[ShortTermSettings] = SHORT_TERM,
    stm_weights: Sequence[float] = STM_WEIGHTS,
    floor: float = FLOOR,
) -> list[MixScore]:
    """Every candidate mix scored on ``validation`` (pooled pitch bits per note), best first.

    The candidates are every combination of the short-term settings, rules, biases and STM prior
    weights; weight 0 (the LTM alone) is one candidate, so the best never loses to it there.
    ``validation`` must be melodies the LTM did not learn from and that are not test melodies
    (e.g. the training side's held-out part), so the choice says nothing about the test figure.
    """
    ltm = long_term_model(ltm)
    melodies = [m for m in arguments.melodies(validation, "validation") if len(m)]
    if not melodies:
        raise SettingError("choosing the mix needs validation melodies with notes")
    candidates = _candidates(biases, methods, short_term, stm_weights)
    floor = arguments.number(floor, "floor", 0, 1)
    sizes = [len(melody_events(m)) for m in melodies]
    ltm_rows = np.concatenate([ltm.pitch_distributions(m)[:n] for m, n in zip(melodies, sizes, strict=True)])
    symbols = np.array([p for m in melodies for p, _ in melody_events(m)])
    notes, at = symbols != REST, np.arange(len(symbols))
    scores: list[MixScore] = []
    biases, methods, short_term, stm_weights = candidates
    for settings in short_term:
        stm = ShortTermModel(settings, alphabet=alphabet)
        stm_rows = np.concatenate([stm.pitch_distributions(m)[:n] for m, n in zip(melodies, sizes, strict=True)])
        both = Floored([ltm_rows, stm_rows], floor)
        for method, bias, weight in itertools.product(methods, biases, stm_weights):
            if weight == 0 and any(c.mix.stm_weight == 0 for c in scores):
                continue  # the LTM alone: scored once
            rows = both.mix(bias, method, prior=(1.0, weight))
            bits = -float(np.log(rows[at, symbols])[notes].sum()) / LN2
            scores.append(MixScore(Mix(bias, method, settings, weight), bits / int(notes.sum())))
    return sorted(scores, key=lambda s: s.pitch_bits)


def _candidates(
    biases: object, methods: object, short_term: object, stm_weights: object
) -> tuple[list[float], list[Combination], list[ShortTermSettings], list[float]]:
    """:func:`choose_short_term`'s candidate values, checked (none of the lists empty)."""
    out = (
        [arguments.number(b, "a bias", 0) for b in arguments.items(biases, "biases")],
        [arguments.choice(m, "a method", METHODS) for m in arguments.items(methods, "methods")],
        [short_term_settings(t) for t in arguments.items(short_term, "short_term") if t is not None],
        [arguments.number(w, "an STM weight", 0) for w in arguments.items(stm_weights, "stm_weights")],
    )
    for name, values in zip(("biases", "methods", "short_term", "stm_weights"), out, strict=True):
        if not values:
            raise SettingError(f"{name} needs at least one candidate")
    return out  # type: ignore[return-value]


def best_mix(scores: Sequence[MixScore]) -> Mix:
    """The mix with the fewest validation bits (the first of :func:`choose_short_term`'s list)."""
    scores = arguments.items(scores, "scores")
    if not scores or not all(isinstance(s, MixScore) for s in scores):
        raise SettingError(f"best_mix needs the MixScores choose_short_term returns, not {arguments.shown(scores)}")
    best: MixScore = min(scores, key=lambda s: s.pitch_bits)
    return replace(best.mix)
