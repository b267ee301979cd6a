"""Issue 12, cases 1-2: corpus conversion from any entry point, loud partial results, a shareable cache.

Conversions here use small selections: ``bach-chorales:bwv10`` is 6 files (the parallel path needs
4 or more), ``bach-chorales:bwv101`` is one (converted in this process).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from jupymuse import CorpusError, load_corpus
from jupymuse.corpus import builtin, cache, convert
from jupymuse.corpus.builtin import BUILTINS, _cache_file, select_sources
from jupymuse.errors import CorpusCacheWarning, CorpusConversionWarning

INSTALLED_MUSIC21 = builtin._music21_corpus_dir
INSTALLED_VERSION = builtin._music21_version
SIX = "bach-chorales:bwv10"
ONE = "bach-chorales:bwv101"
# what a student writes: no main guard; it reports melodies, skipped files and whether music21 was
# imported here (it must not be: the parallel conversion runs in workers)
SCRIPT = f"""\
import sys, warnings
import jupymuse
warnings.simplefilter("error", jupymuse.JupymuseWarning)
c = jupymuse.load_corpus({SIX!r}, progress=False)
print(len(c), len(c.skipped), "music21" in sys.modules)
"""


@pytest.fixture
def cold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of this test's own."""
    root = tmp_path / "cache"
    monkeypatch.setenv("JUPYMUSE_CACHE_DIR", str(root))
    return root


@pytest.fixture(scope="module")
def six() -> list[object]:
    """The reference melodies of SIX, converted into the session's cache."""
    return list(load_corpus(SIX, progress=False))


def _run(args: list[str], cache_dir: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, JUPYMUSE_CACHE_DIR=str(cache_dir))
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def _entries(root: Path) -> list[Path]:
    return sorted(root.rglob("*.npz"))


@pytest.mark.slow
def test_plain_script_without_main_guard_converts_on_cold_and_partly_warm_cache(tmp_path: Path) -> None:
    script = tmp_path / "t.py"
    script.write_text(SCRIPT)
    root = tmp_path / "cache"
    done = _run([str(script)], root, tmp_path)
    assert (done.returncode, done.stdout) == (0, "6 0 False\n"), done.stderr
    assert len(_entries(root)) == 6
    for entry in _entries(root)[:4]:  # part of the cache warm, four files (the parallel path) to convert
        entry.unlink()
    done = _run([str(script)], root, tmp_path)
    assert (done.returncode, done.stdout) == (0, "6 0 False\n"), done.stderr


@pytest.mark.slow
def test_python_c_converts_on_cold_cache(tmp_path: Path) -> None:
    done = _run(["-c", SCRIPT], tmp_path / "cache", tmp_path)
    assert (done.returncode, done.stdout) == (0, "6 0 False\n"), done.stderr


@pytest.mark.slow
def test_concurrent_processes_share_one_cache(tmp_path: Path) -> None:
    script = tmp_path / "t.py"
    script.write_text(SCRIPT)
    env = dict(os.environ, JUPYMUSE_CACHE_DIR=str(tmp_path / "cache"))
    procs = [
        subprocess.Popen([sys.executable, str(script)], cwd=tmp_path, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    assert [p.communicate(timeout=300)[0] for p in procs] == ["6 0 False\n"] * 2
    assert len(_entries(tmp_path / "cache")) == 6
    assert not list((tmp_path / "cache").rglob("*.tmp"))  # atomic writes leave nothing behind


def test_thread_converts_in_workers_and_reports_progress(
    cold: Path, six: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    started = []
    real = convert.worker_command

    def command() -> list[str]:
        started.append(1)
        return real()

    monkeypatch.setattr(convert, "worker_command", command)
    calls: list[tuple[int, int]] = []
    got: list[object] = []
    t = threading.Thread(target=lambda: got.extend(load_corpus(SIX, progress=lambda d, n: calls.append((d, n)))))
    t.start()
    t.join(timeout=300)
    assert got == six
    assert calls == [(i, 6) for i in range(7)]  # report(0, total) first, then after each file
    assert len(started) == 2  # both cores, in worker interpreters
    assert len(_entries(cold)) == 6


@pytest.mark.slow
def test_jupyter_kernel_converts_on_cold_cache(tmp_path: Path) -> None:
    from jupyter_client import KernelManager
    from jupyter_client.kernelspec import KernelSpecManager

    spec = tmp_path / "kernels" / "jupymuse-test"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "test", "language": "python"}))
    km = KernelManager(
        kernel_name="jupymuse-test", kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(spec.parent)])
    )
    km.start_kernel(env=dict(os.environ, JUPYMUSE_CACHE_DIR=str(tmp_path / "cache")))
    kc = km.client()
    out: list[str] = []
    try:
        kc.start_channels()
        kc.wait_for_ready(timeout=120)
        hook = lambda msg: out.append(msg["content"].get("text", "")) if msg["msg_type"] == "stream" else None  # noqa: E731
        reply = kc.execute_interactive(SCRIPT, timeout=300, output_hook=hook)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    assert reply["content"]["status"] == "ok"
    assert "".join(out) == "6 0 False\n"


@pytest.fixture
def own_music21(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Another environment's copy of music21's chorale files (new paths and modification times)."""
    folder = tmp_path / "music21" / "corpus"
    (folder / "bach").mkdir(parents=True)
    for p in select_sources(BUILTINS["bach-chorales"], "bwv10"):
        shutil.copy(p, folder / "bach" / p.name)  # copy, not copy2: new modification times
    monkeypatch.setattr(builtin, "_music21_corpus_dir", lambda: folder)
    return folder / "bach"


def _converted(name: str) -> int:
    """How many files ``load_corpus(name)`` had to convert (0: all from the cache)."""
    calls: list[tuple[int, int]] = []
    load_corpus(name, progress=lambda d, n: calls.append((d, n)))
    return calls[-1][1] if calls else 0


def test_environments_share_entries_and_keep_their_own(
    cold: Path, own_music21: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(builtin, "_music21_corpus_dir", INSTALLED_MUSIC21)
    assert _converted(ONE) == 1  # environment A: the installed music21
    first = _entries(cold)
    monkeypatch.setattr(builtin, "_music21_corpus_dir", lambda: own_music21.parent)
    assert _converted(ONE) == 0  # B: its own copy, same version and content: A's entry serves
    monkeypatch.setattr(builtin, "_music21_version", lambda: "0.0-other-env")
    assert _converted(ONE) == 1  # C: another music21 version gets its own entry, next to A's
    assert len(_entries(cold)) == 2
    monkeypatch.setattr(builtin, "_music21_version", INSTALLED_VERSION)
    monkeypatch.setattr(builtin, "_music21_corpus_dir", INSTALLED_MUSIC21)
    assert _converted(ONE) == 0  # A's entry is still valid: C did not overwrite it
    assert set(first) <= set(_entries(cold))


def test_changed_content_is_reconverted(cold: Path, own_music21: Path) -> None:
    assert _converted(ONE) == 1
    [src] = own_music21.glob("bwv101*")
    os.utime(src, ns=(0, 0))
    assert _converted(ONE) == 0  # a new modification time alone is no change
    src.write_bytes(next(own_music21.glob("bwv102*")).read_bytes())
    assert _converted(ONE) == 1


def _break(folder: Path, names: list[str]) -> None:
    for n in names:
        (folder / n).write_bytes(b"PK\x03\x04 not a score")


def test_partly_failed_conversion_warns_loudly_every_time(cold: Path, own_music21: Path) -> None:
    _break(own_music21, ["bwv9001.1.mxl", "bwv9002.1.mxl"])
    for _ in range(2):  # failures are not cached: the next load tries (and warns) again
        with pytest.warns(CorpusConversionWarning, match=r"2 of 8 files could not be converted.*6 melodies loaded"):
            c = load_corpus(SIX.replace("bwv10", "bwv"), progress=False)
        assert len(c) == 6
        assert sorted(Path(s.path).name for s in c.skipped) == ["bwv9001.1.mxl", "bwv9002.1.mxl"]
        assert all(s.reason.startswith("music21 could not parse it") for s in c.skipped)


def test_conversion_that_fails_everywhere_names_the_reason(cold: Path, own_music21: Path) -> None:
    _break(own_music21, [f"bwv900{i}.1.mxl" for i in range(5)])
    with pytest.raises(CorpusError, match=r"5 of its 5 files could not be converted; the first, bwv9000.1.mxl"):
        load_corpus("bach-chorales:bwv900", progress=False)


def test_worker_that_cannot_start_falls_back_to_this_process(
    cold: Path, six: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(convert, "worker_command", lambda: [str(cold / "no-python-here")])
    assert list(load_corpus(SIX, progress=False)) == six


def test_worker_that_dies_fails_its_files_without_hanging(cold: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dies = "import sys; print('{\"ready\": true}', flush=True); sys.stdin.readline(); sys.exit('boom')"
    monkeypatch.setattr(convert, "worker_command", lambda: [sys.executable, "-c", dies])
    with pytest.raises(CorpusError, match=r"the conversion worker stopped while converting it \(exit status 1: boom\)"):
        load_corpus(SIX, progress=False)
    assert not _entries(cold)


def test_read_only_cache_converts_in_memory_with_one_warning(
    cold: Path, six: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    load_corpus(ONE, progress=False)  # part of the cache warm, then the folder becomes read-only
    folders = [cold, *(p for p in cold.rglob("*") if p.is_dir())]
    for f in folders:
        f.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(cold, os.W_OK):  # root writes anyway: make the folder refuse as it would anyone else

            def refuse(*_args: object, **_kwargs: object) -> None:
                raise PermissionError(13, "Permission denied")

            monkeypatch.setattr(cache.tempfile, "mkstemp", refuse)
        with pytest.warns(CorpusCacheWarning, match=r"cannot be written \(Permission denied.*in memory") as seen:
            assert list(load_corpus(SIX, progress=False)) == six
        assert len(seen) == 1
    finally:
        for f in folders:
            f.chmod(stat.S_IRWXU)
    assert len(_entries(cold)) == 1


@pytest.mark.parametrize("where", ["root", "inside"])
def test_file_where_the_cache_folder_should_be(cold: Path, where: str) -> None:
    blocker = cold if where == "root" else cold / f"corpus-v{cache.CACHE_VERSION}"
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("not a folder")
    with pytest.warns(CorpusCacheWarning, match="in memory"):
        c = load_corpus(ONE, progress=False)
    assert len(c) == 1
    assert not c.skipped


def test_cache_that_fills_up_keeps_every_melody(cold: Path, six: list[object], monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(builtin, "write_melodies", full)
    with pytest.warns(CorpusCacheWarning, match="No space left on device") as seen:
        assert list(load_corpus(SIX, progress=False)) == six
    assert len(seen) == 1


def test_entry_names_carry_the_key() -> None:
    [src] = select_sources(BUILTINS["bach-chorales"], "bwv101")
    entry = _cache_file("bach-chorales", src)
    assert entry.name.startswith("bwv101.7.mxl-")
    assert entry.parent.parent.name == f"corpus-v{cache.CACHE_VERSION}"


def test_leftovers_of_killed_writers_are_swept(cold: Path) -> None:
    folder = cold / f"corpus-v{cache.CACHE_VERSION}" / "bach-chorales"
    folder.mkdir(parents=True)
    old, fresh = folder / "a.tmp", folder / "b.tmp"
    old.write_bytes(b"half")
    fresh.write_bytes(b"half")
    os.utime(old, (1, 1))
    old_dir = folder / ".entry.npz.x1y2.tmp"  # the one writer's temporary folder, left by a killed process
    old_dir.mkdir()
    (old_dir / "entry.npz").write_bytes(b"half")
    os.utime(old_dir, (1, 1))
    assert cache.cannot_write(folder) is None
    # the old file and folder are swept; a fresh one may be another process's write in progress
    assert (old.exists(), fresh.exists(), old_dir.exists()) == (False, True, False)


FIFO_READ = """
import os, sys
from pathlib import Path
from jupymuse.corpus import cache
from jupymuse.music import Melody
path = Path(sys.argv[1])
cache.write_melodies(path, cache.ConvertedFile([Melody.from_notation("C4:4 D4:4")]), {"k": 1})
assert [m.to_notation() for m in cache.read_melodies(path, {"k": 1}).melodies] == ["C4:4 D4:4"]
path.unlink()
os.mkfifo(path)  # what a stray pipe in the cache folder looks like
print(cache.read_melodies(path, {"k": 1}))
"""


def test_a_fifo_in_place_of_an_entry_is_a_miss_not_a_wait(tmp_path: Path) -> None:
    """Issue 21, case 9: opening a FIFO blocks until a writer comes; the cache opens only regular files."""
    entry = tmp_path / "entry.npz"
    done = subprocess.run([sys.executable, "-c", FIFO_READ, str(entry)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "None"
