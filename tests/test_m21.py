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
