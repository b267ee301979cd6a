"""``generate``, written once for every model: argument checks, constraints, and building melodies.

A model inherits ``GeneratesMelodies`` and implements only ``_sample``: given a checked
``SamplingRequest`` it returns the new events of each candidate (and, when asked, the next-pitch
distributions). So the Markov chain and the GRU accept exactly the same settings, refuse the same
mistakes with the same words, and place their notes after the primer the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, Unpack, overload

import numpy as np

from ..errors import InvalidNoteError, ModelError
from ..music import Melody, as_melody
from ..music.events import Event, events_to_notes
from ..music.note import MAX_STEPS
from .protocol import SamplingOptions
from .sampling import GenerationProbs, allowed_pitches, check_sampling

MAX_CANDIDATES = 4096
"""Most candidates one ``generate`` call makes (``n``)."""
MAX_GENERATE_STEPS = 8192
"""Most events one candidate gets (``steps``): 32 of the GRU sampler's 256-step buffers, over an hour
of music; both models refuse more before any work."""
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


class GeneratesMelodies:
    """Base of the models: the public ``generate`` (see ``MelodyModel.generate``) on top of ``_sample``."""

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

    @overload
    def generate(
        self,
        primer: Melody | str | None = ...,
        steps: int = ...,
        *,
        return_probs: Literal[False] = ...,
        **options: Unpack[SamplingOptions],
    ) -> list[Melody]: ...

    @overload
    def generate(
        self,
        primer: Melody | str | None = ...,
        steps: int = ...,
        *,
        return_probs: Literal[True],
        **options: Unpack[SamplingOptions],
    ) -> tuple[list[Melody], GenerationProbs]: ...

    def generate(
        self,
        primer: Melody | str | None = None,
        steps: int = 32,
        *,
        temperature: float = 1.0,
        top_k: int | None = None,
        top_p: float | None = None,
        n: int = 1,
        seed: int | None = None,
        include_primer: bool = False,
        pitch_range: tuple[int, int] | None = None,
        scale: str | Iterable[int] | None = None,
        return_probs: bool = False,
    ) -> list[Melody] | tuple[list[Melody], GenerationProbs]:
        """``n`` continuations of ``primer`` with ``steps`` events each (a rest counts as one).

        Each step picks a pitch (or a rest), then its duration; temperature, top-k and top-p shape
        both choices (``temperature=0``: the likeliest each time). ``pitch_range=(lo, hi)`` and
        ``scale`` (a key such as ``"G major"``, or pitch classes 0-11) forbid other pitches. The
        first event follows the primer's last note. Each continuation starts where it starts sounding,
        at step 0 (written alone it has no primer-long rest); ``primer.then(continuation)`` puts it
        after the primer, which is what ``include_primer`` returns. Same ``seed``, same result. With
        ``return_probs`` also returns the next-pitch distributions (``GenerationProbs``).

        Raises:
            ModelError: untrained model, bad settings, constraints that allow no pitch, or a primer
                on another grid.
        """
        self._require_fitted()
        check_sampling(temperature, top_k, top_p)
        check_size(steps, n)
        start = as_melody(primer)
        if len(start):
            check_grid(start.steps_per_quarter, self._grid(), "the primer uses")
        offset = start.end if include_primer else 0
        longest = self._longest_duration()
        if longest is not None and offset + steps * longest > MAX_STEPS:
            raise ModelError(
                f"{steps:,} steps of up to {longest} grid steps each could pass the last step a melody can "
                f"hold ({MAX_STEPS:,}); ask for at most {(MAX_STEPS - offset) // longest:,} steps"
            )
        request = SamplingRequest(start, steps, n, temperature, top_k, top_p, seed, allowed_pitches(pitch_range, scale))
        candidates, probs = self._sample(request, return_probs)
        melodies = []
        for events in candidates:
            try:
                result = start.replace(notes=events_to_notes(events, start=0), meta={"generated_by": self.name})
                melodies.append(start.then(result) if include_primer else result)
            except InvalidNoteError as exc:  # a model that does not say its longest duration
                raise ModelError(f"the generated melody does not fit on the grid ({exc}); ask for fewer") from None
        if return_probs:
            assert probs is not None
            return melodies, probs
        return melodies
