"""Conversions between ``Melody`` and music21 streams (used to read the built-in corpora).

Ties are merged into one note, chords give their highest pitch, rests are kept as time.
music21 is imported only when these functions run.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..errors import InvalidNoteError, NoMelodyError
from .extract import highest_line
from .key import MODES, Key
from .melody import Melody, check_time_signature
from .note import Note

if TYPE_CHECKING:
    import music21


def _pick_part(stream: music21.stream.Stream[Any], part: int | str | None) -> music21.stream.Stream[Any]:
    from music21 import stream as m21stream

    parts = list(stream.parts) if isinstance(stream, m21stream.Score) else []
    if not parts:
        return stream
    if part is None:
        for p in parts:  # the soprano if a part says so, else the first (top) part
            label = f"{p.id} {p.partName or ''}".lower()
            if "soprano" in label:
                return p
        return parts[0]
    if isinstance(part, int):
        if not 0 <= part < len(parts):
            raise NoMelodyError(f"the score has {len(parts)} parts; there is no part {part}")
        return parts[part]
    for p in parts:
        if part.lower() in (str(p.id).lower(), (p.partName or "").lower()):
            return p
    raise NoMelodyError(f"the score has no part called {part!r}")


def _pickup_padding(part: music21.stream.Stream[Any]) -> float:
    """Quarter notes missing from an incomplete first bar (a pickup), so that steps count from a barline.

    music21 starts a pickup bar at offset 0; shifting its notes by the missing time puts the
    upbeat where it sounds in the bar (a one-beat pickup in 4/4 starts at step 12, not 0).
    """
    from music21 import stream as m21stream

    first = part.getElementsByClass(m21stream.Measure).first()
    if first is None:
        return 0.0
    if first.paddingLeft:
        return float(first.paddingLeft)
    try:
        missing = float(first.barDuration.quarterLength - first.duration.quarterLength)
    except Exception:  # no meter known: nothing to align to
        return 0.0
    return missing if first.number == 0 and missing > 0 else 0.0


def melody_from_music21(
    stream: music21.stream.Stream[Any],
    *,
    part: int | str | None = None,
    steps_per_quarter: int = 4,
    meta: dict[str, str | int | float] | None = None,
) -> Melody:
    """One melody from a music21 score (the ``part`` given, else the soprano/top part) or part.

    Offsets are rounded to the nearest grid step (triplets land on the nearest sixteenth).

    Raises:
        NoMelodyError: the part has no notes.
    """
    from music21 import chord, meter, tempo
    from music21 import key as m21key
    from music21 import note as m21note

    chosen = _pick_part(stream, part)
    if chosen.atSoundingPitch is False:  # a transposing part (our MIDI 0-11, a Bb clarinet): as it sounds
        chosen = chosen.toSoundingPitch()
    flat = chosen.flatten()
    pickup = round(_pickup_padding(chosen) * steps_per_quarter)
    notes: list[list[int]] = []  # pitch, start, end, velocity
    letters: list[tuple[str, int | None]] = []  # each note's written letter and octave
    waiting: list[int] = []  # notes a tie goes out from
    for el in flat.notes:
        if isinstance(el, chord.Chord):
            if not el.pitches:
                continue
            top = max(el.pitches, key=lambda p: p.midi)
        elif isinstance(el, m21note.Note):
            top = el.pitch
        else:
            continue
        midi = top.midi
        if el.quarterLength == 0 or not 0 <= midi <= 127:
            continue  # grace notes have no duration of their own
        start = round(Fraction(el.offset) * steps_per_quarter)
        end = round((Fraction(el.offset) + Fraction(el.quarterLength)) * steps_per_quarter)
        tie = el.tie.type if el.tie is not None else None
        written = (top.step, top.octave)
        tied_from = (
            [i for i in waiting if notes[i][2] == start and letters[i] == written]
            if tie in ("stop", "continue")
            else []
        )
        if tied_from:  # lengthen the note it continues: the same written note (ABC's accidentals carry
            # through a tie and music21 spells the second note without it); a "tie" to another note is a slur
            index = next((i for i in tied_from if notes[i][0] == midi), tied_from[0])
            waiting.remove(index)
            notes[index][2] = end
        else:
            velocity = el.volume.velocity if el.volume.velocity else 100
            notes.append([midi, start, end, max(1, min(127, int(velocity)))])
            letters.append(written)
            index = len(notes) - 1
        if tie in ("start", "continue"):
            waiting.append(index)
    melody_notes = [Note(p, s + pickup, max(1, e - s), v) for p, s, e, v in notes]
    if not melody_notes:
        raise NoMelodyError("the music21 stream has no notes: there is no melody to take")
    kwargs: dict[str, Any] = {"steps_per_quarter": steps_per_quarter, "meta": dict(meta or {})}
    signatures = [(ts.numerator, ts.denominator) for ts in flat.getElementsByClass(meter.TimeSignature)]
    if signatures:  # music21 reads some ABC pickups as 1/6 or 1/3: take the first that a bar can be
        kwargs["time_signature"] = next((ts for ts in signatures if _writable(ts)), signatures[0])
    mm = flat.getElementsByClass(tempo.MetronomeMark).first()
    if mm is not None and mm.number:
        qpm = mm.getQuarterBPM()
        if qpm and 1 <= qpm <= 1000:
            kwargs["tempo"] = float(qpm)
    ks = flat.getElementsByClass((m21key.Key, m21key.KeySignature)).first()
    if ks is not None:
        kwargs["key"] = _key_of(ks if isinstance(ks, m21key.Key) else ks.asKey("major"))
    return Melody(highest_line(melody_notes), **kwargs)


def _key_of(key: music21.key.Key) -> Key:
    """music21's key as jupymuse's: its tonic as music21 spells it and its mode (ionian as major, a mode
    jupymuse does not know as major), or the usual spelling where music21's has a microtone."""
    mode = "major" if key.mode == "ionian" or key.mode not in MODES else str(key.mode)
    tonic = key.tonic
    alter = tonic.alter
    if alter != int(alter):
        return Key.from_pitch_class(tonic.pitchClass, mode)
    return Key(str(tonic.step), int(alter), mode)


def melody_to_music21(melody: Melody) -> music21.stream.Part:
    """A music21 part with the melody's notes and rests, meter, key and tempo."""
    from music21 import key as m21key
    from music21 import meter, note, stream, tempo

    part = stream.Part()
    part.append(meter.TimeSignature(f"{melody.time_signature[0]}/{melody.time_signature[1]}"))
    if melody.key is not None:  # music21 writes flats as "-"
        key = melody.key
        part.append(m21key.Key(key.letter + ("#" * key.alter if key.alter > 0 else "-" * -key.alter), key.mode))
    part.append(tempo.MetronomeMark(number=melody.tempo))
    spq = melody.steps_per_quarter
    pos = 0
    for n in melody.notes:
        if n.start > pos:
            part.append(note.Rest(quarterLength=Fraction(n.start - pos, spq)))
        m21n = note.Note(n.pitch, quarterLength=Fraction(n.duration, spq))
        m21n.volume.velocity = n.velocity
        part.append(m21n)
        pos = n.end
    return part


def _writable(time_signature: tuple[int, int]) -> bool:
    try:
        check_time_signature(time_signature)
    except InvalidNoteError:
        return False
    return True
