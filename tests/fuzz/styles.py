"""Fuzz target ``styles``: style-conditioned generation, lengths in bars and endings (issue 21, cases 6-8).

The shipped GRU (``jupymuse/data/default.keras``, numpy engine: no TensorFlow) and, now and then, a
small Markov chain (which knows no styles) compose from random primers (time signatures whose bars
are or are not whole grid steps: 7/32, 3/64, 5/8, 255/1, ...; empty primers) with random ``style``,
``bars``, ``ending``, lengths, ``n`` and seeds. Half the cases make one thing odd (``HOSTILE``; the
style most often): style names capitalised, misspelt or of the wrong type, weights 0, negative, NaN,
infinite, 1e308, 10**400, booleans or strings, every weight equally huge or tiny; a primer on another
grid; a sampling setting of the wrong type (``temperature=None``, ``top_k=2.5``, ``scale=5``); ...

A call either raises ``JupymuseError`` or returns ``n`` melodies on the model's grid (a primer without
notes gives only its metre, key and tempo) in the primer's metre, and: a style it took has finite
weights summing to 1; with ``bars`` every continuation ends by the bar line asked for (on it, with a
cadence); a cadence ends on the primer's tonic, on a bar line; the same seed gives the same melodies.
A call (accepted or refused) leaves the model as it was (its styles and recommended settings).

``add_style`` trains (TensorFlow): its failure kinds are left to ``tests/test_gru_styles.py``.
"""

from __future__ import annotations

import functools
import math
import random
from typing import Any

from jupymuse import JupymuseError, MarkovModel, Melody
from jupymuse.models.default import load_default
from jupymuse.models.ending_choice import is_modal
from jupymuse.models.generation import style_weights
from jupymuse.music.note import MAX_STEPS

from .harness import Case

NAME = "styles"
EXPECTED: tuple[type[BaseException], ...] = (JupymuseError,)

NAMES: list[Any] = [
    "chorale", "german", "chinese", "irish", "Irish", "CHORALE", "iirsh", "", "folk", " irish", "irish ",
    "chorale\x00", "\ud800", 5, None, b"irish", ("irish",), ["chorale"],
]  # fmt: skip
WEIGHTS: list[Any] = [
    1, 0.5, 2, 0, -1, -0.0, math.nan, math.inf, -math.inf, 1e308, 1e-320, 10**400, 2**64, True, False, "1",
    None, [1], 1e300,
]  # fmt: skip
METERS = [(4, 4), (4, 4), (3, 4), (6, 8), (5, 8), (3, 8), (7, 8), (2, 2), (7, 32), (5, 32), (3, 64), (255, 1), (1, 4)]
ENDINGS: list[Any] = ["cut", "cut", "model", "cadence", "cadence", "Cadence", "", None, 5, "end"]
BARS: list[Any] = [None, None, None, 1, 2, 4, 8, 0, -1, 512, 513, 1.5, True, "2", 2**70]
STEPS: list[Any] = [None, None, 1, 8, 16, 32, 64, 0, -1, 8193, 2.5, "8"]
ODD_SETTINGS: list[tuple[str, Any]] = [
    ("temperature", None), ("temperature", math.nan), ("temperature", 0), ("temperature", 1e308),
    ("top_k", 2.5), ("top_k", 0), ("top_k", True), ("top_p", math.nan), ("top_p", 0), ("scale", 5),
    ("scale", "Gb major"), ("scale", "H major"), ("scale", [0, 4, 7]), ("pitch_range", (60, 59)),
    ("pitch_range", (0, 127)), ("pitch_range", [60, 72]), ("key_lock", 1), ("range_lock", True),
    ("duration_temperature", -1), ("duration_top_p", 1.5), ("style_weight", 1),
]  # fmt: skip


@functools.cache
def gru() -> Any:
    """The shipped GRU (loaded once: h5py, numpy engine)."""
    return load_default()


@functools.cache
def markov() -> MarkovModel:
    """A small Markov chain on the model's grid: it knows no styles and never learned endings."""
    tunes = [Melody.from_notation(t) for t in ("C4:4 D4:4 E4:4 C4:4 r:4 G4:8", "E4:2 F4:2 G4:4 A4:4 G4:8 r:2")]
    return MarkovModel(2).fit(tunes)


def _style(rng: random.Random, hostile: bool) -> Any:
    """A style: None, a name or a mix; odd names, weights and shapes when ``hostile``."""
    known = ["chorale", "german", "chinese", "irish"]
    if not hostile:
        how = rng.randrange(4)
        if how == 0:
            return None
        if how == 1:
            return rng.choice(known)
        return {name: rng.uniform(0, 3) for name in rng.sample(known, rng.randint(1, 4))}
    how = rng.randrange(8)
    if how <= 1:
        return rng.choice(NAMES)
    if how == 2:
        return rng.choice([{}, [("irish", 1)], {"irish": {"x": 1}}, {"irish": 1, "Irish": 1}])
    if how == 3:  # every weight huge or tiny: only the ratios count
        value = rng.choice([1e308, 10**400, 2**1100, 1e-320, 5e-324])
        return dict.fromkeys(rng.sample(known, rng.randint(1, 4)), value)
    hashable = [n for n in NAMES if not isinstance(n, list)]
    names = rng.sample(known, rng.randint(1, 4)) + ([rng.choice(hashable)] if rng.random() < 0.2 else [])
    return {name: rng.choice(WEIGHTS) if rng.random() < 0.6 else rng.uniform(0, 3) for name in names}


def _primer(rng: random.Random, hostile: bool) -> dict[str, Any]:
    """A primer on the model's grid (4 steps per quarter) in a random metre; on another grid when ``hostile``."""
    count = rng.choice([0, 0, 1, 3, 8, 20])
    pos, notes = 0, []
    for _ in range(count):
        pos += rng.choice([0, 0, 0, 2, 4])
        dur = rng.choice([1, 2, 2, 4, 4, 8, 3, 6])
        notes.append((rng.randint(48, 84), pos, dur))
        pos += dur
    return {
        "notes": notes,
        "steps_per_quarter": 4 if not hostile else rng.choice([1, 2, 3, 8, 12]),
        "time_signature": rng.choice(METERS),
        "key": rng.choice([None, None, "G major", "Eb minor", "Gb major", "A minor", "H major"]),
    }


HOSTILE = ["style", "style", "style", "n", "seed", "bars", "ending", "steps", "primer", "setting"]
"""What a hostile case makes odd (one thing, so that its refusal is the one tested); styles most often."""


def make(rng: random.Random) -> Case:
    """A primer and a ``generate`` call: ``Case(label, {"model", "primer", "steps", "kwargs"})``.

    Half the cases are sensible throughout; the other half make one thing odd (see ``HOSTILE``)."""
    odd = rng.choice(HOSTILE) if rng.random() < 0.5 else ""
    kwargs: dict[str, Any] = {
        "n": rng.choice([1, 1, 2, 3]) if odd != "n" else rng.choice([0, 5000, 1.5, None, "2"]),
        "seed": rng.choice([0, 1, 7, rng.randrange(2**32), None]) if odd != "seed" else rng.choice([-1, 2**70, 3]),
        "include_primer": rng.random() < 0.3,
    }
    style = _style(rng, odd == "style")
    if style is not None or rng.random() < 0.3:
        kwargs["style"] = style
    if rng.random() < 0.5 or odd == "bars":
        kwargs["bars"] = rng.choice(BARS[:7] if odd != "bars" else BARS)
    if rng.random() < 0.6 or odd == "ending":
        kwargs["ending"] = rng.choice(ENDINGS[:5] if odd != "ending" else ENDINGS)
    if odd == "setting":
        name, value = rng.choice(ODD_SETTINGS)
        kwargs[name] = value
    model = "markov" if rng.random() < 0.15 else "gru"
    steps = rng.choice(STEPS[:7] if odd != "steps" else STEPS)
    data = {"model": model, "primer": _primer(rng, odd == "primer"), "steps": steps, "kwargs": kwargs}
    shown = ", ".join(f"{k}={v!r:.40}" for k, v in kwargs.items() if k not in ("include_primer",))
    primer = data["primer"]
    meter = "/".join(map(str, primer["time_signature"]))
    grid = primer["steps_per_quarter"]
    label = f"{model}: {len(primer['notes'])} notes in {meter} at {grid}, steps={steps!r}, {shown}"
    return Case(label, data)


# ---------------------------------------------------------------------- the target
def run(case: Case) -> None:
    """Compose; check the melodies against the settings, and the model against what it was."""
    data = case.data
    model = gru() if data["model"] == "gru" else markov()
    before = (model.styles, model.sampling)
    kwargs = dict(data["kwargs"])
    try:
        primer = Melody(**data["primer"])
        melodies = model.generate(primer, data["steps"], **kwargs)
    finally:
        if (model.styles, model.sampling) != before:
            raise AssertionError(f"the call changed the model: {model.styles}, {model.sampling}")
    check(model, primer, melodies, data["steps"], kwargs)
    if kwargs["seed"] is not None and sum(len(m) for m in melodies) < 400:
        again = model.generate(primer, data["steps"], **kwargs)
        if [m.notes for m in again] != [m.notes for m in melodies]:
            raise AssertionError("the same seed gave other melodies")


def check(model: Any, primer: Melody, melodies: list[Melody], steps: int | None, kwargs: dict[str, Any]) -> None:
    """The promises of an accepted call (see the module docstring)."""
    if len(melodies) != kwargs["n"]:
        raise AssertionError(f"{len(melodies)} melodies for n={kwargs['n']}")
    settings = model.sampling.replace(**{k: v for k, v in kwargs.items() if k not in ("n", "seed", "include_primer")})
    if settings.style is not None:
        weights = style_weights(model.styles, settings.style, model.name)
        if weights is None or not all(map(math.isfinite, weights)) or abs(float(weights.sum()) - 1) > 1e-9:
            raise AssertionError(f"style {settings.style!r} was taken with weights {weights}")
    if not len(primer):  # a primer without notes gives the metre; the melody is on the model's grid
        primer = primer.replace(steps_per_quarter=model.steps_per_quarter)
    spb = primer.steps_per_bar
    offset = 0 if kwargs["include_primer"] else primer.end
    for m in melodies:
        if m.steps_per_quarter != 4 or m.time_signature != primer.time_signature or m.end > MAX_STEPS:
            raise AssertionError(f"a melody on {m.steps_per_quarter} steps per quarter in {m.time_signature}")
        if kwargs["include_primer"] and m.notes[: len(primer)] != primer.notes:
            raise AssertionError("include_primer did not keep the primer")
        end = offset + m.end  # where the melody ends after the primer
        new = m.notes[len(primer) :] if kwargs["include_primer"] else m.notes
        if settings.bars is not None:
            last_line = -(-primer.end // spb) * spb + settings.bars * spb
            if end > last_line or (settings.ending == "cadence" and new and end != last_line):
                raise AssertionError(f"ends at step {end}, the bar line asked for is at {last_line}")
        if settings.ending == "cadence" and new:
            if end % spb:
                raise AssertionError(f"a cadence ends at step {end}, off the bar line (a bar is {spb} steps)")
            # the primer's key names the tonic unless the style has modes; else the model's final counts
            modal = settings.style is not None and is_modal(
                model.styles, style_weights(model.styles, settings.style, model.name)
            )
            tonic = primer.key.tonic if len(primer) and primer.key is not None and not modal else None
            if tonic is not None and new[-1].pitch % 12 != tonic:
                raise AssertionError(f"a cadence ends on pitch {new[-1].pitch}, not on the tonic (class {tonic})")
    if steps is not None and settings.bars is None and settings.ending == "cut":
        for m in melodies:
            count = len(m.notes) - (len(primer) if kwargs["include_primer"] else 0)
            if count > steps:
                raise AssertionError(f"{count} notes for {steps} steps")
