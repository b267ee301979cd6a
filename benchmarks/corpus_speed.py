"""Speed of corpus loading: cold conversion, cached load, and ingesting a folder of MIDI files.

Targets: cached load of bach-chorales <= 0.5 s, of every built-in corpus <= 3 s; the time left shown
one second into a cold conversion within a factor of 1.5 of the truth (``--all`` converts essen and
oneills too: about 6 minutes on two cores); a folder of 1,000 small MIDI files (written here
from corpus melodies) read at >= 200 files/s. The cold conversion uses a fresh temporary cache and
runs in worker interpreters: its CPU seconds (ours and the workers') compare better than wall time on
a busy machine.
Ratios compare against a baseline measured in the same run (music21 parsing of the same files in
one process, and pretty_midi alone on the folder), since these machines are noisy.

    python benchmarks/corpus_speed.py
"""

from __future__ import annotations

import argparse
import io
import os
import re
import statistics
import sys
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


class _Stamped(io.TextIOBase):
    """Stands in for stderr: keeps what the progress bar writes, with the time it was written."""

    def __init__(self) -> None:
        self.lines: list[tuple[float, str]] = []
        self.t0 = time.perf_counter()

    def write(self, text: str) -> int:
        self.lines.append((time.perf_counter() - self.t0, text))
        return len(text)


def _cold_with_eta(name: str) -> float:
    """Convert ``name`` into the (fresh) cache with the progress bar on; print time, CPU and the ETAs,
    then time cached loads. Returns the conversion's seconds."""
    from jupymuse import load_corpus

    stamped, cpu = _Stamped(), _cpu_seconds()
    err, sys.stderr = sys.stderr, stamped
    try:
        corpus = load_corpus(name, progress=True)
    finally:
        sys.stderr = err
    took, cpu = time.perf_counter() - stamped.t0, _cpu_seconds() - cpu
    shown = []
    for at, text in stamped.lines:
        found = re.findall(r"about (?:(\d+):)?(\d+):(\d\d) left", text)
        if found:
            h, m, sec = found[-1]
            shown.append((at, int(h or 0) * 3600 + int(m) * 60 + int(sec)))
    first = next(((at, left) for at, left in shown if at >= 1.0), shown[0] if shown else None)
    eta = ""
    if first is not None:
        at, left = first
        truth = took - at
        eta = f"; time left shown at {at:.1f} s: {left} s, true {truth:.0f} s ({left / max(truth, 1e-9):.2f}x)"
    print(
        f"cold conversion of {name}: {took:.1f} s ({len(corpus)} melodies, {len(corpus.skipped)} skipped, "
        f"{os.cpu_count()} cores, {cpu:.1f} CPU s, load average {os.getloadavg()[0]:.1f}){eta}"
    )
    warm = _timed(lambda: load_corpus(name, progress=False))
    print(f"  cached load of {name}: median {statistics.median(warm):.3f} s, best {min(warm):.3f} s (target <= 3 s)")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--all", action="store_true", help="also convert essen and oneills (minutes)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["JUPYMUSE_CACHE_DIR"] = str(Path(tmp) / "cache")
        from jupymuse import load_corpus, load_midi_folder
        from jupymuse.corpus.builtin import BUILTINS, select_sources

        cold = _cold_with_eta("bach-chorales")
        chorales = load_corpus("bach-chorales", progress=False)
        n_files = len(select_sources(BUILTINS["bach-chorales"], None))

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

        if args.all:
            for name in ("oneills", "essen"):
                _cold_with_eta(name)

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
