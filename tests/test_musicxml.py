"""Melody.to_musicxml: what the file says (clef, key, meter, tempo, title, pickup, ties, triplets, beams),
and that music21 reads it back to the same notes: hand-made melodies and a sample of three corpora; keys
spelled as named, octaves MusicXML can write, and work bounded by the values written (issue 21, cases 2
and 11)."""

import re
import time
from fractions import Fraction
from pathlib import Path

import pytest
from music21 import converter

import jupymuse
from jupymuse import Melody, Note
from jupymuse.errors import OutputError, ScoreError
from jupymuse.music.engrave import layout
from jupymuse.music.key import Key
from jupymuse.music.keys import guess_key, tonic_class
from jupymuse.music.musicxml import MAX_MUSICXML_PIECES, fewest_values
from jupymuse.music.spelling import Speller


def mel(text: str, **kwargs: object) -> Melody:
    return Melody.from_notation(text, **kwargs)  # type: ignore[arg-type]


def read_back(melody: Melody) -> Melody:
    score = converter.parse(melody.to_musicxml(), format="musicxml")
    return Melody.from_music21(score, steps_per_quarter=melody.steps_per_quarter)


def same_notes(a: Melody, b: Melody) -> bool:
    return [(n.pitch, n.start, n.duration) for n in a.notes] == [(n.pitch, n.start, n.duration) for n in b.notes]


HAND_MADE = {
    "ties across bar lines": mel("C4:12 D4:12 E4:20 F4:2 G4:2 r:4 A4:32", key="C major"),
    "pickup": mel("r:12 G4:4 C5:8 B4:4 A4:4 G4:16", key="C major"),
    "pickup in 6/8": mel("r:10 G4:2 C5:6 D5:6", time_signature=(6, 8), key="C major"),
    "1/8 triplets": mel("G4:6 A4:2 B4:2 C5:2 D5:4 E5:8 F#5:3 F5:3 F5:6", steps_per_quarter=6, key="G major"),
    "1/16 triplets on a 12 grid": mel("C5:2 D5:2 E5:2 F5:6 G5:4 A5:4 B5:4 C6:24", steps_per_quarter=12),
    "7/8 and dotted notes": mel("D4:6 E4:2 F#4:6 r:4 A4:10 B4:8", time_signature=(7, 8), key="D major"),
    "quintuplets": mel("C4:1 D4:1 E4:1 F4:1 G4:1 A4:10", steps_per_quarter=5),
    "a minor key's raised seventh": mel("A4:4 C5:4 E5:4 G#4:4 A4:16", key="A minor"),
    "bass clef": mel("C2:4 E2:4 G2:8 C3:16", key="C major", tempo=72.5),
    "starts after whole bars of rest": mel("r:40 C5:4 D5:4", key="C major"),
}


@pytest.mark.parametrize("name", HAND_MADE)
def test_hand_made_melodies_come_back_the_same(name: str) -> None:
    melody = HAND_MADE[name]
    back = read_back(melody)
    assert same_notes(melody, back), (melody.to_notation(), back.to_notation())
    assert back.time_signature == melody.time_signature
    assert back.tempo == pytest.approx(melody.tempo)
    assert back.key == (melody.key or guess_key(melody))


@pytest.mark.slow
@pytest.mark.parametrize(("corpus", "every"), [("bach-chorales:bwv2", 3), ("essen:kinder", 15), ("oneills:0001", 4)])
def test_a_sample_of_the_corpora_comes_back_the_same(corpus: str, every: int) -> None:
    """A sample (quick to convert); ``benchmarks/musicxml_roundtrip.py`` runs every melody of the three corpora."""
    melodies = list(jupymuse.load_corpus(corpus, progress=False))[::every]
    assert len(melodies) >= 10
    for melody in melodies:
        back = read_back(melody)
        assert [(n.pitch, n.duration) for n in melody.notes] == [(n.pitch, n.duration) for n in back.notes]
        assert same_notes(melody, back), melody.meta  # the starts too: pickups stay where they were
        assert (back.key, back.time_signature) == (melody.key, melody.time_signature)


def test_the_file_says_clef_key_meter_tempo_and_title() -> None:
    melody = mel("r:12 F4:4 C5:4 A4:4 Bb4:8 B4:4 r:4", key="F major", tempo=96, meta={"title": "Tom & Jerry <1>"})
    text = melody.to_musicxml()
    assert isinstance(text, str)
    assert "<work-title>Tom &amp; Jerry &lt;1&gt;</work-title>" in text
    assert "<fifths>-1</fifths><mode>major</mode>" in text
    assert "<beats>4</beats><beat-type>4</beat-type>" in text
    assert "<sign>G</sign><line>2</line>" in text
    assert '<per-minute>96</per-minute></metronome></direction-type><sound tempo="96"/>' in text
    assert '<measure number="0" implicit="yes">' in text  # the pickup
    assert text.count("<accidental>") == 1  # B natural; Bb is in the key
    assert "<accidental>natural</accidental>" in text
    assert re.findall(r'<note id="(\w+)"', text) == ["n0", "n1", "n2", "n3", "n4", "r0"]
    assert "<sign>F</sign><line>4</line>" in mel("C2:4 G2:4", key="C major").to_musicxml()


def test_ties_and_tuplets_in_the_file() -> None:
    text = mel("C4:12 D4:12 E4:4", key="C major").to_musicxml()
    assert re.findall(r'<note id="([\w-]+)"', text) == ["n0", "n1", "n1-1", "n2", "r0"]
    assert text.count('<tie type="start"/>') == 1
    assert text.count('<tied type="stop"/>') == 1
    triplets = mel("C4:2 D4:2 E4:2 F4:6", steps_per_quarter=6).to_musicxml()
    assert triplets.count("<actual-notes>3</actual-notes><normal-notes>2</normal-notes>") == 3
    assert triplets.count('<tuplet type="start"/>') == 1
    assert triplets.count('<tuplet type="stop"/>') == 1
    assert triplets.count('<beam number="1">begin</beam>') == 1


def test_layout_values_beams_and_bars() -> None:
    plan = layout(mel("C4:2 D4:2 E4:1 F4:1 G4:2 A4:6 B4:2", key="C major"))
    [bar] = plan.bars
    assert [(p.type, p.dots) for p in bar.pieces] == [("eighth", 0)] * 2 + [("16th", 0)] * 2 + [
        ("eighth", 0),
        ("quarter", 1),
        ("eighth", 0),
    ]
    assert [p.beams for p in bar.pieces[:5]] == [
        ("begin",),
        ("end",),
        ("begin", "begin"),
        ("continue", "end"),
        ("end",),
    ]
    assert plan.divisions == 4
    compound = layout(mel("C4:2 D4:2 E4:2 F4:2 G4:2 A4:2", time_signature=(6, 8)))
    assert [p.beams[0] for p in compound.bars[0].pieces] == ["begin", "continue", "end"] * 2
    empty = layout(Melody())
    assert [(p.type, p.duration) for p in empty.bars[0].pieces] == [("", Fraction(4))]  # one bar rest


def test_to_musicxml_writes_a_file(tmp_path: Path) -> None:
    melody = mel("G4:4 A4:4 B4:8")
    path = melody.to_musicxml(tmp_path / "m.musicxml")
    assert path == tmp_path / "m.musicxml"
    assert path.read_text(encoding="utf-8") == melody.to_musicxml()
    with pytest.raises(OutputError, match="does not exist"):
        melody.to_musicxml(tmp_path / "missing" / "m.musicxml")


def test_a_grid_no_note_value_can_write_is_refused() -> None:
    with pytest.raises(ScoreError, match="1024th"):
        Melody([Note(60, 0, 1), Note(62, 1, 959)], steps_per_quarter=960).to_musicxml()


def test_keyless_melodies_get_a_guessed_key() -> None:
    melody = mel("A4:4 C5:4 E5:4 G#4:4 A4:8")
    assert melody.key is None
    assert "<fifths>0</fifths><mode>minor</mode>" in melody.to_musicxml()
    assert read_back(melody).key == Key.parse("A minor")
    assert tonic_class(melody) == 9
    assert "<fifths>0</fifths><mode>major</mode>" in Melody().to_musicxml()


def test_spelling_follows_the_key() -> None:
    def speller(name: str) -> Speller:
        return Speller(Key.parse(name))

    assert (speller("Db major").fifths, speller("Db major").mode) == (-5, "major")
    assert speller("F# major").fifths == 6
    assert (speller("D minor").fifths, speller("D minor").mode) == (-1, "minor")
    assert (Speller(None).fifths, Speller(None).mode) == (0, "major")
    assert speller("A major").spell(61) == ("C", 1, 4)
    assert speller("F minor").spell(61) == ("D", -1, 4)
    assert speller("D minor").spell(61) == ("C", 1, 4)  # the raised seventh
    assert speller("F# major").spell(65) == ("E", 1, 4)
    assert speller("Db major").spell(66) == ("G", -1, 4)
    assert speller("C major").spell(70) == ("B", -1, 4)


@pytest.mark.parametrize(
    ("key", "fifths", "spelled"),
    [
        ("Gb major", -6, "<step>C</step><alter>-1</alter><octave>5</octave>"),  # MIDI 71: Cb5, not B4
        ("Eb minor", -6, "<step>C</step><alter>-1</alter><octave>5</octave>"),
        ("F# major", 6, "<step>B</step><octave>4</octave>"),
        ("D# minor", 6, "<step>B</step><octave>4</octave>"),
        ("C# major", 7, "<step>B</step><alter>1</alter><octave>3</octave>"),  # MIDI 60: B#3
        ("Cb major", -7, "<step>C</step><alter>-1</alter><octave>5</octave>"),
        ("A dorian", 1, "<step>F</step><alter>1</alter><octave>4</octave>"),  # the signature of G major
        ("Bb mixolydian", -3, "<step>G</step><alter>-1</alter><octave>4</octave>"),
    ],
)
def test_a_key_given_by_name_is_written_as_named(key: str, fifths: int, spelled: str) -> None:
    melody = mel("C4:4 Gb4:4 B4:4 C5:4", key=key)
    text = melody.to_musicxml()
    assert f"<fifths>{fifths}</fifths><mode>{key.split()[1]}</mode>" in text
    assert spelled in text
    back = read_back(melody)
    assert same_notes(melody, back)
    assert back.key == Key.parse(key)  # spelled as named


def test_notes_below_c0_are_written_an_octave_up_in_a_transposing_part() -> None:
    """MusicXML's octaves are 0-9: MIDI 0-11 are written an octave higher, ``<octave-change>`` says so."""
    melody = mel("C-1:4 F#-1:4 B-1:4 C0:4 G1:4 A8:4", key="C major")
    text = melody.to_musicxml()
    octaves = [int(o) for o in re.findall(r"<octave>(-?\d+)</octave>", text)]
    assert octaves == [0, 0, 0, 1, 2, 9]
    assert "<transpose><diatonic>0</diatonic><chromatic>0</chromatic><octave-change>-1</octave-change>" in text
    assert "<words>sounds an octave lower</words>" in text
    score = converter.parse(text, format="musicxml").toSoundingPitch()
    assert same_notes(Melody.from_music21(score), melody)  # a reader that follows the transposition
    assert "octave-change" not in mel("C0:4 G9:4").to_musicxml()  # C0 is written as it is


def test_a_spelling_outside_the_ten_octaves_moves_to_the_next_letter() -> None:
    low = Melody([Note(0, 0, 4), Note(12, 4, 4), Note(13, 8, 4)], key="C# major")  # B#-2, B#-1, C#0
    text = low.to_musicxml()
    assert re.findall(r"<step>(\w)</step>(?:<alter>(-?\d)</alter>)?<octave>(\d)</octave>", text) == [
        ("C", "", "0"),  # B#-2 written an octave up would be B#-1
        ("B", "1", "0"),
        ("C", "1", "1"),
    ]
    score = converter.parse(text, format="musicxml").toSoundingPitch()
    assert same_notes(Melody.from_music21(score), low)
    high = Melody([Note(119, 0, 4), Note(127, 4, 4)], key="Cb major")  # Cb9 is B8; MIDI 131 would be Cb10
    assert "<octave>10</octave>" not in high.to_musicxml()
    assert same_notes(read_back(high), high)


@pytest.mark.parametrize("key", [None, "C major", "Gb major", "C# major", "Ab minor", "D# minor"])
def test_every_written_octave_is_0_to_9(key: str | None) -> None:
    for low, high in ((0, 100), (5, 119), (12, 127), (30, 127)):
        notes = [Note(p, 2 * i, 2) for i, p in enumerate(range(low, high + 1))]
        text = Melody(notes, key=key).to_musicxml()
        assert {int(o) for o in re.findall(r"<octave>(-?\d+)</octave>", text)} <= set(range(10)), (key, low)


def test_the_score_draws_notes_below_c0() -> None:
    melody = mel("C-1:4 E-1:4 G-1:4 C0:4", key="C major")
    score = melody.show()
    assert set(score.note_ids.values()) == {0, 1, 2, 3}
    assert all(f'id="{note_id}"' in score.svg for note_id in score.note_ids)
    assert "<octave>-1</octave>" not in score.musicxml


def test_a_melody_wider_than_ten_written_octaves_is_refused_by_name() -> None:
    with pytest.raises(ScoreError, match=r"MusicXML writes octaves 0-9.*MIDI 0 \(C-1\) to 120 \(C9\)") as refused:
        Melody([Note(0, 0, 1), Note(120, 1, 1)]).to_musicxml()
    assert "save it as MIDI" in str(refused.value)
    with pytest.raises(ScoreError, match="octaves 0-9"):
        Melody([Note(0, 0, 1), Note(120, 1, 1)]).show()


def test_an_export_is_bounded_by_the_values_it_writes_and_refused_before_any_work() -> None:
    """25,001 notes 13 steps long at one step per quarter: two tied values each, over the limit."""
    tied = Melody([Note(60, 13 * i, 13) for i in range(25_001)], steps_per_quarter=1, time_signature=(255, 1))
    assert fewest_values(tied) == 50_002 > MAX_MUSICXML_PIECES
    rests = Melody([Note(60, 2 * i, 1) for i in range(25_001)], steps_per_quarter=1)  # a rest after each note
    assert fewest_values(rests) == 50_001
    for melody in (tied, rests):
        started = time.process_time()
        with pytest.raises(ScoreError, match=r"at most 50,000 notes and rests \(MAX_MUSICXML_PIECES\)"):
            melody.to_musicxml()
        assert time.process_time() - started < 1.0
    assert fewest_values(mel("C4:4 r:4 D4:48 r:49 E4:49")) == 1 + 1 + 1 + 2 + 2
