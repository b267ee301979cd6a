"""Writing files: one atomic writer for every file; each refusal one OutputError naming the path; permissions as a
plain open() gives."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

import jupymuse
from jupymuse import OutputError
from jupymuse.corpus import cache
from jupymuse.files import write_atomically, write_file
from jupymuse.models import storage

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


def test_a_replaced_file_keeps_its_mode_owner_and_link_and_a_read_only_one_is_refused(tmp_path: Path) -> None:
    """Issue 21, case 1: writing over a file keeps what it was, through every writer (MIDI, MusicXML, models)."""
    private = tmp_path / "private.mid"
    private.write_bytes(b"old")
    private.chmod(0o600)
    mel("C4:4").to_midi(private)
    assert stat.S_IMODE(private.stat().st_mode) == 0o600  # a private file stays private
    if os.geteuid() == 0:  # only root can give a file away: its owner stays too
        os.chown(private, 1234, 1234)
        mel("D4:4").to_midi(private)
        assert (private.stat().st_uid, private.stat().st_gid) == (1234, 1234)
    real = tmp_path / "real.musicxml"
    real.write_text("old")
    link = tmp_path / "link.musicxml"
    link.symlink_to(real)
    assert mel("E4:4").to_musicxml(link) == link
    assert link.is_symlink()  # written through: the link stays a link
    assert "<score-partwise" in real.read_text()
    frozen = tmp_path / "frozen.mid"
    frozen.write_bytes(b"keep me")
    frozen.chmod(0o444)
    with pytest.raises(OutputError, match=r"frozen\.mid.*it is read-only \(mode 444\)"):
        mel("F4:4").to_midi(frozen)
    assert frozen.read_bytes() == b"keep me"  # never rewritten, even by root
    model = jupymuse.MarkovModel(1).fit([mel("C4:4 D4:4 E4:4")])
    saved = model.save(tmp_path / "m.json")
    saved.chmod(0o640)
    model.save(saved)
    assert stat.S_IMODE(saved.stat().st_mode) == 0o640
    saved.chmod(0o440)
    with pytest.raises(OutputError, match="read-only"):
        model.save(saved)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert leftovers == []  # no temporary file left behind by any refusal


def test_a_file_name_that_is_not_utf_8_becomes_a_title_every_writer_can_write(tmp_path: Path) -> None:
    """Issue 21, case 5: ``b"\\xdcbung.mid"`` decodes to a lone surrogate; the title keeps a U+FFFD instead."""
    name = tmp_path / os.fsdecode(b"\xdcbung.mid")
    mel("C4:4 D4:4").to_midi(name)
    melody = jupymuse.read_midi(name)
    assert melody.meta["title"] == "\ufffdbung"
    assert "\ufffdbung" in melody.to_musicxml()
    melody.to_musicxml(tmp_path / "u.musicxml")
    assert "<svg" in melody.show()._repr_mimebundle_()["image/svg+xml"]


def _no_space(_fd: int) -> None:
    raise OSError(28, "No space left on device")


def test_the_one_writer_flushes_the_file_before_the_rename_and_cleans_up_any_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "song.mid"
    target.write_bytes(b"old")
    synced: list[tuple[bytes, bytes]] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            synced.append((os.pread(fd, 16, 0), target.read_bytes()))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    assert write_atomically(target, lambda tmp: tmp.write_bytes(b"new")) == target
    assert synced == [(b"new", b"old")]  # flushed whole while the old file still had the name
    assert target.read_bytes() == b"new"

    class Interrupted(Exception):
        pass

    def interrupted(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise Interrupted

    with pytest.raises(Interrupted):  # not an OSError: passes unchanged, cleaned up all the same
        write_atomically(target, interrupted)
    monkeypatch.setattr(os, "fsync", _no_space)
    with pytest.raises(OutputError, match=r"cannot write '.*song\.mid': No space left on device"):
        write_atomically(target, lambda tmp: tmp.write_bytes(b"newer"))
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["song.mid"]


def test_files_models_and_the_corpus_cache_share_the_one_writer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 22: each refuses a read-only file and reports a full disk as the one writer does, and leaves
    nothing behind (the corpus cache used to replace a read-only entry and never flushed)."""
    entry = cache.ConvertedFile([mel("C4:4 D4:4")])
    writers: dict[str, Callable[[Path], object]] = {
        "write_file": lambda path: write_file(path, b"new"),
        "model": lambda path: storage.atomic_write_text(path, "new"),
        "cache": lambda path: cache.write_melodies(path, entry, {"k": 1}),
    }
    for name, write in writers.items():
        folder = tmp_path / name
        folder.mkdir()
        frozen = folder / "frozen.bin"
        frozen.write_bytes(b"keep me")
        frozen.chmod(0o444)
        with pytest.raises(OutputError, match=r"frozen\.bin.*it is read-only \(mode 444\)"):
            write(frozen)
        target = folder / "full.bin"
        target.write_bytes(b"old")
        with monkeypatch.context() as m:
            m.setattr(os, "fsync", _no_space)
            with pytest.raises(OutputError, match=r"full\.bin': No space left on device"):
                write(target)
        assert (frozen.read_bytes(), target.read_bytes()) == (b"keep me", b"old"), name
        assert sorted(p.name for p in folder.iterdir()) == ["frozen.bin", "full.bin"], name
        write(target)
        assert target.read_bytes() != b"old", name
