"""Speed of the score view: a 400-note melody engraved as SVG (MusicXML written by jupymuse, verovio).

Target: <= 150 ms warm (the median of several runs, after one that loads verovio and its fonts).
The baseline, measured in the same run because these machines are noisy, is music21 writing the
same melody as MusicXML with ``write('musicxml')`` (its own notation pass: bars, ties, beams), which
is only the first half of what the score does.

    python benchmarks/score_speed.py
"""

from __future__ import annotations

import statistics
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

TARGET_MS = 150.0
NOTES = 400


def _median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    import jupymuse
    from jupymuse import Melody, Score

    warnings.simplefilter("ignore", jupymuse.JupymuseWarning)
    chorales = jupymuse.load_corpus("bach-chorales", progress=False)
    melody = Melody()
    for m in chorales:  # chorales back to back, each from a bar line, cut at 400 notes
        if len(melody) >= NOTES:
            break
        melody = melody.then(m.shift(-(m.notes[0].start // m.steps_per_bar) * m.steps_per_bar))
    melody = melody[:NOTES].replace(meta={"title": f"{NOTES} notes of chorales"})

    start = time.perf_counter()
    score = Score(melody)
    first = (time.perf_counter() - start) * 1000
    warm = _median_ms(lambda: Score(melody), repeat=9)
    xml_only = _median_ms(melody.to_musicxml, repeat=9)

    part = melody.to_music21()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "m21.musicxml"
        m21 = _median_ms(lambda: part.write("musicxml", fp=out), repeat=5)  # type: ignore[no-untyped-call]

    print(f"{len(melody)} notes, {score.bars} bars, SVG of {len(score.svg) / 1024:.0f} KiB")
    print(f"first score (loads verovio): {first:.0f} ms")
    verdict = "met" if warm <= TARGET_MS else "MISSED"
    print(f"warm score (median of 9): {warm:.1f} ms (target <= {TARGET_MS:.0f} ms: {verdict})")
    print(f"  of which MusicXML by jupymuse: {xml_only:.1f} ms")
    print(f"music21 write('musicxml') of the same melody (median of 5): {m21:.1f} ms")
    print(f"ratio score / music21 MusicXML: {warm / m21:.2f}")


if __name__ == "__main__":
    main()
