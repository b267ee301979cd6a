"""``jupymuse evaluate gru``'s folds: networks from consecutive seeds, averaged, then mixed with the
short-term model as chosen on the validation melodies (issue 25)."""

from __future__ import annotations

import argparse

from jupymuse.cli.evaluate_gru import cross_validate_gru
from jupymuse.corpus import Corpus
from jupymuse.evaluate import BitsPerNote
from jupymuse.models import GRUConfig

from helpers import mel

TUNES = [mel(" ".join(f"{p}:4" for p in ("C4 D4 E4 F4 G4 E4 C4 D4".split()[i:] + ["C4"] * i))) for i in range(8)]


def test_each_fold_trains_its_networks_and_scores_them_with_and_without_the_short_term_model() -> None:
    args = argparse.Namespace(
        folds=2, seed=0, networks=2, epochs=1, batch_size=4, learning_rate=1e-2, patience=None, json=True
    )
    config = GRUConfig(embedding_size=2, hidden_units=4, duration_units=2, dropout=0.0)
    seen: list[int] = []

    def report(fold: int, result: BitsPerNote) -> None:
        seen.append(fold)

    name, plain, mixed = cross_validate_gru(Corpus(TUNES, "tunes"), args, config, report)
    assert name == "ensemble of 2 x GRU (1 x 4 units)"
    assert seen == [0, 1]
    assert len(plain.folds) == len(mixed.folds) == 2
    assert plain.twins == mixed.twins
    assert all(0 < f.pitch < 10 for f in plain.folds + mixed.folds)
    assert sum(f.notes for f in plain.folds) == sum(len(t) for t in TUNES)
