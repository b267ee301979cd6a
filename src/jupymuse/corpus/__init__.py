"""Collections of melodies: built-in corpora from music21, users' MIDI folders, splits and folds, and the
built-in styles (which corpora each is made of, and the melodies held out from each)."""

from .builtin import BUILTINS, list_corpora, load_corpus
from .builtin_styles import STYLE_CORPORA, StyleData, split_style
from .corpus import Corpus, CorpusStats, SkippedFile, Split
from .folder import MidiFolderStream, load_midi_folder, stream_midi_folder

__all__ = [
    "BUILTINS",
    "STYLE_CORPORA",
    "Corpus",
    "CorpusStats",
    "MidiFolderStream",
    "SkippedFile",
    "Split",
    "StyleData",
    "list_corpora",
    "load_corpus",
    "load_midi_folder",
    "split_style",
    "stream_midi_folder",
]
