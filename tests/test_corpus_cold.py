"""A cold conversion, end to end, agrees with the corpus cache the other tests read.

The suite keeps jupymuse's corpus cache between runs (tests/conftest.py), so most tests never
convert. This test converts a few files of each built-in corpus into an empty cache, through
``load_corpus`` as a user's first load does (the four chorales in worker interpreters, the ABC
files in this process), and checks that the result equals what the kept cache gives: an entry
left by older conversion code under the same ``CACHE_VERSION`` would show here, not as a puzzle in
some other test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jupymuse import load_corpus
from jupymuse.corpus import cache

pytestmark = pytest.mark.slow

SAMPLES = [
    ("bach-chorales", 4, 4),  # MusicXML; 4 files is the parallel path (worker interpreters)
    ("essen:erk5", None, 1),  # ABC, 27 songs in one file
    ("oneills:0721", None, 1),  # ABC, 10 tunes, numbered and deduplicated
]


@pytest.mark.parametrize(("name", "files", "expected_files"), SAMPLES)
def test_a_cold_conversion_equals_the_kept_cache(
    name: str, files: int | None, expected_files: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = load_corpus(name, progress=False, files=files)  # the cache the suite keeps (warm after one run)
    monkeypatch.setenv("JUPYMUSE_CACHE_DIR", str(tmp_path))
    calls: list[tuple[int, int]] = []
    cold = load_corpus(name, progress=lambda done, total: calls.append((done, total)), files=files)
    assert calls[-1] == (expected_files, expected_files)  # every file converted now, none read
    assert len(list(tmp_path.rglob("*.npz"))) == expected_files  # and written to the cold cache
    assert len(cold) > 0
    assert list(cold) == list(kept), (
        f"the kept corpus cache holds {name} entries that today's conversion does not make: "
        f"bump CACHE_VERSION (now {cache.CACHE_VERSION}) in src/jupymuse/corpus/cache.py"
    )
    assert cold.skipped == kept.skipped
