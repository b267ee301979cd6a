"""``generate``, written once for every model: argument checks, constraints, and building melodies.

A model inherits ``GeneratesMelodies`` and implements only ``_sample``: given a checked
``SamplingRequest`` it returns the new events of each candidate (and, when asked, the next-pitch
distributions). So the Markov chain and the GRU accept exactly the same settings, refuse the same
mistakes with the same words, and place their notes after the primer the same way.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from numbers import Integral
from typing import TYPE_CHECKING, Literal, Unpack, overload

import numpy as np

from ..errors import ArgumentTypeError, InvalidNoteError, ModelError
from ..music import Melody, as_melody
from ..music.events import Event, events_to_notes
from ..music.note import MAX_PITCH, MAX_STEPS, MIN_PITCH
from .ending_choice import Hazards, is_modal
from .endings import Plan, Redraw, finish
from .explaining import ExplainsNotes
from .formats import show
from .protocol import SamplingOptions
from .revising import RevisesMelodies
from .sampling import GenerationProbs, allowed_pitches
from .sampling_settings import MAX_GENERATE_STEPS, RANGE_MARGIN, SamplingSettings

if TYPE_CHECKING:
    from ..music.key import Key

__all__ = ["MAX_CANDIDATES", "MAX_GENERATED_EVENTS", "MAX_GENERATE_STEPS", "GeneratesMelodies", "SamplingRequest"]

MAX_CANDIDATES = 4096
"""Most candidates one ``generate`` call makes (``n``)."""
MAX_GENERATED_EVENTS = 1 << 17
"""Most events of all candidates together (``n * steps``), checked before anything is allocated:
with ``return_probs`` each keeps two distributions over 129 symbols (about 270 MB at the limit)."""


def check_grid(grid: int, model_grid: int | None, what: str) -> None:
    """Refuse music on another grid than the model's; ``what`` names it with its verb ("the primer uses").

    Raises:
        ModelError: ``grid`` (steps per quarter) is not ``model_grid``.
    """
    if grid != model_grid:
        raise ModelError(f"{what} {grid} steps per quarter but the model works on {model_grid}")


@dataclass(frozen=True)
class SamplingRequest:
    """Checked generation settings handed to a model's ``_sample``."""

    primer: Melody
    steps: int
    n: int
    temperature: float
    top_k: int | None
    top_p: float | None
    seed: int | None
    allowed: np.ndarray
    """Boolean mask over the 129 symbols (MIDI pitches and the rest) the constraints allow."""
    duration_temperature: float = 1.0
    duration_top_p: float | None = None
    style: np.ndarray | None = None
    """Weights of the model's styles (one per name in ``model.styles``), or None for no style."""
    style_strength: float = 1.0
    """Guidance: the model's predictions with the style pushed this far from its predictions without one
    (1: as trained; see :func:`jupymuse.models.guidance.guide`). Only with a ``style``."""
    may_end: bool = False
    """Whether the model may end a candidate before ``steps`` (its end-of-melody event)."""

    def redrawn(self, redraw: Redraw) -> SamplingRequest:
        """This request for a cadence's :class:`~jupymuse.models.endings.Redraw`: its events and
        candidates after its primer, of its allowed symbols, with its seed, never ending the melody."""
        return replace(
            self,
            primer=redraw.primer,
            allowed=redraw.allowed,
            seed=redraw.seed,
            n=redraw.n,
            steps=redraw.steps,
            may_end=False,
        )


def style_weights(known: tuple[str, ...], style: str | Mapping[str, float] | None, model: str) -> np.ndarray | None:
    """The weight of each of the ``known`` styles that ``style`` asks for (summing to 1), or None.

    Raises:
        ModelError: the model knows no styles, a name it does not know, or weights that are not
            positive finite numbers.
    """
    if style is None:
        return None
    if not known:
        raise ModelError(f"{model} knows no styles; train one with GRUConfig(styles=...) or leave style out")
    mix = {style: 1.0} if isinstance(style, str) else dict(style) if isinstance(style, Mapping) else None
    if not mix:
        raise ModelError(f"style must be a style name or a dict of names and weights, not {style!r}")
    weights = np.zeros(len(known))
    for name, w in mix.items():
        if name not in known:
            raise ModelError(f"{model} knows no style {name!r}; its styles are: {', '.join(known)}")
        weights[known.index(name)] = style_weight(name, w)
    if weights.max() <= 0:
        raise ModelError("a style mix needs at least one weight above 0")
    weights = weights / weights.max()  # 1e308 + 1e308 would overflow: only the ratios count
    return np.asarray(weights / weights.sum())


def style_weight(name: object, w: object) -> float:
    """``w`` as a finite weight of at least 0 for style ``name`` (an integer too large for a float is refused).

    Raises:
        ModelError: anything else, naming the style and the value.
    """
    try:
        value = float(w) if isinstance(w, int | float) and not isinstance(w, bool) else math.nan
    except OverflowError:
        value = math.inf
    if not 0 <= value < math.inf:
        raise ModelError(f"the weight of style {name!r} must be a finite number of at least 0, not {show(w)}")
    return value


def no_pitch_left() -> ModelError:
    """The error for constraints that exclude every pitch a model can produce."""
    return ModelError("the pitch range and scale leave no pitch the model can play: widen them")


def check_size(steps: object, n: object) -> None:
    """Refuse a generation too large to run, before any work or allocation.

    Raises:
        ModelError: ``steps`` not 0-``MAX_GENERATE_STEPS``, ``n`` not 1-``MAX_CANDIDATES``, or
            ``n * steps`` over ``MAX_GENERATED_EVENTS``; the message names the limit.
    """
    whole = all(isinstance(v, int) and not isinstance(v, bool) for v in (steps, n))
    if not whole:
        raise ModelError(f"steps and n must be whole numbers, not {steps!r} and {n!r}")
    assert isinstance(steps, int)
    assert isinstance(n, int)
    if not 0 <= steps <= MAX_GENERATE_STEPS:
        raise ModelError(f"steps must be 0-{MAX_GENERATE_STEPS:,} events per melody, not {steps:,}")
    if not 1 <= n <= MAX_CANDIDATES:
        raise ModelError(f"n must be 1-{MAX_CANDIDATES:,} melodies, not {n:,}")
    if n * steps > MAX_GENERATED_EVENTS:
        raise ModelError(
            f"n x steps = {n:,} x {steps:,} = {n * steps:,} events; one generate call makes at most "
            f"{MAX_GENERATED_EVENTS:,} (ask for fewer melodies or fewer steps)"
        )


def check_seed(seed: object) -> int | None:
    """``seed`` as the whole number of at least 0 the random generators take, or None (a random seed).

    Raises:
        ModelError: anything else (a negative number, a fraction, text, True), naming the value.
    """
    if seed is None:
        return None
    if not isinstance(seed, Integral) or isinstance(seed, bool) or seed < 0:
        raise ModelError(f"seed must be a whole number of at least 0 (or None for a random one), not {show(seed)}")
    return int(seed)


def check_sampling(sampling: object) -> SamplingSettings | None:
    """``sampling`` if it is ``SamplingSettings`` or None (the model's own), checked before any work.

    Raises:
        ArgumentTypeError: anything else (a dict, text, a number), naming the value.
    """
    if sampling is None or isinstance(sampling, SamplingSettings):
        return sampling
    raise ArgumentTypeError(
        f"sampling must be SamplingSettings or None (the model's own), not {show(sampling)}; "
        "one setting goes in as a keyword (temperature=0.8)"
    )


def check_timeline(offset: int, steps: int, longest: int | None) -> None:
    """Refuse ``steps`` events of up to ``longest`` grid steps that could run past ``MAX_STEPS`` from ``offset``."""
    if longest is not None and offset + steps * longest > MAX_STEPS:
        raise ModelError(
            f"{steps:,} steps of up to {longest} grid steps each could pass the last step a melody can "
            f"hold ({MAX_STEPS:,}); ask for at most {(MAX_STEPS - offset) // longest:,} steps"
        )


class GeneratesMelodies(ExplainsNotes, RevisesMelodies):
    """Base of the models: the public ``generate`` (see ``MelodyModel.generate``) on top of ``_sample``."""

    sampling: SamplingSettings = SamplingSettings()
    """The model's recommended settings, where ``generate`` starts (a model file stores its own)."""

    @property
    def name(self) -> str:
        raise NotImplementedError

    def _require_fitted(self) -> None:
        raise NotImplementedError

    def _grid(self) -> int | None:
        """Steps per quarter note the model works on."""
        raise NotImplementedError

    def _sample(self, request: SamplingRequest, record: bool) -> tuple[list[list[Event]], GenerationProbs | None]:
        """The new events of each of ``request.n`` candidates, and the distributions if ``record``."""
        raise NotImplementedError

    def _longest_duration(self) -> int | None:
        """The longest event (in steps) the model can produce, if it knows; bounds the length up front."""
        return None

    @property
    def styles(self) -> tuple[str, ...]:
        """The styles the model can compose in (``generate(style=...)``); empty for a model without styles."""
        return ()

    @property
    def can_end(self) -> bool:
        """Whether the model has learned where melodies end (``generate(ending="model")``)."""
        return False

    def _end_hazards(self, request: SamplingRequest) -> Hazards | None:
        """P(end) along a melody under ``request``'s style, for a model that learned endings (else None)."""
        return None

    def _melody(self, start: Melody, events: list[Event], include_primer: bool) -> Melody:
        """One candidate's events as a melody (after the primer when ``include_primer``)."""
        try:
            result = start.replace(notes=events_to_notes(events, start=0), meta={"generated_by": self.name})
        except InvalidNoteError as exc:  # a model that does not say its longest duration
            raise ModelError(f"the generated melody does not fit on the grid ({exc}); ask for fewer") from None
        return start.then(result) if include_primer else result

    @overload
    def generate(
        self,
        primer: Melody | str | None = ...,
        steps: int | None = ...,
        *,
        n: int = ...,
        seed: int | None = ...,
        include_primer: bool = ...,
        sampling: SamplingSettings | None = ...,
        return_probs: Literal[False] = ...,
        **options: Unpack[SamplingOptions],
    ) -> list[Melody]: ...

    @overload
    def generate(
        self,
        primer: Melody | str | None = ...,
        steps: int | None = ...,
        *,
        n: int = ...,
        seed: int | None = ...,
        include_primer: bool = ...,
        sampling: SamplingSettings | None = ...,
        return_probs: Literal[True],
        **options: Unpack[SamplingOptions],
    ) -> tuple[list[Melody], GenerationProbs]: ...

    def generate(
        self,
        primer: Melody | str | None = None,
        steps: int | None = None,
        *,
        n: int = 1,
        seed: int | None = None,
        include_primer: bool = False,
        sampling: SamplingSettings | None = None,
        return_probs: bool = False,
        **options: Unpack[SamplingOptions],
    ) -> list[Melody] | tuple[list[Melody], GenerationProbs]:
        """``n`` continuations of ``primer`` with ``steps`` events each (a rest counts as one).

        The settings start from ``sampling`` (default: ``model.sampling``, the model's recommended
        ones, stored in its file); each ``SamplingSettings`` field given as a keyword replaces that one
        (``steps`` is its ``length``), so ``top_p=None`` turns top-p off and a setting left out is the
        model's: ``temperature``, ``top_k``, ``top_p`` shape the pitch choice (0: the likeliest),
        ``duration_temperature``/``duration_top_p`` the durations (None: as the pitch);
        ``pitch_range``, ``scale``, ``key_lock`` and ``range_lock`` forbid other pitches; ``style``
        (a name in ``model.styles`` or a mix such as ``{"chorale": 0.5, "irish": 0.5}``); ``bars``
        (that many bars after the primer's bar instead of ``steps`` events); ``ending``: ``"cut"``,
        ``"model"`` (where the model has learned melodies end, on a note of the final) or ``"cadence"``
        (the final approached and held to a bar line; see :mod:`jupymuse.models.ending_choice`);
        ``style_strength`` (how hard the style leads, :mod:`jupymuse.models.guidance`). Each
        continuation starts at step 0 (where it starts sounding); ``primer.then(continuation)``, which
        ``include_primer`` returns, puts it after the primer.
        Same ``seed``, same result (with the same engine, for the GRU). With ``return_probs`` also
        returns the next-pitch distributions (``GenerationProbs``).

        Raises:
            ModelError: untrained model, bad settings (naming the field and its limit), a seed that is
                not a whole number of at least 0, constraints that allow no pitch, or a primer on another
                grid (a primer without notes only gives the metre, key and tempo: it is put on the model's).
            ArgumentTypeError: ``sampling`` that is not ``SamplingSettings`` or None.
        """
        self._require_fitted()
        seed = check_seed(seed)
        base = check_sampling(sampling)
        if steps is not None:
            check_size(steps, n)
            options = {**options, "length": steps}
        settings = (self.sampling if base is None else base).replace(**options)
        request, plan = self._request(primer, settings, n, seed, include_primer)
        candidates, probs = self._sample(request, return_probs)

        def redraw(again: Redraw) -> list[list[Event]]:  # a cadence's last notes, drawn again
            return self._sample(request.redrawn(again), False)[0]

        next_pitches = getattr(self, "pitch_distributions", None)
        style = None if request.style is None else dict(zip(self.styles, request.style.tolist(), strict=True))
        candidates = finish(
            plan,
            candidates,
            request.allowed,
            seed,
            redraw,
            self._end_hazards(request),
            None if next_pitches is None else (lambda m: next_pitches(m, **({"style": style} if style else {}))[-1]),
        )
        melodies = [self._melody(request.primer, events, include_primer) for events in candidates]
        if return_probs:
            assert probs is not None
            return melodies, probs
        return melodies

    def _on_grid(self, primer: Melody | str | None) -> Melody:
        """``primer`` as a melody on the model's grid (one without notes gives only its metre, key and tempo).

        Raises:
            ModelError: a primer with notes on another grid.
        """
        start = as_melody(primer)
        if len(start):
            check_grid(start.steps_per_quarter, self._grid(), "the primer uses")
        elif start.steps_per_quarter != self._grid():  # no notes: its metre, key and tempo, on the model's grid
            start = start.replace(steps_per_quarter=self._grid())
        return start

    def _request(
        self, primer: Melody | str | None, settings: SamplingSettings, n: int, seed: int | None, include_primer: bool
    ) -> tuple[SamplingRequest, Plan]:
        """The checked request for ``_sample`` and the plan of the candidates' length and ending.

        Every check runs before any sampling: the style, the primer's grid, the length and ending, the
        size (``n`` x steps, the timeline) and the pitches the constraints leave.
        """
        weights = style_weights(self.styles, settings.style, self.name)
        start = self._on_grid(primer)
        modal = is_modal(self.styles, weights)
        plan = Plan.make(start, settings.length, settings.bars, settings.ending, self.can_end, self.name, modal)
        check_size(plan.steps, n)
        if plan.target is None:  # with bars, each melody is cut at its bar line
            check_timeline(start.end if include_primer else 0, plan.steps, self._longest_duration())
        allowed = allowed_pitches(*locked(settings, start))
        plan.check_allowed(allowed)
        temperature, top_k, top_p = settings.pitch_settings
        d_temperature, d_top_p = settings.duration_settings
        request = SamplingRequest(
            primer=start,
            steps=plan.steps,
            n=n,
            temperature=temperature,
            top_k=top_k,
            top_p=top_p,
            seed=seed,
            allowed=allowed,
            duration_temperature=d_temperature,
            duration_top_p=d_top_p,
            style=weights,
            style_strength=settings.style_strength,
            may_end=False,  # ending="model": drawn to the length, then stopped (ending_choice.py)
        )
        return request, plan


def locked(
    settings: SamplingSettings, primer: Melody
) -> tuple[tuple[int, int] | None, Key | str | tuple[int, ...] | None]:
    """The pitch range and scale ``settings`` allow after ``primer``, its locks applied.

    ``range_lock`` keeps within the primer's range give or take ``RANGE_MARGIN`` (inside any
    ``pitch_range``); ``key_lock`` keeps to the primer's key (its own, else the guessed one) unless a
    ``scale`` is given. A primer without notes locks nothing.
    """
    from ..music.keys import guess_key

    span, scale = settings.pitch_range, settings.scale
    pitches = primer.pitches
    if settings.range_lock and pitches:
        lo, hi = max(MIN_PITCH, min(pitches) - RANGE_MARGIN), min(MAX_PITCH, max(pitches) + RANGE_MARGIN)
        if span is not None:
            lo, hi = max(lo, span[0]), min(hi, span[1])
            lo, hi = (lo, hi) if lo <= hi else span
        span = (lo, hi)
    if settings.key_lock and scale is None:
        scale = guess_key(primer)
    return span, scale
