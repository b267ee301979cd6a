"""Pitch names follow the key (issue 21, case 11): a key given by name keeps its spelling, and every name
jupymuse prints for a person (text notation, reprs, the Studio's why-views) is spelled in the melody's
key, given or guessed; with no key, ``pitch_name`` keeps MIDI's sharps. Every name reads back exactly."""

from __future__ import annotations

import pytest

from jupymuse import Melody
from jupymuse.errors import NotationError
from jupymuse.music import parse_pitch, pitch_name
from jupymuse.music.key import Key
from jupymuse.music.spelling import Speller


def speller(name: str) -> Speller:
    return Speller(Key.parse(name))


EVERY_KEY = [f"{letter}{sign} {mode}" for letter in "CDEFGAB" for sign in ("", "#", "b") for mode in ("major", "minor")]


@pytest.mark.parametrize(
    ("key", "fifths"),
    [
        ("Gb major", -6),
        ("F# major", 6),
        ("Eb minor", -6),
        ("D# minor", 6),
        ("C# major", 7),
        ("Cb major", -7),
        ("A# minor", 7),
        ("Ab minor", -7),
        ("Db major", -5),
        ("C# minor", 4),
        ("E- major", -3),  # music21's flat
        ("bb minor", -5),  # any case
        ("G# major", -4),  # eight sharps: written as Ab major
        ("Fb major", 4),  # eight flats: E major
        ("F## minor", -2),  # G minor
    ],
)
def test_a_key_keeps_the_signature_its_name_says(key: str, fifths: int) -> None:
    assert Key.parse(key).fifths == fifths
    assert speller(key).fifths == fifths


def test_unreadable_keys_are_refused_and_no_key_is_c_major() -> None:
    for name in ("", "H major", "C##", "X major", "C#b4 major"):
        with pytest.raises(NotationError, match="is not a key"):
            Key.parse(name)
    assert (Speller(None).fifths, Speller(None).mode) == (0, "major")
    assert Key.parse("Gb major") == Key("G", -1, "major")
    assert Key.parse("Gb major").tonic == Key.parse("F# major").tonic == 6
    assert Key.parse(" e-  MINOR ") == Key("E", -1, "minor")


def test_key_names_from_a_pitch_class_use_the_usual_spelling() -> None:
    assert [str(Key.from_pitch_class(pc, "major")) for pc in range(12)] == [
        "C major", "Db major", "D major", "Eb major", "E major", "F major",
        "F# major", "G major", "Ab major", "A major", "Bb major", "B major",
    ]  # fmt: skip
    minors = [str(Key.from_pitch_class(pc, "minor")) for pc in (1, 3, 8, 10)]
    assert minors == ["C# minor", "Eb minor", "G# minor", "Bb minor"]
    assert all(abs(Key.from_pitch_class(pc, mode).fifths) <= 6 for pc in range(12) for mode in ("major", "minor"))


def test_transposing_by_octaves_keeps_the_key_as_named() -> None:
    melody = Melody.from_notation("Gb4:4 Bb4:4", key="Gb major")
    assert melody.transpose(12).key == Key.parse("Gb major")
    assert melody.transpose(-24).key == Key.parse("Gb major")
    assert str(melody.transpose(1).key) == "G major"
    assert str(melody.transpose(-5).key) == "Db major"


def test_the_speller_writes_seven_accidentals() -> None:
    sharps = speller("C# major")
    assert sharps.signature == dict.fromkeys("CDEFGAB", 1)
    assert sharps.spell(60) == ("B", 1, 3)  # B#3: the octave follows the letter
    assert sharps.spell(65) == ("E", 1, 4)
    flats = speller("Cb major")
    assert flats.signature == dict.fromkeys("CDEFGAB", -1)
    assert flats.spell(71) == ("C", -1, 5)
    assert flats.spell(64) == ("F", -1, 4)
    assert speller("A# minor").spell(69) == ("G", 2, 4)  # the raised seventh: G double sharp
    assert speller("Gb major").name(71) == "Cb5"
    assert speller("Eb minor").name(66) == "Gb4"


def test_a_church_mode_is_spelled_with_its_signature() -> None:
    dorian = speller("D dorian")
    assert (dorian.fifths, dorian.mode) == (0, "dorian")
    assert dorian.name(71) == "B4"  # no raised seventh: dorian's sixth is natural
    assert dorian.name(70) == "Bb4"
    assert speller("E dorian").name(66) == "F#4"
    assert speller("D phrygian").name(63) == "Eb4"
    assert pitch_name(66, Key.parse("F lydian")) == "F#4"
    assert pitch_name(66, "Gb major") == pitch_name(66, Key.parse("Gb major")) == "Gb4"


def test_pitch_name_uses_sharps_without_a_key_and_the_key_with_one() -> None:
    assert [pitch_name(p) for p in (60, 61, 70)] == ["C4", "C#4", "A#4"]
    assert pitch_name(70, "F major") == "Bb4"
    assert pitch_name(70, "C major") == "Bb4"  # C major's one borrowed flat
    assert pitch_name(70, "B major") == "A#4"
    assert pitch_name(66, "Gb major") == "Gb4"
    assert pitch_name(66, "Eb minor") == "Gb4"
    assert pitch_name(60, "C# major") == "B#3"
    assert pitch_name(0, "C major") == "C-1"


@pytest.mark.parametrize("key", [None, *EVERY_KEY, "C dorian", "F# mixolydian", "Bb locrian"])
def test_every_name_in_every_key_reads_back(key: str | None) -> None:
    assert [parse_pitch(pitch_name(p, key)) for p in range(128)] == list(range(128))


def test_the_text_notation_is_spelled_in_the_melody_key() -> None:
    assert Melody.from_notation("Bb4:4 C5:4 D5:4 F5:4").to_notation() == "Bb4:4 C5:4 D5:4 F5:4"  # guessed
    assert Melody.from_notation("A#4:4 B4:4", key="B major").to_notation() == "A#4:4 B4:4"
    assert Melody.from_notation("Bb4:4 B4:4", key="B major").to_notation() == "A#4:4 B4:4"
    given = Melody.from_notation("Gb4:4 Ab4 Bb4 Cb5 Db5 Eb5 F5 Gb5", key="Gb major")
    assert given.to_notation() == "Gb4:4 Ab4:4 Bb4:4 Cb5:4 Db5:4 Eb5:4 F5:4 Gb5:4"
    assert "Bb4" in repr(Melody.from_notation("F4:4 A4 Bb4 C5 F5"))


@pytest.mark.parametrize("key", [None, "Gb major", "C# major", "Ab minor", "D# minor", "C dorian"])
def test_the_text_notation_still_reads_back_to_the_same_melody(key: str | None) -> None:
    notes = [(p, 2 * i, 2, 90 if p % 5 else 100) for i, p in enumerate(range(0, 128, 3))]
    melody = Melody(notes, key=key)
    assert Melody.from_notation(melody.to_notation(), key=key) == melody


@pytest.mark.parametrize("key", [5, b"G major", ("G", "major"), ["G major"], "X" * 1000, "\ud800 major", "H dur"])
def test_a_melody_refuses_a_key_that_is_not_one(key: object) -> None:
    with pytest.raises(NotationError, match=r"not a key|must be text"):
        Melody.from_notation("C4:4 D4:4 A#4:4", key=key)  # type: ignore[arg-type]
    with pytest.raises(NotationError):
        pitch_name(60, key)  # type: ignore[arg-type]
