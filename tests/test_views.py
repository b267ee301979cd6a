"""The why-views' data choices (``studio/views.py``): which heatmap rows, in which order, and pitch names
spelled in the melody's key (issue 21, case 11)."""

from __future__ import annotations

import re

import numpy as np

from jupymuse.models.markov import MarkovModel, TransitionMatrix
from jupymuse.music import Melody
from jupymuse.studio import svg, views
from jupymuse.studio.events import NextPitch


def _row_labels(picture: str) -> list[str]:
    """The row labels of a heatmap SVG, top to bottom."""
    return re.findall(r'<text class="jm-row-label" [^>]*>([^<]*)</text>', picture)


def _current_row_y(picture: str) -> float:
    """Where the outline of the current row is, in cells from the grid's top."""
    grid = re.search(r'class="jm-grid" x="[\d.]+" y="([\d.]+)"', picture)
    row = re.search(r'class="jm-current-row" x="[\d.]+" y="([\d.]+)"', picture)
    assert grid is not None
    assert row is not None
    return (float(row.group(1)) - float(grid.group(1))) / svg.CELL


class _Table:
    """A hand-made transition table in text order, as ``MarkovModel.transition_matrix`` gives it."""

    order = 1
    context = "note"

    def __init__(self, rows: list[str]) -> None:
        n = len(rows)
        counts = np.arange(1, n + 1, dtype=float)[:, None] * np.ones((n, 3))
        self.table = TransitionMatrix(rows, ["C4", "G4", "A#4"], counts / counts.sum(1, keepdims=True), counts)

    def transition_matrix(self, feature: str = "note") -> TransitionMatrix:
        return self.table


def test_heatmap_rows_go_by_pitch_then_duration_rests_last() -> None:
    rows = ["A#4:2", "A3:4", "A4:2", "A4:1", "C#5:4", "r:4", "B2:8", "start", "G#4:4"]
    picture = views.heatmap(_Table(rows), [(69, 2)])  # type: ignore[arg-type]
    assert _row_labels(picture) == ["start", "B2:8", "A3:4", "G#4:4", "A4:1", "A4:2", "A#4:2", "C#5:4", "r:4"]
    assert _current_row_y(picture) == 5  # the outlined row is A4:2's, the sixth from the top


def test_row_order_keys() -> None:
    assert views.row_order("C4 A3") < views.row_order("A4 C4") < views.row_order("C4 r")
    assert views.row_order("start") < views.row_order("C-1:1")
    assert views.row_order("A4:2") < views.row_order("A4:4") < views.row_order("A#4:1")
    # longer contexts ending alike go by their notes from the first, by MIDI number, never by spelling
    ordered = ["start start C4", "start A4 C4", "A4 A4 C4", "A4 A#4 C4", "A#4 G4 C4", "Bb4 C5 C4", "B4 r C4", "r A4 C4"]
    assert sorted(reversed(ordered), key=views.row_order) == ordered
    assert views.row_order("A4:2 C4:4") < views.row_order("A#4:1 C4:4")


def test_markov_heatmap_rows_are_in_pitch_order_and_at_most_thirty() -> None:
    tunes = ["C4:4 D4:4 E4:4 r:4 G4:4 A#4:2 C5:2 B3:4 A4:4 C4:8", "E5:2 D#5:2 E5:4 r:4 F#3:4 C#4:4 G4:4"] * 3
    notes = " ".join(tunes)
    model = MarkovModel(1).fit([Melody.from_notation(t) for t in [*tunes, notes]])
    picture = views.heatmap(model, [(60, 4)])
    labels = _row_labels(picture)
    assert 0 < len(labels) <= views.MAX_HEATMAP_ROWS
    keys = [views.row_order(label) for label in labels]
    assert keys == sorted(keys)
    pitched = [k[0][1] for k in keys if k[0][0] == 1]  # the MIDI numbers of the rows' notes
    assert pitched == sorted(pitched)
    assert len(set(pitched)) > 3
    assert labels[-1].startswith("r")  # rests last
    assert "jm-current-row" in picture


def test_heatmap_keeps_the_current_row_among_thirty() -> None:
    rows = [f"{name}{octave}:4" for octave in range(2, 7) for name in ("C", "D", "E", "F", "G", "A", "B")]
    table = _Table(rows)  # the busiest rows are the last ones: C2:4 (the current one) is the quietest
    labels = _row_labels(views.heatmap(table, [(36, 4)]))  # type: ignore[arg-type]
    assert len(labels) == views.MAX_HEATMAP_ROWS
    assert labels[0] == "C2:4"
    assert [views.row_order(label) for label in labels] == sorted(views.row_order(label) for label in labels)


def test_the_surprise_legend_shows_the_rolls_scale_in_bits() -> None:
    from jupymuse.studio.views import surprise_legend, surprise_rgb

    legend = surprise_legend()
    assert "bits" in legend
    assert "orange outline" in legend
    for bits in (0, 4, 8):  # the gradient's stops are the roll's colours
        assert f"rgb{surprise_rgb(bits)}" in legend
    assert surprise_rgb(0) == (60, 170, 60)
    assert surprise_rgb(100) == (255, 30, 60)


def test_a_chain_that_saw_no_context_of_its_order_says_so() -> None:
    model = MarkovModel(3).fit([Melody.from_notation("C4:4 D4:4")])  # shorter than its order
    for feature in ("pitch", "note"):
        table = model.transition_matrix(feature)
        assert table.probs.shape[0] == table.counts.shape[0] == 0  # no rows, not a numpy error
    assert "No 3-note context was seen in training" in views.heatmap(model, ())


def _column_labels(picture: str) -> list[str]:
    return re.findall(r'<text class="jm-col-label" [^>]*>([^<]*)</text>', picture)


def test_the_heatmap_names_pitches_in_the_melody_key_and_still_finds_the_current_row() -> None:
    rows = ["A#4:2", "A4:2", "C#5:4", "r:4", "start"]
    table = _Table(rows)
    picture = views.heatmap(table, [(70, 2)], key="F major")  # type: ignore[arg-type]
    assert _row_labels(picture) == ["start", "A4:2", "Bb4:2", "Db5:4", "r:4"]
    assert _column_labels(picture) == ["C4", "G4", "Bb4"]
    assert _current_row_y(picture) == 2  # Bb4:2, the model's A#4:2
    sharp = views.heatmap(table, [(70, 2)], key="B major")  # type: ignore[arg-type]
    assert _row_labels(sharp) == ["start", "A4:2", "A#4:2", "C#5:4", "r:4"]
    assert _row_labels(views.heatmap(table, [(70, 2)])) == ["start", "A4:2", "A#4:2", "C#5:4", "r:4"]  # type: ignore[arg-type]


def test_respell_names_only_pitches() -> None:
    assert views.respell("start A#4:2 r:4 C#5", "Gb major") == "start Bb4:2 r:4 Db5"
    assert views.respell("r", "F major") == "r"
    assert views.respell("60:4", "F major") == "60:4"  # a number is not a name
    assert views.respell("A#4", None) == "A#4"


def test_the_probability_strip_names_pitches_in_the_melody_key() -> None:
    probs = np.zeros(129)
    probs[[70, 66, 60]] = [0.5, 0.3, 0.2]
    shown = NextPitch(probs, "P(pitch)", 70)
    assert re.findall(r'font-size="11">([A-G][#b]*-?\d)</text>', views.strip(shown, key="Eb minor")) == [
        "Bb4",
        "Gb4",
        "C4",
    ]
    sharps = views.strip(shown)  # no key: MIDI's sharps
    assert "A#4" in sharps
    assert "F#4" in sharps
    assert 'data-pitch="70"' in views.strip(shown, key="Eb minor")
