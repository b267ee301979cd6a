"""Reading ABC (``Melody.from_abc``, ``jupymuse.read_abc``): header fields, the body, timing and refusals.

Each test writes the tune it reads, so what ABC 2.1 says and what jupymuse reads stand side by side. The
writer and the round trips over the corpora are in ``test_abc_roundtrip.py``.
"""

from __future__ import annotations

import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

import jupymuse
from fuzz import abc as abc_target
from fuzz.harness import assert_replayable, run_clean
from jupymuse import Key, Melody, read_abc
from jupymuse.errors import InvalidNoteError, NotationError, SettingError
from jupymuse.music.abc_read import MAX_ABC_BYTES, abc_tunes


def notes(melody: Melody) -> list[tuple[int, int, int]]:
    return [(n.pitch, n.start, n.duration) for n in melody.notes]


def tune(body: str, *, head: str = "X:1\nT:Test\nM:4/4\nL:1/8\nK:C\n", **kwargs: object) -> Melody:
    return Melody.from_abc(head + body, **kwargs)  # type: ignore[arg-type]


# ---------------------------------------------------------------------- header fields
def test_the_header_gives_title_number_meter_unit_tempo_and_key() -> None:
    melody = Melody.from_abc("X:12\nT:The Kesh\nT:An Ceis\nM:6/8\nL:1/8\nQ:3/8=120\nR:jig\nK:G\nGAG GAB|\n")
    assert dict(melody.meta) == {"title": "The Kesh", "number": "12"}
    assert melody.time_signature == (6, 8)
    assert melody.tempo == 180.0  # 120 dotted quarters a minute
    assert melody.key == Key("G", 0, "major")
    assert notes(melody) == [(67, 0, 2), (69, 2, 2), (67, 4, 2), (67, 6, 2), (69, 8, 2), (71, 10, 2)]


@pytest.mark.parametrize(
    ("field", "meter"), [("C", (4, 4)), ("C|", (2, 2)), ("3/4", (3, 4)), ("2+3+2/8", (7, 8)), ("(3+2)/8", (5, 8))]
)
def test_meters(field: str, meter: tuple[int, int]) -> None:
    assert tune("A", head=f"M:{field}\nK:C\n").time_signature == meter


@pytest.mark.parametrize(("meter", "eighths"), [("2/4", 1), ("3/4", 2), ("6/8", 2), ("C|", 2), ("none", 2)])
def test_the_unit_length_defaults_to_a_sixteenth_below_three_quarters(meter: str, eighths: int) -> None:
    assert notes(tune("A", head=f"M:{meter}\nK:C\n"))[0][2] == eighths


def test_free_meter_is_four_four_without_a_pickup() -> None:
    melody = tune("ABc", head="M:none\nK:C\n")
    assert melody.time_signature == (4, 4)
    assert notes(melody)[0] == (69, 0, 2)


@pytest.mark.parametrize(
    ("field", "tempo"),
    [("1/4=96", 96.0), ("3/8=60", 90.0), ("1/8 3/8=40", 80.0), ('"Allegro" 1/2=60', 120.0), ("120", 60.0),
     ("C2=120", 120.0), ('"Slowly"', 120.0)],
)  # fmt: skip
def test_tempo(field: str, tempo: float) -> None:
    """A bare number counts unit notes (here eighths) a minute; words alone leave the default."""
    assert tune("A", head=f"L:1/8\nQ:{field}\nK:C\n").tempo == tempo


@pytest.mark.parametrize(
    ("field", "key"),
    [("G", "G major"), ("Gm", "G minor"), ("Ador", "A dorian"), ("D mix", "D mixolydian"), ("Bb", "Bb major"),
     ("F#m", "F# minor"), ("Edor", "E dorian"), ("EDorian", "E dorian"), ("Amin", "A minor"), ("Aaeo", "A aeolian"),
     ("Dmixm", "D mixolydian"), ("Cmaj", "C major"), ("Bphr", "B phrygian"), ("Glyd", "G lydian"),
     ("Bloc", "B locrian"), ("HP", "A mixolydian"), ("Hp", "A mixolydian"), ("G clef=bass", "G major")],
)  # fmt: skip
def test_keys_and_modes(field: str, key: str) -> None:
    assert tune("A", head=f"K:{field}\n").key == Key.parse(key)


@pytest.mark.parametrize("field", ["none", ""])
def test_no_key(field: str) -> None:
    melody = tune("F^F", head=f"K:{field}\n")
    assert melody.key is None
    assert melody.pitches == [65, 66]


@pytest.mark.parametrize(
    ("field", "pitches"),
    [("G", [66, 72]), ("D", [66, 73]), ("Bb", [65, 70]), ("Eb", [63, 70]), ("Gm", [70, 63]),
     ("Ador", [66, 72]), ("D mix", [66, 72]), ("A", [66, 73]), ("G#", [67, 73]), ("C exp ^f", [66, 72]),
     ("D Phr ^f", [66, 70]), ("HP", [66, 73])],
)  # fmt: skip
def test_the_key_signature_applies_to_the_notes(field: str, pitches: list[int]) -> None:
    """F and C in G (F#), D (F#, C#), ..., G# major's eight sharps (F double sharp), explicit accidentals."""
    letters = {"G": "Fc", "D": "Fc", "Bb": "FB", "Eb": "EB", "Gm": "BE", "Ador": "Fc", "D mix": "Fc", "A": "Fc",
               "G#": "Fc", "C exp ^f": "Fc", "D Phr ^f": "FB", "HP": "Fc"}[field]  # fmt: skip
    assert tune(letters, head=f"K:{field}\n").pitches == pitches


def test_octave_and_transpose_options_move_the_notes() -> None:
    assert tune("C", head="K:C octave=-1\n").pitches == [48]
    assert tune("C", head="K:C transpose=2\n").pitches == [62]


# ---------------------------------------------------------------------- the body
def test_octaves() -> None:
    assert tune("C, C c c' C,, c''").pitches == [48, 60, 72, 84, 36, 96]


@pytest.mark.parametrize(
    ("written", "quarters"),
    [("A", "1/2"), ("A2", "1"), ("A/2", "1/4"), ("A/", "1/4"), ("A//", "1/8"), ("A3/2", "3/4"), ("A3", "3/2"),
     ("A/4", "1/8"), ("A8", "4"), ("A3//", "3/8")],
)  # fmt: skip
def test_lengths(written: str, quarters: str) -> None:
    melody = tune(written)  # L:1/8
    assert Fraction(melody.notes[0].duration, melody.steps_per_quarter) == Fraction(quarters)


def test_broken_rhythm() -> None:
    melody = tune("A>B A<B A>>B A<<B")
    assert melody.steps_per_quarter == 8  # A>>B: seven sixteenths and one
    assert [n.duration for n in melody.notes] == [6, 2, 2, 6, 7, 1, 1, 7]


def test_rests_and_bar_rests() -> None:
    melody = tune("A z2 x B Z2 c")  # Z2: two bars of 4/4
    assert notes(melody) == [(69, 0, 2), (71, 8, 2), (72, 42, 2)]


def test_accidentals_last_to_the_end_of_the_bar_on_their_letter_and_octave() -> None:
    melody = tune("^c c C c' =c c | c _B B b ||")
    assert melody.pitches == [73, 73, 60, 84, 72, 72, 72, 70, 70, 83]


@pytest.mark.parametrize(("propagate", "pitches"), [("not", [73, 72, 60]), ("pitch", [73, 73, 61])])
def test_propagate_accidentals(propagate: str, pitches: list[int]) -> None:
    """ABC 2.2's directive, in the header (``%%`` or ``I:``) or the body: the note alone, or every octave."""
    assert tune("^c c C|", head=f"%%propagate-accidentals {propagate}\nK:C\n").pitches == pitches
    assert tune("^c c C|", head=f"K:C\nI:propagate-accidentals {propagate}\n").pitches == pitches


def test_ties_join_the_same_written_note_and_slur_others() -> None:
    melody = tune("A2-A2 B-c ^c2-|c d2- d- d")  # B-c is a slur; ^c's sharp carries through its tie
    assert notes(melody) == [(69, 0, 8), (71, 8, 2), (72, 10, 2), (73, 12, 6), (74, 18, 8)]


def test_repeats_and_endings_are_read_in_written_order() -> None:
    melody = tune("|:A B:|[1 c2 :|[2 d2|] |: e ::f :| g |1 a :|2 b |]")
    assert [n.pitch for n in melody] == [69, 71, 72, 74, 76, 77, 79, 81, 83]


def test_triplets_and_tuplets_on_the_coarsest_exact_grid() -> None:
    melody = tune("(3ABc d2 (3:2:2e2f z2 (5:4:5abcde")
    assert melody.steps_per_quarter == 60  # thirds and fifths of a quarter
    starts = [n.start for n in melody.notes]
    assert starts[:4] == [0, 20, 40, 60]  # three eighths in a quarter, then d2
    assert starts[4:6] == [120, 160]  # (3:2:2: e2 and f, three eighths in the time of two
    assert starts[6:] == [240, 264, 288, 312, 336]  # (5:4:5: five eighths in the time of four


def test_a_triplet_of_eighths_needs_twelve_steps_a_quarter() -> None:
    assert tune("(3ABc d2").steps_per_quarter == 12
    assert tune("ABcd").steps_per_quarter == 4


def test_a_given_grid_rounds_as_the_corpora_do() -> None:
    """The corpora round music21's offsets to sixteenths: a triplet of eighths becomes 1, 2 and 1 steps
    (halves to even)."""
    melody = tune("(3ABc d2", steps_per_quarter=4)
    assert notes(melody) == [(69, 0, 1), (71, 1, 2), (72, 3, 1), (74, 4, 4)]


def test_a_chord_gives_its_top_note_for_the_length_of_its_first() -> None:
    melody = tune("[CEG]2 [c2e]3/2 [Ac]")
    assert notes(melody) == [(67, 0, 4), (76, 4, 6), (72, 10, 2)]


def test_grace_notes_decorations_chord_symbols_and_comments_are_skipped() -> None:
    melody = tune('{g}A !trill!B +fermata+c "Am"d "^above"e ~f .g Hz TA uB vc % a comment A B\nd \\\ne')
    assert melody.pitches == [69, 71, 72, 74, 76, 77, 79, 69, 71, 72, 74, 76]


def test_letters_defined_by_u_are_decorations() -> None:
    assert tune("wA", head="U:w = !wedge!\nK:C\n").pitches == [69]
    with pytest.raises(NotationError, match=r"'w' is no decoration here: define it first"):
        tune("wA")


def test_inline_fields_change_key_and_unit_but_not_the_meter() -> None:
    melody = tune("F [K:G] F [L:1/4] F F2 | [M:3/4] F F F|")
    assert notes(melody)[:4] == [(65, 0, 2), (66, 2, 2), (66, 4, 4), (66, 8, 8)]
    assert melody.time_signature == (4, 4)


def test_a_body_field_line_changes_the_key() -> None:
    assert tune("F|\nK:D\nF|").pitches == [65, 66]


def test_a_pickup_ends_on_the_first_bar_line() -> None:
    melody = tune("GA | B4 c4 |", head="M:4/4\nL:1/8\nK:C\n")
    assert notes(melody)[:3] == [(67, 12, 2), (69, 14, 2), (71, 16, 8)]
    assert notes(tune("| GA | B4 c4 |"))[0] == (67, 12, 2)  # a leading bar line opens no bar


def test_only_the_first_voice_is_read() -> None:
    melody = tune("V:1\nAB|\nV:2\nCD|\nV:1\ncd|[V:2] EF|")
    assert melody.pitches == [69, 71, 72, 74]


# ---------------------------------------------------------------------- tunes in a text
TWO_TUNES = "% a collection\nM:6/8\n\nX:3\nT:First\nK:D\nABc|\n\nX:5\nT:Second\nL:1/4\nK:G\nf|\n"


def test_a_text_of_tunes_gives_the_first_or_the_one_numbered() -> None:
    first, second = Melody.from_abc(TWO_TUNES), Melody.from_abc(TWO_TUNES, number=5)
    assert (first.meta["title"], second.meta["title"]) == ("First", "Second")
    assert second.time_signature == (6, 8)  # the file header's meter applies to every tune
    assert notes(second) == [(78, 8, 4)]  # a quarter-note pickup in 6/8


def test_abc_tunes_lists_a_collection_to_read_one_by_one() -> None:
    tunes = abc_tunes(TWO_TUNES + "X:5\nT:Second, again\nK:A\nc|\n")
    assert [(t.number, t.title) for t in tunes] == [("3", "First"), ("5", "Second"), ("5", "Second, again")]
    assert Melody.from_abc(tunes[2].text).pitches == [73]  # the second X:5, which number=5 cannot reach
    assert Melody.from_abc(tunes[1].text).time_signature == (6, 8)  # with the file header's fields
    assert [(t.number, t.title) for t in abc_tunes("ABc")] == [(None, None)]


def test_an_unknown_number_lists_the_tunes() -> None:
    with pytest.raises(NotationError, match=r"no tune X:4; its tunes are X: 3, 5"):
        Melody.from_abc(TWO_TUNES, number=4)


def test_a_huge_or_odd_tune_number_is_no_match() -> None:
    """(The fuzz target found ``int()`` refusing a 10,000-digit ``X:``.)"""
    with pytest.raises(NotationError, match=r"no tune X:1; its tunes are X: 999999999\.\.\., \u00b2$"):
        Melody.from_abc("X:" + "9" * 10_000 + "\nK:C\nA\nX:\u00b2\nK:C\nB", number=1)
    assert Melody.from_abc("X:007\nK:C\nA", number=7).pitches == [69]


@pytest.mark.parametrize("number", ["3", 3.0, True])
def test_a_number_that_is_no_whole_number_is_refused(number: object) -> None:
    with pytest.raises(SettingError, match="number picks a tune by its X: field"):
        Melody.from_abc(TWO_TUNES, number=number)  # type: ignore[arg-type]


def test_a_fragment_without_header_reads() -> None:
    melody = Melody.from_abc("GABc|d2B2")
    assert (melody.key, melody.time_signature, melody.pitches) == (None, (4, 4), [67, 69, 71, 72, 74, 71])


def test_an_empty_tune_is_an_empty_melody() -> None:
    assert len(Melody.from_abc("X:1\nT:Silence\nK:C\nz4|")) == 0


# ---------------------------------------------------------------------- refusals
@pytest.mark.parametrize(
    ("body", "where", "expected"),
    [("A B # c ?\nA B y", None, None),  # reserved characters and spacers are fine
     ("A B Y c", "line 6, column 5", "'Y' is not ABC here: expected a note"),
     ("A B\nc 3", "line 7, column 3", r"a length \('3'\) must follow a note or rest directly"),
     ("A^ B", "line 6, column 2", "an accidental .* must be followed by a note letter"),
     ('A "Am B', "line 6, column 3", "chord symbol or annotation opened with '\"' is not closed"),
     ("A {g B", "line 6, column 3", "grace notes opened with '{' is not closed"),
     ("A [CE B", "line 6, column 3", r"chord opened with '\[' is not closed"),
     ("A [] B", "line 6, column 3", "a chord .* must hold at least one note"),
     ("- A", "line 6, column 1", r"a tie \('-'\) must follow a note"),
     ("> A", "line 6, column 1", "a broken rhythm"), ("A>>>>B", "line 6, column 2", "at most three"),
     ("A B>", "line 6", "the tune ends after a broken rhythm"),
     ("A (1B", "line 6, column 3", "the tuplet '\\(1' cannot be read"),
     ("A0", "line 6, column 1", "the length '0' is zero"), ("A123456", "line 6, column 1", "numbers up to 9999"),
     ("A & B", "line 6, column 3", r"voice overlay \('&'\)"), ("A : B", "line 6, column 3", "':' must belong"),
     ("c''''''", "line 6, column 1", "outside the MIDI range 0-127"),
     ("[K:Hx] A", "line 6, column 1", "K:Hx does not start with a key"),
     ("[M:5/6] A", "line 6, column 1", "M:5/6 is not a meter a melody can have"),
     ("[L:1/2048] A", "line 6, column 1", "L:1/2048 is not a unit note length"),
     ("[K:G", "line 6, column 1", "has no closing"),
     ("%%propagate-accidentals sometimes\nA", "line 6, column 3", "propagate-accidentals takes one of not, octave")],
)  # fmt: skip
def test_malformed_abc_names_line_column_and_what_was_expected(
    body: str, where: str | None, expected: str | None
) -> None:
    if where is None:
        assert len(tune(body)) == 5
        return
    with pytest.raises(NotationError, match=rf"ABC {where}\b.*{expected}"):
        tune(body)


@pytest.mark.parametrize(
    ("field", "expected"),
    [("K:Es", "K:Es: 's' is not a mode"), ("K:H", "K:H does not start with a key"),
     ("K:G clef:bass", "'clef:bass' is not a mode"), ("K:G ^x", "K: cannot read '\\^x'"),
     ("K:C octave=x", "needs a whole number"), ("M:FREI4/4", "M:FREI4/4 is not a meter"),
     ("M:3/5", "power of 2"), ("L:0", "not a unit note length"), ("Q:1/4=2000", "2000 quarter notes per minute"),
     ("Q:fast=120", "'fast' is not a beat"), ("Q:1/4=", "is not a tempo")],
)  # fmt: skip
def test_malformed_header_fields_name_the_line(field: str, expected: str) -> None:
    text = f"X:1\nT:t\n{field}\nK:C\nABc\n" if not field.startswith("K:") else f"X:1\nT:t\n{field}\nABc\n"
    with pytest.raises(NotationError, match=rf"ABC line 3: .*{expected}"):
        Melody.from_abc(text)


def test_tunes_whose_notes_no_grid_holds_are_refused_or_rounded() -> None:
    sevens_nines_elevens = "(7ABCDEFG (9ABCDEFGAB (11ABCDEFGABcd"
    with pytest.raises(NotationError, match=r"need 2772 steps per quarter .* at most 960: pass steps_per_quarter"):
        tune(sevens_nines_elevens)
    assert len(tune(sevens_nines_elevens, steps_per_quarter=48)) == 27
    with pytest.raises(InvalidNoteError, match="steps_per_quarter must be between 1 and 960"):
        tune("A", steps_per_quarter=0)


def test_a_tune_past_the_last_step_is_refused() -> None:
    with pytest.raises(NotationError, match=r"a melody ends by step 1,048,576"):
        tune("Z9999 " * 30 + "A")


def test_text_over_the_limit_is_refused_before_reading() -> None:
    with pytest.raises(NotationError, match=r"1,048,577 characters; at most 1,048,576 \(MAX_ABC_BYTES\)"):
        Melody.from_abc("A" * (MAX_ABC_BYTES + 1))
    with pytest.raises(SettingError, match="ABC must be text"):
        Melody.from_abc(b"X:1\nK:C\nA")  # type: ignore[arg-type]


# ---------------------------------------------------------------------- files
def test_read_abc_reads_a_file_and_names_its_source(tmp_path: Path) -> None:
    path = tmp_path / "session.abc"
    path.write_text(TWO_TUNES, encoding="utf-8")
    melody = jupymuse.read_abc(path, number=5)
    assert dict(melody.meta) == {"source": str(path), "title": "Second", "number": "5"}
    untitled = tmp_path / "fragment.abc"
    untitled.write_text("K:D\nABc", encoding="utf-8")
    assert read_abc(str(untitled)).meta["title"] == "fragment"


def test_a_ten_megabyte_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.abc"
    with path.open("wb") as handle:  # sparse: nothing is written, nothing need be read
        handle.truncate(10 * 1024 * 1024)
    with pytest.raises(NotationError, match=r"10,485,760 bytes; an ABC file of at most 1,048,576 bytes"):
        read_abc(path)


def test_text_in_another_encoding_names_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin.abc"
    path.write_bytes("X:1\nT:Caf\u00e9\nK:C\nABc\n".encode("latin-1"))
    with pytest.raises(NotationError, match=r"is not utf-8 text: byte 9 \(0xe9\) .* encoding='latin-1'"):
        read_abc(path)
    assert read_abc(path, encoding="latin-1").meta["title"] == "Caf\u00e9"
    with pytest.raises(SettingError, match="encoding='klingon' is not a text encoding"):
        read_abc(path, encoding="klingon")


def test_missing_files_and_folders_are_named(tmp_path: Path) -> None:
    with pytest.raises(NotationError, match="does not exist"):
        read_abc(tmp_path / "missing.abc")
    with pytest.raises(NotationError, match="is a folder, not an ABC file"):
        read_abc(tmp_path)


def test_reading_and_writing_abc_never_imports_music21() -> None:
    code = (
        "import sys, jupymuse\n"
        "m = jupymuse.Melody.from_abc('X:1\\nK:G\\n(3GAB c2|')\n"
        "jupymuse.Melody.from_abc(m.to_abc())\n"
        "print('music21' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


# ---------------------------------------------------------------------- fuzz
def test_mutated_tunes_read_and_write_back_or_are_refused() -> None:
    """A small run of ``python -m tests.fuzz abc``: mutated real tunes give a melody that writes and reads
    back the same, or a JupymuseError; never another exception or a hang (10 CPU-seconds a case)."""
    report = run_clean(abc_target, 40, seed=24, max_mb=1024)
    assert report.kinds.get("accepted", 0) >= 5
    assert report.kinds.get("NotationError", 0) >= 5


def test_fuzz_cases_are_replayable() -> None:
    assert_replayable(abc_target, "5:3")
