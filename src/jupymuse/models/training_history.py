"""``TrainingHistory``: a GRU's figures per epoch, kept with the model and in its file (no TensorFlow)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class TrainingHistory:
    """Per-epoch figures of all ``fit`` calls of a model, and how the last one ended."""

    epochs: list[dict[str, float]] = field(default_factory=list)
    stopped: str = ""
    """Why the last ``fit`` ended: ``"completed"``, ``"early stopping"``, ``"interrupted"``, ``"stopped"``."""
    best_epoch: int | None = None
    """Epoch (of the last ``fit``) whose weights the model holds, when validation picked them."""
