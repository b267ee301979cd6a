"""music21 conversions."""

from jupymuse import Melody
from jupymuse.corpus import Corpus

from helpers import mel


def test_music21_round_trip_keeps_notes_rests_and_settings() -> None:
    m = mel("r:4 C4:4 D4:2 r:2 E4:6 G4:2", key="G major", time_signature=(3, 4), tempo=72)
    back = Melody.from_music21(m.to_music21())
    assert back == m


def test_chorale_melody_survives_music21_round_trip(chorales: Corpus) -> None:
    for melody in list(chorales)[:10]:
        assert Melody.from_music21(melody.to_music21()).notes == melody.notes


def test_chords_give_their_highest_note() -> None:
    from music21 import chord, stream

    s = stream.Stream()
    s.append(chord.Chord(["C4", "E4", "G4"], quarterLength=1))
    s.append(chord.Chord(["D4", "A4"], quarterLength=2))
    assert Melody.from_music21(s).to_notation() == "G4:4 A4:8"


def _tied(*notes: tuple[str, float, str | None]) -> Melody:
    """A melody from a music21 part of (pitch, quarter length, tie type) notes."""
    from music21 import note, stream, tie

    from jupymuse.music.m21 import melody_from_music21

    part = stream.Part()
    for name, length, kind in notes:
        n = note.Note(name, quarterLength=length)
        if kind:
            n.tie = tie.Tie(kind)
        part.append(n)
    return melody_from_music21(part)


def test_ties_join_the_same_written_note_and_nothing_else() -> None:
    """Tied notes become one (what music21's stripTies did, without its copies: 3x faster to convert)."""
    assert _tied(("C4", 1, "start"), ("C4", 1, "continue"), ("C4", 2, "stop"), ("D4", 1, None)).to_notation() == (
        "C4:16 D4:4"
    )
    # ABC carries an accidental through a tie; music21 writes the tied-to note without it: one note
    assert _tied(("B-4", 1, "start"), ("B4", 1, "stop")).notes[0].duration == 8
    # a "tie" between different notes is a slur in the source: both notes stay
    assert _tied(("E5", 0.5, "start"), ("D5", 0.5, "stop")).to_notation() == "E5:2 D5:2"
    # a stop with nothing tied into it is just a note
    assert _tied(("G4", 1, "stop"), ("G4", 1, None)).to_notation() == "G4:4 G4:4"


def test_a_transposing_part_reads_at_sounding_pitch() -> None:
    """MIDI 0-11 are written an octave up as a transposing part (MusicXML's octaves are 0-9)."""
    from music21 import converter

    low = Melody([(5, 0, 4), (30, 4, 4)])
    back = Melody.from_music21(converter.parse(low.to_musicxml()))
    assert [(n.pitch, n.start, n.duration) for n in back.notes] == [(5, 0, 4), (30, 4, 4)]
