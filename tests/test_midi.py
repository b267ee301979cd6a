"""MIDI reading and writing: round trips on real pieces, polyphony, and every kind of bad file."""

import io
import os
from pathlib import Path

import mido
import pytest

from jupymuse import Melody, MidiReadError, NoMelodyError, Note, read_midi
from jupymuse.corpus import Corpus

from helpers import mel


def _midi(*tracks: list[mido.Message | mido.MetaMessage], tpb: int = 480) -> bytes:
    f = mido.MidiFile(ticks_per_beat=tpb)
    for msgs in tracks:
        t = mido.MidiTrack()
        t.extend(msgs)
        f.tracks.append(t)
    buf = io.BytesIO()
    f.save(file=buf)
    return buf.getvalue()


def _on(note: int, time: int = 0, channel: int = 0) -> mido.Message:
    return mido.Message("note_on", note=note, velocity=100, time=time, channel=channel)


def _off(note: int, time: int, channel: int = 0) -> mido.Message:
    return mido.Message("note_off", note=note, time=time, channel=channel)


def test_round_trip_of_real_chorales_is_exact(chorales: Corpus, tmp_path: Path) -> None:
    for melody in list(chorales)[:40]:
        path = tmp_path / "x.mid"
        melody.to_midi(path)
        back = read_midi(path)
        assert back.notes == melody.notes
        assert back.time_signature == melody.time_signature
        assert back.key == melody.key
        assert back.tempo == pytest.approx(melody.tempo, rel=1e-4)


def test_midi_bytes_and_file_objects_both_read() -> None:
    m = mel("C4:4 r:2 D4:2 E4:8", tempo=96, time_signature=(3, 4), key="E minor")
    data = m.to_midi()
    assert isinstance(data, bytes)
    assert read_midi(data) == m
    assert read_midi(io.BytesIO(data)) == m


def test_unquantized_midi_is_snapped_to_the_grid() -> None:
    # 480 ticks per quarter = 120 steps per grid step of 4/quarter; onsets a little early/late
    data = _midi([_on(60, 5), _off(60, 470), _on(62, 0), _off(62, 250), _on(64, 10), _off(64, 700)])
    assert read_midi(data).to_notation() == "C4:4 D4:2 E4:6"


def test_tempo_changes_do_not_move_notes_off_the_grid() -> None:
    data = _midi(
        [
            mido.MetaMessage("set_tempo", tempo=500000),
            _on(60),
            _off(60, 480),
            mido.MetaMessage("set_tempo", tempo=1000000),
            _on(62),
            _off(62, 480),
        ]
    )
    assert read_midi(data).to_notation() == "C4:4 D4:4"


def test_polyphony_keeps_the_highest_line_and_a_sustained_top_note() -> None:
    # melody G4 held 8 steps over an accompaniment that moves underneath; then a chord C5+E5
    data = _midi(
        [_on(67), _off(67, 960), _on(72), _on(76), _off(72, 480), _off(76, 0)],
        [_on(48, channel=1), _off(48, 240, 1), _on(50, 0, 1), _off(50, 240, 1)],
    )
    assert read_midi(data).to_notation() == "G4:8 E5:4"


def test_instrument_can_be_chosen_by_index_or_name() -> None:
    f = mido.MidiFile(ticks_per_beat=480)
    for name, note, ch in (("Flute", 72, 0), ("Bass", 40, 1)):
        t = mido.MidiTrack([mido.MetaMessage("track_name", name=name), _on(note, 0, ch), _off(note, 480, ch)])
        f.tracks.append(t)
    buf = io.BytesIO()
    f.save(file=buf)
    data = buf.getvalue()
    assert read_midi(data, instrument="bass").pitches == [40]
    assert read_midi(data, instrument=0).pitches == [72]
    with pytest.raises(NoMelodyError, match="no instrument called 'Violin'"):
        read_midi(data, instrument="Violin")


def test_other_grids() -> None:
    m = mel("C4:3 D4:3 E4:6", steps_per_quarter=3)
    back = read_midi(m.to_midi(), steps_per_quarter=3)
    assert back.notes == m.notes


# ----------------------------------------------------------------------------- bad input
def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(MidiReadError, match="does not exist"):
        read_midi(tmp_path / "nope.mid")


def test_empty_file(tmp_path: Path) -> None:
    p = tmp_path / "empty.mid"
    p.write_bytes(b"")
    with pytest.raises(MidiReadError, match=r"empty.mid' is empty"):
        read_midi(p)


def test_random_bytes(tmp_path: Path) -> None:
    p = tmp_path / "noise.mid"
    p.write_bytes(os.urandom(500))
    with pytest.raises(MidiReadError, match="not a MIDI file"):
        read_midi(p)


def test_header_then_garbage() -> None:
    with pytest.raises(MidiReadError):
        read_midi(b"MThd" + bytes(range(256)) * 3)


@pytest.mark.parametrize("keep", [14, 22, 30, -5])
def test_truncated_file(keep: int) -> None:
    data = mel("C4:4 D4 E4 F4").to_midi()
    assert isinstance(data, bytes)
    with pytest.raises(MidiReadError, match=r"damaged|truncated"):
        read_midi(data[:keep])


def test_pitch_200_in_the_file() -> None:
    data = bytearray(_midi([_on(60), _off(60, 480)]))
    i = data.index(bytes([0x90, 60]))
    data[i + 1] = 200
    with pytest.raises(MidiReadError, match="damaged"):
        read_midi(bytes(data))


def test_only_drums() -> None:
    with pytest.raises(NoMelodyError, match="only has drum tracks"):
        read_midi(_midi([_on(36, 0, 9), _off(36, 240, 9)]))


def test_no_notes() -> None:
    with pytest.raises(NoMelodyError, match="has no notes"):
        read_midi(_midi([mido.MetaMessage("set_tempo", tempo=500000)]))


def test_only_zero_length_notes() -> None:
    with pytest.raises(NoMelodyError, match="only zero-length notes"):
        read_midi(_midi([_on(60), _off(60, 0), _on(62), _off(62, 0)]))


def test_zero_length_notes_among_real_ones_are_dropped() -> None:
    assert read_midi(_midi([_on(61), _off(61, 0), _on(60), _off(60, 480)])).pitches == [60]


@pytest.mark.parametrize("tempo", [0, 1, 100])
def test_absurd_tempo(tempo: int) -> None:
    data = _midi([mido.MetaMessage("set_tempo", tempo=tempo), _on(60), _off(60, 480)])
    with pytest.raises(MidiReadError, match="impossible tempo"):
        read_midi(data)


def test_absurd_delta_time_fails_fast() -> None:
    with pytest.raises(MidiReadError, match="broken timing"):
        read_midi(_midi([_on(60, 0x0FFFFFFF), _off(60, 480)]))


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(MidiReadError, match="is a folder"):
        read_midi(tmp_path)


def test_writing_with_an_instrument_program() -> None:
    pm = mel("C4:4").to_pretty_midi(program=40)
    assert pm.instruments[0].program == 40
    assert isinstance(Melody.from_pretty_midi(pm), Melody)


# ---------------------------------------------------------------------- issue 12, cases 5, 6 and 7
@pytest.mark.parametrize("title", ["Lied ♪", "日本の歌", "Dvořák 🎻", "tab\there", "x" * 500])
def test_text_midi_cannot_hold_is_written_safely(tmp_path: Path, title: str) -> None:
    """A title Latin-1 cannot hold (the file's own name) never makes ``to_midi`` raise."""
    path = tmp_path / f"{title[:40]}.mid"
    mel("C4:4 E4:4").to_midi(path)
    melody = read_midi(path)
    assert melody.meta["title"] == path.stem
    again = read_midi(melody.to_midi())
    assert again.to_notation() == "C4:4 E4:4"
    name = again.meta.get("instrument", "")
    assert len(str(name)) <= 60
    assert str(name).isprintable()


def test_midi_text_keeps_what_latin1_holds() -> None:
    from jupymuse.music.midi import midi_text

    assert midi_text("Lied ♪") == "Lied"
    assert midi_text("Dvořák: Humoreske") == "Dvorák: Humoreske"
    assert midi_text("ﬁne Ünter") == "fine Ünter"
    assert midi_text("♪♪") == ""


def test_files_over_the_size_limit_are_refused_before_parsing(tmp_path: Path) -> None:
    from jupymuse.music.midi import MAX_FILE_BYTES

    big = b"MThd" + bytes(MAX_FILE_BYTES)
    path = tmp_path / "huge.mid"
    path.write_bytes(big)
    for source in (big, bytearray(big), memoryview(big), path, io.BytesIO(big)):
        with pytest.raises(MidiReadError, match="up to 4 MiB"):
            read_midi(source)  # type: ignore[arg-type]


def test_a_long_file_music21_writes_reads_exactly(tmp_path: Path) -> None:
    """music21 writes 10,080 ticks per beat: 1,100 quarter notes pass pretty_midi's 10-million-tick cap."""
    long = Melody(
        [Note(60 + (i * 5) % 19, 4 * i, 4 if i % 3 else 2) for i in range(1100)], tempo=132, time_signature=(3, 4)
    )
    path = tmp_path / "long.mid"
    long.to_music21().write("midi", fp=str(path))
    assert mido.MidiFile(path).ticks_per_beat == 10_080
    back = read_midi(path)
    assert back.notes == long.notes
    assert (back.tempo, back.time_signature) == (132.0, (3, 4))


def test_a_long_file_at_a_fine_resolution_is_rescaled_not_refused() -> None:
    """12 million ticks at 960 ticks per beat: 12,500 beats, valid; past 20,000 beats: damaged."""
    data = _midi([_on(60, 12_000_000), _off(60, 960), _on(62), _off(62, 480)], tpb=960)
    melody = read_midi(data)
    assert [(n.pitch, n.start, n.duration) for n in melody] == [(60, 50_000, 4), (62, 50_004, 2)]
    with pytest.raises(MidiReadError, match="up to 20,000 beats"):
        read_midi(_midi([_on(60, 20_000 * 960 + 960), _off(60, 960)], tpb=960))


def test_a_time_signature_a_melody_cannot_carry_falls_back_to_four_four() -> None:
    data = _midi([mido.MetaMessage("time_signature", numerator=3, denominator=256), _on(60), _off(60, 480)])
    assert read_midi(data).time_signature == (4, 4)


@pytest.mark.parametrize("tempo", [1.0, 3.5, 3.576])
def test_tempos_slower_than_midi_holds_are_written_at_its_slowest(tempo: float) -> None:
    """Found by the ``midi`` fuzz target: ``to_midi`` raised mido's ValueError below 3.58 BPM."""
    m = mel("C4:4 D4:8", tempo=tempo)
    back = read_midi(m.to_midi())
    assert back.notes == m.notes
    assert back.tempo == pytest.approx(3.576, abs=1e-3)


@pytest.mark.parametrize("spq", [7, 959, 960])
def test_grids_that_do_not_divide_480_ticks_round_trip_exactly(spq: int) -> None:
    """Found by the ``midi`` fuzz target: at 960 steps per quarter a step was half a tick."""
    m = Melody([Note(60, 0, 1), Note(62, 1, 295), Note(64, 300, 3)], steps_per_quarter=spq)
    assert read_midi(m.to_midi(), steps_per_quarter=spq).notes == m.notes


def test_a_file_too_long_for_a_fine_grid_is_a_midi_read_error() -> None:
    data = mel("C4:4").extend([Note(62, 20_000, 4)]).to_midi()
    with pytest.raises(MidiReadError, match="too long for a grid of 960 steps per quarter"):
        read_midi(data, steps_per_quarter=960)
