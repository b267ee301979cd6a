"""An ensemble: several models' predictions averaged, as one long-term model.

Networks trained from different random starts make different mistakes, so the mean of their
predicted distributions scores better than any one of them (Lakshminarayanan et al. 2017): for the
GRU on the chorales, three seeds gain several hundredths of a bit per note. The mean is taken over
probabilities (a mixture with equal weights), for the pitch and, given the pitch, the duration.
``benchmarks/gru_quality.py`` and ``jupymuse evaluate gru --ensemble N`` score it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .. import arguments
from ..errors import SettingError
from ..music import Melody
from .longshort import LongTermModel, long_term_model
from .protocol import NoteLogProbs


def _log_mean_exp(rows: np.ndarray) -> np.ndarray:
    """ln mean exp over the first axis, without overflow."""
    top = rows.max(axis=0)
    return np.asarray(top + np.log(np.exp(rows - top).mean(axis=0)))


class Ensemble:
    """``models`` (each with ``pitch_distributions`` and ``log_prob``) predicting together, equally weighted.

    Raises:
        SettingError: no models.
        ArgumentTypeError: a member without those methods.
    """

    def __init__(self, models: Sequence[LongTermModel]) -> None:
        members = [long_term_model(m) for m in arguments.items(models, "models")]
        if not members:
            raise SettingError("an ensemble needs at least one model")
        self.models = members

    @property
    def name(self) -> str:
        """e.g. ``"ensemble of 3 x GRU (1 x 256 units)"``."""
        names = {m.name for m in self.models}
        inner = names.pop() if len(names) == 1 else " / ".join(m.name for m in self.models)
        return f"ensemble of {len(self.models)} x {inner}"

    def pitch_distributions(self, melody: Melody) -> np.ndarray:
        """The members' next-pitch distributions, averaged: (events + 1, 129)."""
        return np.asarray(np.mean([m.pitch_distributions(melody) for m in self.models], axis=0))

    def log_prob(self, melody: Melody) -> NoteLogProbs:
        """ln of the members' mean P(pitch) per event; the note adds ln of their mean P(duration | pitch)."""
        scores = [m.log_prob(melody) for m in self.models]
        pitch = _log_mean_exp(np.stack([s.pitch for s in scores]))
        duration = _log_mean_exp(np.stack([s.note - s.pitch for s in scores]))
        return NoteLogProbs(scores[0].events, pitch, pitch + duration)
