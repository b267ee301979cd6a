"""``jupymuse evaluate gru``: cross-validate the GRU, alone and with the short-term model, as the benchmark does.

Each fold trains ``--networks`` networks (seeds ``--seed`` + 0, 1, ...: initial weights and batch
order) on the same training melodies, validating on the same 10%; more than one are averaged
(:class:`jupymuse.models.ensemble.Ensemble`). The short-term model (IDyOM's, ``models/shortterm.py``)
is mixed with them as chosen on those validation melodies (``choose_short_term``), never on the test
melodies. ``benchmarks/gru_quality.py`` reports the same with more rows.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from ..corpus import Corpus
from ..evaluate import BitsPerNote, bits_per_note, has_twin
from ..evaluate.scores import CrossValidation
from ..evaluate.twins import TWIN_THRESHOLD
from ..models.gru_config import GRUConfig
from ..models.validation_split import split_validation

VALIDATION = 0.1
"""Share of each fold's training melodies the networks validate on and the mix is chosen on."""


def cross_validate_gru(
    corpus: Corpus, args: argparse.Namespace, config: GRUConfig, report: Callable[[int, BitsPerNote], None]
) -> tuple[str, CrossValidation, CrossValidation]:
    """The model's name, its cross-validation, and the same networks' with the short-term model.

    Raises:
        KeyboardInterrupt: Ctrl-C during a fold (the command reports it).
    """
    from ..models import GRUModel
    from ..models.ensemble import Ensemble
    from ..models.longshort import LongShortTermModel, choose_short_term, corpus_alphabet
    from .commands import fit_gru

    plain: list[BitsPerNote] = []
    mixed: list[BitsPerNote] = []
    twins: list[tuple[bool, ...]] = []
    name = ""
    for fold, (train, test) in enumerate(corpus.kfold(args.folds, args.seed)):
        fitted, held_out = split_validation(list(train), VALIDATION, args.seed + fold)
        assert isinstance(fitted, list)
        nets = []
        for k in range(args.networks):
            model = GRUModel(config, seed=args.seed + k)
            if fit_gru(model, fitted, args, fold, validation=list(held_out or []), seed=args.seed + fold + 1000 * k)[1]:
                raise KeyboardInterrupt
            nets.append(model)
        ltm = nets[0] if len(nets) == 1 else Ensemble(nets)
        name = ltm.name
        alphabet = corpus_alphabet(train)
        plain.append(bits_per_note(ltm, test))
        if held_out:
            mix = choose_short_term(ltm, list(held_out), alphabet=alphabet)[0].mix
            mixed.append(bits_per_note(LongShortTermModel(ltm, mix, alphabet=alphabet), test))
        else:
            mixed.append(plain[-1])
        twins.append(tuple(has_twin(test, train, TWIN_THRESHOLD)))
        report(fold, plain[-1])
    return (
        name,
        CrossValidation(plain, args.seed, twins, TWIN_THRESHOLD),
        CrossValidation(mixed, args.seed, twins, TWIN_THRESHOLD),
    )
