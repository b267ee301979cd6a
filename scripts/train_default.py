"""Train the GRU that ships inside jupymuse as ``src/jupymuse/data/default.keras``.

Corpora (all read offline from the installed music21 package): the Bach chorales (soprano lines,
all 400), the Essen folk song collection (about 8,500 songs) and O'Neill's Music of Ireland (about
1,550 tunes), each in every key that fits the pitch range. 5% of the melodies are held out to pick
the best epoch. Settings are the defaults of ``GRUConfig`` (one GRU layer of 256 units).

The run is sized for a 2-core CPU: it stops after ``--epochs`` or when ``--minutes`` have passed,
whichever comes first, keeping the best weights, and prints what it did. Then it measures the
result and writes the model file (about 1.5 MB).

    python scripts/train_default.py [--epochs 4] [--minutes 14] [--out src/jupymuse/data/default.keras]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from jupymuse import load_corpus
from jupymuse.corpus import Corpus
from jupymuse.evaluate import bits_per_note
from jupymuse.models import GRUConfig, GRUModel, TrainingEvent
from jupymuse.music import Melody

CORPORA = ("bach-chorales", "essen", "oneills")
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "src" / "jupymuse" / "data" / "default.keras"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--minutes", type=float, default=14.0, help="time budget for training")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--learning-rate", type=float, default=2e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()

    start = time.perf_counter()
    melodies: list[Melody] = []
    for name in CORPORA:
        corpus = load_corpus(name)
        melodies.extend(m for m in corpus if len(m))
        print(f"{name}: {len(corpus)} melodies, {corpus.n_notes} notes")
    data = Corpus(melodies, "+".join(CORPORA))
    print(f"training on {len(data)} melodies ({data.n_notes} notes), loaded in {time.perf_counter() - start:.0f} s")

    model = GRUModel(GRUConfig(), seed=args.seed)
    t0 = time.perf_counter()

    def budget(event: TrainingEvent) -> None:
        if time.perf_counter() - t0 > args.minutes * 60:
            model.stop()

    model.fit(
        data,
        epochs=args.epochs,
        validation=0.05,
        batch_size=args.batch_size,
        learning_rate=args.learning_rate,
        patience=2,
        callbacks=[budget],
        seed=args.seed,
    )
    took = time.perf_counter() - t0
    assert model.history is not None
    for row in model.history.epochs:
        print({k: round(v, 3) for k, v in row.items()})
    print(f"training: {took / 60:.1f} min, ended: {model.history.stopped}, best epoch {model.history.best_epoch}")
    chorales = load_corpus("bach-chorales:pearce185", progress=False)
    score = bits_per_note(model, chorales)
    print(f"on BWV 253-438 (seen in training, not a test figure): {score.pitch:.3f} pitch bits per note")
    path = model.save(args.out)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
