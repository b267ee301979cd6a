"""How a Studio training ended, and the trained model it offers: both figures on the same melodies.

A training never swaps its model in by itself. When it ends (finished, stopped early, stopped by the
student or interrupted) the Studio measures the trained model (for Stop: the best weights so far, by
validation) and the model in use on the same validation melodies with the same measure, pitch bits
per note, and offers the choice: "Use the new model" or "Keep the current model".
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import JupymuseError
from ..models.protocol import MelodyModel
from ..music import Melody

HOW = {
    "completed": "finished",
    "early stopping": "stopped early",
    "stopped": "stopped",
    "interrupted": "was interrupted",
}
"""``TrainingHistory.stopped`` in the words the status line uses."""


@dataclass(frozen=True)
class TrainingEnd:
    """How far a training got: batches done of all the epochs' batches, and why it ended."""

    how: str
    """``"completed"``, ``"early stopping"``, ``"stopped"`` or ``"interrupted"`` (as ``TrainingHistory``)."""
    batches: int
    """Batches trained."""
    total: int | None
    """Batches of all the epochs asked for (None: not known, a stream of melodies)."""
    epoch: int
    """The epoch it was in when it ended (from 1; 0: none began)."""
    epochs: int
    """Epochs asked for."""
    best_epoch: int | None = None
    """The epoch whose weights the model holds, when validation picked them."""

    @property
    def percent(self) -> int | None:
        """Whole percent of all the batches done, rounded down: 100 only when every batch ran."""
        if not self.total:
            return None
        return min(100, math.floor(100 * self.batches / self.total))

    def words(self) -> str:
        """``"stopped at 37% (epoch 2 of 5)"``, ``"finished all 5 epochs"``: what happened, in plain words."""
        if self.how == "completed" and (self.total is None or self.batches >= self.total):
            return f"finished all {self.epochs} epoch{'s' if self.epochs > 1 else ''}"
        where = f"at {self.percent}%" if self.percent is not None else f"after {self.batches} batches"
        epoch = f"epoch {max(self.epoch, 1)} of {self.epochs}"
        reason = ": the validation figure stopped improving" if self.how == "early stopping" else ""
        return f"{HOW.get(self.how, self.how)} {where} ({epoch}){reason}"


@dataclass(frozen=True)
class TrainingOffer:
    """A trained model waiting for the student's choice, measured beside the model in use.

    Both figures are pitch bits per note (how surprised a model is by each real next pitch; lower is
    better) on the same ``melodies`` validation melodies, the ones the training held out.
    """

    end: TrainingEnd
    model: MelodyModel
    """The trained model (its best weights by validation)."""
    melodies: int
    """How many validation melodies both figures are measured on."""
    new_bits: float | None
    """The trained model's pitch bits per note (None: not measured, see ``note``)."""
    current: str
    """The label of the model in use when the training ended."""
    current_bits: float | None
    """The model in use's pitch bits per note on the same melodies (None: it cannot be measured)."""
    note: str = ""
    """Anything that qualifies the figures (no validation melodies, a model that refused, a flattering figure)."""
    chosen: str = ""
    """``""`` while waiting; ``"new"`` (used) or ``"current"`` (kept) once the student chose."""

    @property
    def better(self) -> str:
        """``"new"``, ``"current"`` or ``""`` (no comparison, or the same to two decimals)."""
        if self.new_bits is None or self.current_bits is None:
            return ""
        if round(self.new_bits, 2) == round(self.current_bits, 2):
            return ""
        return "new" if self.new_bits < self.current_bits else "current"

    def figures(self) -> str:
        """``"new model 2.20, current model (GRU (shipped default)) 1.68 pitch bits per note on the same 12
        validation melodies (lower is better)"``."""
        if self.new_bits is None:
            return f"the new model was not measured ({self.note})" if self.note else "the new model was not measured"
        current = "not measured" if self.current_bits is None else f"{self.current_bits:.2f}"
        return (
            f"new model {self.new_bits:.2f}, current model ({self.current}) {current} pitch bits per note "
            f"on the same {self.melodies} validation melodies (lower is better)"
        )

    def summary(self) -> str:
        """The status line when training ends: what happened, both figures, and the choice to make."""
        verdict = {"new": " The new model predicts them better.", "current": " The current model predicts them better."}
        figures = self.figures()
        return (
            f"Training {self.end.words()}. {figures[:1].upper()}{figures[1:]}.{verdict.get(self.better, '')}"
            " The current model stays in use until you press Use the new model."
        )


def pitch_bits(model: MelodyModel, melodies: Iterable[Melody]) -> tuple[float | None, str]:
    """``model``'s pitch bits per note on ``melodies`` (pooled over their notes), or None and why not."""
    from ..evaluate import bits_per_note

    scored = [m for m in melodies if len(m)]
    if not scored:
        return None, "no validation melodies: the corpus is too small to hold some out"
    try:
        bits = bits_per_note(model, scored).pitch
    except (JupymuseError, ValueError) as exc:
        return None, f"{model.name} cannot score these melodies: {exc}"
    return (float(bits), "") if math.isfinite(bits) else (None, "the validation melodies hold no notes")


def flattered(current: str, corpus: object, fitted_on: str) -> str:
    """Why the current model's figure may look better than it is: it learned from these very melodies.

    A built-in Markov chain is fitted on the whole of ``fitted_on`` (validation melodies included);
    the shipped GRU learned from most of every built-in corpus.
    """
    from .choice import DEFAULT, MARKOV

    if not isinstance(corpus, str):
        return ""
    if current == DEFAULT:
        return "the shipped GRU learned from most of the built-in corpora, so its figure on them may flatter it"
    if current not in MARKOV or corpus.split(":")[0] != fitted_on.split(":")[0]:
        return ""
    held = "these melodies" if fitted_on in (corpus, corpus.split(":")[0]) else "some of these melodies"
    return f"{current} was fitted on {fitted_on}, {held} included, so its figure flatters it"
