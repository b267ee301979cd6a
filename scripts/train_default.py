"""Train the GRU that ships inside jupymuse as ``src/jupymuse/data/default.keras``.

One network for four styles (``jupymuse.corpus.builtin_styles``): Bach chorales (soprano lines), German folk
songs (the Essen German collections), Chinese folk songs (Essen han1/han2) and Irish tunes (O'Neill),
all read offline from the installed music21 package, each melody in every key that fits the pitch
range and labelled with its style; the network learns one vector per style and where melodies end.

Held out, never trained on: the 100 melodies per style that ``benchmarks/generation_quality.py``
judges the model on, and 5% of the rest of each style, which picks the best epoch (both fixed by
``jupymuse.corpus.builtin_styles.split_style``; no held-out or validation melody has a near-twin among
the training melodies, ``scripts/make_style_split.py``). The chorales are few (285 to train on against 5,585
German songs), so each is shown ``--chorale-repeats`` times per epoch. A quarter of each style's
melodies (``--foreign-openings``) start with a few notes of another style, read but not learnt, so the
style asked for can lead a primer from another (``jupymuse.models.foreign_openings``).

The run is sized for a 2-core CPU: it stops after ``--epochs`` or when ``--minutes`` have passed,
whichever comes first, keeping the best weights, and prints what it did. Then it measures the
result and writes the model file (about 1.5 MB) with its recommended sampling settings
(:data:`RECOMMENDED`), where ``generate``, the CLI and the Studio start.

    python scripts/train_default.py [--epochs 30] [--minutes 55] [--out src/jupymuse/data/default.keras]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from jupymuse.corpus.builtin_styles import STYLE_CORPORA, split_style
from jupymuse.evaluate import bits_per_note
from jupymuse.models import GRUConfig, GRUModel, TrainingEvent
from jupymuse.models.foreign_openings import UNSCORED, add_openings
from jupymuse.models.gru_styles import tag_styles
from jupymuse.models.sampling_settings import SamplingSettings
from jupymuse.music import Melody

RECOMMENDED = SamplingSettings(temperature=0.95, top_p=0.98, style_strength=2.0)
"""The settings whose continuations came closest to real ones of every style on the validation melodies
(``benchmarks/generation_quality.py --melodies validation``, eight settings tried), never the test melodies.
Style strength 2 (of 1, 2 and 3 tried the same way): 1 left a continuation asked for in another style
than its primer's recognised as that style 41-62% of the time, 2 gave 67-97% at about the same
discriminator and overlaps, 3 gave 79-98% but the Chinese and Irish continuations' rhythm fell apart
(discriminator 0.82-0.83)."""
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "src" / "jupymuse" / "data" / "default.keras"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--minutes", type=float, default=55.0, help="time budget for training")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--learning-rate", type=float, default=2e-3)
    parser.add_argument("--chorale-repeats", type=int, default=4)
    parser.add_argument(
        "--foreign-openings",
        type=float,
        default=0.25,
        help="share of each style's training melodies shown after a few notes of another style (read, not "
        "learnt: jupymuse.models.foreign_openings), so a style can lead a primer from another",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()

    start = time.perf_counter()
    styles = tuple(STYLE_CORPORA)
    train: dict[str, list[Melody]] = {}
    valid: dict[str, list[Melody]] = {}
    held_out: dict[str, list[Melody]] = {}
    for name in styles:
        data = split_style(name)
        train[name], valid[name], held_out[name] = data.train, data.validation, data.held_out
        notes = sum(len(m) for m in data.train)
        print(
            f"{name}: {len(data.train)} melodies ({notes} notes) to train on, {len(data.validation)} to validate, "
            f"{len(data.held_out)} held out; {data.unlisted} not in the split, {data.missing} listed but missing"
        )
    train["chorale"] = train["chorale"] * args.chorale_repeats
    train = add_openings(train, args.foreign_openings, seed=args.seed)
    opened = {name: sum(UNSCORED in m.meta for m in train[name]) for name in styles}
    print(f"foreign openings ({args.foreign_openings:.0%} asked): {opened}")
    print(f"loaded in {time.perf_counter() - start:.0f} s")

    model = GRUModel(GRUConfig(styles=styles), seed=args.seed)
    t0 = time.perf_counter()

    def budget(event: TrainingEvent) -> None:
        if time.perf_counter() - t0 > args.minutes * 60:
            model.stop()

    model.fit(
        train,
        epochs=args.epochs,
        validation=list(tag_styles(valid, styles)),
        batch_size=args.batch_size,
        learning_rate=args.learning_rate,
        patience=3,
        callbacks=[budget],
        seed=args.seed,
    )
    took = time.perf_counter() - t0
    assert model.history is not None
    for row in model.history.epochs:
        print({k: round(v, 3) for k, v in row.items()})
    print(f"training: {took / 60:.1f} min, ended: {model.history.stopped}, best epoch {model.history.best_epoch}")
    for name in styles:
        own = bits_per_note(_Styled(model, name), held_out[name])
        plain = bits_per_note(model, held_out[name])
        print(f"held-out {name}: {own.pitch:.3f} pitch bits per note in its style, {plain.pitch:.3f} without a style")
    model.sampling = RECOMMENDED
    path = model.save(args.out)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB)")


class _Styled:
    """``model`` scoring every melody as ``style`` (what ``bits_per_note`` reads: ``log_prob``)."""

    def __init__(self, model: GRUModel, style: str) -> None:
        self.model, self.style = model, style

    def log_prob(self, melody: Melody):  # type: ignore[no-untyped-def]
        return self.model.log_prob(melody, style=self.style)


if __name__ == "__main__":
    main()
