"""``StudioRoll``: the Studio's piano roll, which says when the page opens a MIDI or ABC file, and which.

A file opened on the page (its Open button or a drop) replaces the whole melody; the Studio makes
that one step of its history named after the file and says in its status line what came in, so
``on_open`` hears the file's melody and name after the roll has taken it (a refused file is said by
the roll's ``error``, as before). While the file is read, ``opening`` holds its name, so the
Studio's notes observer leaves the edit to ``on_open``. An ABC file's text goes to ``on_open_abc``
instead (the Studio's ``open_abc``: the reader's message in the status line, or the tune opened).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..music import Melody
from ..widget import PianoRoll
from ..widget.piano_roll import abc_text


class StudioRoll(PianoRoll):
    """A ``PianoRoll`` whose "import-midi" message ends by calling :meth:`on_open`'s callback."""

    opening = ""
    """The name of the file being read now ("" otherwise)."""
    _opened: Callable[[Melody, str], None] | None = None
    _opened_abc: Callable[[str, str], object] | None = None

    def on_open(self, callback: Callable[[Melody, str], None]) -> None:
        """Call ``callback(melody, name)`` after the page opened a MIDI file and the roll took it."""
        self._opened = callback

    def on_open_abc(self, callback: Callable[[str, str], object]) -> None:
        """Call ``callback(text, name)`` when the page opens an ABC file (instead of reading it here)."""
        self._opened_abc = callback

    def handlers(self) -> dict[str, Callable[[dict[str, Any], list[bytes | memoryview]], None]]:
        table = super().handlers()
        take = self._opened_abc
        if take is not None:

            def open_abc(content: dict[str, Any], buffers: list[bytes | memoryview]) -> None:
                take(*abc_text(buffers, content))  # text that is no UTF-8, or too long: the roll says why

            table["import-abc"] = open_abc
        read = table["import-midi"]

        def open_file(content: dict[str, Any], buffers: list[bytes | memoryview]) -> None:
            name = str(content.get("name", "file.mid"))[:200]
            self.opening = name
            try:
                read(content, buffers)  # a refused file raises: the roll says why, nothing is opened
            finally:
                self.opening = ""
            if self._opened is not None:
                self._opened(self.melody, name)

        table["import-midi"] = open_file
        return table
