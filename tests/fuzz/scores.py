"""Fuzz target ``scores``: random melodies engraved (``show``/``Score``), written as MusicXML and MIDI
files, and read back (issue 21, cases 2, 5, 7 and 11).

Melodies: odd time signatures (255/1, 7/32, 3/64, 1/128, ...), 1 to 960 steps per quarter, short and
very long notes (up to the whole timeline), rests, pitches 0-127, keys by name (flats, sharps, double
accidentals, lower case, unreadable names), titles with odd unicode (lone surrogates as a non-UTF-8
file name gives them, control characters, right-to-left marks, 10,000 characters), 0 to 6,000 notes,
now and then an impossible note. Then, in a random order: the score with random ``highlight``,
``accent_from`` and ``width`` (hostile types too); the MusicXML text, which must be well-formed XML;
the text notation, which must read back to the same notes; and last the melody written to a file
(MusicXML or MIDI) over a random output (``_outputs.py``): the MusicXML file must hold the text, the
MIDI file read back to the same notes (MIDI files jupymuse writes "read back exactly").

A small melody's MusicXML is also read by music21 at sounding pitch (as ``tests/test_musicxml.py`` does):
the same notes (starts included), time signature and key (where its name is readable) must come back.
Every case must end within the harness's time limit (10 CPU-s) or be refused by a ``JupymuseError``
before the work.
"""

from __future__ import annotations

import os
import random
import xml.etree.ElementTree as ET
from typing import Any

from jupymuse import JupymuseError, Melody
from jupymuse.music.keys import guess_key
from jupymuse.music.midi import MAX_FILE_BEATS, read_midi
from jupymuse.music.note import MAX_STEPS

from . import _outputs
from .harness import Case

NAME = "scores"
EXPECTED: tuple[type[BaseException], ...] = (JupymuseError,)

SPQS = [1, 2, 3, 4, 4, 4, 4, 5, 6, 7, 8, 12, 16, 24, 96, 480, 960]
METERS = [
    (4, 4), (4, 4), (3, 4), (2, 4), (6, 8), (3, 8), (5, 8), (7, 8), (12, 8), (2, 2), (255, 1), (7, 32),
    (3, 64), (5, 32), (1, 128), (255, 128), (1, 1), (9, 16), (1, 4), (13, 2),
]  # fmt: skip
KEYS: list[Any] = [
    None, None, None, "C major", "G major", "F major", "Gb major", "Eb minor", "Bb major", "Ab minor",
    "Cb major", "C# major", "A# minor", "D# minor", "Fb major", "B# minor", "E- major", "g major",
    "bb minor", "Bbb major", "F## minor", "C##", "H major", "", "C dorian", " F  major ", "X" * 1000,
    "\ud800 major", "C\x00 major",
]  # fmt: skip
TITLES: list[str] = [
    "", "Übung ♪", "\ud800", os.fsdecode(b"\xdcbung.mid"), os.fsdecode(b"Lied \xff\xfe.mid"), "a\x00b\x1fc\x7f",
    "\ufffe\uffff", "<&>\"']]>", "x" * 10_000, "مرحبا\u202eabc", "e\u0301" * 100, "🎵" * 50, "\U0010ffff",
    " ", "\r\n\t", "&amp;", "<!-- -->", "\udfff\ud800x",
]  # fmt: skip
WIDTHS: list[Any] = [720, 720, 200, 4000, 199, 4001, 0, -5, 720.5, "720", None, True, 10**30]
COLOURS: list[Any] = ["#e91e63", "#fff", "#FFFFFF", "red", "#12345", "", None, 5, "#ggg", "#e91e63\n"]
ROUND_TRIP_NOTES = 120
"""Melodies up to this many notes are also read back by music21 (slow for long ones)."""


# ---------------------------------------------------------------------- melodies
def _duration(rng: random.Random, spq: int, bar: int) -> int:
    how = rng.random()
    if how < 0.6:  # the values a tune uses
        return max(1, rng.choice([1, 2, 3, 4, 6, 8, 12, 16]) * spq // 4) or 1
    if how < 0.8:
        return rng.randint(1, 8 * spq)
    if how < 0.95:
        return bar * rng.randint(1, 40)  # whole bars, tied across bar lines
    return rng.choice([160_000, 50_000, rng.randint(1, MAX_STEPS)])  # a note of the whole timeline


def _notes(rng: random.Random, spq: int, bar: int) -> list[tuple[int, ...]]:
    count = rng.choice([0, 1, 2, 3, 8, 8, 30, 30, 100, 400, rng.randint(0, 4100), 6000])
    notes: list[tuple[int, ...]] = []
    pos, pitch = rng.choice([0, 0, 0, rng.randint(1, 4 * spq), bar * 3]), rng.randint(0, 127)
    walk = rng.random() < 0.7
    for _ in range(count):
        if rng.random() < 0.15:
            pos += _duration(rng, spq, bar)  # a rest
        pitch = min(127, max(0, pitch + rng.randint(-5, 5))) if walk else rng.randint(0, 127)
        dur = _duration(rng, spq, bar) if rng.random() < 0.97 or count > 50 else rng.randint(1, 160_000)
        note = (pitch, pos, dur) if rng.random() < 0.9 else (pitch, pos, dur, rng.randint(1, 127))
        if pos + dur > MAX_STEPS:
            break
        notes.append(note)
        pos += dur
    if notes and rng.random() < 0.03:  # an impossible note: refused when the melody is made
        notes[rng.randrange(len(notes))] = rng.choice([(128, 0, 1), (-1, 0, 1), (60, 0, 0), (60, -4, 2)])
    return notes


def _highlight(rng: random.Random, count: int) -> Any:
    how = rng.randrange(8)
    if how < 4:
        return None
    if how < 6:
        return {rng.randint(-2, count + 1): rng.choice(COLOURS) for _ in range(rng.randint(1, 4))}
    return rng.choice([[0, 1], "0", {"0": "#fff"}, {0.5: "#fff"}, {True: "#fff"}, {2**70: "#fff"}])


def make(rng: random.Random) -> Case:
    """A melody and what to do with it: ``Case(label, {"melody": kwargs, "ops": [...], "file": ...})``."""
    spq = rng.choice(SPQS) if rng.random() < 0.9 else rng.randint(1, 960)
    num, den = rng.choice(METERS) if rng.random() < 0.9 else (rng.randint(1, 255), 2 ** rng.randint(0, 7))
    bar = max(1, 4 * num * spq // den)
    meta: dict[str, Any] = {}
    if rng.random() < 0.6:
        meta["title"] = rng.choice(TITLES)
    if rng.random() < 0.1:
        meta[rng.choice(["composer", "\ud800", ""])] = rng.choice([*TITLES[:4], 3, 2.5, 2**80])
    key = rng.choice(KEYS) if rng.random() < 0.98 else rng.choice([5, b"G major", ("G", "major")])
    notes = _notes(rng, spq, bar)
    melody = {
        "notes": notes,
        "steps_per_quarter": spq,
        "time_signature": (num, den),
        "key": key,
        "tempo": rng.choice([120, 1, 1000, 72.5, rng.uniform(1, 1000)]),
        "meta": meta,
    }
    ops = [op for op in ("show", "musicxml", "notation") if rng.random() < 0.6]
    rng.shuffle(ops)
    show = {
        "highlight": _highlight(rng, len(notes)),
        "accent_from": rng.choice([-1, -1, 0, rng.randint(0, 400), -5, 2**70, 1.5, "3", None]),
        "width": rng.choice(WIDTHS),
    }
    file = rng.choice([None, "musicxml", "midi"])
    output = None if file is None else _outputs.draw(rng, ".musicxml" if file == "musicxml" else ".mid")
    label = (
        f"{len(notes)} notes, spq {spq}, {num}/{den}, key {key!r:.20}, title {meta.get('title', '-')!r:.20}, "
        f"{'+'.join(ops) or 'made'}{f' then {file} file' if file else ''}"
    )
    return Case(label, {"melody": melody, "ops": ops, "show": show, "file": file}, output)


# ---------------------------------------------------------------------- the target
def run(case: Case) -> None:
    """Make the melody, do the case's operations, then write its file (if any) and read it back."""
    spec = case.data
    melody = Melody(**spec["melody"])
    for op in spec["ops"]:
        if op == "show":
            _show(melody, spec["show"])
        elif op == "musicxml":
            _musicxml(melody)
        else:
            _notation(melody)
    if spec["file"] == "musicxml":
        text = melody.to_musicxml()
        written = melody.to_musicxml(case.output_path())
        if not isinstance(written, os.PathLike) or case.output_path().read_bytes() != text.encode("utf-8"):
            raise AssertionError("the MusicXML file does not hold the MusicXML text")
    elif spec["file"] == "midi":
        melody.to_midi(case.output_path())
        _read_back_midi(melody, case)


def _show(melody: Melody, kwargs: dict[str, Any]) -> None:
    """The score: SVG with an id for every note, shown as ``image/svg+xml``."""
    score = melody.show(**kwargs)
    if not score.svg.startswith("<svg") or "image/svg+xml" not in score._repr_mimebundle_():
        raise AssertionError("the score is not an SVG picture")
    drawn = set(score.note_ids.values())
    if drawn != set(range(len(melody))):
        missing = sorted(set(range(len(melody))) - drawn)[:5]
        raise AssertionError(f"notes {missing} have no id in the score")
    for note_id in list(score.note_ids)[:50]:
        if f'id="{note_id}"' not in score.svg:
            raise AssertionError(f"the note id {note_id} is not in the SVG")


def _musicxml(melody: Melody) -> None:
    """Well-formed XML; a small melody read back by music21 to the same notes, meter and key."""
    text = melody.to_musicxml()
    assert isinstance(text, str)
    root = ET.fromstring(text.encode("utf-8"))
    if root.tag != "score-partwise":
        raise AssertionError(f"the MusicXML's root is {root.tag}")
    if len(melody) > ROUND_TRIP_NOTES or melody.end > 400 * melody.steps_per_quarter:
        return
    from music21 import converter

    score = converter.parse(text, format="musicxml").toSoundingPitch()  # a low melody is a transposing part
    back = Melody.from_music21(score, steps_per_quarter=melody.steps_per_quarter)
    mine = [(n.pitch, n.start, n.duration) for n in melody.notes]
    theirs = [(n.pitch, n.start, n.duration) for n in back.notes]
    if mine != theirs:
        pairs = enumerate(zip(mine, theirs, strict=False))
        at = next((i for i, (a, b) in pairs if a != b), min(len(mine), len(theirs)))
        raise AssertionError(f"music21 reads note {at} back as {theirs[at : at + 2]}, not {mine[at : at + 2]}")
    if back.time_signature != melody.time_signature:
        raise AssertionError(f"music21 reads the meter back as {back.time_signature}")
    guessed = guess_key(melody)  # a key that is not one was refused when the melody was made
    want = (guessed.tonic, guessed.mode) if guessed else None
    if len(melody) and back.key is not None and (back.key.tonic, back.key.mode) != want:
        raise AssertionError(f"music21 reads the key back as {back.key}, not {guessed}")


def _notation(melody: Melody) -> None:
    """The text notation reads back to the same notes (velocities too)."""
    back = Melody.from_notation(melody.to_notation(), steps_per_quarter=melody.steps_per_quarter)
    if back.notes != melody.notes:
        raise AssertionError("the text notation reads back to other notes")


def _read_back_midi(melody: Melody, case: Case) -> None:
    """The MIDI file jupymuse wrote reads back to the same notes (one too long to read is refused)."""
    try:
        back = read_midi(case.output_path(), steps_per_quarter=melody.steps_per_quarter)
    except JupymuseError:
        if not len(melody) or melody.end > MAX_FILE_BEATS * melody.steps_per_quarter:
            return  # nothing to read, or longer than read_midi reads: refused by design
        raise
    if back.notes != melody.notes:
        raise AssertionError(f"the MIDI file reads back as {back!r}, not {melody!r}")
