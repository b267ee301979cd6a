"""``GRUConfig``: the shape and vocabulary of a GRU melody network (no TensorFlow needed).

Every size has a limit (``LIMITS``, and ``MAX_WEIGHTS`` for the whole network), checked when a
config is made and when one is read from a model file, so nothing absurd is ever built.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..errors import ModelError, ModelFileError
from ..music.note import MAX_STEPS
from .formats import Fields
from .tokens import TokenScheme

LIMITS = {
    "embedding_size": 1024,
    "hidden_units": 4096,
    "layers": 8,
    "duration_units": 4096,
    "max_len": 65536,
    "steps_per_quarter": 960,
    "style_size": 256,
}
"""The largest value of each whole-number setting."""
MAX_WEIGHTS = 50_000_000
"""The most weights a network may have (200 MB of float32)."""
MAX_DURATIONS = 1024
"""The most durations a token scheme may list."""
MAX_POSITIONS = 4096
"""The largest ``TokenScheme.max_position``."""
MAX_STYLES = 64
"""The most styles one model may know."""
MAX_STYLE_NAME = 40
"""The longest style name (characters)."""


@dataclass(frozen=True)
class GRUConfig:
    """The network's shape and vocabulary (training settings are ``fit`` arguments)."""

    embedding_size: int = 64  # length of each pitch's learned vector (durations and bar positions get half)
    hidden_units: int = 256  # size of the GRU state: the network's memory of the melody so far
    layers: int = 1  # GRU layers stacked on each other
    dropout: float = 0.2  # fraction of values dropped at random while training (fights overfitting)
    duration_units: int = 64  # hidden size of the duration head, which sees the state and the chosen pitch
    max_len: int = 256  # training window in events: longer melodies are cut into windows this long
    steps_per_quarter: int = 4  # the grid the model reads and writes (4 = sixteenth notes)
    tokens: TokenScheme = field(default_factory=TokenScheme)  # pitches, durations, bar positions known
    styles: tuple[str, ...] = ()  # style names the network is conditioned on (empty: no style input)
    style_size: int = 16  # length of each style's learned vector, read at every step
    end_event: bool = True  # the pitch head also predicts "the melody ends here"

    def __post_init__(self) -> None:
        if isinstance(self.styles, list):  # a list from the user or a file: the same names
            object.__setattr__(self, "styles", tuple(self.styles))
        for name, hi in LIMITS.items():
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= hi:
                raise ModelError(f"GRUConfig.{name} must be a whole number from 1 to {hi}, not {value!r}")
        ok = isinstance(self.dropout, int | float) and not isinstance(self.dropout, bool)
        if not ok or not 0 <= self.dropout < 1:
            raise ModelError(f"GRUConfig.dropout must be in [0, 1), not {self.dropout!r}")
        _check_tokens(self.tokens)
        _check_styles(self.styles)
        if not isinstance(self.end_event, bool):
            raise ModelError(f"GRUConfig.end_event must be True or False, not {self.end_event!r}")
        if self.weight_count() > MAX_WEIGHTS:
            raise ModelError(
                f"this GRUConfig describes a network of {self.weight_count():,} weights, "
                f"over the limit of {MAX_WEIGHTS:,}: use fewer hidden_units, layers or embedding_size"
            )

    def weight_count(self) -> int:
        """How many weights the network built from this config has (see ``gru_net.build_network``)."""
        ts, e, h, u = self.tokens, self.embedding_size, self.hidden_units, self.duration_units
        p, d, side = ts.n_pitches, ts.n_durations, max(e // 2, 1)
        s = self.style_size if self.styles else 0
        embeddings = (p + 1) * e + (d + 1) * side + ts.max_position * side + p * u + len(self.styles) * s
        gru, inputs = 0, e + 2 * side + s
        for _ in range(self.layers):
            gru += 3 * h * (inputs + h + 2)
            inputs = h
        return embeddings + gru + (h + 1) * self.n_outputs + (h + 1) * u + (u + 1) * d

    @property
    def n_outputs(self) -> int:
        """Classes of the pitch head: the pitches, the rest, and the end of the melody when ``end_event``."""
        return self.tokens.n_pitches + int(self.end_event)

    @property
    def end_index(self) -> int | None:
        """Index of "the melody ends here" in the pitch head, or None without ``end_event``."""
        return self.tokens.n_pitches if self.end_event else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready settings."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "the GRU settings") -> GRUConfig:
        """Settings from :meth:`to_dict` data, every field checked (``ModelFileError`` naming it)."""
        return read_config(Fields(data, source, "config"))


def _check_tokens(ts: object) -> None:
    if not isinstance(ts, TokenScheme):
        raise ModelError(f"GRUConfig.tokens must be a TokenScheme, not {ts!r}")
    for name in ("min_pitch", "max_pitch", "max_position"):
        if not isinstance(getattr(ts, name), int) or isinstance(getattr(ts, name), bool):
            raise ModelError(f"TokenScheme.{name} must be a whole number, not {getattr(ts, name)!r}")
    if ts.max_position > MAX_POSITIONS:
        raise ModelError(f"TokenScheme.max_position must be at most {MAX_POSITIONS}, not {ts.max_position}")
    durations = ts.durations
    if not isinstance(durations, tuple | list) or len(durations) > MAX_DURATIONS:
        raise ModelError(f"TokenScheme.durations must be a tuple of at most {MAX_DURATIONS} durations")
    if any(not isinstance(d, int) or isinstance(d, bool) or d > MAX_STEPS for d in durations):
        raise ModelError(f"TokenScheme.durations must be whole numbers of steps, at most {MAX_STEPS}")


def _check_styles(styles: object) -> None:
    ok = isinstance(styles, tuple) and all(isinstance(s, str) for s in styles)
    if not ok:
        raise ModelError(f"GRUConfig.styles must be a tuple of style names, not {styles!r}")
    assert isinstance(styles, tuple)
    if len(styles) > MAX_STYLES or len(set(styles)) != len(styles):
        raise ModelError(f"GRUConfig.styles must be at most {MAX_STYLES} different names, not {styles!r}")
    for name in styles:
        if not 1 <= len(name) <= MAX_STYLE_NAME or not name.isprintable():
            raise ModelError(f"a style name must be 1-{MAX_STYLE_NAME} printable characters, not {name!r}")


def read_config(f: Fields) -> GRUConfig:
    """The ``GRUConfig`` in the JSON object ``f``: every field's type and range checked before use.

    Raises:
        ModelFileError: a field is missing, unknown, of the wrong type or out of range.
    """
    f.only([*LIMITS, "dropout", "tokens", "styles", "end_event"])
    present = f.data  # files written before styles and endings lack those three fields
    values: dict[str, Any] = {
        name: f.integer(name, 1, hi) for name, hi in LIMITS.items() if name != "style_size" or name in present
    }
    values["dropout"] = f.number("dropout", 0.0, 1.0, below_hi=True)
    if "styles" in present:
        names = f.array("styles", 0, MAX_STYLES)
        values["styles"] = tuple(names.text(i, MAX_STYLE_NAME) for i in range(len(names.data)))
    values["end_event"] = f.boolean("end_event") if "end_event" in present else False
    t = f.record("tokens", ("min_pitch", "max_pitch", "durations", "max_position"))
    lo, hi = t.integer("min_pitch", 0, 126), t.integer("max_pitch", 1, 127)
    if lo >= hi:
        t.fail("max_pitch", f"above min_pitch ({lo})", hi)
    durations = t.integers("durations", 1, MAX_STEPS, max_len=MAX_DURATIONS, ascending=True)
    tokens = TokenScheme(lo, hi, tuple(durations), t.integer("max_position", 1, MAX_POSITIONS))
    try:
        return GRUConfig(**values, tokens=tokens)
    except ModelError as exc:  # the whole network too large, repeated style names
        raise ModelFileError(f"{f.source} is damaged: {exc}") from None
