"""MIDI files and PrettyMIDI objects to and from ``Melody``.

Reading goes through mido (checked first, so a broken file gives a clear ``MidiReadError`` instead of
a library traceback or a huge allocation) and pretty_midi. Quantization is exact: onsets are taken in
MIDI ticks, which do not depend on tempo changes, and rounded to the nearest grid step.
"""

from __future__ import annotations

import io
import os
import unicodedata
import warnings
from pathlib import Path
from typing import IO

import mido
import pretty_midi

from ..errors import InvalidNoteError, MidiReadError, NoMelodyError
from .extract import highest_line
from .key import Key
from .melody import MAX_TEMPO, Melody, check_time_signature
from .note import MAX_STEPS, Note

MIDI_RESOLUTION = 480
"""Ticks per quarter note of the files jupymuse writes (divisible by 2, 3, 4, 5, 6, 8, 12, 16); a
melody on a grid that does not divide it (7, 960 steps per quarter) is written at a multiple of its
grid instead, so every step is a whole number of ticks and reads back exactly."""
MAX_FILE_BYTES = 4 * 1024 * 1024
"""Largest MIDI file read (4 MiB), checked before parsing: a melody is a few kilobytes, a whole
symphony well under 1 MiB, while parsing costs seconds and hundreds of megabytes per MiB."""
MAX_FILE_BEATS = 20_000
"""Latest event accepted, in beats (quarter notes): about 2.8 hours at 120 BPM. Beyond it the timing
is damaged (an absurd delta time), whatever the file's ticks per beat."""
PRETTY_MIDI_MAX_TICK = 10_000_000
"""pretty_midi refuses files whose last tick passes this (it allocates an array by tick); files with
many ticks per beat (music21 writes 10,080) are rescaled below it instead of being refused."""
SLOWEST_MIDI_TEMPO = 60_000_000 / 0xFFFFFF * (1 + 1e-9)
"""The slowest tempo a MIDI file can hold (BPM): a quarter note of 2**24 - 1 microseconds. Slower
melodies (jupymuse allows 1 BPM) are written at this tempo."""
MIN_FILE_TEMPO = 3.0
"""Slowest tempo (BPM) accepted in a file; the MIDI format cannot encode anything slower than ~3.6."""

MidiSource = str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes]


def _read_source(source: MidiSource) -> tuple[bytes, str]:
    """The raw bytes of ``source`` and a name for messages."""
    if isinstance(source, bytes | bytearray | memoryview):
        name = "the MIDI data"
        check_midi_size(len(source) if not isinstance(source, memoryview) else source.nbytes, name)
        return bytes(source), name
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        name = f"'{path}'"
        try:
            check_midi_size(path.stat().st_size, name)
            return path.read_bytes(), name
        except IsADirectoryError:
            raise MidiReadError(f"{name} is a folder, not a MIDI file (use load_midi_folder)") from None
        except FileNotFoundError:
            raise MidiReadError(f"{name} does not exist") from None
        except PermissionError:
            raise MidiReadError(f"{name} cannot be read: permission denied") from None
        except OSError as exc:
            raise MidiReadError(f"{name} cannot be read: {exc.strerror or exc}") from None
    data = source.read(MAX_FILE_BYTES + 1)
    name = f"'{getattr(source, 'name', 'the MIDI stream')}'"
    check_midi_size(len(data), name)
    return bytes(data), name


def check_midi_size(size: int, name: str) -> None:
    """Refuse a MIDI file over ``MAX_FILE_BYTES`` before reading or parsing it.

    Raises:
        MidiReadError: naming the size and the limit.
    """
    if size > MAX_FILE_BYTES:
        raise MidiReadError(
            f"{name} is {size / 2**20:.1f} MiB; jupymuse reads MIDI files up to "
            f"{MAX_FILE_BYTES // 2**20} MiB (a melody's file is a few kilobytes)"
        )


def parse_midi(source: MidiSource) -> tuple[pretty_midi.PrettyMIDI, str]:
    """Parse and sanity-check a MIDI file; return the ``PrettyMIDI`` and a name for messages.

    The ``PrettyMIDI`` gets an extra attribute ``jupymuse_note_ons``: how many note-on messages the
    file holds, so that "only zero-length notes" can be told apart from "no notes".

    Raises:
        MidiReadError: empty, not MIDI, truncated, absurd timing or tempo.
    """
    data, name = _read_source(source)
    if not data:
        raise MidiReadError(f"{name} is empty (0 bytes): it holds no MIDI data")
    if not data.startswith(b"MThd"):
        raise MidiReadError(f"{name} is not a MIDI file: it does not start with the MIDI header 'MThd'")
    try:
        mid = mido.MidiFile(file=io.BytesIO(data), clip=False)
    except Exception as exc:  # mido raises many types (EOFError, OSError, ValueError, KeyError)
        detail = str(exc) or type(exc).__name__
        if isinstance(exc, EOFError):
            detail = "the file ends in the middle of the data (truncated?)"
        raise MidiReadError(f"{name} is damaged and cannot be read as MIDI: {detail}") from None
    if not 1 <= mid.ticks_per_beat <= 32767:
        raise MidiReadError(f"{name} has an unusable time division ({mid.ticks_per_beat} ticks per beat)")
    if mid.type == 2:
        raise MidiReadError(f"{name} is a type-2 MIDI file (independent patterns), which is not supported")
    if not mid.tracks:
        raise MidiReadError(f"{name} is damaged: its header is there but it holds no tracks")
    note_ons, last_tick = _check_timing(mid, name)
    if last_tick + 1 >= PRETTY_MIDI_MAX_TICK:
        _rescale_ticks(mid, last_tick)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pm = pretty_midi.PrettyMIDI(mido_object=mid)
    except Exception as exc:
        raise MidiReadError(f"{name} has inconsistent MIDI data and cannot be read ({exc})") from None
    pm.jupymuse_note_ons = note_ons
    return pm, name


def _check_timing(mid: mido.MidiFile, name: str) -> tuple[int, int]:
    """Reject absurd tempos and delta times before pretty_midi allocates arrays by tick.

    Returns the number of note-on messages (velocity > 0) and the last tick of any track.
    """
    note_ons = 0
    last = 0
    for track in mid.tracks:
        tick = 0
        for msg in track:
            tick += msg.time
            if msg.type == "note_on" and msg.velocity > 0:
                note_ons += 1
            elif msg.type == "set_tempo":
                bpm = mido.tempo2bpm(msg.tempo) if msg.tempo > 0 else float("inf")
                if not MIN_FILE_TEMPO <= bpm <= MAX_TEMPO:
                    raise MidiReadError(
                        f"{name} sets an impossible tempo ({bpm:.4g} beats per minute); the file is damaged"
                    )
        beats = tick / mid.ticks_per_beat
        if beats > MAX_FILE_BEATS:
            raise MidiReadError(
                f"{name} has broken timing: its events reach beat {beats:,.0f} ({beats / 2 / 3600:,.1f} hours "
                f"at 120 BPM); jupymuse reads files up to {MAX_FILE_BEATS:,} beats (a damaged or absurd delta time?)"
            )
        last = max(last, tick)
    return note_ons, last


def _rescale_ticks(mid: mido.MidiFile, last_tick: int) -> None:
    """Lower ``mid``'s ticks per beat (in place) so its last tick fits under pretty_midi's limit.

    Absolute times are rounded, so no error accumulates; ``MAX_FILE_BEATS`` keeps at least ~500
    ticks per beat, far finer than any step grid a melody is read on.
    """
    old = mid.ticks_per_beat
    new = max(1, old * (PRETTY_MIDI_MAX_TICK - 2) // max(last_tick, 1))
    for i, track in enumerate(mid.tracks):
        tick = done = 0
        rescaled = mido.MidiTrack()
        for msg in track:
            tick += msg.time
            at = (tick * new + old // 2) // old
            rescaled.append(msg.copy(time=at - done))
            done = at
        mid.tracks[i] = rescaled
    mid.ticks_per_beat = new


def _select_instrument(
    pm: pretty_midi.PrettyMIDI, instrument: int | str | None, name: str
) -> list[pretty_midi.Instrument]:
    if instrument is None:
        chosen = [inst for inst in pm.instruments if not inst.is_drum]
        if not chosen and pm.instruments:
            raise NoMelodyError(f"{name} only has drum tracks: there is no melody to take")
        return chosen
    if isinstance(instrument, int):
        if not 0 <= instrument < len(pm.instruments):
            raise NoMelodyError(f"{name} has {len(pm.instruments)} instruments; there is no instrument {instrument}")
        chosen = [pm.instruments[instrument]]
    else:
        wanted = instrument.lower()
        chosen = [i for i in pm.instruments if i.name.lower() == wanted] or [
            i for i in pm.instruments if wanted in i.name.lower()
        ]
        if not chosen:
            names = ", ".join(repr(i.name) for i in pm.instruments) or "none"
            raise NoMelodyError(f"{name} has no instrument called {instrument!r} (it has: {names})")
        chosen = chosen[:1]
    if chosen[0].is_drum:
        raise NoMelodyError(f"{name}: the chosen instrument is a drum track and has no melody")
    return chosen


def melody_from_pretty_midi(
    pm: pretty_midi.PrettyMIDI,
    *,
    instrument: int | str | None = None,
    steps_per_quarter: int = 4,
    name: str = "the MIDI data",
    meta: dict[str, str | int | float] | None = None,
) -> Melody:
    """Quantize a ``PrettyMIDI`` to the step grid and take one monophonic line.

    Args:
        instrument: index into ``pm.instruments``, or an instrument name; ``None`` merges every
            non-drum instrument and keeps the highest line (see :mod:`jupymuse.music.extract`).
        steps_per_quarter: grid resolution.

    Raises:
        NoMelodyError: no notes, only drums, or only zero-length notes.
    """
    chosen = _select_instrument(pm, instrument, name)
    ticks_per_step = pm.resolution / steps_per_quarter
    notes: list[Note] = []
    n_raw = 0
    for inst in chosen:
        for n in inst.notes:
            n_raw += 1
            if n.end <= n.start or not 0 <= n.pitch <= 127:
                continue
            start = round(pm.time_to_tick(n.start) / ticks_per_step)
            end = round(pm.time_to_tick(n.end) / ticks_per_step)
            if max(end, start + 1) > MAX_STEPS:
                raise MidiReadError(
                    f"{name} is too long for a grid of {steps_per_quarter} steps per quarter: a note ends on step "
                    f"{max(end, start + 1):,}, past the last step a melody holds ({MAX_STEPS:,}); use a coarser grid"
                )
            notes.append(Note(n.pitch, start, max(1, end - start), max(1, min(127, n.velocity))))
    if not notes:
        n_raw = max(n_raw, getattr(pm, "jupymuse_note_ons", 0))
        what = "only zero-length notes" if n_raw else "no notes"
        raise NoMelodyError(f"{name} has {what}: there is no melody to take")
    line = highest_line(notes)
    tempo = 120.0
    _, tempi = pm.get_tempo_changes()
    if len(tempi):
        tempo = round(float(tempi[0]), 3)  # MIDI stores whole microseconds per beat
    ts = (4, 4)
    if pm.time_signature_changes:
        tsc = pm.time_signature_changes[0]
        try:
            ts = check_time_signature((tsc.numerator, tsc.denominator))
        except InvalidNoteError:
            ts = (4, 4)  # a signature a melody cannot carry (e.g. 4/256): the notes still read
    key = None
    if pm.key_signature_changes:
        k = pm.key_signature_changes[0].key_number
        key = Key.from_pitch_class(k % 12, "major" if k < 12 else "minor")
    info: dict[str, str | int | float] = dict(meta or {})
    names = [i.name for i in chosen if i.name]
    if len(chosen) == 1 and names:
        info.setdefault("instrument", names[0])
    return Melody(line, steps_per_quarter=steps_per_quarter, tempo=tempo, time_signature=ts, key=key, meta=info)


def read_midi(
    source: MidiSource,
    *,
    instrument: int | str | None = None,
    steps_per_quarter: int = 4,
) -> Melody:
    """Read a MIDI file (path, bytes or binary file object) into a ``Melody``.

    Polyphonic files are reduced to one line: a chosen ``instrument`` (index or name), or by default
    the highest line over all non-drum instruments.

    Raises:
        MidiReadError: the file is missing, empty, not MIDI, truncated, or has broken timing.
        NoMelodyError: it has no notes, only drums, or only zero-length notes.
    """
    pm, name = parse_midi(source)
    meta: dict[str, str | int | float] = {}
    if isinstance(source, str | os.PathLike):
        meta["source"] = str(source)
        meta["title"] = Path(source).stem
    return melody_from_pretty_midi(pm, instrument=instrument, steps_per_quarter=steps_per_quarter, name=name, meta=meta)


def melody_to_pretty_midi(melody: Melody, *, program: int = 0) -> pretty_midi.PrettyMIDI:
    """A ``PrettyMIDI`` with tempo, time and key signature and one instrument playing ``melody``."""
    if not 0 <= program <= 127:
        raise ValueError(f"program must be a General MIDI number 0-127, not {program}")
    spq = melody.steps_per_quarter
    resolution = spq * max(1, MIDI_RESOLUTION // spq)  # 480 when it divides into steps; else a multiple of the grid
    pm = pretty_midi.PrettyMIDI(resolution=resolution, initial_tempo=max(melody.tempo, SLOWEST_MIDI_TEMPO))
    num, den = melody.time_signature
    pm.time_signature_changes.append(pretty_midi.TimeSignature(num, den, 0.0))
    if melody.key is not None:  # MIDI knows major and minor: a church mode writes its relative major's signature
        written = melody.key.major_or_minor
        pm.key_signature_changes.append(pretty_midi.KeySignature(written.tonic + (12 * (written.mode == "minor")), 0.0))
    inst = pretty_midi.Instrument(program=program, name=midi_text(str(melody.meta.get("title", ""))) or "melody")
    sps = 60.0 / (max(melody.tempo, SLOWEST_MIDI_TEMPO) * melody.steps_per_quarter)
    for n in melody.notes:
        inst.notes.append(pretty_midi.Note(velocity=n.velocity, pitch=n.pitch, start=n.start * sps, end=n.end * sps))
    pm.instruments.append(inst)
    return pm


def midi_text(text: str, limit: int = 60) -> str:
    """``text`` as a MIDI text event can hold it (Latin-1): accents kept, letters transliterated
    where Unicode knows how ("Dvořák" -> "Dvorák"), other characters (emoji, ♪, CJK) dropped, at most
    ``limit`` characters. May be empty."""
    kept = []
    for ch in unicodedata.normalize("NFKC", text):
        if ord(ch) >= 256:
            base = unicodedata.normalize("NFKD", ch)
            ch = "".join(c for c in base if ord(c) < 256 and not unicodedata.combining(c))
        kept.append(ch if ch.isprintable() else " ")
    return " ".join("".join(kept).split())[:limit]


def melody_to_midi_bytes(melody: Melody, *, program: int = 0) -> bytes:
    """The bytes of a standard MIDI file (type 1) holding ``melody``."""
    buffer = io.BytesIO()
    melody_to_pretty_midi(melody, program=program).write(buffer)
    return buffer.getvalue()
