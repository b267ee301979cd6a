"""Filling a gap: does the shipped model's fill lead into what follows, and does it sound like the style?

For each built-in style (``jupymuse.corpus.builtin_styles``), the held-out melodies the shipped model
never trained on that have at least 8 bars (``--n`` of them, 100 by default) lose bars 3-4 (the gap
``[2 x bar, 4 x bar)``; a melody with a note across either bar line, or with no note before, inside or
after the gap, is skipped). The model fills the gap (``infill``, ``--proposals`` candidates, the
style's own conditioning, the model's recommended sampling settings, seeded per melody), and the
fill is set against two others: a **plain** left-to-right continuation of the same length (the same
sampler with one proposal, so nothing weighs it) and the **real** bars 3-4.

* the real notes after the gap in bits per note (``log_prob`` under the style), given the fill, the
  plain continuation and the real span: lower is better; the fill should beat the plain
  continuation and come near the real span;
* the intervals at the two seams (last note before the gap to its first note; its last note to the
  first note after): MGEval overlap area of the real seams against the fills' (and the plain
  continuations'), beside a floor: the real seams against those of ``--n`` training melodies of the
  style cut the same way (target: fill >= floor - 0.05);
* a real-vs-filled discriminator (logistic regression on the features of the 2 bars, 5-fold,
  a melody's real and filled bars held out together; target <= 0.65) beside real vs training bars;
* the time of one fill with ``--proposals`` candidates, warm: the median over every fill.

    python benchmarks/infill.py [--styles chorale,german,chinese,irish] [--n 100] [--proposals 64]
        [--seed 0] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

import numpy as np

from jupymuse.corpus.builtin_styles import STYLE_CORPORA, STYLE_TITLES, split_style
from jupymuse.models.default import load_default
from jupymuse.models.gru import GRUModel
from jupymuse.models.infill import infill
from jupymuse.music import Melody
from jupymuse.quality import discriminator_accuracy, mgeval_overlap

OVERLAP_MARGIN = 0.05
DISCRIMINATOR_MAX = 0.65
SECONDS_MAX = 1.0
BARS = 8
REPEATS = 5
KINDS = ("filled", "plain", "real")
LEGEND = (
    "filled / plain / real: bars 3-4 filled by infill, continued left to right by the same sampler with one "
    "proposal (nothing weighs it), and the real bars",
    "after-gap bits/note: the real notes after the gap in bits per note given that span (lower is better)",
    "seam overlap: MGEval overlap area of the real seams' intervals against the set's (1 = as close as real seams "
    f"are to each other); floor = real against training melodies' seams; target filled >= floor - {OVERLAP_MARGIN}",
    f"discriminator: 5-fold accuracy ({REPEATS} splits pooled) telling real bars 3-4 from the set's by their "
    f"features (0.5 = cannot tell); target filled <= {DISCRIMINATOR_MAX}; the floor row should be ~0.5",
    f"fill time: one fill of bars 3-4, warm, median over every fill; target <= {SECONDS_MAX:g} s",
)


@dataclass
class Rows:
    """One set of bars 3-4 (filled, plain or real) over a style's melodies."""

    bits: float = 0.0
    notes: int = 0
    entry: list[int] = field(default_factory=list)
    exit: list[int] = field(default_factory=list)
    spans: list[Melody] = field(default_factory=list)

    def add(self, model: GRUModel, melody: Melody, style: str) -> None:
        """Score ``melody``'s notes after the gap, and keep its seams and its bars 3-4."""
        spb = melody.steps_per_bar
        start, end = 2 * spb, 4 * spb
        scores = model.log_prob(melody, style=style)
        onsets = np.cumsum([melody.notes[0].start] + [d for _, d in scores.events])[:-1]
        after = (onsets >= end) & ~scores.is_rest
        self.bits -= float(scores.note[after].sum() / np.log(2))
        self.notes += int(after.sum())
        self.spans.append(melody.between(start, end))
        inside = [n.pitch for n in melody.notes if start <= n.start < end]
        if inside:
            before = [n.pitch for n in melody.notes if n.start < start][-1]
            following = next(n.pitch for n in melody.notes if n.start >= end)
            self.entry.append(inside[0] - before)
            self.exit.append(following - inside[-1])


def qualifies(melody: Melody) -> bool:
    """At least ``BARS`` bars, notes before, in and after bars 3-4, and no note across their bar lines."""
    spb = melody.steps_per_bar
    start, end = 2 * spb, 4 * spb
    if melody.end < BARS * spb or any(n.start < edge < n.end for n in melody.notes for edge in (start, end)):
        return False
    starts = [n.start for n in melody.notes]
    return min(starts) < start and any(start <= s < end for s in starts) and max(starts) >= end


def floor_rows(model: GRUModel, name: str, train: list[Melody], args: argparse.Namespace) -> Rows:
    """Real bars 3-4 (and seams) of ``--n`` training melodies of the style (seeded)."""
    rows = Rows()
    order = np.random.default_rng([args.seed, list(STYLE_CORPORA).index(name)]).permutation(len(train))
    for i in order.tolist():
        if len(rows.spans) == args.n:
            break
        if qualifies(train[i]):
            rows.add(model, train[i], name)
    return rows


def run_style(model: GRUModel, name: str, args: argparse.Namespace) -> dict[str, Any]:
    """One style's figures (see the module docstring)."""
    data = split_style(name)
    melodies = [m for m in data.held_out if qualifies(m)][: args.n]
    rows = {k: Rows() for k in KINDS}
    seconds, effective = [], []
    index = list(STYLE_CORPORA).index(name)
    for i, melody in enumerate(melodies):
        spb = melody.steps_per_bar
        seed = args.seed * 1_000_000 + index * 10_000 + i
        t0 = time.perf_counter()
        fills = infill(model, melody, 2 * spb, 4 * spb, proposals=args.proposals, seed=seed, options={"style": name})
        seconds.append(time.perf_counter() - t0)
        effective.append(fills.effective)
        plain = infill(model, melody, 2 * spb, 4 * spb, proposals=1, seed=seed, options={"style": name})
        for kind, m in zip(KINDS, (fills.melodies[0], plain.melodies[0], melody), strict=True):
            rows[kind].add(model, m, name)
    floor = floor_rows(model, name, data.train, args)
    result: dict[str, Any] = {
        "melodies": len(melodies),
        "bits_per_note": {k: r.bits / max(r.notes, 1) for k, r in rows.items()},
        "seam_overlap": {},
        "discriminator": {},
        "fill_seconds": seconds,
        "effective_proposals": float(np.median(effective)) if effective else 0.0,
    }
    real = rows["real"]
    for seam in ("entry", "exit"):
        truth = np.asarray(getattr(real, seam), float)[:, None]
        others = {"filled": rows["filled"], "plain": rows["plain"], "floor": floor}
        result["seam_overlap"][seam] = {
            k: mgeval_overlap(truth, np.asarray(getattr(r, seam), float)[:, None]).area for k, r in others.items()
        }
    for kind, other, paired in (
        ("filled", rows["filled"], True),
        ("plain", rows["plain"], True),
        ("floor", floor, False),
    ):
        acc = discriminator_accuracy(real.spans, other.spans, seed=args.seed, paired=paired, repeats=REPEATS)
        result["discriminator"][kind] = acc.accuracy
    return result


def targets(r: dict[str, Any]) -> dict[str, bool]:
    """Which of the issue's targets one style meets."""
    out = {f"{seam} seam": o["filled"] >= o["floor"] - OVERLAP_MARGIN for seam, o in r["seam_overlap"].items()}
    out["discriminator"] = r["discriminator"]["filled"] <= DISCRIMINATOR_MAX
    out["fill time"] = bool(r["fill_seconds"]) and float(np.median(r["fill_seconds"])) <= SECONDS_MAX
    out["beats plain"] = r["bits_per_note"]["filled"] < r["bits_per_note"]["plain"]
    return out


def print_style(name: str, r: dict[str, Any], out: TextIO) -> None:
    """The table of one style."""
    ok = targets(r)
    flag = {k: "ok" if v else "MISS" for k, v in ok.items()}
    b, d = r["bits_per_note"], r["discriminator"]
    print(f"\n== {name}: {STYLE_TITLES.get(name, name)} ({r['melodies']} melodies)", file=out)
    print(f"   {'':26s} {'filled':>8s} {'plain':>8s} {'real':>8s} {'floor':>8s}   target", file=out)
    print(
        f"   {'after-gap bits/note':26s} {b['filled']:8.3f} {b['plain']:8.3f} {b['real']:8.3f} {'':8s}   "
        f"filled < plain {flag['beats plain']}",
        file=out,
    )
    for seam, o in r["seam_overlap"].items():
        print(
            f"   {seam + ' seam overlap':26s} {o['filled']:8.3f} {o['plain']:8.3f} {'':8s} {o['floor']:8.3f}   "
            f">= {o['floor'] - OVERLAP_MARGIN:.3f} {flag[seam + ' seam']}",
            file=out,
        )
    print(
        f"   {'discriminator accuracy':26s} {d['filled']:8.3f} {d['plain']:8.3f} {'':8s} {d['floor']:8.3f}   "
        f"<= {DISCRIMINATOR_MAX:.2f} {flag['discriminator']}",
        file=out,
    )
    s = r["fill_seconds"]
    print(
        f"   {'fill time (s)':26s} median {np.median(s):.3f}, min {min(s):.3f}, max {max(s):.3f}   "
        f"<= {SECONDS_MAX:g} {flag['fill time']}; median effective proposals {r['effective_proposals']:.1f}",
        file=out,
    )


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--styles", default=",".join(STYLE_CORPORA), help="comma-separated built-in styles")
    parser.add_argument("--n", type=int, default=100, help="held-out melodies per style (and floor melodies)")
    parser.add_argument("--proposals", type=int, default=64, help="candidates per fill")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout; the tables on stderr")
    args = parser.parse_args(argv)
    args.styles = [s.strip() for s in args.styles.split(",") if s.strip()]
    unknown = [s for s in args.styles if s not in STYLE_CORPORA]
    if unknown:
        parser.error(f"unknown styles {unknown}; the styles are {', '.join(STYLE_CORPORA)}")
    if args.n < 5 or args.proposals < 1:
        parser.error("--n must be at least 5 and --proposals at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    out = sys.stderr if args.json else sys.stdout
    model = load_default()
    settings = {k: v for k, v in vars(args).items() if k != "json"}
    print(f"settings: {settings}; model {model.name}, sampling {model.sampling}", file=out)
    warm = next(m for m in split_style(args.styles[0]).held_out if qualifies(m))
    model.infill(warm, 2 * warm.steps_per_bar, 4 * warm.steps_per_bar, seed=0)  # the first call reads the weights
    report: dict[str, Any] = {"settings": settings, "styles": {}}
    started = time.perf_counter()
    for name in args.styles:
        report["styles"][name] = r = run_style(model, name, args)
        print_style(name, r, out)
    report["passed"] = all(all(targets(r).values()) for r in report["styles"].values())
    report["seconds"] = time.perf_counter() - started
    print(f"\nacceptance: {'all targets met' if report['passed'] else 'some targets missed'}", file=out)
    print(f"seconds: {report['seconds']:.1f}\n\nwhat the figures mean:", file=out)
    for line in LEGEND:
        print(f"  - {line}", file=out)
    if args.json:
        print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
