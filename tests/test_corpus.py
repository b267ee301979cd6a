"""Built-in corpora from music21, the cache, splits and folds."""

import time
from pathlib import Path

import numpy as np
import pytest

from jupymuse import CorpusError, load_corpus
from jupymuse.corpus import Corpus, list_corpora
from jupymuse.corpus.builtin import BUILTINS, _cache_file, select_sources


def test_bach_chorales_are_soprano_lines_with_bwv(all_chorales: Corpus) -> None:
    assert len(all_chorales) > 350
    bwvs = [m.meta["bwv"] for m in all_chorales]
    assert len(set(bwvs)) == len(bwvs)  # one melody per chorale, no variant twice
    assert all(m.steps_per_quarter == 4 and len(m) > 10 for m in all_chorales)
    stats = all_chorales.stats()
    assert stats.pitch_min is not None
    assert stats.pitch_min >= 55
    assert stats.pitch_max is not None
    assert stats.pitch_max <= 84
    assert 4 in stats.duration_histogram


def test_pearce185_is_bwv_253_to_438(chorales: Corpus) -> None:
    sel = load_corpus("bach-chorales:pearce185", progress=False)
    assert {int(str(m.meta["bwv"]).split(".")[0]) for m in sel} == set(range(253, 439))
    assert 9000 < sel.n_notes < 9500  # IDyOM reports 9,227 notes for its 185


def test_essen_selection_by_file_prefix(kinder: Corpus) -> None:
    assert len(kinder) == 213
    assert all(str(m.meta["source"]).endswith("kinder0.abc") for m in kinder)
    assert kinder[0].meta["title"]


def test_oneills_selection_and_dedupe() -> None:
    c = load_corpus("oneills:0001", progress=False)
    numbers = [m.meta.get("number") for m in c]
    assert len(c) >= 45
    assert len(numbers) == len(set(numbers))


def test_unknown_names_and_selections_explain_themselves() -> None:
    with pytest.raises(CorpusError, match="built-in corpora are: bach-chorales, essen, oneills"):
        load_corpus("beatles")
    with pytest.raises(CorpusError, match=r"selects nothing.*pearce185"):
        load_corpus("bach-chorales:nonsense")


def test_cached_load_is_fast_and_equal(all_chorales: Corpus) -> None:
    start = time.process_time()  # CPU time: a cached load is this process's work, whatever else runs
    again = load_corpus("bach-chorales", progress=False)
    assert time.process_time() - start < 5  # generous: the real figure is in benchmarks/
    assert list(again) == list(all_chorales)


def test_corrupt_cache_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A truncated entry and one with a flipped byte are converted again (in a cache of the test's own)."""
    monkeypatch.setenv("JUPYMUSE_CACHE_DIR", str(tmp_path))
    first = list(load_corpus("essen:erk5", progress=False))
    [src] = select_sources(BUILTINS["essen"], "erk5")
    cache = _cache_file("essen", src)
    assert cache.is_relative_to(tmp_path)
    cache.write_bytes(cache.read_bytes()[:1000])  # truncate
    assert list(load_corpus("essen:erk5", progress=False)) == first
    # flip a byte inside the data: the checksum catches it
    data = bytearray(cache.read_bytes())
    data[len(data) // 2] ^= 0xFF
    cache.write_bytes(bytes(data))
    assert list(load_corpus("essen:erk5", progress=False)) == first


def test_split_is_deterministic_and_disjoint(kinder: Corpus) -> None:
    a = kinder.split(valid=0.1, test=0.2, seed=3)
    b = kinder.split(valid=0.1, test=0.2, seed=3)
    c = kinder.split(valid=0.1, test=0.2, seed=4)
    assert [list(x) for x in a] == [list(x) for x in b]
    assert list(a.test) != list(c.test)
    assert len(a.train) + len(a.valid) + len(a.test) == len(kinder)
    titles = [(m.meta["source"], m.meta["index"]) for part in a for m in part]
    assert len(set(titles)) == len(kinder)


def test_kfold_puts_each_melody_in_exactly_one_test_fold(kinder: Corpus) -> None:
    folds = kinder.kfold(10, seed=0)
    assert len(folds) == 10
    test_ids = [m.meta["index"] for _, test in folds for m in test]
    assert sorted(test_ids) == sorted(m.meta["index"] for m in kinder)
    for train, test in folds:
        assert not {m.meta["index"] for m in train} & {m.meta["index"] for m in test}
    assert [list(t) for _, t in kinder.kfold(10, seed=0)] == [list(t) for _, t in folds]
    sizes = [len(t) for _, t in folds]
    assert max(sizes) - min(sizes) <= 1


def test_corpus_sequence_behaviour(kinder: Corpus) -> None:
    assert isinstance(kinder[1:4], Corpus)
    assert len(kinder[1:4]) == 3
    assert kinder.filter(lambda m: m.time_signature == (3, 4)).stats().time_signatures == {"3/4": 23}
    assert "213 melodies" in repr(kinder)
    text = str(kinder.stats())
    assert "pitch range" in text
    assert "melodies:" in text
    assert int(np.sum(list(kinder.stats().duration_histogram.values()))) == kinder.n_notes


def test_list_corpora_names() -> None:
    assert [c.name for c in list_corpora()] == ["bach-chorales", "essen", "oneills"]
