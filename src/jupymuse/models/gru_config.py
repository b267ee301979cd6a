"""``GRUConfig``: the shape and vocabulary of a GRU melody network (no TensorFlow needed)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..errors import ModelError
from .tokens import TokenScheme


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

    def __post_init__(self) -> None:
        for name in ("embedding_size", "hidden_units", "layers", "duration_units", "max_len", "steps_per_quarter"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ModelError(f"GRUConfig.{name} must be a whole number of at least 1, not {value!r}")
        if not 0 <= self.dropout < 1:
            raise ModelError(f"GRUConfig.dropout must be in [0, 1), not {self.dropout!r}")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready settings."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GRUConfig:
        """Settings from :meth:`to_dict` data."""
        values = dict(data)
        tokens = dict(values.pop("tokens"))
        tokens["durations"] = tuple(tokens["durations"])
        return cls(**values, tokens=TokenScheme(**tokens))
