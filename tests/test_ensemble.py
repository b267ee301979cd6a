"""An ensemble averages its members' probabilities (issue 25: the prediction benchmark's ensemble row)."""

from __future__ import annotations

import numpy as np
import pytest

from jupymuse import MarkovModel
from jupymuse.errors import ArgumentTypeError, SettingError
from jupymuse.evaluate import bits_per_note
from jupymuse.models.ensemble import Ensemble

from helpers import mel

TUNES = [mel("C4:4 D4 E4 C4 G4:8 E4:4 D4 C4:8"), mel("E4:4 F4 G4 E4 C4:8 D4:2 E4:2 C4:8")]


def test_the_ensemble_is_the_mean_of_its_members() -> None:
    a = MarkovModel(1).fit(TUNES)
    b = MarkovModel(2, context="pitch").fit(TUNES)
    both = Ensemble([a, b])
    probe = mel("C4:4 D4 E4 G4:2 C4:4")
    np.testing.assert_allclose(
        both.pitch_distributions(probe), (a.pitch_distributions(probe) + b.pitch_distributions(probe)) / 2
    )
    la, lb, lab = a.log_prob(probe), b.log_prob(probe), both.log_prob(probe)
    np.testing.assert_allclose(np.exp(lab.pitch), (np.exp(la.pitch) + np.exp(lb.pitch)) / 2)
    duration = (np.exp(la.note - la.pitch) + np.exp(lb.note - lb.pitch)) / 2
    np.testing.assert_allclose(np.exp(lab.note - lab.pitch), duration)
    assert lab.events == la.events
    # a mixture is never worse than its worse member, and scores like any model
    assert bits_per_note(both, [probe]).pitch <= max(bits_per_note(m, [probe]).pitch for m in (a, b)) + 1e-9
    assert Ensemble([a, a]).name == f"ensemble of 2 x {a.name}"


def test_an_ensemble_needs_models_that_predict() -> None:
    with pytest.raises(SettingError, match="at least one model"):
        Ensemble([])
    with pytest.raises(ArgumentTypeError, match="pitch_distributions"):
        Ensemble([object()])  # type: ignore[list-item]
