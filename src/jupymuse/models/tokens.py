"""The GRU's token scheme: how a melody becomes the numbers the network reads and predicts.

Each event (a note or a rest; see :mod:`jupymuse.music.events`) is one **token**, the pair
``(pitch, duration)``:

* pitch: one of ``min_pitch .. max_pitch`` (MIDI numbers) or a rest;
* duration: one of ``durations`` (in grid steps; 4 steps per quarter note by default).

A token is stored as one id, ``pitch_index * n_durations + duration_index``. The network does not
predict the pair with one softmax over every pair: it factors it by the chain rule,
P(pitch, duration) = P(pitch) P(duration | pitch), with one softmax over the ``n_pitches`` pitches
and then one over the ``n_durations`` durations given the chosen pitch (see
:mod:`jupymuse.models.gru_net`). So pitch and rhythm are still chosen together (generated music
has rhythm), the output stays small, and the pitch probability is there directly.

The network *reads* three things at step ``t``: the previous event's pitch and duration (a begin
marker at ``t = 0``) and where event ``t`` starts in its bar (known from the events before it), so
it can learn that phrases end on strong beats.

Events outside the scheme: in the *context* a pitch out of range is moved by octaves into range
and a duration is replaced by the nearest one in ``durations``; training targets are treated the
same way. When *scoring* a melody (``log_prob``) such an event keeps a tiny probability (see
``GRUModel``), so no melody is impossible.

Pure numpy: importing this module does not import TensorFlow.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import arguments
from ..errors import ModelError
from ..music import Melody
from ..music.events import REST, melody_events

DEFAULT_DURATIONS = (1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48, 64)
"""Note and rest lengths in sixteenth-note steps: every length common in the chorales and folk songs."""


def _int(value: object, name: str) -> int:
    """``value`` as an ``int``: the usual case (an ``int``) at once, anything else checked."""
    return value if type(value) is int else arguments.whole(value, name)


@dataclass(frozen=True)
class TokenScheme:
    """Which pitches, durations and bar positions the network knows (see the module docstring)."""

    min_pitch: int = 36  # lowest MIDI pitch (C2)
    max_pitch: int = 96  # highest MIDI pitch (C7)
    durations: tuple[int, ...] = DEFAULT_DURATIONS  # allowed lengths in grid steps, ascending
    max_position: int = 64  # bar positions 0..max_position-1 are told apart (longer bars share the last)

    def __post_init__(self) -> None:
        arguments.whole(self.min_pitch, "min_pitch")
        arguments.whole(self.max_pitch, "max_pitch")
        arguments.whole(self.max_position, "max_position")
        for d in arguments.items(self.durations, "durations"):
            arguments.whole(d, "a duration")
        if not 0 <= self.min_pitch < self.max_pitch <= 127:
            raise ModelError(f"the pitch range {self.min_pitch}..{self.max_pitch} must lie within 0..127")
        if not self.durations or list(self.durations) != sorted(set(self.durations)) or self.durations[0] < 1:
            raise ModelError("durations must be whole numbers of steps, at least 1, ascending, without repeats")
        if self.max_position < 1:
            raise ModelError("max_position must be at least 1")

    @property
    def n_pitches(self) -> int:
        """Pitch classes of the output: the pitch range plus the rest (the last index)."""
        return self.max_pitch - self.min_pitch + 2

    @property
    def rest_index(self) -> int:
        """Index of the rest among the pitches."""
        return self.n_pitches - 1

    @property
    def n_durations(self) -> int:
        """Number of allowed durations."""
        return len(self.durations)

    @property
    def pitch_values(self) -> np.ndarray:
        """MIDI pitch (or ``REST``) of each pitch index."""
        return np.array([*range(self.min_pitch, self.max_pitch + 1), REST], dtype=np.int32)

    # ------------------------------------------------------------------ mapping
    def pitch_index(self, pitch: int) -> int | None:
        """Index of ``pitch`` (or ``REST``), or None when it is outside the range."""
        pitch = _int(pitch, "pitch")
        if pitch == REST:
            return self.rest_index
        if self.min_pitch <= pitch <= self.max_pitch:
            return pitch - self.min_pitch
        return None

    def duration_index(self, duration: int) -> int | None:
        """Index of ``duration``, or None when it is not one of ``durations``."""
        duration = _int(duration, "duration")
        i = int(np.searchsorted(self.durations, duration))
        return i if i < len(self.durations) and self.durations[i] == duration else None

    def nearest_pitch_index(self, pitch: int) -> int:
        """Index of ``pitch`` moved by octaves into range (for context and training targets)."""
        pitch = _int(pitch, "pitch")
        if pitch == REST:
            return self.rest_index
        if pitch < self.min_pitch:  # up by the fewest octaves that reach the range
            pitch += 12 * -((pitch - self.min_pitch) // 12)
        if pitch > self.max_pitch:  # down likewise (a range under an octave may be overshot: clamped)
            pitch -= 12 * -((self.max_pitch - pitch) // 12)
        return min(max(pitch, self.min_pitch), self.max_pitch) - self.min_pitch

    def nearest_duration_index(self, duration: int) -> int:
        """Index of the allowed duration closest to ``duration`` (on a log scale)."""
        d = np.asarray(self.durations, dtype=np.float64)
        duration = _int(duration, "duration")
        return int(np.argmin(np.abs(np.log(d) - np.log(max(duration, 1)))))

    def position(self, onset: int, steps_per_bar: int) -> int:
        """Bar-position token of an event starting on step ``onset``."""
        onset, steps_per_bar = _int(onset, "onset"), _int(steps_per_bar, "steps_per_bar")
        return min(onset % max(steps_per_bar, 1), self.max_position - 1)

    # ------------------------------------------------------------------ melodies
    def transpositions(self, melody: Melody, augment: bool) -> list[int]:
        """Semitone shifts (-6..+5, i.e. every key) that keep all of ``melody``'s pitches in range.

        Without ``augment`` just ``[0]``. A melody that cannot fit in any key gives ``[]``.
        """
        melody = arguments.melody(melody)
        if not augment:
            return [0]
        pitches = melody.pitches
        if not pitches:
            return []
        lo, hi = min(pitches), max(pitches)
        return [s for s in range(-6, 6) if self.min_pitch <= lo + s and hi + s <= self.max_pitch]

    @property
    def end_target(self) -> int:
        """The target id of "the melody ends here" (pitch index ``n_pitches``, no duration)."""
        return self.n_pitches * self.n_durations

    def encode(self, melody: Melody, shift: int = 0, *, end: bool = False, style: int = -1) -> EncodedMelody:
        """The network's inputs and targets for ``melody`` transposed by ``shift`` semitones.

        With ``end``, one more step reads the last event (at the bar position where the melody
        ends) and has the target ``end_target``: the network learns where melodies stop.
        ``style`` is the index of the melody's style (-1: none), carried along for the batches.
        """
        events = melody_events(arguments.melody(melody))
        shift, style = arguments.whole(shift, "shift"), arguments.whole(style, "style (-1: none)", -1)
        n = len(events) + int(bool(end) and bool(events))
        pitch_in = np.empty(n, dtype=np.int32)
        dur_in = np.empty(n, dtype=np.int32)
        pos_in = np.empty(n, dtype=np.int32)
        target = np.empty(n, dtype=np.int32)
        in_vocab = np.ones(n, dtype=bool)
        pitch_in[:1] = self.n_pitches  # begin marker
        dur_in[:1] = self.n_durations
        onset = melody.notes[0].start if n else 0
        spb = melody.steps_per_bar
        for t, (p, d) in enumerate(events):
            p = p if p == REST else p + shift
            pi, di = self.pitch_index(p), self.duration_index(d)
            in_vocab[t] = pi is not None and di is not None
            pi = self.nearest_pitch_index(p) if pi is None else pi
            di = self.nearest_duration_index(d) if di is None else di
            target[t] = pi * self.n_durations + di
            pos_in[t] = self.position(onset, spb)
            onset += d
            if t + 1 < n:
                pitch_in[t + 1] = pi
                dur_in[t + 1] = di
        if n > len(events):
            target[-1], pos_in[-1] = self.end_target, self.position(onset, spb)
        return EncodedMelody(pitch_in, dur_in, pos_in, target, in_vocab, style)


@dataclass(frozen=True)
class EncodedMelody:
    """One melody as token arrays, all of length ``len(events)``.

    Step ``t`` reads ``pitch_in[t]``, ``duration_in[t]`` (the previous event, or the begin marker)
    and ``position_in[t]`` (bar position of event ``t``), and should predict ``target[t]``.
    """

    pitch_in: np.ndarray
    duration_in: np.ndarray
    position_in: np.ndarray
    target: np.ndarray
    in_vocab: np.ndarray
    """Whether event t is exactly representable (else its target was approximated)."""
    style: int = -1
    """Index of the melody's style among the model's styles; -1 for none."""

    def __len__(self) -> int:
        return len(self.target)
