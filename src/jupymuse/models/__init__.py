"""Melody models and their shared interface.

``MarkovModel`` is pure Python/numpy; ``GRUModel`` and ``load_default`` bring in TensorFlow only when a
network is built or loaded, and ``GRUModel``/``GRUConfig`` are imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names
from .loading import load_model
from .markov import MarkovModel, TransitionMatrix
from .protocol import MelodyModel, NoteLogProbs
from .sampling import GenerationProbs

if TYPE_CHECKING:
    from .attribution import Attribution
    from .default import load_default
    from .gru import GRUModel
    from .gru_config import GRUConfig
    from .sampling_settings import SamplingSettings
    from .style_evidence import StyleEvidence
    from .tokens import TokenScheme
    from .training import TrainingEvent

_LAZY = {
    "Attribution": ".attribution",
    "StyleEvidence": ".style_evidence",
    "GRUModel": ".gru",
    "GRUConfig": ".gru_config",
    "SamplingSettings": ".sampling_settings",
    "TokenScheme": ".tokens",
    "TrainingEvent": ".training",
    "load_default": ".default",
}

__all__ = [
    "Attribution",
    "GRUConfig",
    "GRUModel",
    "GenerationProbs",
    "MarkovModel",
    "MelodyModel",
    "NoteLogProbs",
    "SamplingSettings",
    "StyleEvidence",
    "TokenScheme",
    "TrainingEvent",
    "TransitionMatrix",
    "load_default",
    "load_model",
]


__getattr__ = lazy_names(__name__, _LAZY)
