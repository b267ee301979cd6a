"""Issue 21, case 13: a collection file with one odd tune loses that tune, named, never the file; the
file's entry is cached like any other, so a warm load reads it instead of parsing it again; the
held-out split is a fixed list, so a corpus that gains tunes moves no trained melody into it."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from jupymuse import load_corpus
from jupymuse.corpus import builtin, cache
from jupymuse.corpus import builtin_styles as styles
from jupymuse.corpus.builtin import convert_source
from jupymuse.corpus.cache import ConvertedFile
from jupymuse.errors import CorpusConversionWarning
from jupymuse.evaluate import has_twin
from jupymuse.music import Melody

THREE_TUNES = """\
X: 1
T: First
M: 3/4
L: 1/8
K: G
G2 A2 B2 | c2 B2 A2 | G6 |]

X: 2
T: Odd One
M: 1/6
L: 1/8
K: G
G A B c d e |]

X: 3
T: Third
M: 6/8
L: 1/8
K: D
D2 F A2 F | d3 A3 |]
"""


def test_a_tune_jupymuse_cannot_hold_loses_that_tune_only(tmp_path: Path) -> None:
    source = tmp_path / "three.abc"
    source.write_text(THREE_TUNES)
    got = convert_source("oneills", source)
    assert [m.meta["title"] for m in got.melodies] == ["First", "Third"]
    assert [m.time_signature for m in got.melodies] == [(3, 4), (6, 8)]
    [(tune, reason)] = got.lost
    assert tune == "no. 2 'Odd One' (tune 2 of 3)"
    assert "time signature 1/6" in reason


def test_lost_tunes_are_cached_with_the_melodies_and_checked(tmp_path: Path) -> None:
    entry = tmp_path / "entry.npz"
    converted = ConvertedFile([Melody.from_notation("C4:4 D4")], [("no. 2 'Odd' (tune 2 of 3)", "1/6")])
    cache.write_melodies(entry, converted, {"k": 1})
    again = cache.read_melodies(entry, {"k": 1})
    assert again is not None
    assert [m.to_notation() for m in again.melodies] == ["C4:4 D4:4"]
    assert again.lost == converted.lost
    # the lost list is under the checksum: an entry whose list was edited is rebuilt, not believed
    import numpy as np

    with np.load(entry) as data:
        arrays = {k: data[k] for k in data.files}
    head = json.loads(bytes(arrays["header"]).decode())
    head["lost"] = []
    arrays["header"] = np.frombuffer(json.dumps(head).encode(), dtype=np.uint8)
    np.savez(entry, **arrays)
    assert cache.read_melodies(entry, {"k": 1}) is None


def test_oneills_file_with_music21s_odd_meters_loads_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """0301-0350.abc used to be dropped whole (music21 reads tune 317's pickup as a 1/6 bar)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", CorpusConversionWarning)
        first = load_corpus("oneills:0301", progress=False)
    assert len(first) == 50
    assert not first.skipped
    [maid] = [m for m in first if m.meta["number"] == "317"]
    assert maid.time_signature == (3, 4)

    def no_conversion(*_args: object) -> None:
        raise AssertionError("a warm load converted a file again")

    monkeypatch.setattr(builtin, "convert_files", no_conversion)
    assert list(load_corpus("oneills:0301", progress=False)) == list(first)


def test_the_split_is_the_fixed_list(chorales: object) -> None:
    data = styles.split_style("chorale")
    fixed = json.loads(styles.SPLIT_FILE.read_text())["chorale"]
    assert [styles.melody_key(m) for m in data.validation] == fixed["validation"]
    assert [styles.melody_key(m) for m in data.train] == fixed["train"]
    assert sorted(styles.melody_key(m) for m in data.held_out) == sorted(fixed["held_out"])
    assert (len(data.train), len(data.validation), len(data.held_out)) == (285, 15, 100)
    parts = [{styles.melody_key(m) for m in part} for part in (data.train, data.validation, data.held_out)]
    assert sum(map(len, parts)) == len(set().union(*parts)) == 400
    assert (data.unlisted, data.missing) == (0, 0)


@pytest.mark.slow
@pytest.mark.parametrize("name", list(styles.STYLE_CORPORA))
def test_held_out_and_validation_melodies_have_no_twin_in_training(name: str) -> None:
    data = styles.split_style(name)
    assert (data.unlisted, data.missing) == (0, 0)
    assert not any(has_twin(data.held_out + data.validation, data.train))
    # nor in a transposition: the rule reads intervals, so a held-out tune moved up a fifth still has none
    assert not any(has_twin([m.transpose(7) for m in data.held_out[:20]], data.train))


def test_a_melody_the_split_does_not_list_is_used_nowhere(monkeypatch: pytest.MonkeyPatch) -> None:
    known = Melody.from_notation("C4:4 D4:4 E4:4 F4:4 G4:4", meta={"source": "music21:x.mxl", "index": 0})
    new = Melody.from_notation("G4:4 A4:4", meta={"source": "music21:y.mxl", "index": 0})
    split = {"chorale": {"train": ["music21:x.mxl#0", "music21:gone.mxl#0"], "validation": [], "held_out": []}}
    monkeypatch.setattr(styles, "style_melodies", lambda name, progress=False: [known, new])
    monkeypatch.setattr(styles, "_fixed_split", lambda: split)
    data = styles.split_style("chorale")
    assert (data.train, data.validation, data.held_out) == ([known], [], [])
    assert (data.unlisted, data.missing) == (1, 1)


def test_every_style_holds_out_its_own_melodies() -> None:
    fixed = json.loads(styles.SPLIT_FILE.read_text())
    assert set(fixed) == set(styles.STYLE_CORPORA)
    for name, lists in fixed.items():
        assert len(lists["held_out"]) == styles.HELD_OUT, name
        assert not set(lists["held_out"]) & set(lists["validation"]), name
    # O'Neill's tunes are known by number: the same tune in two files is one tune
    assert all(k.startswith("music21:oneills1850#no.") for k in fixed["irish"]["held_out"])
    oneill = Melody.from_notation("C4:4", meta={"source": "music21:oneills1850/0001-0050.abc", "number": "7"})
    assert styles.melody_key(oneill) == "music21:oneills1850#no.7"
