"""The printing half of ``generation_quality.py``: every figure as its mean over the seeds with the range,
beside its target, and whether all targets hold."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TextIO

from jupymuse.corpus.builtin_styles import STYLE_TITLES
from jupymuse.quality import HISTOGRAMS

OVERLAP_MARGIN = 0.05
DISCRIMINATOR_MAX = 0.65
MATCHED_MIN = 0.85
MISMATCHED_MIN = 0.70
RATE_GAP = 0.03
TONIC_GAP = 0.10
LENGTH_FACTOR = 1.5
LEGEND = (
    "each figure: the mean over the sampling seeds, then [lowest, highest]",
    "real / generated / floor: the held-out continuations, the model's continuations of their primers, "
    "and real continuations of other (training) melodies of the style",
    "repeat, step, skip, leap: shares of intervals of 0, 1-2, 3-4, >= 5 semitones between consecutive notes",
    "overlap: MGEval overlap area of the intra-real and real-to-set distance densities (1 = as close to the "
    "real melodies as they are to each other)",
    "discriminator: 5-fold accuracy of a logistic regression telling real from the set by the features "
    "(0.5 = cannot tell; the floor row should be ~0.5)",
    "tonic: the last note is the tonic of the Krumhansl-Schmuckler key of primer + continuation",
)
Spread = Callable[[Sequence[float]], dict[str, float]]


def _flag(ok: bool) -> str:
    return "ok" if ok else "MISS"


def _fmt(s: dict[str, float], digits: int = 3) -> str:
    return f"{s['mean']:.{digits}f} [{s['min']:.{digits}f}, {s['max']:.{digits}f}]"


def print_report(report: dict[str, Any], spread: Spread, out: TextIO) -> bool:
    """Print every table; True when every target holds (on the means over the seeds)."""
    seeds = list(report["seeds"].values())
    styles = list(seeds[0]["styles"])
    settings = report["settings"]
    print(
        f"generation quality of {report['model']} ({settings['model']}); {settings['primer_notes']}-note primers "
        f"of up to {settings['n']} {settings['melodies']} melodies per style {report['primers']}; sampling seeds "
        f"{settings['seeds']}; settings {report['sampling'] or 'defaults'} with the flags given",
        file=out,
    )
    ok = True

    def over(*keys: str) -> dict[str, float]:  # one figure (found by its keys in a seed's dict) over the seeds
        values = []
        for row in seeds:
            for k in keys:
                row = row[k]
            values.append(float(row))
        return spread(values)

    cls = report.get("classifier")
    if cls is not None and seeds[0]["table"]:
        print(
            f"\n== style leading: share recognised as the style asked for (classifier: {cls['chain']}, "
            f"{cls['method']}; CV accuracy on real training continuations {cls['cv_accuracy']:.3f})",
            file=out,
        )
        head = "primer / asked"
        print(f"   {head:16s} " + " ".join(f"{s:>22s}" for s in styles), file=out)
        for p in styles:
            cells = [_fmt(over("table", p, a), 2) for a in styles]
            print(f"   {p:16s} " + " ".join(f"{c:>22s}" for c in cells), file=out)
        print(
            f"   {'asked':16s} {'same primer':>22s} {'other primers':>22s} {'worst other':>12s}  real held-out",
            file=out,
        )
        for a in styles:
            same = over("table", a, a)
            others = spread([sum(r["table"][p][a] for p in styles if p != a) / (len(styles) - 1) for r in seeds])
            worst = min(over("table", p, a)["mean"] for p in styles if p != a)
            good = same["mean"] >= MATCHED_MIN and others["mean"] >= MISMATCHED_MIN
            ok &= good
            print(
                f"   {a:16s} {_fmt(same, 2):>22s} {_fmt(others, 2):>22s} {worst:12.2f}  {cls['real'][a]:.2f}   "
                f"targets >= {MATCHED_MIN:.2f} / >= {MISMATCHED_MIN:.2f}: {_flag(good)}",
                file=out,
            )
    for name in styles:
        print(f"\n== {name}: {STYLE_TITLES.get(name, name)}", file=out)
        means = seeds[0]["styles"][name]["means"]
        print(f"   {'descriptive means':18s} {'real':>7s} {'generated':>22s} {'floor':>7s}", file=out)
        for key in means["real"]:
            gen = over("styles", name, "means", "generated", key)
            line = f"   {key:18s} {means['real'][key]:7.3f} {_fmt(gen):>22s} {means['floor'][key]:7.3f}"
            if key in ("repeat", "leap"):
                good = abs(gen["mean"] - means["real"][key]) <= RATE_GAP
                ok &= good
                line += f"   within {RATE_GAP} of real: {_flag(good)}"
            print(line, file=out)
        print(f"   {'MGEval overlap':18s} {'generated':>22s} {'floor':>7s}   target", file=out)
        for h in HISTOGRAMS:
            gen = over("styles", name, "overlap", "generated", h)
            floor = seeds[0]["styles"][name]["overlap"]["floor"][h]
            good = gen["mean"] >= floor - OVERLAP_MARGIN
            ok &= good
            print(f"   {h:18s} {_fmt(gen):>22s} {floor:7.3f}   >= {floor - OVERLAP_MARGIN:.3f} {_flag(good)}", file=out)
        disc = over("styles", name, "discriminator", "generated")
        floor = over("styles", name, "discriminator", "floor")
        good = disc["mean"] <= DISCRIMINATOR_MAX
        ok &= good
        print(
            f"   {'discriminator':18s} {_fmt(disc):>22s} {floor['mean']:7.3f}   <= {DISCRIMINATOR_MAX:.2f} "
            f"{_flag(good)} (floor ~0.5)",
            file=out,
        )
        ends = [r["styles"][name]["endings"] for r in seeds]
        real = ends[0]["real_tonic"]
        print(f"   endings: real melodies end on the tonic {real:.2f}", file=out)
        if "model" in ends[0]:
            tonic = spread([e["model"]["tonic"] for e in ends])
            ratio = spread([e["model"]["length_ratio"] for e in ends])
            empty = sum(e["model"]["empty"] for e in ends)
            good = abs(tonic["mean"] - real) <= TONIC_GAP and empty == 0
            good &= 1 / LENGTH_FACTOR <= ratio["mean"] <= LENGTH_FACTOR
            ok &= good
            print(
                f"   ending=model    tonic {_fmt(tonic, 2)}, empty {empty}, length / real {_fmt(ratio, 2)}, "
                f"at the room {sum(e['model']['at_room'] for e in ends)}   targets: tonic within {TONIC_GAP:.2f} "
                f"of real, none empty, length within {LENGTH_FACTOR}x: {_flag(good)}",
                file=out,
            )
        cadence = spread([e["cadence"]["tonic"] for e in ends])
        empty = sum(e["cadence"]["empty"] for e in ends)
        refused = ends[0]["cadence"].get("refused", 0)
        print(
            f"   ending=cadence  tonic {_fmt(cadence, 2)}, empty {empty}"
            + (f" ({refused} primers in a metre with no whole-step bar left out)" if refused else ""),
            file=out,
        )
    total = report["seconds"]
    print(f"\nacceptance: {'all targets met' if ok else 'some targets missed'}; {total['total']:.0f} s", file=out)
    print("what the figures mean:", file=out)
    for line in LEGEND:
        print(f"  - {line}", file=out)
    return ok
