"""Collections of melodies: built-in corpora from music21, users' MIDI folders, splits and folds."""

from .builtin import BUILTINS, list_corpora, load_corpus
from .corpus import Corpus, CorpusStats, SkippedFile, Split
from .folder import MidiFolderStream, load_midi_folder, stream_midi_folder

__all__ = [
    "BUILTINS",
    "Corpus",
    "CorpusStats",
    "MidiFolderStream",
    "SkippedFile",
    "Split",
    "list_corpora",
    "load_corpus",
    "load_midi_folder",
    "stream_midi_folder",
]
