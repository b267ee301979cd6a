"""Fuzz target ``midi``: mutated real MIDI files through ``read_midi`` and a piano roll's Open and Download.

Inputs start from real files: melodies jupymuse writes (480 ticks per beat), a polyphonic file with
drums, tempo, key and time signature changes, text and lyrics, pitch bends and running status
(written with mido), a melody music21 writes (10,080 ticks per beat) and a long file past
pretty_midi's 10-million-tick cap. Mutations: bit flips, interesting bytes, truncation, chunks
deleted, repeated or inserted, header fields (format, track count, time division, SMPTE), track
lengths, huge delta times, tempo values, two files spliced, and now and then a file over the size
limit. A file that reads must write and read back to the same notes; the roll opening it must show
the same melody (or say why not on the page) and Download must work.
"""

from __future__ import annotations

import functools
import io
import random
import struct

import mido

from jupymuse import JupymuseError, Melody, read_midi
from jupymuse.music.midi import MAX_FILE_BYTES
from jupymuse.widget import PianoRoll

from .harness import Case

NAME = "midi"
EXPECTED: tuple[type[BaseException], ...] = (JupymuseError,)
INTERESTING = [0x00, 0x01, 0x7F, 0x80, 0x81, 0xF0, 0xF7, 0xFF, 0x90, 0x80, 0xB0, 0x51, 0x2F]


def _save(mid: mido.MidiFile) -> bytes:
    buf = io.BytesIO()
    mid.save(file=buf)
    return buf.getvalue()


def _polyphonic() -> bytes:
    """Two voices and drums, with the meta and channel messages real files carry."""
    mid = mido.MidiFile(ticks_per_beat=384)
    meta = mido.MidiTrack(
        [
            mido.MetaMessage("track_name", name="Übung ♪"[:5]),
            mido.MetaMessage("set_tempo", tempo=600_000),
            mido.MetaMessage("time_signature", numerator=6, denominator=8),
            mido.MetaMessage("key_signature", key="Em"),
            mido.MetaMessage("text", text="fuzz"),
            mido.MetaMessage("set_tempo", tempo=400_000, time=1536),
        ]
    )
    mid.tracks.append(meta)
    for channel, base in ((0, 72), (1, 55), (9, 36)):
        track = mido.MidiTrack([mido.Message("program_change", program=channel * 10, channel=channel)])
        for i in range(24):
            pitch = base + (i * 5) % 12
            track.append(mido.Message("note_on", note=pitch, velocity=90, channel=channel, time=96 if i else 0))
            if i % 5 == 0:
                track.append(mido.Message("pitchwheel", pitch=1000, channel=channel))
                track.append(mido.MetaMessage("lyrics", text="la"))
            track.append(mido.Message("note_on", note=pitch, velocity=0, channel=channel, time=192 + 48 * (i % 3)))
        mid.tracks.append(track)
    return _save(mid)


def _long(ticks_per_beat: int = 10_080, beats: int = 1100) -> bytes:
    """One track of quarter notes whose last tick passes pretty_midi's cap (valid, long)."""
    mid = mido.MidiFile(ticks_per_beat=ticks_per_beat)
    track = mido.MidiTrack([mido.MetaMessage("set_tempo", tempo=500_000)])
    for i in range(beats):
        track.append(mido.Message("note_on", note=60 + i % 7, velocity=80, time=0))
        track.append(mido.Message("note_off", note=60 + i % 7, velocity=0, time=ticks_per_beat))
    mid.tracks.append(track)
    return _save(mid)


@functools.cache
def seeds() -> tuple[bytes, ...]:
    """The real files every case starts from."""
    tunes = [
        Melody.from_notation("C4:4 D4:2 E4:2 r:4 G4:8 F#4:3 B3:1", tempo=96, key="G major", meta={"title": "Lied ♪"}),
        Melody.from_notation("E5:1 D#5:1 E5:1 D#5:1 E5:1 B4:1 D5:1 C5:1 A4:6", time_signature=(3, 8)),
    ]
    written = [bytes(t.to_midi(program=p)) for t, p in zip(tunes, (0, 73), strict=True)]  # type: ignore[arg-type]
    music21 = io.BytesIO()
    from music21 import midi as m21midi

    mf = m21midi.translate.streamToMidiFile(tunes[0].to_music21())
    music21.write(mf.writestr())
    return (*written, _polyphonic(), music21.getvalue(), _long())


# ---------------------------------------------------------------------- mutations
def _varint(value: int) -> bytes:
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    return bytes(reversed(out))


def mutate(rng: random.Random, data: bytes) -> tuple[str, bytes]:
    """One mutation of ``data`` and its name."""
    out = bytearray(data)
    how = rng.randrange(12)
    if how == 0:
        for _ in range(rng.randint(1, 8)):
            out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
        return "bit flips", bytes(out)
    if how == 1:
        for _ in range(rng.randint(1, 4)):
            out[rng.randrange(len(out))] = rng.choice(INTERESTING)
        return "interesting bytes", bytes(out)
    if how == 2:
        return "truncated", bytes(out[: rng.randrange(len(out))])
    if how == 3:
        at = rng.randrange(len(out))
        del out[at : at + rng.randint(1, 64)]
        return "chunk deleted", bytes(out)
    if how == 4:
        at, size = rng.randrange(len(out)), rng.randint(1, 64)
        out[at:at] = out[at : at + size] * rng.randint(1, 20)
        return "chunk repeated", bytes(out)
    if how == 5:
        at = rng.randrange(14, max(15, len(out)))
        out[at:at] = rng.choice([_varint(rng.choice([0x0FFFFFFF, 10**7, 20_000 * 960, 2**21])), rng.randbytes(8)])
        return "inserted delta or junk", bytes(out)
    if how == 6:
        field, fmt = rng.choice([(8, ">H"), (10, ">H"), (12, ">H")])
        value = rng.choice([0, 1, 2, 3, 0xFFFF, 0x7FFF, 0x8000 | 25, 10_080, 960, rng.randrange(0x10000)])
        out[field : field + 2] = struct.pack(fmt, value)
        return f"header field {field} = {value}", bytes(out)
    if how == 7:
        at = out.find(b"MTrk", rng.randrange(len(out)))
        at = out.find(b"MTrk") if at < 0 else at
        out[at + 4 : at + 8] = struct.pack(">I", rng.choice([0, 1, 0x7FFFFFFF, 0xFFFFFFFF, rng.randrange(5000)]))
        return "track length", bytes(out)
    if how == 8:
        at = out.find(b"\xff\x51\x03")
        if at >= 0:
            out[at + 3 : at + 6] = rng.choice([b"\x00\x00\x00", b"\x00\x00\x01", b"\xff\xff\xff", rng.randbytes(3)])
            return "tempo value", bytes(out)
        return "tempo value (none)", bytes(out)
    if how == 9:
        other = rng.choice(seeds())
        return "spliced", bytes(out[: rng.randrange(len(out))] + other[rng.randrange(len(other)) :])
    if how == 10:
        return "appended junk", bytes(out) + rng.randbytes(rng.randint(1, 200))
    if rng.random() < 0.2:
        return "over the size limit", bytes(out) + bytes(MAX_FILE_BYTES)
    return "unchanged", bytes(out)


def make(rng: random.Random) -> Case:
    """A seed file with one to three mutations: ``Case(label, (bytes, steps_per_quarter))``."""
    i = rng.randrange(len(seeds()))
    data, labels = seeds()[i], []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        label, data = mutate(rng, data)
        labels.append(label)
        if not data:
            break
    return Case(f"seed {i}: {', '.join(labels)}", (data, rng.choice([4, 4, 4, 3, 12, 96, 960])))


# ---------------------------------------------------------------------- the target
def run(case: Case) -> None:
    """Read the bytes; what reads must round-trip, and the roll must open it (or say why) and save it."""
    data, spq = case.data
    refused: JupymuseError | None = None
    try:
        melody = read_midi(data, steps_per_quarter=spq)
    except JupymuseError as exc:
        refused, melody = exc, None
    if melody is not None:
        back = read_midi(melody.to_midi(), steps_per_quarter=spq)
        if back.notes != melody.notes:
            raise AssertionError(f"written and read back: {back!r} is not {melody!r}")
    _through_the_roll(data, melody if spq == 4 else None, spq == 4)
    if refused is not None:
        raise refused


def _through_the_roll(data: bytes, melody: Melody | None, compare: bool) -> None:
    """Open ``data`` in a roll (which reads on 4 steps per quarter) and Download it; compare with
    ``melody`` (what ``read_midi`` gave on that grid) when ``compare``."""
    roll = PianoRoll("C4:4")  # opens files on its own grid, 4 steps per quarter
    sent: list[dict[str, object]] = []
    roll.send = lambda content, buffers=None: sent.append(content)  # type: ignore[method-assign]
    roll.send_state = lambda key=None: None  # type: ignore[method-assign]
    roll._on_page_message(roll, {"type": "import-midi", "name": "fuzz.mid"}, [memoryview(data)])
    if "jupymuse failed" in roll.error:
        raise AssertionError(roll.error)
    shown = roll.melody
    if compare and melody is not None:
        if shown.notes != melody.notes or roll.error:
            raise AssertionError(f"the roll shows {shown!r} ({roll.error!r}), read_midi gave {melody!r}")
    elif compare and not roll.error:
        raise AssertionError("the roll took a file read_midi refuses, and said nothing")
    roll.error = ""
    roll._on_page_message(roll, {"type": "export-midi"}, [])
    if roll.error or sent[-1].get("type") != "midi-file":
        raise AssertionError(f"Download failed: {roll.error!r}")
