"""The independent key judge of the endings benchmark: Krumhansl-Schmuckler with Krumhansl-Kessler profiles."""

from __future__ import annotations

import numpy as np
import pytest

from jupymuse.quality.keyfinding import KK_MAJOR, histogram, ks_tonic

from helpers import mel


@pytest.mark.parametrize(
    ("notation", "tonic"),
    [
        ("C4:4 D4 E4 F4 G4:8 E4:4 C4:8", 0),  # C major
        ("G4:4 A4 B4 C5 D5:8 B4:4 G4:8", 7),  # G major
        ("A4:4 B4 C5 D5 E5:8 C5:4 A4:8 G#4:4 A4:8", 9),  # A minor, with its leading note
        ("D5:4 F5 A5:8 D5:4 E5 F5 E5 D5:8", 2),  # D minor
    ],
)
def test_ks_finds_the_key_of_a_plain_melody(notation: str, tonic: int) -> None:
    assert ks_tonic(mel(notation)) == tonic
    assert ks_tonic(mel(notation).transpose(5)) == (tonic + 5) % 12  # moves with the melody


def test_the_histogram_weighs_by_duration_and_an_empty_melody_has_no_key() -> None:
    h = histogram(mel("C4:12 E4:4"))
    assert h[0] == pytest.approx(0.75)
    assert h[4] == pytest.approx(0.25)
    assert ks_tonic(mel("")) is None
    # the major profile itself is the most C-major histogram there is
    from jupymuse import Melody
    from jupymuse.music import Note

    profile = Melody([Note(60 + pc, pc * 100, round(KK_MAJOR[pc] * 10)) for pc in range(12)])
    assert ks_tonic(profile) == 0
    assert np.isclose(histogram(profile).sum(), 1.0)
