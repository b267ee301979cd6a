"""The measuring half of ``generation_quality.py``: primers and real continuations per style, the model's
continuations, and every figure computed from them (one sampling seed at a time)."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from jupymuse import MarkovModel
from jupymuse.corpus.builtin_styles import STYLE_CORPORA, split_style
from jupymuse.errors import ModelError
from jupymuse.models.endings import check_whole_bars
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
from jupymuse.quality.keyfinding import ks_tonic

SAMPLING_FLAGS = {
    "temperature": float,
    "top_k": int,
    "top_p": float,
    "duration_temperature": float,
    "duration_top_p": float,
    "style_strength": float,
}
REPEATS = 5
"""The discriminator's 5-fold cross-validation is pooled over this many random splits."""


@dataclass
class StyleSet:
    """One style's primers, real continuations (and their event counts), floor continuations, training melodies."""

    name: str
    primers: list[Melody]
    real: list[Melody]
    lengths: list[int]
    floor: list[Melody]
    train: list[Melody]


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


def continue_all(
    model: MelodyModel, data: StyleSet, index: int, seed: int, args: argparse.Namespace, **settings: Any
) -> list[Melody]:
    """One continuation of each primer of ``data`` (seeded per primer and style), as many events long as
    the real one (``length=`` in ``settings`` gives room instead); ``settings`` may ask for another style
    (``style=``) or an ending. A model without styles is asked for none."""
    options: dict[str, Any] = {k: getattr(args, k) for k in SAMPLING_FLAGS if getattr(args, k) is not None}
    options.update(settings)
    options.setdefault("style", data.name)
    if options["style"] not in getattr(model, "styles", ()):
        options.pop("style")
        options.pop("style_strength", None)
    room = options.pop("length", None)
    generate: Callable[..., list[Melody]] = model.generate
    out = []
    for i, (primer, steps) in enumerate(zip(data.primers, data.lengths, strict=True)):
        [melody] = generate(primer, room or steps, seed=seed * 1_000_000 + index * 10_000 + i, **options)
        out.append(melody)
    return out


def compare(style: StyleSet, generated: list[Melody], seed: int) -> dict[str, Any]:
    """Descriptive means, MGEval overlaps and discriminator accuracies of generated and floor vs real."""
    feats = {
        k: [melody_features(m) for m in ms]  # an empty generated melody: all features 0
        for k, ms in (("real", style.real), ("generated", generated), ("floor", style.floor))
    }
    out: dict[str, Any] = {"means": {k: mean_scalars(v) for k, v in feats.items()}, "overlap": {}}
    for name in HISTOGRAMS:
        real = histogram_matrix(feats["real"], name)
        for other in ("generated", "floor"):
            out["overlap"].setdefault(other, {})[name] = mgeval_overlap(real, histogram_matrix(feats[other], name)).area
    real_x = feature_matrix(feats["real"])
    out["discriminator"] = {  # a generated continuation is held out with the real one of its primer
        other: discriminator_accuracy(
            real_x, feature_matrix(feats[other]), seed=seed, paired=other == "generated", repeats=REPEATS
        ).accuracy
        for other in ("generated", "floor")
    }
    out["empty"] = sum(not len(m) for m in generated)
    return out


def endings(model: MelodyModel, style: StyleSet, index: int, seed: int, args: argparse.Namespace) -> dict[str, Any]:
    """Where continuations end: ``ending="model"`` (room for ``--ending-room`` events) and ``"cadence"``
    (as long as the real one), each judged by the Krumhansl-Schmuckler key of primer + continuation
    (``quality.keyfinding``, independent of the finals the endings choose), beside the real melodies."""

    def on_tonic(primers: Sequence[Melody], continuations: Sequence[Melody]) -> float:
        hits = [
            bool(len(c)) and c.notes[-1].pitch % 12 == ks_tonic(p.then(c))
            for p, c in zip(primers, continuations, strict=True)
        ]
        return float(np.mean(hits))

    out: dict[str, Any] = {"real_tonic": on_tonic(style.primers, style.real)}
    if getattr(model, "can_end", False):
        free = continue_all(model, style, index, seed, args, ending="model", length=args.ending_room)
        lengths = [len(melody_events(m)) for m in free]
        out["model"] = {
            "tonic": on_tonic(style.primers, free),
            "empty": sum(not len(m) for m in free),
            "length_ratio": float(np.mean(lengths) / np.mean(style.lengths)),
            "at_room": sum(k >= args.ending_room for k in lengths),
        }
    whole_bars = [i for i, p in enumerate(style.primers) if fills_whole_steps(p)]
    kept = StyleSet(
        style.name,
        [style.primers[i] for i in whole_bars],
        [style.real[i] for i in whole_bars],
        [style.lengths[i] for i in whole_bars],
        style.floor,
        style.train,
    )
    cadence = continue_all(model, kept, index, seed, args, ending="cadence")  # a bar line needs whole steps
    out["cadence"] = {
        "tonic": on_tonic(kept.primers, cadence),
        "empty": sum(not len(m) for m in cadence),
        "refused": len(style.primers) - len(kept.primers),
    }
    return out


def fills_whole_steps(melody: Melody) -> bool:
    """Whether a bar of ``melody``'s metre is whole grid steps (else a cadence is refused: ``check_whole_bars``)."""
    try:
        check_whole_bars(melody)
    except ModelError:
        return False
    return True


def fit_classifier(styles: Sequence[StyleSet], args: argparse.Namespace) -> tuple[StyleClassifier, dict[str, Any]]:
    """The style classifier, trained on real training continuations only; what it chose."""
    train = {}
    for s in styles:
        rng = np.random.default_rng([args.seed, 99, list(STYLE_CORPORA).index(s.name)])
        picks = rng.permutation(len(s.train))[: args.classifier_train].tolist()
        train[s.name] = [c for _, c, _ in cut_all([s.train[i] for i in picks], args.primer_notes, args.max_events)]
    start = time.perf_counter()
    classifier = StyleClassifier(seed=args.seed, key_relative=args.classifier == "key-relative").fit(train)
    assert classifier.choice is not None
    about = {
        "chain": f"{args.classifier}, order {classifier.choice.order}, {classifier.choice.context} context",
        "method": classifier.choice.method,
        "cv_accuracy": classifier.choice.accuracy,
        "seconds": time.perf_counter() - start,
        "real": {s.name: classifier.accuracy(s.real, s.name) for s in styles},
    }
    return classifier, about


def recognised(classifier: StyleClassifier, melodies: Sequence[Melody], style: str) -> float:
    """The share of ``melodies`` classified as ``style`` (an empty melody counts as wrong)."""
    kept = [m for m in melodies if len(m)]
    return sum(p == style for p in classifier.predict(kept)) / max(1, len(melodies)) if kept else 0.0
