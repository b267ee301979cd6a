"""``PianoRoll``: draw, edit and hear a melody in the notebook (an anywidget; front end in ``js/``).

The kernel owns the melody. The page sends every edit as a ``set-notes`` message with the notes as
binary rows; Python checks them (a bad page can never corrupt the melody), applies the monophony
rule and writes the synced ``notes`` back, or keeps the melody and says why in ``error``. State
updates from the page (any synced trait) go through the same checks (:mod:`.state`): a refused one
raises ipywidgets' ``TraitError``, keeps every value, says why in ``error`` and sends the kept
values back.

Synced traits are mirrored by ``interface Model`` in ``js/src/protocol.ts``; messages by its
``ToPython``/``FromPython`` unions. The SoundFont travels as a message buffer, once per page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import anywidget
import numpy as np
import traitlets

from ..errors import JupymuseError
from ..music import Melody, as_melody, read_midi
from ..music.key import Key
from ..music.midi import melody_to_midi_bytes
from . import state
from .codec import ROW_BYTES, bytes_to_notes, canonical_rows, melody_to_bytes
from .listened import Listened, listened
from .listened_top import LEAST_BITS, TOP_SOURCES, strongest
from .protocol import FROM_PYTHON
from .soundfont import SOUNDFONT_NAME, soundfont_bytes
from .state import CHECKED, RollSettingError, bytes_from_page, check_trait

STATIC = Path(__file__).resolve().parent.parent / "static"
PICTURED = (
    "notes",
    "accent_from",
    "accent_to",
    "steps_per_quarter",
    "time_signature",
    "tempo",
    "key",
    "shading",
    "listened",
)
"""The traits the saved picture and text show: a change to one updates a displayed roll's output."""
_UNSAFE = re.compile(r"[^\w\- .()]+")


def abc_text(buffers: list[bytes | memoryview], content: dict[str, Any]) -> tuple[str, str]:
    """The ABC text and file name of the page's ``import-abc`` message (UTF-8, at most ``MAX_ABC_BYTES``).

    Raises:
        JupymuseError: no text, text over the limit or not UTF-8 (named after the file).
    """
    from ..music.abc_read import MAX_ABC_BYTES  # the ABC reader loads when a tune comes, not with the roll

    name = str(content.get("name", "tune.abc"))[:200]
    if len(buffers) != 1:
        raise JupymuseError("the page sent an ABC tune without its text; nothing changed")
    data = bytes(buffers[0])
    if len(data) > MAX_ABC_BYTES:
        raise JupymuseError(f"{name} is {len(data):,} bytes; the roll opens ABC files up to {MAX_ABC_BYTES:,} bytes")
    try:
        return data.decode("utf-8-sig"), name
    except UnicodeDecodeError as exc:
        raise JupymuseError(f"{name} is not UTF-8 text (byte {exc.start}); nothing changed") from None


def file_stem(melody: Melody) -> str:
    """A file name for ``melody`` without its suffix: its title made safe, or ``melody``."""
    title = _UNSAFE.sub("", str(melody.meta.get("title", ""))).strip(" .")[:80].strip()
    return title or "melody"


class PianoRoll(anywidget.AnyWidget):
    """A piano-roll editor for one melody.

    Args:
        melody: the melody to show (a ``Melody`` or text notation); empty if None.
        height: height of the note area in pixels.
        program: General MIDI instrument for playback (0 = piano, 40 = violin, 73 = flute...).
        snap: grid snap in sixteenth notes (1 = 1/16, 4 = 1/4, 4/3 = 1/16 triplet, 0 = free).
        note_length (keyword): the length a click on the roll draws, in sixteenth notes (4, a quarter
            note, by default; more than 0, at most 64). The toolbar's "note" choice; a note drawn by
            dragging, or resized, makes its length the choice.
        show_scale: shade the rows of the melody's key.

    ``roll.melody`` is the current melody (assign one to redraw); ``roll.observe(f, "notes")``
    or :meth:`on_change` calls back on every edit; :meth:`play` and :meth:`stop` drive playback.
    ``roll.follow`` (on by default; the toolbar's "follow" box) turns the page while playing when the
    playhead leaves the view; scrolling or zooming by hand while playing leaves the view where the
    user put it until the playhead is back in view, and the next Play follows from the start.
    """

    _esm = STATIC / "widget.js"

    # int32 LE rows (pitch, start, duration, velocity); buffers from the page arrive as memoryview
    notes = state.Bytes(b"").tag(sync=True, from_json=bytes_from_page)
    steps_per_quarter = state.Int(4).tag(sync=True)  # the grid of `notes`
    tempo = state.Float(120.0).tag(sync=True)  # quarter notes per minute
    time_signature = state.Tuple(traitlets.Int(), traitlets.Int(), default_value=(4, 4)).tag(sync=True)
    key = state.KeyName("").tag(sync=True)  # the key's name, "G major" ("" none): the page shows it, shades its scale
    snap = state.Float(1.0).tag(sync=True)  # in sixteenth notes; 0 = free
    note_length = state.Float(4.0).tag(sync=True)  # what a click draws, in sixteenth notes (4 = a quarter)
    program = state.Int(0).tag(sync=True)  # General MIDI program 0-127
    loop = state.Bool(False).tag(sync=True)  # repeat playback
    follow = state.Bool(True).tag(sync=True)  # while playing, page the view to keep the playhead in sight
    show_scale = state.Bool(False).tag(sync=True)  # shade the key's notes
    velocity = state.Int(100).tag(sync=True)  # velocity of newly drawn notes
    height = state.Int(320).tag(sync=True)  # note area height in pixels
    error = state.Unicode("").tag(sync=True)  # why the last edit or file was refused ("" if fine)
    audio_status = state.Unicode("").tag(sync=True)  # the page's synth: "soundfont", "fallback: ..."
    accent_from = state.Int(-1).tag(sync=True)  # notes from this step on get the accent colour (-1: none)
    accent_to = state.Int(-1).tag(sync=True)  # ... and before this step (-1: to the end): a filled span's notes
    # float32 LE per note: surprise in bits (empty: none)
    shading = state.Bytes(b"").tag(sync=True, from_json=bytes_from_page)
    shading_scale = state.Unicode("surprise").tag(sync=True)  # how `shading` is coloured: "surprise" or "evidence"
    # the arcs "what the model listened to": {} or {"note": i, "sources": [[j, pitch bits, rhythm bits], ...]}
    listened = state.Listened({}).tag(sync=True)
    selected = state.Int(-1).tag(sync=True)  # the one selected note's index, set by the page (-1: none)
    # the selected span of steps [start, end): the selected notes' (min start, max end), or the steps dragged
    # on the ruler; (0, 0) none. The page writes it; Python may too (the page then selects the notes in it)
    selection = state.Tuple(traitlets.Int(), traitlets.Int(), default_value=(0, 0)).tag(sync=True)
    kernel_undo = state.Bool(False).tag(sync=True)  # Ctrl+Z/Ctrl+Y go to `on_undo` (the Studio's history)
    show_status = state.Bool(True).tag(sync=True)  # the roll's own status line (a Studio shows its own)

    def __init__(
        self,
        melody: Melody | str | None = None,
        *,
        height: int = 320,
        program: int = 0,
        snap: float = 1.0,
        show_scale: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(height=height, program=program, snap=snap, show_scale=show_scale, **kwargs)
        self._meta: dict[str, str | int | float] = {}
        self._cache: tuple[tuple[Any, ...], Melody] | None = None
        self._undo: Callable[[str], None] | None = None
        self.melody = as_melody(melody)
        self.on_msg(self._on_page_message)

    # ------------------------------------------------------------------ validation of traits
    @traitlets.validate(*CHECKED)
    def _check_trait(self, proposal: dict[str, Any]) -> Any:
        return check_trait(proposal["trait"].name, proposal["value"], len(self.notes) // ROW_BYTES)

    @traitlets.observe("notes")
    def _drop_stale(self, change: dict[str, Any]) -> None:
        """Shading, selection and arcs that no longer match the notes are cleared (the arcs always:
        what the model listened to belongs to the melody it heard)."""
        count = len(change["new"]) // ROW_BYTES
        if self.shading and len(self.shading) // 4 != count:
            self.shading = b""
        if self.selected >= count:
            self.selected = -1
        if self.listened:
            self.listened = {}

    def set_state(self, sync_data: dict[str, Any]) -> None:
        """Apply a state update from the page; a refused one changes nothing, says why, sends the kept values back.

        Raises:
            traitlets.TraitError: a value failed its check (ipywidgets' usual error).
        """
        if not isinstance(sync_data, dict):
            raise RollSettingError(f"a state update is a dict of trait values, not {type(sync_data).__name__}")
        try:
            super().set_state(sync_data)
        except traitlets.TraitError as exc:
            self.error = f"the page's change was refused ({exc}); nothing changed"
            self.send_state([name for name in sync_data if name in self.keys])
            raise

    def _handle_msg(self, msg: dict[str, Any]) -> None:
        """ipywidgets' handler of comm messages; a refused update is on the page already, not a traceback."""
        try:
            super()._handle_msg(msg)
        except traitlets.TraitError as exc:
            self.log.warning("PianoRoll refused the page's update: %s", exc)

    # ------------------------------------------------------------------ the melody
    @property
    def melody(self) -> Melody:
        """The melody on the roll (edit the roll or assign to change it; built once per change)."""
        key = self._melody_key()
        cached = self._cache
        if cached is None or cached[0] != key:
            melody = Melody(
                bytes_to_notes(self.notes),
                steps_per_quarter=self.steps_per_quarter,
                tempo=self.tempo,
                time_signature=tuple(self.time_signature),
                key=Key.parse(self.key) if self.key else None,  # the trait holds only names Key.parse reads
                meta=self._meta,
            )
            cached = self._cache = (key, melody)
        return cached[1]

    @melody.setter
    def melody(self, value: Melody) -> None:
        if not isinstance(value, Melody):
            raise JupymuseError(f"roll.melody takes a Melody, not {type(value).__name__}")
        key = "" if value.key is None else str(value.key)  # the synced trait is the key's name
        notes = melody_to_bytes(value)
        self._meta = dict(value.meta)
        # the roll reads it back as this very melody (``Key.parse`` reads a key's name as that key): no decoding
        self._cache = ((notes, value.steps_per_quarter, value.tempo, value.time_signature, key, self._meta), value)
        with self.hold_sync():
            self.steps_per_quarter = value.steps_per_quarter
            self.tempo = value.tempo
            self.time_signature = value.time_signature
            self.key = key
            self.notes = notes
            self.shading = b""  # values per note no longer match
            self.listened = {}
            self.error = ""

    def _melody_key(self) -> tuple[Any, ...]:
        return (self.notes, self.steps_per_quarter, self.tempo, tuple(self.time_signature), self.key, dict(self._meta))

    def shade(self, bits: Sequence[float] | np.ndarray | None, *, scale: str = "surprise") -> None:
        """Colour each note by a value in bits and print it on the note; None clears.

        ``scale`` says what the values are: ``"surprise"`` (green, expected, to red, 8 bits and more) or
        ``"evidence"`` (style evidence: purple for the style, orange against it, grey near 0, full at
        ±2 bits; ``model.style_evidence(melody).of(style)``).

        Raises:
            JupymuseError: not one value per note, or an unknown scale.
        """
        if scale not in state.SHADING_SCALES:
            raise RollSettingError(f"scale must be one of {', '.join(state.SHADING_SCALES)}, not {scale!r}"[:200])
        if bits is None:
            self.shading = b""
            return
        try:
            values = np.asarray(bits, dtype="<f4").ravel()
        except (TypeError, ValueError):
            raise RollSettingError(f"shade needs numbers, one per note, not {str(bits)[:40]}") from None
        if len(values) != len(self.notes) // ROW_BYTES:
            raise JupymuseError(f"shade needs one value per note ({len(values)} given)")
        with self.hold_sync():
            self.shading_scale = scale
            self.shading = values.tobytes()

    def show_listened(self, explained: Any, *, top: int = TOP_SOURCES, least: float = LEAST_BITS) -> Listened | None:
        """Draw arcs from the earlier notes a model listened to, to the note it explains; None clears.

        ``explained`` is a model's attribution (``model.attribution(melody, index)``, whose indexes
        must be this roll's notes), a :class:`~jupymuse.widget.listened.Listened` or its synced form.
        An attribution shows its ``top`` largest contributions of at least ``least`` bits (see
        :mod:`.listened_top`). Returns what is shown.

        Raises:
            RollSettingError: an index that is not an earlier note of the roll, a figure that is not finite.
        """
        shown = explained if explained is None or isinstance(explained, Listened | dict) else None
        if shown is None and explained is not None:
            shown = strongest(explained, top=top, least=least)
        self.listened = shown.to_state() if isinstance(shown, Listened) else (shown or {})
        return listened(self.listened, len(self.notes) // ROW_BYTES)

    def on_change(self, callback: Callable[[Melody], None]) -> Callable[[], None]:
        """Call ``callback(melody)`` after every change of the notes; returns a function that stops it."""

        def handler(change: dict[str, Any]) -> None:
            callback(self.melody)

        self.observe(handler, "notes")
        return lambda: self.unobserve(handler, "notes")

    def on_undo(self, callback: Callable[[str], None] | None) -> None:
        """Send the page's Undo and Redo (Ctrl+Z, Ctrl+Y) to ``callback("undo" | "redo")``, not the page's history.

        So an owner with a wider history (the Studio's) takes them; None gives them back to the page.
        """
        self._undo = callback
        self.kernel_undo = callback is not None

    # ------------------------------------------------------------------ commands
    def play(self) -> None:
        """Start playback in the page (browsers may need one click on the roll first to allow sound)."""
        self._post("play")

    def stop(self) -> None:
        """Stop playback in the page."""
        self._post("stop")

    def _post(self, kind: str, buffers: list[bytes] | None = None, **fields: str) -> None:
        """Send message ``kind`` (one of ``protocol.FROM_PYTHON``) to the page."""
        if kind not in FROM_PYTHON:
            raise ValueError(f"{kind!r} is not a message the page knows")
        self.send({"type": kind, **fields}, buffers)

    # ------------------------------------------------------------------ messages from the page
    def _on_page_message(self, _widget: Any, content: Any, buffers: list[bytes | memoryview]) -> None:
        """Handle one message from the page; a bad one sets ``error`` and changes nothing."""
        kind = content.get("type") if isinstance(content, dict) else type(content).__name__
        handler = self.handlers().get(kind) if isinstance(content, dict) and isinstance(kind, str) else None
        if handler is None:
            self._refuse(f"the page sent a message jupymuse does not know ({kind!r}); nothing changed")
            return
        try:
            handler(content, buffers)
        except JupymuseError as exc:
            self._refuse(str(exc))
        except Exception as exc:  # a bug must still leave the page a message, and the melody intact
            self.log.exception("PianoRoll failed on the page's %r message", kind)
            self._refuse(f"jupymuse failed on the page's {kind!r} message ({type(exc).__name__}: {exc})")

    def handlers(self) -> dict[str, Callable[[dict[str, Any], list[bytes | memoryview]], None]]:
        """What each message from the page (``protocol.TO_PYTHON``) does."""
        table: dict[str, Callable[[dict[str, Any], list[bytes | memoryview]], None]] = {
            "set-notes": lambda _c, buffers: self._set_notes(buffers),
            "import-midi": lambda c, buffers: self._import_midi(buffers, str(c.get("name", "file.mid"))[:200]),
            "export-midi": lambda _c, _b: self._export_midi(),
            "export-musicxml": lambda _c, _b: self._export_musicxml(),
            "need-soundfont": lambda _c, _b: self._send_soundfont(),
            "audio-status": lambda c, _b: setattr(self, "audio_status", str(c.get("status", ""))[:300]),
            "undo": lambda _c, _b: self._history("undo"),
            "redo": lambda _c, _b: self._history("redo"),
            "import-abc": lambda c, buffers: self._import_abc(abc_text(buffers, c)),
            "export-abc": lambda _c, _b: self._export_abc(),
        }
        return table

    def _history(self, kind: str) -> None:
        if self._undo is None:
            raise JupymuseError(f"the page asked the kernel to {kind}, but this roll keeps its own history")
        self._undo(kind)

    def _refuse(self, reason: str) -> None:
        if self.error == reason:  # the page hears a repeated refusal too: a download it waits for ends on it
            self.error = ""
        self.error = reason
        self.send_state("notes")  # the page shows the melody Python kept, not its rejected edit

    def _set_notes(self, buffers: list[bytes | memoryview]) -> None:
        if len(buffers) != 1:
            raise JupymuseError("the page sent an edit without its notes; nothing changed")
        new = canonical_rows(buffers[0])  # checked, monophony rule applied: as a state update would be
        self.error = ""
        if new == self.notes:
            self.send_state("notes")
        else:
            self.shading = b""  # values per note no longer match
            self.notes = new

    def _import_midi(self, buffers: list[bytes | memoryview], name: str) -> None:
        if len(buffers) != 1:
            raise JupymuseError("the page sent a MIDI file without its bytes; nothing changed")
        try:
            melody = read_midi(bytes(buffers[0]), steps_per_quarter=self.steps_per_quarter)
        except JupymuseError as exc:
            raise JupymuseError(f"{name}: {exc}") from None
        title = melody.meta.get("title") or Path(name).stem  # as read_midi names a file it reads from disk
        self.melody = melody.replace(meta={**melody.meta, "source": name, "title": title})

    def _export_midi(self) -> None:
        """The melody as a MIDI file, named after its title (``melody.mid`` when it has none)."""
        melody = self.melody
        self._post("midi-file", [melody_to_midi_bytes(melody, program=self.program)], name=f"{file_stem(melody)}.mid")

    def _export_musicxml(self) -> None:
        """The melody as MusicXML, named after its title.

        A melody too long to write (``MAX_MUSICXML_PIECES``, 50,000 bars) is refused before any work, and
        the refusal says why in ``error``, which also ends the page's wait for the file.
        """
        melody = self.melody
        text = melody.to_musicxml()
        assert isinstance(text, str)
        self._post("musicxml-file", [text.encode("utf-8")], name=f"{file_stem(melody)}.musicxml")

    def _import_abc(self, opened: tuple[str, str]) -> None:
        """The ABC tune the page opened (of several, the first), on the roll's grid, as the melody."""
        text, name = opened
        try:
            melody = Melody.from_abc(text, steps_per_quarter=self.steps_per_quarter)
        except JupymuseError as exc:
            raise JupymuseError(f"{name}: {exc}") from None
        title = melody.meta.get("title") or Path(name).stem
        self.melody = melody.replace(meta={**melody.meta, "source": name, "title": title})

    def _export_abc(self) -> None:
        """The melody as an ABC tune, named after its title (refused, in ``error``, as ``to_abc`` refuses)."""
        melody = self.melody
        self._post("abc-file", [melody.to_abc().encode("utf-8")], name=f"{file_stem(melody)}.abc")

    def _send_soundfont(self) -> None:
        try:
            data = soundfont_bytes()
        except JupymuseError as exc:
            self._post("soundfont-missing", reason=str(exc))
            return
        self._post("soundfont", [data], name=SOUNDFONT_NAME)

    def _repr_keys(self) -> Any:  # keep the notes bytes out of the widget's text repr
        for key in super()._repr_keys():
            if key != "notes":
                yield key

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        """The live widget plus a static picture and a short text, shown where no widget can be (saved notebooks)."""
        from .picture import Roll, picture_bundle

        return picture_bundle(Roll.of_widget(self), super()._repr_mimebundle_(**kwargs))

    def _ipython_display_(self) -> None:
        """Shows the bundle under a display id, so the saved picture and text follow later edits (``live_picture``)."""
        from .live_picture import LivePicture

        live: LivePicture | None = getattr(self, "_live_picture", None)
        if live is None:
            live = self._live_picture = LivePicture(self._repr_mimebundle_)
            self.observe(live.changed, names=list(PICTURED))
        live.show()
