"""``Key``: a key is read from text in one place, refuses what is not a key by name, and every consumer
(scale, cadence, MusicXML, MIDI, music21, note-seq) takes the mode it says."""

from __future__ import annotations

import re

import pytest

from jupymuse import Melody
from jupymuse.errors import JupymuseError, ModelError, NotationError
from jupymuse.models.sampling import allowed_pitches
from jupymuse.models.sampling_settings import SamplingSettings
from jupymuse.music.key import MODES, Key, as_key
from jupymuse.music.keys import guess_key, tonic_class
from jupymuse.music.midi import read_midi

SPELLINGS = [
    ("G major", Key("G", 0, "major")),
    ("f# minor", Key("F", 1, "minor")),
    ("Bb major", Key("B", -1, "major")),
    ("E- minor", Key("E", -1, "minor")),  # music21's flat
    ("  D   DORIAN ", Key("D", 0, "dorian")),
    ("C## major", Key("C", 2, "major")),
    ("C#b major", Key("C", 0, "major")),
    ("a aeolian", Key("A", 0, "aeolian")),
    ("E phrygian", Key("E", 0, "phrygian")),
    ("F lydian", Key("F", 0, "lydian")),
    ("G Mixolydian", Key("G", 0, "mixolydian")),
    ("B locrian", Key("B", 0, "locrian")),
]


@pytest.mark.parametrize(("text", "key"), SPELLINGS)
def test_every_accepted_spelling_parses(text: str, key: Key) -> None:
    assert Key.parse(text) == key
    assert as_key(text) == key


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("tonic", ["C", "F#", "Bb", "Ebb", "A##"])
def test_a_key_reads_back_from_its_name(tonic: str, mode: str) -> None:
    key = Key.parse(f"{tonic} {mode}")
    assert str(key) == f"{tonic} {mode}"
    assert Key.parse(str(key)) == key
    assert hash(key) == hash(Key.parse(f"{tonic.lower()} {mode.upper()}"))


@pytest.mark.parametrize("text", ["H dur", "X major", "", "G", "major", "C x major", "G major minor", "D dorain"])
def test_text_that_is_not_a_key_is_refused_by_name(text: str) -> None:
    with pytest.raises(NotationError, match=re.escape(repr(text)) + " is not a key: write a tonic") as caught:
        Key.parse(text)
    assert "dorian" in str(caught.value)  # says what is accepted, modes included
    assert isinstance(caught.value, JupymuseError)


@pytest.mark.parametrize("value", [42, None, b"G major", ("G", "major")])
def test_a_value_that_is_not_text_is_refused_by_type(value: object) -> None:
    with pytest.raises(NotationError, match=f"a key must be text: .*; not {type(value).__name__}"):
        Key.parse(value)


def test_a_key_made_directly_is_checked() -> None:
    for args in [("H", 0, "major"), ("C", 0.5, "major"), ("C", True, "major"), ("C", 0, "dur")]:
        with pytest.raises(NotationError, match="a key's"):
            Key(*args)  # type: ignore[arg-type]
    with pytest.raises(NotationError, match="mode must be one of"):
        Key.from_pitch_class(0, "dur")


def test_spellings_that_sound_alike_stay_distinct() -> None:
    sharp, flat = Key.parse("C# major"), Key.parse("Db major")
    assert sharp != flat
    assert sharp.tonic == flat.tonic == 1
    assert (sharp.fifths, flat.fifths) == (7, -5)
    assert len({sharp, flat, Key.parse("c# MAJOR")}) == 2
    assert Key.parse("G major") != "G major"  # a key is not its name


def test_tonic_scale_and_signature() -> None:
    assert Key.parse("G major").scale == (0, 2, 4, 5, 7, 9, 11)
    assert Key.parse("A minor").scale == (0, 2, 3, 5, 7, 8, 11)  # harmonic minor, as always
    assert Key.parse("A aeolian").scale == (0, 2, 3, 5, 7, 8, 10)  # the natural minor
    assert sorted(Key.parse("D dorian").pitch_classes) == [0, 2, 4, 5, 7, 9, 11]  # the white notes
    assert sorted(Key.parse("G mixolydian").pitch_classes) == [0, 2, 4, 5, 7, 9, 11]
    assert sorted(Key.parse("E phrygian").pitch_classes) == [0, 2, 4, 5, 7, 9, 11]
    assert sorted(Key.parse("F lydian").pitch_classes) == [0, 2, 4, 5, 7, 9, 11]
    assert sorted(Key.parse("B locrian").pitch_classes) == [0, 2, 4, 5, 7, 9, 11]
    assert sorted(Key.parse("A dorian").pitch_classes) == [0, 2, 4, 6, 7, 9, 11]  # F#: G major's signature
    signatures = {"A dorian": 1, "E dorian": 2, "D phrygian": -2, "D mixolydian": 1, "Bb lydian": -1, "F# locrian": 1}
    assert {name: Key.parse(name).fifths for name in signatures} == signatures
    assert Key.parse("Eb minor").tonic == 3
    assert str(Key.parse("D dorian").relative_major) == "C major"
    assert str(Key.parse("Gb major").relative_major) == "Gb major"


def test_transposing_a_key() -> None:
    gb = Key.parse("Gb major")
    assert gb.transpose(12) == gb.transpose(-24) == gb  # whole octaves keep the spelling
    assert str(gb.transpose(1)) == "G major"
    assert str(gb.transpose(-5)) == "Db major"  # the usual spelling, not C# major
    assert str(Key.parse("D dorian").transpose(2)) == "E dorian"
    assert str(Key.parse("A minor").transpose(-6)) == "Eb minor"
    assert str(Key.parse("C major").transpose(6)) == "F# major"


def test_the_usual_spelling_of_a_mode_has_the_fewest_accidentals() -> None:
    for mode in MODES:
        for pc in range(12):
            key = Key.from_pitch_class(pc + 12 * 3, mode)
            assert key.tonic == pc
            assert abs(key.fifths) <= 6
    assert str(Key.from_pitch_class(8, "dorian")) == "Ab dorian"  # six flats or six sharps: flats
    assert str(Key.from_pitch_class(8, "mixolydian")) == "Ab mixolydian"  # Db major's five flats


def test_a_melody_parses_its_key_once_and_refuses_what_is_not_one() -> None:
    melody = Melody.from_notation("D4:4 F4:4", key="d dorian")
    assert melody.key == Key.parse("D dorian")
    assert str(melody.key) == "D dorian"
    assert Melody.from_notation("D4:4 F4:4", key=Key.parse("D dorian")) == melody
    assert melody.replace(key=None).key is None
    with pytest.raises(NotationError, match="'H dur' is not a key"):
        Melody(key="H dur")
    with pytest.raises(NotationError, match="not int 42"):
        Melody(key=42)  # type: ignore[arg-type]


def test_a_dorian_melody_writes_its_signature_and_mode() -> None:
    melody = Melody.from_notation("D4:4 E4:4 F4:4 G4:4 A4:4 B4:4 C5:4 D5:4", key="D dorian")
    text = str(melody.to_musicxml())
    assert "<key><fifths>0</fifths><mode>dorian</mode></key>" in text
    assert "<accidental>" not in text  # B natural is in the key: no sign
    assert "<key><fifths>1</fifths><mode>dorian</mode></key>" in str(melody.transpose(7).to_musicxml())
    assert str(melody.transpose(7).key) == "A dorian"


def test_a_modal_melody_round_trips_through_music21_and_note_seq() -> None:
    melody = Melody.from_notation("E4:4 F#4:4 G4:4 A4:4", key="E dorian")
    assert Melody.from_music21(melody.to_music21()).key == melody.key
    assert Melody.from_note_sequence(melody.to_note_sequence()).key == melody.key
    aeolian = melody.replace(key="A aeolian")  # note-seq has no aeolian: the minor key on its tonic
    assert str(Melody.from_note_sequence(aeolian.to_note_sequence()).key) == "A minor"


@pytest.mark.parametrize(
    ("key", "written"), [("D dorian", "C major"), ("A aeolian", "A minor"), ("Gb major", "F# major"), ("E minor", None)]
)
def test_midi_writes_major_or_minor(key: str, written: str | None) -> None:
    """MIDI's key signature says major or minor: a church mode writes its relative major's signature."""
    melody = Melody.from_notation("E4:4 F#4:4 G4:4", key=key)
    back = read_midi(bytes(melody.to_midi()))  # type: ignore[arg-type]
    assert str(back.key) == (written or key)


def test_scale_and_cadence_use_the_mode() -> None:
    dorian = Key.parse("D dorian")
    assert (allowed_pitches(scale=dorian) == allowed_pitches(scale="d DORIAN")).all()
    assert sorted({p % 12 for p in range(128) if allowed_pitches(scale=dorian)[p]}) == [0, 2, 4, 5, 7, 9, 11]
    assert SamplingSettings(scale="D dorian").scale == dorian
    assert SamplingSettings(scale=dorian).to_dict()["scale"] == "D dorian"  # a model file keeps the name
    with pytest.raises(ModelError, match=r"scale must be a key like 'G major'.*'H dur' is not a key"):
        SamplingSettings(scale="H dur")
    melody = Melody.from_notation("A4:4 G4:4 F4:4 E4:4", key="D dorian")  # guessed: A minor or F major
    assert tonic_class(melody) == 2
    assert guess_key(melody) == dorian
    assert str(guess_key(melody.replace(key=None))) != "D dorian"  # a guess is major or minor
