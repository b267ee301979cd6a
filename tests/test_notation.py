import pytest

from jupymuse import Melody, NotationError
from jupymuse.music import parse_notation, parse_pitch, pitch_name


@pytest.mark.parametrize(
    ("text", "midi"),
    [
        ("C4", 60),
        ("c4", 60),
        ("C#4", 61),
        ("Db4", 61),
        ("B3", 59),
        ("Cb4", 59),
        ("C-1", 0),
        ("G9", 127),
        ("F##2", 43),
        ("60", 60),
    ],
)
def test_parse_pitch(text: str, midi: int) -> None:
    assert parse_pitch(text) == midi


def test_pitch_names_round_trip_over_the_whole_range() -> None:
    assert all(parse_pitch(pitch_name(p)) == p for p in range(128))


def test_durations_carry_over_and_rests_make_gaps() -> None:
    notes = parse_notation("C4:4 D4 E4:8 r:4 G4:16@70 | A4")
    assert [(n.pitch, n.start, n.duration, n.velocity) for n in notes] == [
        (60, 0, 4, 100),
        (62, 4, 4, 100),
        (64, 8, 8, 100),
        (67, 20, 16, 70),
        (69, 36, 16, 100),
    ]


def test_first_token_defaults_to_a_quarter_of_the_grid() -> None:
    assert parse_notation("C4", steps_per_quarter=12)[0].duration == 12


def test_notation_round_trips_through_melody() -> None:
    text = "r:2 C4:4 D4:2@90 r:6 F#5:16"
    m = Melody.from_notation(text)
    assert m.notes[0].start == 2
    assert Melody.from_notation(m.to_notation()) == m
    # a leading rest is written out again
    assert m.to_notation() == text


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("H4:4", "not a pitch"),
        ("C4:x", "not a whole number"),
        ("C4:0", "at least 1"),
        ("C11", "outside"),
        ("r:4@80", "rest has no velocity"),
        ("C4@200", "velocity"),
        ("C4:4:4", "cannot read"),
    ],
)
def test_bad_notation_names_the_token(text: str, words: str) -> None:
    with pytest.raises(NotationError, match=words):
        parse_notation(text)
