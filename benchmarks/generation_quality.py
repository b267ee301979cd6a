"""Generation quality per style: do a model's continuations resemble the real ones?

For each style (``jupymuse.corpus.builtin_styles``) the 100 held-out melodies the shipped model never trains
on are cut after their first ``--primer-notes`` notes: the model continues each primer with as many
events (notes and rests) as the real continuation has, and the generated continuations are compared
with the real ones. A second real set, the **floor**, is ``--n`` training melodies of the same style
cut the same way (fixed seed): how two real samples of the style compare, the best a model can do.

* descriptive means: interval classes (repeat 0, step 1-2, skip 3-4, leap >= 5 semitones), pitch-class
  entropy, range, rest share and duration shares (``jupymuse.quality.features``);
* MGEval overlap areas (Yang & Lerch) of the pitch-class, interval and duration histograms:
  generated vs real beside floor vs real;
* a real-vs-generated discriminator: 5-fold accuracy of a logistic regression on the features
  (real vs floor as the sanity row, ~50%);
* a style classifier trained on real training melodies only (one Markov chain per style, chosen by
  cross-validation on them; ``--classifier-train`` continuations of each style): its accuracy on the
  real held-out continuations and on the generated ones, each labelled with the style asked for
  (needs two styles or more).

    python benchmarks/generation_quality.py [--model default|markov|PATH] [--styles chorale,german,chinese,irish]
        [--primer-notes 4] [--n 100] [--seed 0] [--temperature T] [--top-k K] [--top-p P]
        [--duration-temperature T] [--duration-top-p P] [--json]

``--model markov`` fits one Markov chain (order 2) per style on that style's training melodies: a
baseline, and a quick stand-in. ``--json`` prints one JSON object on stdout (the table goes to stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

import numpy as np

from jupymuse import MarkovModel
from jupymuse.corpus.builtin_styles import STYLE_CORPORA, STYLE_TITLES, split_style
from jupymuse.models.protocol import MelodyModel
from jupymuse.music import Melody
from jupymuse.music.events import REST, events_to_notes, melody_events
from jupymuse.quality import (
    HISTOGRAMS,
    StyleClassifier,
    discriminator_accuracy,
    feature_matrix,
    histogram_matrix,
    mean_scalars,
    melody_features,
    mgeval_overlap,
)

SAMPLING_FLAGS = {
    "temperature": float,
    "top_k": int,
    "top_p": float,
    "duration_temperature": float,
    "duration_top_p": float,
}
OVERLAP_MARGIN = 0.05
DISCRIMINATOR_MAX = 0.70
STYLE_MIN = 0.85
STYLE_GAP = 0.10
REPEATS = 5
"""The discriminator's 5-fold cross-validation is pooled over this many random splits."""
LEGEND = (
    "real / generated / floor: the held-out continuations, the model's continuations of their primers, "
    "and real continuations of other (training) melodies of the style",
    "repeat, step, skip, leap: shares of intervals of 0, 1-2, 3-4, >= 5 semitones between consecutive notes",
    "pc_entropy: entropy of the pitch-class histogram in bits; range: highest - lowest pitch in semitones",
    "rest_share: rests among events; sixteenth ... other: shares of the notes by length",
    "overlap: MGEval overlap area of the intra-real and real-to-set distance densities (1 = as close to the "
    f"real melodies as they are to each other); target: generated >= floor - {OVERLAP_MARGIN}",
    f"discriminator: 5-fold accuracy ({REPEATS} splits pooled) of a logistic regression telling real from the "
    "set by the features (0.5 = cannot tell; a generated and a real continuation of one primer are held out "
    f"together); target: generated <= {DISCRIMINATOR_MAX}; the floor row should be ~0.5 (+/- 0.05 by chance)",
    "style classifier: share classified as their own style by per-style Markov chains trained on real "
    f"melodies only; target: generated >= {STYLE_MIN} and within {STYLE_GAP:.2f} of real held-out",
)


@dataclass
class StyleSet:
    """One style's primers, real continuations (and their event counts), floor continuations, training melodies."""

    name: str
    primers: list[Melody]
    real: list[Melody]
    lengths: list[int]
    floor: list[Melody]
    train: list[Melody]
    generated: list[Melody] = field(default_factory=list)


def cut(melody: Melody, primer_notes: int, max_events: int) -> tuple[Melody, Melody, int] | None:
    """``(primer, continuation, events)``: the first notes, the rest from step 0, its event count.

    The continuation holds the events after the primer's last note (a rest first stays a gap before
    its first note, as in a generated continuation), at most ``max_events``; None if it has no note.
    """
    primer = melody[:primer_notes]
    events = melody_events(melody)[len(melody_events(primer)) : len(melody_events(primer)) + max_events]
    while events and events[-1][0] == REST:
        events.pop()
    if len(primer) < primer_notes or not events:
        return None
    return primer, melody.replace(notes=events_to_notes(events)), len(events)


def cut_all(melodies: Sequence[Melody], primer_notes: int, max_events: int) -> list[tuple[Melody, Melody, int]]:
    """``cut`` of every melody that has notes after its primer."""
    return [c for m in melodies if (c := cut(m, primer_notes, max_events)) is not None]


def load_style(name: str, index: int, args: argparse.Namespace) -> StyleSet:
    """The style's held-out primers and continuations, and a floor set drawn from its training melodies."""
    data = split_style(name)
    judged = data.held_out if args.melodies == "held-out" else data.validation
    held = cut_all(judged, args.primer_notes, args.max_events)[: args.n]
    floor: list[Melody] = []
    for i in np.random.default_rng([args.seed, index]).permutation(len(data.train)).tolist():
        if len(floor) == args.n:
            break
        if (row := cut(data.train[i], args.primer_notes, args.max_events)) is not None:
            floor.append(row[1])
    return StyleSet(name, [p for p, _, _ in held], [c for _, c, _ in held], [k for _, _, k in held], floor, data.train)


def model_for(style: StyleSet, args: argparse.Namespace) -> MelodyModel:
    """The model that continues this style's primers: the chosen file, or a Markov chain of the style."""
    if args.model == "markov":
        return MarkovModel(2).fit(style.train)
    if args.model == "default":
        from jupymuse.models.default import load_default

        return load_default()
    from jupymuse import load_model

    return load_model(args.model)


def generate_all(model: MelodyModel, style: StyleSet, index: int, args: argparse.Namespace) -> None:
    """One continuation per primer, as many events long as the real one (seeded per primer)."""
    options: dict[str, Any] = {k: getattr(args, k) for k in SAMPLING_FLAGS if getattr(args, k) is not None}
    if style.name in getattr(model, "styles", ()):
        options["style"] = style.name
    generate: Callable[..., list[Melody]] = model.generate
    style.generated = []
    for i, (primer, steps) in enumerate(zip(style.primers, style.lengths, strict=True)):
        seed = args.seed * 1_000_000 + index * 10_000 + i
        [melody] = generate(primer, steps=steps, seed=seed, **options)
        style.generated.append(melody)


def compare(style: StyleSet, args: argparse.Namespace) -> dict[str, Any]:
    """Descriptive means, MGEval overlaps and discriminator accuracies of generated and floor vs real."""
    feats = {
        k: [melody_features(m) for m in ms]  # an empty generated melody: all features 0
        for k, ms in (("real", style.real), ("generated", style.generated), ("floor", style.floor))
    }
    out: dict[str, Any] = {"means": {k: mean_scalars(v) for k, v in feats.items()}, "overlap": {}, "kl": {}}
    for name in HISTOGRAMS:
        real = histogram_matrix(feats["real"], name)
        for other in ("generated", "floor"):
            o = mgeval_overlap(real, histogram_matrix(feats[other], name))
            out["overlap"].setdefault(other, {})[name] = o.area
            out["kl"].setdefault(other, {})[name] = o.kl
    real_x = feature_matrix(feats["real"])
    out["discriminator"] = {  # a generated continuation is held out with the real one of its primer
        other: discriminator_accuracy(
            real_x, feature_matrix(feats[other]), seed=args.seed, paired=other == "generated", repeats=REPEATS
        ).accuracy
        for other in ("generated", "floor")
    }
    out["counts"] = {
        "primers": len(style.primers),
        "real_events": sum(style.lengths),
        "generated_events": sum(len(melody_events(m)) for m in style.generated),
        "empty_generated": sum(not len(m) for m in style.generated),
    }
    return out


def classify_styles(styles: list[StyleSet], args: argparse.Namespace) -> dict[str, Any]:
    """Train the style classifier on real training continuations; its accuracy on real and generated."""
    train = {}
    for s in styles:
        rng = np.random.default_rng([args.seed, 99, list(STYLE_CORPORA).index(s.name)])
        picks = rng.permutation(len(s.train))[: args.classifier_train].tolist()
        train[s.name] = [c for _, c, _ in cut_all([s.train[i] for i in picks], args.primer_notes, args.max_events)]
    start = time.perf_counter()
    classifier = StyleClassifier(seed=args.seed).fit(train)
    fitted = time.perf_counter() - start
    assert classifier.choice is not None
    result: dict[str, Any] = {
        "chain": f"order {classifier.choice.order}, {classifier.choice.context} context",
        "method": classifier.choice.method,
        "cv_accuracy": classifier.choice.accuracy,
        "per_style": {},
    }
    right = {"real": 0, "generated": 0}
    total = {"real": 0, "generated": 0}
    for s in styles:
        row = {}
        for kind, melodies in (("real", s.real), ("generated", [m for m in s.generated if len(m)])):
            picks = classifier.predict(melodies)
            hits = sum(p == s.name for p in picks)
            right[kind] += hits
            total[kind] += len(s.real)  # an empty generated melody counts as wrong
            row[kind] = hits / len(s.real)
        result["per_style"][s.name] = row
    result["overall"] = {k: right[k] / max(1, total[k]) for k in right}
    result["seconds"] = {"fit": fitted, "total": time.perf_counter() - start}
    return result


def _flag(ok: bool) -> str:
    return "ok" if ok else "MISS"


def style_ok(real: float, generated: float) -> bool:
    """The issue's target for the style classifier."""
    return generated >= STYLE_MIN and generated >= real - STYLE_GAP


def print_style(name: str, r: dict[str, Any], style_row: dict[str, float] | None, out: TextIO) -> None:
    """The table of one style."""
    c = r["counts"]
    print(f"\n== {name}: {STYLE_TITLES.get(name, name)}", file=out)
    print(
        f"   {c['primers']} primers; real {c['real_events']:,} events, generated {c['generated_events']:,}"
        f" ({c['empty_generated']} empty); {r['seconds']['generate']:.1f} s to generate",
        file=out,
    )
    print(f"   {'descriptive means':22s} {'real':>9s} {'generated':>9s} {'floor':>9s}", file=out)
    for key in r["means"]["real"]:
        vals = [r["means"][k].get(key, float("nan")) for k in ("real", "generated", "floor")]
        print(f"   {key:22s} " + " ".join(f"{v:9.3f}" for v in vals), file=out)
    print(f"   {'MGEval overlap area':22s} {'generated':>9s} {'floor':>9s}   target", file=out)
    for h in HISTOGRAMS:
        gen, floor = r["overlap"]["generated"][h], r["overlap"]["floor"][h]
        ok = gen >= floor - OVERLAP_MARGIN
        print(f"   {h:22s} {gen:9.3f} {floor:9.3f}   >= {floor - OVERLAP_MARGIN:.3f} {_flag(ok)}", file=out)
    d = r["discriminator"]
    ok = d["generated"] <= DISCRIMINATOR_MAX
    print(
        f"   {'discriminator accuracy':22s} {d['generated']:9.3f} {d['floor']:9.3f}   "
        f"<= {DISCRIMINATOR_MAX:.2f} {_flag(ok)} (floor ~0.5)",
        file=out,
    )
    if style_row is not None:
        real, gen = style_row["real"], style_row["generated"]
        print(
            f"   {'style classifier':22s} {gen:9.3f}  real {real:.3f}   >= {max(STYLE_MIN, real - STYLE_GAP):.3f} "
            f"{_flag(style_ok(real, gen))}",
            file=out,
        )


def print_summary(report: dict[str, Any], out: TextIO) -> None:
    """The style classifier overall, the acceptance summary, the timings and the legend."""
    cls = report.get("style_classifier")
    if cls is not None:
        o = cls["overall"]
        print(
            f"\nstyle classifier ({cls['chain']}, {cls['method']}; CV accuracy on real training "
            f"continuations {cls['cv_accuracy']:.3f}): real held-out {o['real']:.3f}, generated "
            f"{o['generated']:.3f}   target generated >= {STYLE_MIN} and >= real - {STYLE_GAP:.2f}: "
            f"{_flag(style_ok(o['real'], o['generated']))}",
            file=out,
        )
    print(f"acceptance: {'all targets met' if report['passed'] else 'some targets missed'}", file=out)
    t = report["seconds"]
    print(
        "seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in t.items()),
        file=out,
    )
    print("\nwhat the figures mean:", file=out)
    for line in LEGEND:
        print(f"  - {line}", file=out)


def passed(report: dict[str, Any]) -> bool:
    """Whether every target of the issue is met."""
    ok = True
    for r in report["styles"].values():
        ok &= all(r["overlap"]["generated"][h] >= r["overlap"]["floor"][h] - OVERLAP_MARGIN for h in HISTOGRAMS)
        ok &= r["discriminator"]["generated"] <= DISCRIMINATOR_MAX
    cls = report.get("style_classifier")
    if cls is not None:
        ok &= style_ok(cls["overall"]["real"], cls["overall"]["generated"])
    return bool(ok)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="default", help="default (the shipped GRU), markov, or a model file")
    parser.add_argument("--styles", default=",".join(STYLE_CORPORA), help="comma-separated built-in styles")
    parser.add_argument("--primer-notes", type=int, default=4)
    parser.add_argument(
        "--melodies",
        choices=("held-out", "validation"),
        default="held-out",
        help="judge on the held-out test melodies (default), or on the validation melodies: the set to "
        "choose sampling settings on, so the test melodies never choose them",
    )
    parser.add_argument("--n", type=int, default=100, help="held-out primers per style (and floor melodies)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-events", type=int, default=256, help="longest continuation (events)")
    parser.add_argument("--classifier-train", type=int, default=200, help="training melodies per style")
    for flag, kind in SAMPLING_FLAGS.items():
        parser.add_argument(f"--{flag.replace('_', '-')}", type=kind, default=None, help="passed to generate")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout; the table on stderr")
    args = parser.parse_args(argv)
    args.styles = [s.strip() for s in args.styles.split(",") if s.strip()]
    unknown = [s for s in args.styles if s not in STYLE_CORPORA]
    if unknown:
        parser.error(f"unknown styles {unknown}; the styles are {', '.join(STYLE_CORPORA)}")
    if args.primer_notes < 1 or args.n < 5 or args.max_events < 1:
        parser.error("--primer-notes and --max-events must be at least 1, --n at least 5")
    return args


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Every style's figures, the style classifier's and the timings, as one JSON-ready dict."""
    seconds: dict[str, float] = {"load": 0.0, "model": 0.0, "generate": 0.0, "compare": 0.0}
    report: dict[str, Any] = {"settings": {k: v for k, v in vars(args).items() if k != "json"}, "styles": {}}
    sets = []
    shared: MelodyModel | None = None
    for name in args.styles:
        print(f"{name}: loading, generating, comparing ...", file=sys.stderr, flush=True)
        index = list(STYLE_CORPORA).index(name)  # seeds per style, whichever styles run together
        t0 = time.perf_counter()
        style = load_style(name, index, args)
        t1 = time.perf_counter()
        model = shared if shared is not None else model_for(style, args)
        if args.model != "markov":
            shared = model
        t2 = time.perf_counter()
        generate_all(model, style, index, args)
        t3 = time.perf_counter()
        result = compare(style, args)
        t4 = time.perf_counter()
        result["model"] = model.name
        result["seconds"] = {"load": t1 - t0, "model": t2 - t1, "generate": t3 - t2, "compare": t4 - t3}
        for k, v in result["seconds"].items():
            seconds[k] += v
        report["styles"][name] = result
        sets.append(style)
    if len(sets) >= 2:
        print("style classifier: cross-validating on real training melodies ...", file=sys.stderr, flush=True)
        report["style_classifier"] = classify_styles(sets, args)
        seconds["style_classifier"] = report["style_classifier"]["seconds"]["total"]
    report["seconds"] = seconds
    report["passed"] = passed(report)
    return report


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    start = time.perf_counter()
    report = run(args)
    report["seconds"]["total"] = time.perf_counter() - start
    out = sys.stderr if args.json else sys.stdout
    first = next(iter(report["styles"].values()))
    sampling = {k: getattr(args, k) for k in SAMPLING_FLAGS if getattr(args, k) is not None}
    print(
        f"generation quality of {first['model']} ({args.model}); {args.primer_notes}-note primers, "
        f"up to {args.n} {args.melodies} melodies per style, seed {args.seed}, sampling {sampling or 'defaults'}",
        file=out,
    )
    cls = report.get("style_classifier")
    for name, result in report["styles"].items():
        print_style(name, result, cls["per_style"][name] if cls else None, out)
    print_summary(report, out)
    if args.json:
        print(json.dumps(report, sort_keys=True))


if __name__ == "__main__":
    main()
