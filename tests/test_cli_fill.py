"""``jupymuse fill`` and ``jupymuse vary``, and ABC in (``--primer-file x.abc --tune N``) and out (``--out x.abc``)
on the command line (issue 24), run in-process through main() like tests/test_cli.py."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from jupymuse import MarkovModel, Melody, load_corpus, read_midi
from jupymuse.cli import main
from jupymuse.cli import revise as revise_module
from jupymuse.errors import ScoreError
from jupymuse.models import load_default
from jupymuse.music import as_melody

TUNE = "G4:4 G4 D5 D5 E5 E5 D5:8 C5:4 C5 B4 B4 A4 A4 G4:8 D5:4 D5 C5 C5 B4 B4 A4:8"
"""Six bars of 4/4 at 16 steps a bar (4 a quarter note)."""
RESTS = "G4:4 r:4 G4 D5 r:16 E5:4 E5 D5:8"
"""Bar 2 is a rest."""
TWO_TUNES = """\
X:1
T:First
M:4/4
L:1/4
K:G
GGdd|eed2|ccBB|AAG2|]

X:2
T:Second
M:3/4
L:1/8
K:D
A2|d2 f2 a2|g2 e2 c2|d4 A2|B2 c2 d2|e6|]
"""


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    rc = main(argv)
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


def _outside(melody: Melody, start: int, end: int) -> list[tuple[int, int, int]]:
    return [(n.pitch, n.start, n.duration) for n in melody.notes if not start <= n.start < end]


def _inside(melody: Melody, start: int, end: int) -> list[tuple[int, int, int]]:
    return [(n.pitch, n.start, n.duration) for n in melody.notes if start <= n.start < end]


def test_fill_writes_the_models_own_fill_and_bars_name_the_same_steps_as_a_span(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    melody = as_melody(TUNE)
    rc, out, err = _run(
        ["fill", "--primer", TUNE, "--bars", "3-4", "--seed", "3", "--out", str(tmp_path / "a.mid")], capsys
    )
    assert (rc, err) == (0, "")
    filled = read_midi(tmp_path / "a.mid")
    [expected] = load_default().infill(melody, 32, 64, seed=3)
    assert filled.to_notation() == expected.to_notation()
    assert _outside(filled, 32, 64) == _outside(melody, 32, 64)  # every note outside the span stays
    assert filled.end == melody.end
    assert out.startswith(f"wrote {tmp_path / 'a.mid'}: steps 32-64 are now ")
    assert f"(weight {expected.meta['weight']:.3f})" in out
    assert main(["fill", "--primer", TUNE, "--span", "32:64", "--seed", "3", "--out", str(tmp_path / "b.mid")]) == 0
    assert (tmp_path / "b.mid").read_bytes() == (tmp_path / "a.mid").read_bytes()


def test_fill_takes_generates_sampling_flags_and_writes_n_numbered_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    melody = as_melody(TUNE)
    out = tmp_path / "f.mid"
    argv = ["fill", "--primer", TUNE, "--bars", "2", "-n", "3", "--proposals", "16", "--seed", "1"]
    flags = ["--temperature", "0.8", "--top-p", "0.9", "--scale", "G major", "--style", "irish"]
    assert main([*argv, *flags, "--out", str(out)]) == 0
    expected = load_default().infill(
        melody, 16, 32, n=3, proposals=16, seed=1, temperature=0.8, top_p=0.9, scale="G major", style="irish"
    )
    for i, want in enumerate(expected, start=1):
        got = read_midi(tmp_path / f"f-{i}.mid")
        assert got.to_notation() == want.to_notation()
        assert all(p % 12 in (7, 9, 11, 0, 2, 4, 6) for p in got.pitches)  # G major
    capsys.readouterr()
    (tmp_path / "f-1.mid").write_bytes(b"keep")
    assert main([*argv, "--out", str(out)]) == 2  # checked before the first is written
    assert f"'{tmp_path / 'f-1.mid'}' already exists (add --force" in capsys.readouterr().err
    assert (tmp_path / "f-1.mid").read_bytes() == b"keep"


def test_vary_keeps_the_rhythm_and_contour_or_the_pitches(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    melody, (start, end) = as_melody(TUNE), (16, 48)
    old = _inside(melody, start, end)
    base = ["vary", "--primer", TUNE, "--bars", "2-3", "--seed", "0"]
    assert main([*base, "--contour", "--out", str(tmp_path / "r.mid")]) == 0
    rhythm = read_midi(tmp_path / "r.mid")
    [expected] = load_default().vary(melody, start, end, contour=True, seed=0)
    assert rhythm.to_notation() == expected.to_notation()
    new = _inside(rhythm, start, end)
    assert [(s, d) for _, s, d in new] == [(s, d) for _, s, d in old]
    assert [p for p, _, _ in new] != [p for p, _, _ in old]

    def way(notes: list[tuple[int, int, int]]) -> list[int]:
        before = [n.pitch for n in melody.notes if n.start < start][-1:]
        return [int(np.sign(b - a)) for a, b in itertools.pairwise(before + [p for p, _, _ in notes])]

    assert way(new) == way(old)
    assert _outside(rhythm, start, end) == _outside(melody, start, end)
    assert main([*base, "--keep", "pitches", "--out", str(tmp_path / "p.mid")]) == 0
    pitches = read_midi(tmp_path / "p.mid")
    [expected] = load_default().vary(melody, start, end, keep="pitches", seed=0)
    assert pitches.to_notation() == expected.to_notation()
    assert [p for p, _, _ in _inside(pitches, start, end)] == [p for p, _, _ in old]
    assert _outside(pitches, start, end) == _outside(melody, start, end)


def test_an_abc_primer_picks_its_tune_and_abc_comes_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tunes = tmp_path / "tunes.abc"
    tunes.write_text(TWO_TUNES, encoding="utf-8")
    second = Melody.from_abc(TWO_TUNES, number=2, steps_per_quarter=4)
    assert second.time_signature == (3, 4)
    out = tmp_path / "filled.abc"
    rc, _, err = _run(
        ["fill", "--primer-file", str(tunes), "--tune", "2", "--bars", "3", "--seed", "0", "--out", str(out)], capsys
    )
    assert (rc, err) == (0, "")
    text = out.read_text(encoding="utf-8")
    assert text.startswith("X:1\nT:Second\nM:3/4\n")
    back = Melody.from_abc(text, steps_per_quarter=4)
    [expected] = load_default().infill(second, 24, 36, seed=0)
    assert back.notes == expected.notes
    assert _outside(back, 24, 36) == _outside(second, 24, 36)
    first = _run(["explain", "--primer-file", str(tunes), "--index", "5"], capsys)
    assert first == _run(
        ["explain", "--primer", as_melody("G4:4 G4 D5 D5 E5 E5 D5:8").to_notation(), "--index", "5"], capsys
    )
    gen = ["generate", "--primer-file", str(tunes), "--tune", "1", "--length", "8", "--seed", "2"]
    assert main([*gen, "--out", str(tmp_path / "g.abc")]) == 0
    assert main([*gen, "--out", str(tmp_path / "g.mid")]) == 0
    made = Melody.from_abc((tmp_path / "g.abc").read_text(encoding="utf-8"), steps_per_quarter=4)
    assert made.notes == read_midi(tmp_path / "g.mid").notes
    assert main([*gen, "--out", str(tunes), "--force"]) == 2  # an input is never replaced
    assert f"'{tunes}' is the --primer-file: write to another file" in capsys.readouterr().err
    assert tunes.read_text(encoding="utf-8") == TWO_TUNES


def test_a_latin_1_abc_file_reads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "old.abc"
    path.write_bytes("X:1\nT:Caf\u00e9\nM:4/4\nL:1/4\nK:C\nCDEF|GABc|]\n".encode("latin-1"))
    rc, out, err = _run(["explain", "--primer-file", str(path)], capsys)
    assert (rc, err) == (0, "")
    assert out.startswith("Note 8 (C5)")


def test_abc_a_melody_cannot_write_leaves_no_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(self: Melody) -> str:
        raise ScoreError("a note length no note value can write")

    monkeypatch.setattr(Melody, "to_abc", refused)
    rc, _, err = _run(["fill", "--primer", TUNE, "--bars", "2", "--out", str(tmp_path / "x.abc")], capsys)
    assert (rc, err) == (2, "error: a note length no note value can write\n")
    assert list(tmp_path.iterdir()) == []


def _files(tmp: Path) -> None:
    as_melody(TUNE).to_midi(tmp / "tune.mid")
    (tmp / "tunes.abc").write_text(TWO_TUNES, encoding="utf-8")
    (tmp / "bad.abc").write_text("X:1\nK:G\nGAB c2 | ]] d\n", encoding="utf-8")
    with (tmp / "huge.abc").open("wb") as f:
        f.truncate(10 * 2**20)  # 10 MB, refused by its size before it is read


REFUSED = [
    (["--span", "16:16"], "argument --span: steps 16-16: the span [16, 16) is empty"),
    (
        ["--bars", "7-8"],
        "argument --bars: bars 7-8 (steps 96-128, 16 a bar): the span [96, 128) runs past the melody's",
    ),
    (["--span", "2:16"], "argument --span: steps 2-16: the span's start at step 2 falls inside note 1 (G4, steps 0-4)"),
    (["--span", "0:18"], "the span's end at step 18 falls inside note 5 (E5, steps 16-20): move it to step 16 or 20"),
    (["--bars", "4-3"], "argument --bars: the last bar comes before the first in '4-3': write 3-4"),
    (["--bars", "0"], "argument --bars: must be FIRST-LAST bar numbers like 3-4 (or one bar, like 3) counted from 1"),
    (["--span", "16"], "argument --span: must be START:END in grid steps like 32:64, not '16'"),
    (["--span", "a:b"], "argument --span: must be START:END in grid steps"),
    (["--bars", "1", "--span", "0:16"], "argument --span: not allowed with argument --bars"),
    (["--length", "8", "--bars", "1"], "unrecognized arguments: --length 8"),
    (["--ending", "cadence", "--bars", "1"], "unrecognized arguments: --ending cadence"),
    (["-n", "5", "--proposals", "4", "--bars", "1"], "argument -n: 5 results are drawn from --proposals 4: at most"),
    (["--proposals", "4096", "--bars", "1-6"], "argument --proposals: 4,096 proposals x 96 steps is over 131,072"),
    (["--proposals", "0", "--bars", "1"], "argument --proposals: must be from 1 to 4096, not 0"),
    (["--temperature", "-1", "--bars", "1"], "argument --temperature: must be a number from 0 to 100"),
    (["--style", "iirsh", "--bars", "1"], "did you mean 'irish'?"),
    (["--model", "markov", "--style", "irish", "--bars", "1"], "argument --style: a Markov chain knows no styles"),
    (["--out", "{tmp}/x.txt", "--bars", "1"], "argument --out: must end in .mid, .midi, .musicxml, .xml, .abc (MIDI"),
    (["--out", "{tmp}/tune.mid", "--force", "--file", "--bars", "1"], "'{tmp}/tune.mid' is the --primer-file"),
]
"""Refusals of ``fill`` with ``--primer TUNE`` (``--file``: with ``--primer-file {tmp}/tune.mid`` instead)."""
REFUSED_FILES = [
    (["fill", "--primer-file", "{tmp}/bad.abc", "--bars", "1"], "argument --primer-file: ABC line 3, column"),
    (["fill", "--primer-file", "{tmp}/huge.abc", "--bars", "1"], "'{tmp}/huge.abc' is 10.0 MiB; an ABC melody file"),
    (
        ["fill", "--primer-file", "{tmp}/tunes.abc", "--tune", "3", "--bars", "1"],
        "has no tune X:3; its tunes are X: 1, 2",
    ),
    (
        ["fill", "--primer-file", "{tmp}/tune.mid", "--tune", "1", "--bars", "1"],
        "argument --tune: picks a tune of an ABC",
    ),
    (["fill", "--primer", TUNE, "--tune", "1", "--bars", "1"], "argument --tune: picks a tune of an ABC file"),
    (["fill", "--bars", "1"], "one of the arguments --primer --primer-file is required"),
    (["fill", "--primer", TUNE], "one of the arguments --bars --span is required"),
    (["fill", "--primer", "", "--bars", "1"], "argument --primer: the melody has no notes: give the melody to revise"),
    (
        ["vary", "--primer", RESTS, "--bars", "2"],
        "argument --bars: bar 2 (steps 16-32, 16 a bar): the span has no notes to vary",
    ),
    (
        ["vary", "--primer", TUNE, "--bars", "2", "--keep", "pitches", "--contour"],
        "argument --contour: goes with --keep rhythm",
    ),
    (["vary", "--primer", TUNE, "--bars", "2", "--keep", "notes"], "argument --keep: invalid choice: 'notes'"),
]


@pytest.mark.parametrize(
    ("argv", "wanted"),
    [(["fill", "--primer", TUNE, *a], w) for a, w in REFUSED] + REFUSED_FILES,
    ids=[w[:40] for _, w in REFUSED + REFUSED_FILES],
)
def test_bad_input_is_one_error_line_before_any_model_loads(
    argv: list[str],
    wanted: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _files(tmp_path)

    def no_model(*args: object) -> None:
        raise AssertionError("a model was loaded before the input was checked")

    monkeypatch.setattr(revise_module, "load_model_for", no_model)
    if "--file" in argv:
        argv = [a for a in argv if a not in ("--file", "--primer", TUNE)] + ["--primer-file", "{tmp}/tune.mid"]
    before = sorted(p.name for p in tmp_path.iterdir())
    rc, out, err = _run([a.replace("{tmp}", str(tmp_path)) for a in argv], capsys)
    assert rc == 2
    assert out == ""
    assert err.startswith("error: ")
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert wanted.replace("{tmp}", str(tmp_path)) in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written


def test_a_markov_chain_trained_now_fills_at_temperature_0_as_the_library_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [
        "fill",
        "--primer",
        TUNE,
        "--span",
        "20:24",
        "--model",
        "markov",
        "--order",
        "1",
        "--corpus",
        "essen:kinder",
    ]
    rc, _, err = _run([*argv, "--temperature", "0", "--out", str(tmp_path / "m.mid")], capsys)
    assert (rc, err) == (0, "")
    chain = MarkovModel(1).fit(load_corpus("essen:kinder", progress=False))
    [best] = chain.infill(as_melody(TUNE), 20, 24, temperature=0)
    assert read_midi(tmp_path / "m.mid").to_notation() == best.to_notation()


def test_fill_and_vary_are_listed_with_help() -> None:
    listed = subprocess.run([sys.executable, "-m", "jupymuse", "--help"], capture_output=True, text=True, check=True)
    assert "fill a span of a melody anew" in listed.stdout
    assert "vary the phrase in a span" in listed.stdout
    for command in ("fill", "vary"):
        done = subprocess.run(
            [sys.executable, "-m", "jupymuse", command, "--help"], capture_output=True, text=True, check=True
        )
        text = " ".join(done.stdout.split())
        assert f"usage: jupymuse {command}" in text
        assert "(--bars FIRST-LAST | --span START:END)" in text
        assert "bars counted from 1 at step 0, so a pickup is in bar 1" in text
        assert "[--length" not in text  # a span keeps its own length
        assert "[--ending" not in text
