"""MusicXML round trip on every melody of bach-chorales, essen:kinder and oneills.

Each melody is written with ``Melody.to_musicxml()``, parsed by music21 and read back as a melody
(``Melody.from_music21``). Counted per corpus: melodies whose notes come back with the same pitches
and durations (the acceptance), the same start steps too (pickups included), and the same key, time
signature and tempo. The suite checks a sample (``tests/test_musicxml.py``); this runs them all.

    python benchmarks/musicxml_roundtrip.py [CORPUS ...]
"""

from __future__ import annotations

import sys
import time
import warnings
from collections import Counter

CORPORA = ("bach-chorales", "essen:kinder", "oneills")


def check(melody: object) -> dict[str, bool]:
    """What survives the round trip of one melody."""
    from music21 import converter

    from jupymuse import Melody

    assert isinstance(melody, Melody)
    back = Melody.from_music21(
        converter.parse(melody.to_musicxml(), format="musicxml"), steps_per_quarter=melody.steps_per_quarter
    )
    mine = [(n.pitch, n.duration) for n in melody.notes]
    theirs = [(n.pitch, n.duration) for n in back.notes]
    return {
        "pitches and durations": mine == theirs,
        "starts too": mine == theirs and [n.start for n in melody.notes] == [n.start for n in back.notes],
        "key, meter, tempo": (back.key, back.time_signature, back.tempo)
        == (melody.key, melody.time_signature, melody.tempo),
    }


def main(names: list[str]) -> int:
    import jupymuse

    warnings.simplefilter("ignore", jupymuse.JupymuseWarning)
    failed = 0
    for name in names:
        corpus = jupymuse.load_corpus(name, progress=False)
        counts: Counter[str] = Counter()
        first_bad = None
        start = time.perf_counter()
        for melody in corpus:
            for what, ok in check(melody).items():
                counts[what] += ok
                if not ok and first_bad is None:
                    first_bad = f"{melody.meta.get('title', '?')!r} ({what})"
        seconds = time.perf_counter() - start
        same = counts["pitches and durations"]
        failed += len(corpus) - same
        line = ", ".join(f"{counts[w]}/{len(corpus)} {w}" for w in ("pitches and durations", "starts too"))
        print(f"{name}: {line}, {counts['key, meter, tempo']}/{len(corpus)} key, meter, tempo ({seconds:.0f} s)")
        if first_bad:
            print(f"  first difference: {first_bad}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or list(CORPORA)))
