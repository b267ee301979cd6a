import numpy as np
import pytest

from jupymuse import InvalidNoteError, Melody, Note

from helpers import mel


def test_notes_are_sorted_and_gaps_are_rests() -> None:
    m = Melody([Note(64, 8, 4), Note(60, 0, 4)])
    assert m.pitches == [60, 64]
    assert m.end == 12
    assert len(m) == 2
    assert m[1].start == 8


def test_monophony_rule_same_onset_keeps_highest_and_overlap_is_cut() -> None:
    m = Melody([Note(60, 0, 8), Note(67, 0, 4), Note(62, 2, 4)])
    # 67 beats 60 at step 0; 67 is cut where 62 starts
    assert [(n.pitch, n.start, n.duration) for n in m] == [(67, 0, 2), (62, 2, 4)]


def test_settings_are_validated() -> None:
    with pytest.raises(InvalidNoteError, match="tempo"):
        Melody(tempo=0)
    with pytest.raises(InvalidNoteError, match="tempo"):
        Melody(tempo=float("nan"))
    with pytest.raises(InvalidNoteError, match="time signature"):
        Melody(time_signature=(3, 5))
    with pytest.raises(InvalidNoteError, match="steps_per_quarter"):
        Melody(steps_per_quarter=0)


def test_transpose_moves_pitches_and_key_and_refuses_to_leave_range() -> None:
    m = mel("C4:4 E4 G4", key="C major")
    up = m.transpose(7)
    assert up.pitches == [67, 71, 74]
    assert str(up.key) == "G major"
    assert str(m.transpose(-3).key) == "A major"
    with pytest.raises(InvalidNoteError, match="outside the MIDI range"):
        mel("G9:4").transpose(1)


def test_arrays_round_trip() -> None:
    m = mel("C4:4 D4:2@80 r:2 E4:8")
    cols = m.to_arrays()
    assert all(c.dtype == np.int32 for c in cols.values())
    assert Melody.from_arrays(**cols) == m


def test_empty_melody() -> None:
    m = Melody()
    assert len(m) == 0
    assert m.end == 0
    assert m.to_notation() == ""


def test_slicing_shift_between_extend() -> None:
    m = mel("C4:4 D4 E4 F4")
    assert m[1:3].pitches == [62, 64]
    assert m.shift(4).notes[0].start == 4
    assert m.between(4, 12).pitches == [62, 64]
    assert m[:2].extend(m[2:]) == m


def test_meta_is_read_only_and_kept_by_replace() -> None:
    m = mel("C4", meta={"title": "x"})
    with pytest.raises(TypeError):
        m.meta["title"] = "y"  # type: ignore[index]
    assert m.replace(tempo=90).meta["title"] == "x"
    assert "x" in repr(m)


def test_as_melody_takes_a_melody_text_or_none_and_refuses_the_rest() -> None:
    from jupymuse.music import as_melody

    m = Melody.from_notation("C4:4 D4")
    assert as_melody(m) is m
    assert as_melody("C4:4 D4") == m
    assert len(as_melody(None)) == 0
    with pytest.raises(InvalidNoteError, match="not list"):
        as_melody([60, 62])  # type: ignore[arg-type]


@pytest.mark.parametrize("ts", [(0, 4), (4, 3), (4, 0), (256, 4), (4, 256), (4, 2**40), ("a", "b"), (4,)])
def test_time_signatures_a_midi_file_cannot_hold_are_refused(ts: tuple[int, int]) -> None:
    """Issue 12 case 4: the checks the piano roll applies to the page's ``time_signature``."""
    with pytest.raises(InvalidNoteError, match="time"):
        Melody(time_signature=ts)


def test_the_widest_time_signature_still_writes_midi() -> None:
    m = mel("C4:4", time_signature=(255, 128))
    assert isinstance(m.to_midi(), bytes)
