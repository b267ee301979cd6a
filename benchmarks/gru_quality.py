"""Quality of the GRU: 10-fold cross-validation on Bach chorales BWV 253-438, pitch bits per note.

The same folds (seed 0) score the Markov order-2 baseline, so the figures compare directly; the
references are IDyOM's figures on these chorales (Pearce 2005): long-term + short-term 2.342, the
best multiple-viewpoint system 1.953.

Pre-training (``--pretrain``) first trains one network on other corpora, then every fold fine-tunes
a copy on its own training chorales. No fold's test chorale, nor any transposition of it, is in its
training data. ``bach-chorales`` used for pre-training loses BWV 253-438 and every chorale whose tune
resembles one of them (another harmonisation of the same hymn), so no test tune leaks in.

Beside the plain GRU, the same networks combined with IDyOM's short-term model (a PPM model that
learns each test melody as it is predicted; ``jupymuse.models.longshort``): with the mix (entropy
bias, arithmetic or geometric, the STM's prior weight, its order, escape, update exclusion and
context: previous pitches or previous notes) chosen per fold on validation melodies from the
training side (the GRU's own held-out 10 %, used for early stopping but never trained on); the
same with pitch contexts only (IDyOM's STM viewpoint); and with IDyOM's defaults (geometric, bias
7, PPM-AX unbounded, update exclusion). Markov order 2, alone and with the short-term model, is the
sanity row. Each row also gives the mean over melodies of each melody's figure (IDyOM's averaging)
and the twin-free figure: only the test melodies with no near-twin (interval 4-grams, Jaccard >=
--similar) in their fold's training chorales, pooled over folds.

Every fold trains one network per training seed (``--seeds``, default 0,1,2: the initial weights and
the batch order; all on the same training and validation chorales). The one-network rows give the
mean over the seeds with their range; the ensemble rows average the seeds' networks' predicted
probabilities (``jupymuse.models.ensemble``), and the short-term model is mixed with that ensemble.

    python benchmarks/gru_quality.py [--folds 10] [--seeds 0,1,2] [--pretrain bach-chorales,essen] [--epochs 40]
    python benchmarks/gru_quality.py --save-models DIR     # then --load-models DIR skips training
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np

from jupymuse import MarkovModel, load_corpus
from jupymuse.corpus import Corpus
from jupymuse.evaluate import BitsPerNote, bits_per_note, has_twin, melody_mean, without_tunes_of
from jupymuse.models import GRUConfig, GRUModel
from jupymuse.models.ensemble import Ensemble
from jupymuse.models.longshort import (
    SHORT_TERM,
    LongShortTermModel,
    LongTermModel,
    Mix,
    choose_short_term,
    corpus_alphabet,
)
from jupymuse.models.protocol import NoteLogProbs
from jupymuse.music import Melody


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


class Remembered:
    """A long-term model whose distributions and log-probabilities are computed once per melody."""

    def __init__(self, model: LongTermModel) -> None:
        self.model = model
        self._rows: dict[int, np.ndarray] = {}
        self._lps: dict[int, NoteLogProbs] = {}

    @property
    def name(self) -> str:
        return self.model.name

    def pitch_distributions(self, melody: Melody) -> np.ndarray:
        if id(melody) not in self._rows:
            self._rows[id(melody)] = self.model.pitch_distributions(melody)
        return self._rows[id(melody)]

    def log_prob(self, melody: Melody) -> NoteLogProbs:
        if id(melody) not in self._lps:
            self._lps[id(melody)] = self.model.log_prob(melody)
        return self._lps[id(melody)]


def validation_split(train: Corpus, seed: int, fraction: float = 0.1) -> tuple[list[Melody], list[Melody]]:
    """(fitted, held out): the split ``GRUModel.fit(train, validation=0.1, seed=seed)`` makes."""
    items = [m for m in train if len(m)]
    order = np.random.default_rng(seed).permutation(len(items))
    n_val = max(1, round(len(items) * fraction)) if len(items) > 1 else 0
    return [items[i] for i in order[n_val:]], [items[i] for i in order[:n_val]]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default="bach-chorales:pearce185")
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--only", type=int, default=None, help="run only the first N folds (quick experiments)")
    parser.add_argument("--seed", type=int, default=0, help="fixes the folds")
    parser.add_argument("--seeds", default="0,1,2", help="training seeds: one network per seed and fold")
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--patience", type=int, default=5)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--layers", type=int, default=1)
    parser.add_argument("--embedding", type=int, default=64)
    parser.add_argument("--dropout", type=float, default=0.2)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument(
        "--end-event",
        action="store_true",
        help="also learn where melodies end (off: IDyOM's protocol predicts the next pitch only, and the "
        "network spends nothing on ends)",
    )
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--pretrain", default="", help="comma-separated corpora to pre-train on")
    parser.add_argument("--pretrain-epochs", type=int, default=15)
    parser.add_argument("--finetune-lr", type=float, default=5e-4)
    parser.add_argument("--similar", type=float, default=0.3, help="Jaccard overlap that marks a tune as the same")
    parser.add_argument("--save-models", type=Path, default=None, help="save each fold's trained GRU in this folder")
    parser.add_argument(
        "--load-models", type=Path, default=None, help="load each fold's GRU saved there (folds not there are trained)"
    )
    args = parser.parse_args()
    args.seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    return args


def pretrain(args: argparse.Namespace, corpus: Corpus, config: GRUConfig) -> Path:
    """One network trained on the --pretrain corpora (without the test tunes), saved for the folds."""
    start = time.perf_counter()
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
    return pretrained


def fold_gru(
    args: argparse.Namespace, i: int, seed: int, train: Corpus, config: GRUConfig, pretrained: Path | None
) -> GRUModel:
    """The fold's network for training seed ``seed``: trained here, or loaded from --load-models if there.

    Every seed trains on the same melodies and picks its epoch on the same validation chorales (the
    split of the fold's seed); the seed sets the initial weights and the batch order. Seed 0 is the
    network of a single-seed run.
    """
    name = f"fold{i}.keras" if seed == 0 else f"fold{i}-seed{seed}.keras"
    if args.load_models is not None and (args.load_models / name).exists():
        return GRUModel.load(args.load_models / name)
    fitted, held_out = validation_split(train, args.seed + i)
    model = GRUModel.load(pretrained) if pretrained else GRUModel(config, seed=args.seed + seed)
    model.fit(
        fitted,
        validation=held_out,
        epochs=args.epochs,
        patience=args.patience,
        learning_rate=args.finetune_lr if pretrained else args.lr,
        batch_size=args.batch,
        seed=args.seed + i + 1000 * seed,
        progress=False,
    )
    if args.save_models is not None:
        args.save_models.mkdir(parents=True, exist_ok=True)
        model.save(args.save_models / name)
    return model


ONE = ("GRU, one network", "GRU + STM (validation), one network")
ROWS = (
    "GRU ensemble",
    "GRU ensemble + STM (validation)",
    "GRU ensemble + STM pitch (valid.)",
    "GRU ensemble + STM (IDyOM)",
    "Markov order 2",
    "Markov 2 + STM (validation)",
)
PITCH_CONTEXT = tuple(s for s in SHORT_TERM if s.context == "pitch")


def score_fold(
    grus: list[GRUModel], train: Corpus, test: Corpus, seed: int
) -> tuple[dict[str, BitsPerNote], list[dict[str, BitsPerNote]], list[str]]:
    """Every row's figures on the fold's test melodies (the ensemble's and, per seed, one network's);
    the mixes chosen on the validation melodies no network of the fold trained on."""
    fitted, held_out = validation_split(train, seed)
    alphabet = corpus_alphabet(train)
    singles = [Remembered(g) for g in grus]  # each network runs once per melody for every row
    ltm = Remembered(Ensemble(singles))
    per_seed = []
    for gru in singles:
        mix = choose_short_term(gru, held_out, alphabet=alphabet)[0].mix
        per_seed.append(
            {
                ONE[0]: bits_per_note(gru, test),
                ONE[1]: bits_per_note(LongShortTermModel(gru, mix, alphabet=alphabet), test),
            }
        )
    gru_mix = choose_short_term(ltm, held_out, alphabet=alphabet)[0].mix
    pitch_mix = choose_short_term(ltm, held_out, alphabet=alphabet, short_term=PITCH_CONTEXT)[0].mix
    markov = MarkovModel(2, context="pitch").fit(train)
    markov_mix = choose_short_term(MarkovModel(2, context="pitch").fit(fitted), held_out, alphabet=alphabet)[0].mix
    result = {
        ROWS[0]: bits_per_note(ltm, test),
        ROWS[1]: bits_per_note(LongShortTermModel(ltm, gru_mix, alphabet=alphabet), test),
        ROWS[2]: bits_per_note(LongShortTermModel(ltm, pitch_mix, alphabet=alphabet), test),
        ROWS[3]: bits_per_note(LongShortTermModel(ltm, Mix(), alphabet=alphabet), test),
        ROWS[4]: bits_per_note(markov, test),
        ROWS[5]: bits_per_note(LongShortTermModel(markov, markov_mix, alphabet=alphabet), test),
    }
    return result, per_seed, [gru_mix.label, pitch_mix.label, markov_mix.label]


def _row(name: str, folds: list[dict[str, BitsPerNote]], flags: list[bool]) -> tuple[float, ...]:
    """(pitch mean over folds, its std, per-melody mean, twin-free, whole note) of one row."""
    pitch = np.array([f[name].pitch for f in folds])
    scores = [s for f in folds for s in f[name].melodies]
    free = [s for s, twin in zip(scores, flags, strict=True) if not twin]
    twin_free = BitsPerNote.pooled(free).pitch if any(s.notes for s in free) else float("nan")
    return pitch.mean(), pitch.std(), melody_mean(scores), twin_free, float(np.mean([f[name].note for f in folds]))


def print_table(
    folds: list[dict[str, BitsPerNote]],
    seeds: list[list[dict[str, BitsPerNote]]],
    twins: list[list[bool]],
    ids: list[int],
) -> None:
    """Mean over folds, spread, per-melody mean, twin-free figure and whole-note figure of each row; the
    one-network rows as the mean over the training seeds with [lowest, highest]."""
    free_melodies = sum(not t for fold in twins for t in fold)
    flags = [t for fold in twins for t in fold]
    print(f"\nmean over {len(folds)} folds (pitch bits per note, lower is better):")
    print(f"  {'model':36s} {'pitch':>22s} {'+/-':>6s} {'per-melody':>10s} {'twin-free':>9s} {'whole note':>10s}")
    for name in ONE:
        rows = np.array([_row(name, [fold[k] for fold in seeds], flags) for k in range(len(ids))])
        lo, hi = rows[:, 0].min(), rows[:, 0].max()
        mean = rows.mean(axis=0)
        print(
            f"  {name:36s} {mean[0]:.3f} [{lo:.3f}, {hi:.3f}] {mean[1]:6.3f} {mean[2]:10.3f} {mean[3]:9.3f} "
            f"{mean[4]:10.3f}"
        )
    for name in ROWS:
        pitch, std, per_melody, twin_free, note = _row(name, folds, flags)
        label = name.replace("ensemble", f"ensemble ({len(ids)})") if "ensemble" in name else name
        print(f"  {label:36s} {pitch:22.3f} {std:6.3f} {per_melody:10.3f} {twin_free:9.3f} {note:10.3f}")
    print(f"  one network: the mean over training seeds {ids} [lowest, highest]; ensemble: their networks averaged")
    print(f"  twin-free: the {free_melodies} test melodies (of {sum(map(len, twins))}) with no near-twin in training")
    print("  IDyOM on these chorales: LTM+STM 2.342, best multiple-viewpoint system 1.953; target <= 1.95")


def main() -> None:
    args = parse_args()
    corpus = load_corpus(args.corpus, progress=False)
    config = GRUConfig(
        embedding_size=args.embedding,
        hidden_units=args.hidden,
        layers=args.layers,
        dropout=args.dropout,
        end_event=args.end_event,
    )
    print(f"{args.corpus}: {len(corpus)} melodies, {corpus.n_notes} notes; {args.folds}-fold CV, seed {args.seed}")
    print(f"GRU config: {config}")
    start = time.perf_counter()
    pretrained = pretrain(args, corpus, config) if args.pretrain else None
    folds: list[dict[str, BitsPerNote]] = []
    seeds: list[list[dict[str, BitsPerNote]]] = []
    twins: list[list[bool]] = []
    for i, (train, test) in enumerate(corpus.kfold(args.folds, args.seed)):
        if args.only is not None and i >= args.only:
            break
        t0 = time.perf_counter()
        grus = [fold_gru(args, i, k, train, config, pretrained) for k in args.seeds]
        result, per_seed, mixes = score_fold(grus, train, test, args.seed + i)
        folds.append(result)
        seeds.append(per_seed)
        twins.append(has_twin(test, train, args.similar))
        epochs = [g.history.best_epoch if g.history is not None else None for g in grus]
        print(
            f"fold {i}: "
            + " | ".join(f"{row} {r.pitch:.3f}" for row, r in result.items())
            + " | one network per seed "
            + ", ".join(f"{p[ONE[0]].pitch:.3f}" for p in per_seed)
            + f" | best epochs {epochs} ({time.perf_counter() - t0:.0f} s)",
            flush=True,
        )
        print(f"   chosen on validation: GRU {mixes[0]}; pitch only {mixes[1]}; Markov {mixes[2]}", flush=True)
    print_table(folds, seeds, twins, args.seeds)
    print(f"total {time.perf_counter() - start:.0f} s on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
