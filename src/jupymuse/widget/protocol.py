"""The names of the messages the roll and its page exchange: the Python half of ``js/src/protocol.ts``.

Both halves are checked against one shared description, ``tests/contract/boundary.json``, by
``tests/test_contract.py`` (pytest) and ``js/test/contract.test.ts`` (vitest), so they cannot drift.
"""

from __future__ import annotations

from typing import Final

TO_PYTHON: Final = (
    "set-notes",
    "import-midi",
    "export-midi",
    "export-musicxml",
    "need-soundfont",
    "audio-status",
    "undo",
    "redo",
    "import-abc",
    "export-abc",
)
"""Messages the page sends: an edit (note rows), a MIDI file's bytes, requests (a file, the SoundFont),
the synth in use, Undo/Redo when the kernel keeps the history (``kernel_undo``), and an ABC file's text."""
FROM_PYTHON: Final = ("soundfont", "soundfont-missing", "midi-file", "musicxml-file", "play", "stop", "abc-file")
"""Messages the kernel sends: the SoundFont (or why it is missing), an exported file (MIDI, MusicXML, ABC),
playback commands."""
SCORE_TO_PYTHON: Final = ("select-note",)
"""Messages the score view's page sends (``score_view.ScoreView``): a note clicked in the score."""
