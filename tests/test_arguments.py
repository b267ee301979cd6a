"""The argument checks: values kept as given or converted, refusals naming the argument and the limit."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from jupymuse import Melody
from jupymuse.arguments import array, choice, function, items, melodies, melody, number, path, whole, whole_numbers
from jupymuse.errors import ArgumentTypeError, JupymuseError, SettingError


def test_a_wrong_kind_is_both_a_type_error_and_a_value_error() -> None:
    with pytest.raises(ArgumentTypeError, match="folds must be a whole number, not 'x'") as caught:
        whole("x", "folds", 2)
    assert isinstance(caught.value, JupymuseError)
    assert isinstance(caught.value, TypeError)
    assert isinstance(caught.value, ValueError)


def test_whole_numbers_take_integral_floats_and_refuse_the_rest() -> None:
    assert whole(np.int64(3), "k") == 3
    assert whole(4.0, "k") == 4
    bad: object
    for bad in (True, 3.5, math.nan, math.inf, None, [], "3"):
        with pytest.raises(ArgumentTypeError):
            whole(bad, "k")
    with pytest.raises(SettingError, match="k must be between 2 and 9, not 10"):
        whole(10, "k", 2, 9)
    with pytest.raises(SettingError, match="at least 0, not -1"):
        whole(-1, "seed", 0)


def test_numbers_are_finite_and_in_range() -> None:
    assert number(1, "bias", 0) == 1.0
    with pytest.raises(SettingError, match="bias must be at least 0, not nan"):
        number(math.nan, "bias", 0)
    with pytest.raises(SettingError, match="floor must be between 0 and 1, not 2"):
        number(2, "floor", 0, 1)
    with pytest.raises(ArgumentTypeError):
        number("1", "bias")


def test_choices_name_every_option() -> None:
    assert choice("note", "context", ("pitch", "note")) == "note"
    with pytest.raises(SettingError, match="context must be one of 'pitch', 'note', not 'x'"):
        choice("x", "context", ("pitch", "note"))


def test_melodies_lists_and_arrays() -> None:
    m = Melody.from_notation("C4:4 D4:4")
    assert melody(m) is m
    assert melodies(iter([m, m])) == [m, m]
    assert items((1, 2), "xs") == [1, 2]
    with pytest.raises(ArgumentTypeError, match="melodies must hold melodies, but item 1 is 'C4'"):
        melodies([m, "C4"])
    for bad in ("C4:4", {"a": m}, 3):
        with pytest.raises(ArgumentTypeError):
            melodies(bad)
    assert array([[1, 2]], "x", 2).shape == (1, 2)
    with pytest.raises(SettingError, match="x must be a 2-D array of numbers, not one of shape \\(2,\\)"):
        array([1, 2], "x", 2)
    with pytest.raises(SettingError, match="finite"):
        array([1, math.nan], "x", (1, 2))
    assert whole_numbers([0, 1.0], "y", 0).tolist() == [0, 1]
    with pytest.raises(SettingError, match="whole numbers of 0 or more"):
        whole_numbers([0.5], "y", 0)


def test_functions_and_paths() -> None:
    assert function(print, "on_fold") is print
    with pytest.raises(ArgumentTypeError, match="on_fold must be a function"):
        function("x", "on_fold")
    assert path(Path("a")) == Path("a")
    for bad in ("", None, 3):
        with pytest.raises(ArgumentTypeError, match="path must be a file path"):
            path(bad)
