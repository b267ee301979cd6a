"""Writing output files: every refusal is one OutputError naming the path; permissions as a plain open() gives."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

import jupymuse
from jupymuse import OutputError
from jupymuse.files import write_file

from helpers import mel


def test_to_midi_into_a_missing_folder_a_folder_or_a_read_only_place(tmp_path: Path) -> None:
    melody = mel("C4:4 D4:4")
    with pytest.raises(OutputError, match=r"the folder .*missing.* does not exist"):
        melody.to_midi(tmp_path / "missing" / "x.mid")
    with pytest.raises(OutputError, match="it is a folder"):
        melody.to_midi(tmp_path)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):  # root ignores folder permissions: a file in the way instead
            (locked / "x.mid").mkdir()
        with pytest.raises(OutputError, match=r"x\.mid"):
            melody.to_midi(locked / "x.mid")
    finally:
        locked.chmod(0o700)
    assert isinstance(OutputError("x"), jupymuse.JupymuseError)


def test_a_written_file_is_whole_and_has_the_usual_permissions(tmp_path: Path) -> None:
    target = tmp_path / "song.mid"
    assert mel("C4:4 E4:4 G4:8").to_midi(target) == target
    assert jupymuse.read_midi(target).to_notation() == "C4:4 E4:4 G4:8"
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
    write_file(target, b"again")  # replaced whole
    assert target.read_bytes() == b"again"
    assert [p.name for p in tmp_path.iterdir()] == ["song.mid"]  # no temporary file left
