"""Loading a user's folder of MIDI files, with broken files among them."""

import os
from pathlib import Path

import pytest

from jupymuse import CorpusError, JupymuseWarning, load_midi_folder

from helpers import mel


def _write_folder(root: Path) -> None:
    (root / "sub").mkdir(parents=True)
    mel("C4:4 D4 E4").to_midi(root / "a.mid")
    mel("G4:2 A4 B4:8").to_midi(root / "sub" / "b.MIDI")
    (root / "empty.mid").write_bytes(b"")
    (root / "noise.mid").write_bytes(os.urandom(200))
    good = mel("C4:4 D4 E4 F4").to_midi()
    assert isinstance(good, bytes)
    (root / "sub" / "cut.mid").write_bytes(good[:30])
    (root / "notes.txt").write_text("not midi, ignored")


def test_folder_loads_good_files_and_reports_bad_ones(tmp_path: Path) -> None:
    _write_folder(tmp_path)
    with pytest.warns(JupymuseWarning, match="skipped 3 of 5 MIDI files"):
        corpus = load_midi_folder(tmp_path, progress=False)
    assert len(corpus) == 2
    assert sorted(str(m.meta["source"]) for m in corpus) == ["a.mid", os.path.join("sub", "b.MIDI")]
    reasons = {Path(s.path).name: s.reason for s in corpus.skipped}
    assert set(reasons) == {"empty.mid", "noise.mid", "cut.mid"}
    assert "is empty" in reasons["empty.mid"]
    assert "not a MIDI file" in reasons["noise.mid"]


def test_not_recursive(tmp_path: Path) -> None:
    _write_folder(tmp_path)
    with pytest.warns(JupymuseWarning):
        corpus = load_midi_folder(tmp_path, recursive=False, progress=False)
    assert [m.meta["source"] for m in corpus] == ["a.mid"]


def test_missing_or_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="does not exist"):
        load_midi_folder(tmp_path / "nope")
    with pytest.raises(CorpusError, match="no MIDI files"):
        load_midi_folder(tmp_path)
    (tmp_path / "x.mid").write_bytes(b"junk")
    with pytest.raises(CorpusError, match="none of the 1 MIDI files"):
        load_midi_folder(tmp_path, progress=False)
