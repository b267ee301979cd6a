"""Conversions between ``Melody`` and Magenta's ``NoteSequence`` (note-seq).

note-seq is imported only when these functions run: it costs most of a second to import.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

from ..errors import NoMelodyError
from .extract import highest_line
from .key import Key
from .melody import Melody
from .note import Note

if TYPE_CHECKING:
    from note_seq import NoteSequence

_NS_MODES = {"major": 0, "minor": 1, "mixolydian": 3, "dorian": 4, "phrygian": 5, "lydian": 6, "locrian": 7}
"""note-seq's ``KeySignature.Mode`` number of each mode it has (NOT_SPECIFIED, 2, reads as major)."""


def _import_note_seq() -> None:
    """Import note-seq without its audio dependency's warning about ffmpeg (jupymuse never uses it)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Couldn't find ffmpeg", category=RuntimeWarning)
        warnings.filterwarnings("ignore", message="'audioop' is deprecated", category=DeprecationWarning)
        import note_seq  # noqa: F401


def melody_to_note_sequence(melody: Melody) -> NoteSequence:
    """A quantized NoteSequence: notes carry both seconds and grid steps, plus tempo/meter/key."""
    _import_note_seq()
    from note_seq.protobuf import music_pb2

    ns = music_pb2.NoteSequence()
    ns.ticks_per_quarter = 480
    ns.tempos.add(qpm=melody.tempo, time=0.0)
    num, den = melody.time_signature
    ns.time_signatures.add(numerator=num, denominator=den, time=0.0)
    if melody.key is not None:  # note-seq has every mode but aeolian, written as the minor key on its tonic
        key = melody.key if melody.key.mode in _NS_MODES else melody.key.major_or_minor
        ns.key_signatures.add(key=key.tonic, mode=_NS_MODES[key.mode], time=0.0)
    ns.quantization_info.steps_per_quarter = melody.steps_per_quarter
    sps = melody.seconds_per_step
    for n in melody.notes:
        ns.notes.add(
            pitch=n.pitch,
            velocity=n.velocity,
            start_time=n.start * sps,
            end_time=n.end * sps,
            quantized_start_step=n.start,
            quantized_end_step=n.end,
            instrument=0,
            program=0,
        )
    ns.total_time = melody.end * sps
    ns.total_quantized_steps = melody.end
    if "title" in melody.meta:
        ns.sequence_metadata.title = str(melody.meta["title"])
    return ns


def melody_from_note_sequence(
    sequence: NoteSequence,
    *,
    instrument: int | None = None,
    steps_per_quarter: int | None = None,
) -> Melody:
    """A Melody from a NoteSequence.

    A quantized sequence keeps its own grid (unless ``steps_per_quarter`` asks for another); an
    unquantized one is quantized with note-seq (4 steps per quarter by default). ``instrument``
    picks one instrument number; otherwise the highest line of all non-drum notes is taken.

    Raises:
        NoMelodyError: no (non-drum) notes.
    """
    _import_note_seq()
    from note_seq import sequences_lib

    own_spq = sequence.quantization_info.steps_per_quarter
    is_quantized = sequences_lib.is_quantized_sequence(sequence)
    spq = steps_per_quarter or (own_spq if is_quantized else 4)
    if not is_quantized or own_spq != spq:
        try:
            sequence = sequences_lib.quantize_note_sequence(sequence, spq)
        except Exception:
            # note-seq refuses tempo or meter changes; go through MIDI ticks instead.
            from note_seq import midi_io

            from .midi import melody_from_pretty_midi

            pm = midi_io.note_sequence_to_pretty_midi(sequence)
            return melody_from_pretty_midi(pm, instrument=instrument, steps_per_quarter=spq, name="the NoteSequence")
    notes = [
        Note(
            n.pitch,
            n.quantized_start_step,
            max(1, n.quantized_end_step - n.quantized_start_step),
            max(1, min(127, n.velocity)),
        )
        for n in sequence.notes
        if not n.is_drum and (instrument is None or n.instrument == instrument) and 0 <= n.pitch <= 127
    ]
    if not notes:
        raise NoMelodyError("the NoteSequence has no (non-drum) notes: there is no melody to take")
    kwargs: dict[str, Any] = {"steps_per_quarter": spq}
    if sequence.tempos:
        kwargs["tempo"] = sequence.tempos[0].qpm
    if sequence.time_signatures:
        ts = sequence.time_signatures[0]
        kwargs["time_signature"] = (ts.numerator, ts.denominator)
    if sequence.key_signatures:
        ks = sequence.key_signatures[0]
        mode = next((name for name, number in _NS_MODES.items() if number == ks.mode), "major")
        kwargs["key"] = Key.from_pitch_class(ks.key, mode)
    if sequence.sequence_metadata.title:
        kwargs["meta"] = {"title": sequence.sequence_metadata.title}
    return Melody(highest_line(notes), **kwargs)
