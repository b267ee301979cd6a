"""Fuzz target ``page``: a hostile page driving a ``PianoRoll`` through state updates and messages.

Each case is a short script of what a page can send: state updates (any synced trait, hostile
values: NaN, huge or negative numbers, strings, lists, raw note buffers with bad, overlapping or too
many rows) applied with ``roll.set_state`` as ipywidgets applies them, or through the comm handler
(``_handle_msg``); and custom messages (``set-notes``, ``import-midi`` with mangled bytes,
``export-midi``, ``export-musicxml``, ``need-soundfont``, ``audio-status``, undo/redo, unknown ones;
with extra fields, hostile values and stray buffers) through ``_on_page_message``, in random orders.
Now and then the melody is large first (2,000 to 100,000 rows, long notes, a 255/1 or 7/32 metre), so
an export has real work. After every step the roll must hold a readable melody whose rows are the kept
ones (monophony rule applied), every trait within its range, a refused update must be on the page
(``error``) with the kept values sent back, and Download must work (tried after every step up to
500 notes; for larger melodies by the cases' ``export-midi`` messages). An ``export-musicxml`` is answered
with a ``musicxml-file`` (well-formed MusicXML, named ``*.musicxml``) or a refusal on the page; a
``need-soundfont`` with the SoundFont (a RIFF file) or ``soundfont-missing`` and its reason; both
within the harness's time limit (10 s).
"""

from __future__ import annotations

import math
import random
import struct
import xml.etree.ElementTree as ET
from typing import Any

import numpy as np
import traitlets

from jupymuse import Melody
from jupymuse.music.midi import melody_to_midi_bytes
from jupymuse.widget import PianoRoll
from jupymuse.widget.codec import MAX_NOTES, ROW_BYTES, melody_to_bytes
from jupymuse.widget.state import RANGES

from .harness import Case

NAME = "page"
EXPECTED: tuple[type[BaseException], ...] = ()  # the page gets every refusal as a message; nothing may escape
TRAITS = [
    "notes", "steps_per_quarter", "tempo", "time_signature", "key", "snap", "program", "loop", "follow",
    "show_scale", "velocity", "height", "error", "audio_status", "accent_from", "shading", "selected",
    "kernel_undo", "show_status", "note_length",
]  # fmt: skip
VALUES: list[Any] = [
    0, -1, 1, 4, 127, 128, 200, 960, 961, 2**31, -(2**31), 2**63, 0.5, 64.5, math.nan, math.inf, -math.inf,
    "", "x", "G major", "x" * 5000, None, True, False, [], [4], [4, 4], [0, 4], [4, 3], [4, 0], [3, 8],
    [255, 128], [256, 4], [4, 2**40], ["a", "b"], {"a": 1}, [1, 2, 3],
]  # fmt: skip
START = "C4:4 D4:2 E4:2 r:4 G4:8"


def _big_rows(rng: random.Random) -> bytes:
    """A large melody as the page encodes it: many notes, some of them long."""
    count = rng.choice([2000, 5000, 20_000, 100_000])
    long = rng.choice([1, 4, 64, 1000])
    if rng.random() < 0.3:  # every note long: many tied values each
        durations = np.array([rng.randint(20, 100) for _ in range(64)], "<i4")
    else:
        durations = np.array([rng.randint(1, 8) for _ in range(64)] + [long], "<i4")
    dur = durations[np.arange(count) % len(durations)]
    start = np.concatenate([[0], np.cumsum(dur[:-1])])
    keep = start + dur <= (1 << 20)
    pitch = (np.arange(count) * 7 % 60 + 30).astype("<i4")
    rows = np.stack([pitch, start, dur, np.full(count, 90)], axis=1)[keep]
    return bytes(rows.astype("<i4").tobytes())


def _rows(rng: random.Random) -> bytes:
    """Note rows as the page encodes them: valid, overlapping, out of range, ragged or too many."""
    how = rng.randrange(7)
    if how == 5:
        return rng.randbytes(rng.choice([1, 5, 15, 17, 33]))
    if how == 6:
        return bytes(ROW_BYTES * (MAX_NOTES + rng.randint(1, 3)))
    count = rng.randint(0, 12)
    rows = []
    for i in range(count):
        row = [rng.randint(40, 90), rng.randint(0, 40) if how else 4 * i, rng.randint(1, 8), rng.randint(1, 127)]
        if how == 1:  # one field out of range
            row[rng.randrange(4)] = rng.choice([-5, 0, 128, 200, 2**31 - 1, -(2**31), 1 << 20])
        rows.append(row)
    return np.array(rows, "<i4").reshape(-1, 4).tobytes()


def _value(rng: random.Random, name: str) -> Any:
    if name in ("notes", "shading"):
        data = _rows(rng) if name == "notes" else struct.pack("<8f", *range(8))[: rng.choice([0, 4, 8, 12, 20, 6])]
        return memoryview(data)
    if name in RANGES and rng.random() < 0.5:
        low, high, _ = RANGES[name]
        return rng.choice([low, high, low - 1, high + 1, (low + high) / 2])
    return rng.choice(VALUES)


def _action(rng: random.Random) -> tuple[str, Any]:
    how = rng.randrange(10)
    if how < 4:
        names = rng.sample(TRAITS, rng.randint(1, 3))
        return rng.choice(["set_state", "comm"]), {name: _value(rng, name) for name in names}
    kind = rng.choice(
        [
            "set-notes", "set-notes", "import-midi", "export-midi", "audio-status", "undo", "redo", "need-soundfont?",
            3, "export-musicxml", "export-musicxml", "need-soundfont", "need-soundfont", "big", "metre",
        ]
    )  # fmt: skip
    if kind == "metre":  # a metre or grid that makes scores long
        meter = rng.choice([[255, 1], [7, 32], [3, 64], [1, 128], [4, 4]])
        return "set_state", {"time_signature": meter, "steps_per_quarter": rng.choice([1, 4, 960])}
    content: Any = {"type": kind}
    buffers: list[Any] = []
    if kind == "big":
        content = {"type": "set-notes"}
        buffers = [memoryview(_big_rows(rng))]
    elif kind in ("export-musicxml", "need-soundfont"):
        if rng.random() < 0.4:  # fields and buffers the kernel must ignore
            content[rng.choice(["name", "format", "size", "type2"])] = rng.choice(VALUES)
        if rng.random() < 0.3:
            buffers = [memoryview(rng.randbytes(rng.choice([0, 16, 1000])))] * rng.randint(1, 3)
    elif kind == "set-notes":
        buffers = [memoryview(_rows(rng))] * rng.choice([1, 1, 1, 0, 2])
    elif kind == "import-midi":
        data = bytearray(melody_to_midi_bytes(Melody.from_notation(START)))
        for _ in range(rng.randint(0, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        content["name"] = rng.choice(["a.mid", "Lied ♪.mid", "x" * 1000, 5])
        buffers = [bytes(data)]
    elif kind == "audio-status":
        content["status"] = rng.choice(["soundfont", "x" * 5000, None, 3])
    if rng.random() < 0.05:
        content = rng.choice([[1, 2], "text", None])
    return "message", (content, buffers)


def make(rng: random.Random) -> Case:
    """One to six actions: ``Case(label, [(how, payload), ...])``; a sixth of the cases export a large
    melody in an odd metre (a metre, a large melody, an export, in a random order)."""
    actions = [_action(rng) for _ in range(rng.randint(1, 6))]
    if rng.random() < 0.17:
        meter = rng.choice([[255, 1], [7, 32], [3, 64], [13, 2]])
        big = ("message", ({"type": "set-notes"}, [memoryview(_big_rows(rng))]))
        export = ("message", ({"type": rng.choice(["export-musicxml", "export-midi"])}, []))
        actions = [("set_state", {"time_signature": meter, "steps_per_quarter": rng.choice([1, 2, 4])}), big, export]
        rng.shuffle(actions)
    label = ", ".join(_name(how, payload) for how, payload in actions)
    return Case(label, actions)


def _name(how: str, payload: Any) -> str:
    if how != "message":
        return f"{how} {sorted(payload)}"
    content, buffers = payload
    size = sum(len(b) for b in buffers) // ROW_BYTES if _kind(content) == "set-notes" and buffers else 0
    return f"{_kind(content)}{f' ({size:,} rows)' if size > 100 else ''}"


def _kind(content: Any) -> Any:
    return content.get("type") if isinstance(content, dict) else type(content).__name__


# ---------------------------------------------------------------------- the target
def run(case: Case) -> None:
    """Apply the actions as the page would; check the roll after each."""
    roll = PianoRoll(START)
    states: list[Any] = []
    sent: list[tuple[Any, Any]] = []
    roll.send = lambda content, buffers=None: sent.append((content, buffers))  # type: ignore[method-assign]
    roll.send_state = lambda key=None: states.append(key)  # type: ignore[method-assign]
    for how, payload in case.data:
        roll.error = ""
        if how == "message":
            sent.clear()
            roll._on_page_message(roll, payload[0], payload[1])
            if "jupymuse failed" in roll.error:
                raise AssertionError(roll.error)
            answered(_kind(payload[0]), roll, sent)
        elif how == "comm":
            state = dict(payload)
            roll._handle_msg({"content": {"data": {"method": "update", "state": state}}, "buffers": []})
        else:
            _set_state(roll, payload, states)
        check(roll)


def answered(kind: Any, roll: PianoRoll, sent: list[tuple[Any, Any]]) -> None:
    """An export or SoundFont request got its file, or a refusal on the page (``error``)."""
    if kind not in ("export-musicxml", "need-soundfont"):
        return
    replies = [(c.get("type"), c, b) for c, b in sent if isinstance(c, dict)]
    if kind == "export-musicxml":
        files = [(c, b) for t, c, b in replies if t == "musicxml-file"]
        if not files:
            if not roll.error:
                raise AssertionError("export-musicxml got neither a file nor a refusal")
            return
        content, buffers = files[-1]
        if not str(content.get("name", "")).endswith(".musicxml") or len(buffers) != 1:
            raise AssertionError(f"a MusicXML file named {content.get('name')!r} with {len(buffers)} buffers")
        if ET.fromstring(bytes(buffers[0])).tag != "score-partwise":
            raise AssertionError("the MusicXML file is not a partwise score")
        return
    if any(t == "soundfont" and b and bytes(b[0][:4]) == b"RIFF" for t, _, b in replies):
        return
    if not any(t == "soundfont-missing" and c.get("reason") for t, c, _ in replies):
        raise AssertionError(f"need-soundfont was answered with {[t for t, _, _ in replies]}")


def _set_state(roll: PianoRoll, update: dict[str, Any], states: list[Any]) -> None:
    try:
        roll.set_state(dict(update))
    except traitlets.TraitError:
        if "refused" not in roll.error:
            raise AssertionError(f"a refused update left no message on the page ({update})") from None
        if states[-1] != list(update):
            raise AssertionError(f"the kept values were not sent back: {states[-1]} for {list(update)}") from None


def check(roll: PianoRoll) -> None:
    """The invariants: a readable melody, kept rows canonical, traits in range, Download works."""
    melody = roll.melody
    if melody_to_bytes(melody) != roll.notes:
        raise AssertionError("the kept rows are not the melody's (monophony rule not applied)")
    count = len(roll.notes) // ROW_BYTES
    for name, (low, high, _) in RANGES.items():
        if not low <= getattr(roll, name) <= high:
            raise AssertionError(f"{name} = {getattr(roll, name)} is out of range")
    if roll.shading and len(roll.shading) != 4 * count:
        raise AssertionError(f"{len(roll.shading)} bytes of shading for {count} notes")
    if not -1 <= roll.selected < max(count, 0) and roll.selected != -1:
        raise AssertionError(f"selected = {roll.selected} with {count} notes")
    if len(roll.audio_status) > 300 or len(roll.key) > 100:
        raise AssertionError("text traits past their limits")
    if count <= 500:  # a large melody's Download is tried by the export-midi messages themselves
        melody_to_midi_bytes(melody, program=roll.program)
