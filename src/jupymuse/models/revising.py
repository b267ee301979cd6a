"""Revising a melody with a model: fill a gap (``infill``) and vary a phrase (``vary``).

A mixin of :class:`~jupymuse.models.generation.GeneratesMelodies`, so every built-in model has both;
the methods are thin: the work and its explanation are in :mod:`jupymuse.models.infill` and
:mod:`jupymuse.models.vary`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Unpack

from ..music import Melody

if TYPE_CHECKING:
    from .infill import FillOptions
    from .sampling_settings import SamplingSettings


class RevisesMelodies:
    """``infill`` and ``vary`` for every model (a mixin of ``GeneratesMelodies``)."""

    def infill(
        self,
        melody: Melody,
        start: int,
        end: int,
        *,
        n: int = 1,
        proposals: int = 64,
        seed: int | None = None,
        sampling: SamplingSettings | None = None,
        **options: Unpack[FillOptions],
    ) -> list[Melody]:
        """``n`` copies of ``melody`` with new notes for the steps ``[start, end)`` that fit what comes
        before and after (bars 3-4: ``2 * spb`` to ``4 * spb``, ``spb = melody.steps_per_bar``). ``proposals``
        spans are drawn as ``generate`` draws (its settings as keywords, less ``length``, ``bars``, ``ending``),
        each weighed by how well the model then predicts the notes after the span; ``n`` are resampled by
        weight, and temperature 0 gives the best span (:mod:`jupymuse.models.infill`: method, cost). The span
        keeps its length to the step, every note outside it stays, and each melody's ``meta["weight"]`` is
        its share of the weight. Same ``seed``, same result.

        Raises:
            SettingError: an empty span, one past the melody's end, a span edge inside a note (named),
                ``n`` not 1 to ``proposals``, ``proposals`` not 1 to ``MAX_PROPOSALS``.
            ModelError: an untrained model, a melody on another grid, bad settings (as ``generate``), or
                ``proposals`` x span steps over ``MAX_GENERATED_EVENTS``.
        """
        from .generation import GeneratesMelodies
        from .infill import infill

        assert isinstance(self, GeneratesMelodies)

        fills = infill(
            self, melody, start, end, n=n, proposals=proposals, seed=seed, sampling=sampling, options=options
        )
        return fills.melodies

    def vary(
        self,
        melody: Melody,
        start: int,
        end: int,
        *,
        keep: Literal["rhythm", "pitches"] = "rhythm",
        contour: bool = False,
        n: int = 1,
        proposals: int = 64,
        seed: int | None = None,
        sampling: SamplingSettings | None = None,
        **options: Unpack[FillOptions],
    ) -> list[Melody]:
        """``n`` variations of the phrase in ``[start, end)``: new pitches on its rhythm (``keep="rhythm"``;
        with ``contour``, each moving up, down or level as before) or a new rhythm on its pitches
        (``keep="pitches"``), drawn, weighed and resampled as :meth:`infill` does (see
        :mod:`jupymuse.models.vary`). Notes outside the span stay; the arguments are :meth:`infill`'s.

        Raises:
            SettingError: ``keep`` not ``"rhythm"``/``"pitches"``, a span without notes, or as :meth:`infill`.
            ArgumentTypeError: ``contour`` not True or False.
            ModelError: as :meth:`infill`.
        """
        from .generation import GeneratesMelodies
        from .vary import vary

        assert isinstance(self, GeneratesMelodies)

        fills = vary(
            self,
            melody,
            start,
            end,
            keep=keep,
            contour=contour,
            n=n,
            proposals=proposals,
            seed=seed,
            sampling=sampling,
            options=options,
        )
        return fills.melodies
