"""Quality of the GRU: 10-fold cross-validation on Bach chorales BWV 253-438, pitch bits per note.

The same folds (seed 0) score the Markov order-2 baseline, so the figures compare directly; the
reference is IDyOM's best pitch-only figure on these chorales, 2.342 (Pearce 2005).

Pre-training (``--pretrain``) first trains one network on other corpora, then every fold fine-tunes
a copy on its own training chorales. No fold's test chorale, nor any transposition of it, is in its
training data. ``bach-chorales`` used for pre-training loses BWV 253-438 and every chorale whose tune
resembles one of them (another harmonisation of the same hymn), so no test tune leaks in.

    python benchmarks/gru_quality.py [--folds 10] [--pretrain bach-chorales,essen] [--epochs 40]
"""

from __future__ import annotations

import argparse
import itertools
import os
import tempfile
import time
from pathlib import Path

import numpy as np

from jupymuse import MarkovModel, load_corpus
from jupymuse.corpus import Corpus
from jupymuse.evaluate import bits_per_note
from jupymuse.models import GRUConfig, GRUModel
from jupymuse.music import Melody


def interval_grams(m: Melody, n: int = 4) -> set[tuple[int, ...]]:
    """The melody's n-grams of pitch intervals (independent of key)."""
    steps = [b - a for a, b in itertools.pairwise(m.pitches)]
    return {tuple(steps[i : i + n]) for i in range(len(steps) - n + 1)}


def without_tunes_of(corpus: Corpus, test: Corpus, threshold: float) -> Corpus:
    """``corpus`` without any melody whose interval 4-grams overlap a ``test`` melody's by ``threshold`` (Jaccard)."""
    test_grams = [interval_grams(m) for m in test]
    keep = []
    for m in corpus:
        g = interval_grams(m)
        if all(len(g & t) / max(1, len(g | t)) < threshold for t in test_grams):
            keep.append(m)
    return Corpus(keep, f"{corpus.name} (no tunes of {test.name})")


def pretraining_data(names: list[str], target: Corpus, threshold: float) -> Corpus:
    """The pre-training melodies: the named corpora minus the target's chorales and tunes like them."""
    melodies: list[Melody] = []
    for name in names:
        c = load_corpus(name, progress=False)
        if name == "bach-chorales":
            target_bwv = {m.meta.get("bwv") for m in target}
            c = c.filter(lambda m, b=target_bwv: m.meta.get("bwv") not in b)  # type: ignore[misc]
            before = len(c)
            c = without_tunes_of(c, target, threshold)
            dropped = before - len(c)
            print(f"  bach-chorales for pre-training: {len(c)} chorales ({dropped} dropped as tunes of the test set)")
        melodies.extend(m for m in c if len(m))
    return Corpus(melodies, "+".join(names))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default="bach-chorales:pearce185")
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--only", type=int, default=None, help="run only the first N folds (quick experiments)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--patience", type=int, default=5)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--layers", type=int, default=1)
    parser.add_argument("--embedding", type=int, default=64)
    parser.add_argument("--dropout", type=float, default=0.2)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--pretrain", default="", help="comma-separated corpora to pre-train on")
    parser.add_argument("--pretrain-epochs", type=int, default=15)
    parser.add_argument("--finetune-lr", type=float, default=5e-4)
    parser.add_argument("--similar", type=float, default=0.3, help="Jaccard overlap that marks a tune as the same")
    args = parser.parse_args()

    corpus = load_corpus(args.corpus, progress=False)
    config = GRUConfig(
        embedding_size=args.embedding, hidden_units=args.hidden, layers=args.layers, dropout=args.dropout
    )
    print(f"{args.corpus}: {len(corpus)} melodies, {corpus.n_notes} notes; {args.folds}-fold CV, seed {args.seed}")
    print(f"GRU config: {config}")
    start = time.perf_counter()
    pretrained: Path | None = None
    if args.pretrain:
        data = pretraining_data(args.pretrain.split(","), corpus, args.similar)
        print(f"pre-training on {data.name}: {len(data)} melodies, {data.n_notes} notes")
        model = GRUModel(config, seed=args.seed).fit(
            data, epochs=args.pretrain_epochs, learning_rate=args.lr, batch_size=args.batch, progress=False
        )
        assert model.history is not None
        for row in model.history.epochs:
            print("  ", {k: round(v, 3) for k, v in row.items()})
        pretrained = Path(tempfile.mkdtemp()) / "pretrained.keras"
        model.save(pretrained)
        print(f"pre-training took {time.perf_counter() - start:.0f} s")

    rows = []
    for i, (train, test) in enumerate(corpus.kfold(args.folds, args.seed)):
        if args.only is not None and i >= args.only:
            break
        t0 = time.perf_counter()
        model = GRUModel.load(pretrained) if pretrained else GRUModel(config, seed=args.seed)
        model.fit(
            train,
            epochs=args.epochs,
            patience=args.patience,
            learning_rate=args.finetune_lr if pretrained else args.lr,
            batch_size=args.batch,
            seed=args.seed + i,
            progress=False,
        )
        gru = bits_per_note(model, test)
        markov2 = bits_per_note(MarkovModel(2, context="pitch").fit(train), test)
        assert model.history is not None
        rows.append((gru.pitch, gru.note, markov2.pitch, markov2.note))
        print(
            f"fold {i}: GRU pitch {gru.pitch:.3f} note {gru.note:.3f} | Markov-2 pitch {markov2.pitch:.3f} "
            f"note {markov2.note:.3f} | best epoch {model.history.best_epoch} ({time.perf_counter() - t0:.0f} s)",
            flush=True,
        )
    a = np.array(rows)
    print(f"\nmean over {len(rows)} folds (pitch bits per note, lower is better):")
    print(f"  GRU              {a[:, 0].mean():.3f} (+/- {a[:, 0].std():.3f})   whole note {a[:, 1].mean():.3f}")
    print(f"  Markov order 2   {a[:, 2].mean():.3f} (+/- {a[:, 2].std():.3f})   whole note {a[:, 3].mean():.3f}")
    print("  IDyOM best pitch-only figure on these chorales: 2.342; target <= 2.30")
    print(f"total {time.perf_counter() - start:.0f} s on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
