"""What a model can tell about a melody beyond its probabilities: which earlier notes each note
relied on (``attribution``) and which notes sound like a style (``style_evidence``).

A mixin of :class:`~jupymuse.models.generation.GeneratesMelodies`, so every built-in model has both;
the methods check their arguments and the model, then call :mod:`jupymuse.models.attribution` and
:mod:`jupymuse.models.style_evidence`, where the methods are explained.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from .. import arguments
from ..errors import ModelError
from ..music import Melody

if TYPE_CHECKING:
    from .attribution import Attribution
    from .gru_styles import StyleArg
    from .style_evidence import StyleEvidence


class ExplainsNotes:
    """``attribution`` and ``style_evidence`` for every model (a mixin of ``GeneratesMelodies``)."""

    if TYPE_CHECKING:  # what the model class (GeneratesMelodies' subclasses) provides

        @property
        def name(self) -> str: ...

        @property
        def styles(self) -> tuple[str, ...]: ...

        def _require_fitted(self) -> None: ...

        def _grid(self) -> int | None: ...

    def attribution(
        self,
        melody: Melody,
        index: int | None = None,
        *,
        step: int | None = None,
        style: StyleArg = None,
        together: int = 3,
    ) -> Attribution:
        """How much each note before note ``index`` of ``melody`` (or the note sounding at ``step``)
        contributed to the model's chance of it, in bits, pitch and rhythm apart (occlusion: see
        :mod:`jupymuse.models.attribution`). ``style`` scores as one of ``model.styles``; ``together``
        is how many notes ``Attribution.together`` names (relied on together, picked one at a time).

        Raises:
            ModelError: an empty or too long melody, an untrained model, or a style it does not know.
            SettingError: ``index`` is not one of the melody's notes, or ``step`` falls in a rest.
        """
        from .attribution import attribute, explained_note
        from .generation import check_grid, style_weights

        melody = arguments.melody(melody)
        i = explained_note(melody, index, step=step)
        self._require_fitted()
        check_grid(melody.steps_per_quarter, self._grid(), "the melody uses")
        style_weights(self.styles, style, self.name)
        fast = self._removed_scores
        return attribute(self, melody, i, style=style, together=together, fast=fast)  # type: ignore[arg-type]

    def style_evidence(self, melody: Melody) -> StyleEvidence:
        """Per note and style, the bits the style adds over no style, and the style the melody is most
        like (see :mod:`jupymuse.models.style_evidence`).

        Raises:
            ModelError: the model knows no styles, an empty or too long melody, or an untrained model.
        """
        from .attribution import MAX_EXPLAINED_NOTES
        from .style_evidence import style_evidence

        melody = arguments.melody(melody)
        if len(melody.notes) > MAX_EXPLAINED_NOTES:
            raise ModelError(
                f"the melody has {len(melody.notes):,} notes; style evidence is given for melodies of at most "
                f"{MAX_EXPLAINED_NOTES:,}: pass a slice, e.g. melody[:500]"
            )
        self._require_fitted()
        return style_evidence(self, melody)  # type: ignore[arg-type]

    def _removed_scores(
        self, cut: Melody, style: StyleArg, among: Sequence[int]
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """A quicker way to :func:`~jupymuse.models.attribution.attribute`'s removals, if the model has one."""
        return None
