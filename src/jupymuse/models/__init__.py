"""Melody models (Markov chain; the GRU arrives in its own module) and their shared interface."""

from .markov import MarkovModel, TransitionMatrix
from .protocol import MelodyModel, NoteLogProbs
from .storage import load_model

__all__ = ["MarkovModel", "MelodyModel", "NoteLogProbs", "TransitionMatrix", "load_model"]
