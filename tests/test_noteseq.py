"""NoteSequence (note-seq) conversions on real corpus pieces."""

import pytest

from jupymuse import Melody, NoMelodyError
from jupymuse.corpus import Corpus

from helpers import mel


def test_melody_to_note_sequence_and_back_on_chorales(chorales: Corpus) -> None:
    for melody in list(chorales)[:30]:
        ns = melody.to_note_sequence()
        assert ns.quantization_info.steps_per_quarter == 4
        assert len(ns.notes) == len(melody)
        assert Melody.from_note_sequence(ns) == melody


def test_unquantized_sequence_from_midi_is_quantized(kinder: Corpus) -> None:
    from note_seq import midi_io

    melody = kinder[3]
    ns = midi_io.midi_to_note_sequence(melody.to_pretty_midi())
    assert not ns.quantization_info.steps_per_quarter
    back = Melody.from_note_sequence(ns)
    assert back.notes == melody.notes
    assert back.time_signature == melody.time_signature


def test_tempo_changes_fall_back_to_tick_quantization() -> None:
    from note_seq import midi_io

    pm = mel("C4:4 D4 E4 F4").to_pretty_midi()
    ns = midi_io.midi_to_note_sequence(pm)
    ns.tempos.add(qpm=60, time=1.0)  # note-seq refuses to quantize this
    assert len(Melody.from_note_sequence(ns)) == 4


def test_empty_sequence_is_a_clear_error() -> None:
    from note_seq.protobuf import music_pb2

    with pytest.raises(NoMelodyError, match="no \\(non-drum\\) notes"):
        Melody.from_note_sequence(music_pb2.NoteSequence())
