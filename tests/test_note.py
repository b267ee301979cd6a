import math

import numpy as np
import pytest

from jupymuse import InvalidNoteError, Note


def test_note_keeps_values_and_end() -> None:
    n = Note(60, 4, 8, 90)
    assert (n.pitch, n.start, n.duration, n.velocity, n.end) == (60, 4, 8, 90, 12)


def test_whole_floats_and_numpy_ints_are_accepted_as_ints() -> None:
    n = Note(np.int64(61), 2.0, np.int32(3))
    assert type(n.pitch) is int
    assert type(n.start) is int
    assert n.start == 2


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"pitch": 128}, "outside the MIDI range"),
        ({"pitch": -1}, "outside the MIDI range"),
        ({"pitch": 200}, "outside the MIDI range"),
        ({"start": -1}, "before step 0"),
        ({"duration": 0}, "at least one step"),
        ({"duration": -3}, "at least one step"),
        ({"velocity": 0}, "velocity"),
        ({"velocity": 128}, "velocity"),
        ({"start": 1.5}, "whole number"),
        ({"start": math.nan}, "whole number"),
        ({"duration": math.inf}, "whole number"),
        ({"pitch": "C4"}, "whole number"),
        ({"pitch": True}, "whole number"),
        ({"start": 2**21}, "timing looks broken"),
    ],
)
def test_bad_values_raise_clear_errors(kwargs: dict[str, object], words: str) -> None:
    args: dict[str, object] = {"pitch": 60, "start": 0, "duration": 4, "velocity": 100, **kwargs}
    with pytest.raises(InvalidNoteError, match=words):
        Note(**args)  # type: ignore[arg-type]


def test_notes_are_immutable() -> None:
    n = Note(60, 0, 4)
    with pytest.raises(AttributeError):
        n.pitch = 61  # type: ignore[misc]
