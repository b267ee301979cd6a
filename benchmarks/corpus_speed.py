"""Speed of corpus loading: cold conversion, cached load, and ingesting a folder of MIDI files.

Targets: cached load of bach-chorales <= 0.5 s; a folder of 1,000 small MIDI files (written here
from corpus melodies) read at >= 200 files/s. The cold conversion uses a fresh temporary cache and
runs in worker interpreters: its CPU seconds (ours and the workers') compare better than wall time on
a busy machine.
Ratios compare against a baseline measured in the same run (music21 parsing of the same files in
one process, and pretty_midi alone on the folder), since these machines are noisy.

    python benchmarks/corpus_speed.py
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (0 where ``resource`` is missing: Windows)."""
    try:
        import resource
    except ImportError:
        return 0.0
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _timed(fn: object, repeat: int = 5) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["JUPYMUSE_CACHE_DIR"] = str(Path(tmp) / "cache")
        from jupymuse import load_corpus, load_midi_folder
        from jupymuse.corpus.builtin import BUILTINS, select_sources

        start, cpu = time.perf_counter(), _cpu_seconds()
        chorales = load_corpus("bach-chorales", progress=False)
        cold, cpu = time.perf_counter() - start, _cpu_seconds() - cpu
        n_files = len(select_sources(BUILTINS["bach-chorales"], None))
        print(
            f"cold conversion of bach-chorales: {cold:.1f} s for {n_files} files ({len(chorales)} melodies, "
            f"{os.cpu_count()} cores, {cpu:.1f} CPU s, load average {os.getloadavg()[0]:.1f})"
        )

        from music21 import converter

        sample = select_sources(BUILTINS["bach-chorales"], None)[:40]
        start = time.perf_counter()
        for p in sample:
            converter.parseFile(str(p), forceSource=True, storePickle=False)
        per_file = (time.perf_counter() - start) / len(sample)
        print(
            f"  baseline: music21 parsing alone, one process: {per_file * 1000:.0f} ms/file -> "
            f"{per_file * n_files:.1f} s estimated serial; conversion ran {per_file * n_files / cold:.2f}x that speed"
        )

        warm = _timed(lambda: load_corpus("bach-chorales", progress=False))
        print(
            f"cached load of bach-chorales: median {statistics.median(warm):.3f} s, best {min(warm):.3f} s "
            f"(target <= 0.5 s)"
        )

        folder = Path(tmp) / "midi"
        folder.mkdir()
        for i in range(1000):
            chorales[i % len(chorales)].to_midi(folder / f"m{i:04d}.mid")
        runs = _timed(lambda: load_midi_folder(folder, progress=False), repeat=3)
        rate = 1000 / statistics.median(runs)
        print(
            f"load_midi_folder, 1,000 files: median {statistics.median(runs):.2f} s = {rate:.0f} files/s "
            f"(target >= 200)"
        )

        import pretty_midi

        files = sorted(folder.iterdir())
        start = time.perf_counter()
        for f in files:
            pretty_midi.PrettyMIDI(str(f))
        base = 1000 / (time.perf_counter() - start)
        print(f"  baseline: pretty_midi.PrettyMIDI alone {base:.0f} files/s; jupymuse/baseline = {rate / base:.2f}")


if __name__ == "__main__":
    main()
