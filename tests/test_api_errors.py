"""The public API refuses bad arguments with a JupymuseError, never a raw Python exception (issue 22).

The walk calls every public callable once per parameter and bad value: the names in
``jupymuse.__all__`` and in its subpackages' ``__all__``, the short-term, mixture and long-short
models, and the public methods of made objects (``RECEIVERS``: a Melody, a fitted Markov chain, the
shipped GRU on the numpy engine, a Score, a PianoRoll, a Studio, ...). The other parameters get a good
value (``GOOD``, by name, or ``GOOD_FOR`` for one callable) or keep their default; a ``**kwargs``
parameter is walked through the keywords it documents (``KEYWORDS``). Each call runs under a time
limit. It may return (the value was fine, or ignored) or raise a ``JupymuseError``; any other
exception, or a call past the limit, is a failure.

``OWED`` lists the failures that wait for a fix in a file owned elsewhere (issue 22 splits the work):
they are reported apart, and an entry whose calls no longer fail is a failure too, so the list can
only shrink. A new public name with a required parameter the walk has no good value for fails too.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import math
import signal
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import jupymuse
from jupymuse import Corpus, JupymuseError, MarkovModel, Melody, PianoRoll, SamplingSettings, Score, Studio
from jupymuse.evaluate import bits_per_note
from jupymuse.models import load_default
from jupymuse.models.longshort import LongShortTermModel, Mix, MixScore
from jupymuse.models.mixture import Floored
from jupymuse.models.shortterm import PPM, ShortTermModel
from jupymuse.models.tokens import TokenScheme
from jupymuse.quality import StyleClassifier, feature_matrix, fit_logistic, melody_features
from jupymuse.studio import Settings

BAD: tuple[Any, ...] = (None, "x", 3.5, -1, 10**9, [], {}, object(), float("nan"), -(10**9), "", True)
"""The bad values every parameter is given, one at a time."""
LIMIT_S = 2.0
"""Longest one call may take, in wall seconds (all of them together take a few seconds)."""
MODULES = ("jupymuse", "jupymuse.music", "jupymuse.corpus", "jupymuse.models", "jupymuse.evaluate")
MODULES_MORE = ("jupymuse.quality", "jupymuse.widget", "jupymuse.studio")
MODULES_ALL = ("jupymuse.models.shortterm", "jupymuse.models.mixture", "jupymuse.models.longshort")
"""Modules whose ``__all__`` is walked, and (last) modules without one: their public names are."""
NOT_WALKED = {
    "load_corpus.progress": "a good name would convert a built-in corpus (minutes); the name is walked",
    "TrainingEvent": "imports TensorFlow; a record the training reports, never made by users",
    "MelodyModel": "a Protocol",
    "LongTermModel": "a Protocol",
    "GRUModel.fit": "trains a network",
    "GRUModel.add_style": "trains a network",
    "GRUModel.warm_up": "measures the machine (seconds)",
    "GRUModel.save": "imports TensorFlow to write the network (tens of seconds)",
    "Studio.train": "trains a network",
}
"""Callables (``name`` or ``name.parameter``) the walk leaves out, and why."""

OWED: dict[str, str] = {
    "Melody.between.end": "music/melody.py: None -> TypeError",
    "Melody.between.start": "music/melody.py: None -> TypeError",
    "Melody.extend.other": "music/melody.py: None -> TypeError",
    "Melody.from_arrays.duration": "music/melody.py: None -> TypeError",
    "Melody.from_arrays.pitch": "music/melody.py: None -> TypeError",
    "Melody.from_arrays.start": "music/melody.py: None -> TypeError",
    "Melody.from_arrays.velocity": "music/melody.py: 3.5 -> TypeError",
    "Melody.from_music21.stream": "music/melody.py: None -> AttributeError",
    "Melody.from_notation.meta": "music/melody.py: 'x' -> AttributeError",
    "Melody.from_notation.text": "music/melody.py: None -> AttributeError",
    "Melody.from_note_sequence.sequence": "music/melody.py: None -> AttributeError",
    "Melody.from_pretty_midi.pm": "music/melody.py: None -> AttributeError",
    "Melody.meta": "music/melody.py: 'x' -> AttributeError",
    "Melody.notes": "music/melody.py: None -> TypeError",
    "Melody.replace.meta": "music/melody.py: 'x' -> AttributeError",
    "Melody.replace.notes": "music/melody.py: None -> TypeError",
    "Melody.then.other": "music/melody.py: None -> TypeError",
    "Melody.to_midi.path": "music/melody.py: 3.5 -> TypeError",
    "Melody.to_midi.program": "music/melody.py: None -> TypeError",
    "Melody.to_musicxml.path": "music/melody.py: 3.5 -> TypeError",
    "Melody.to_pretty_midi.program": "music/melody.py: None -> TypeError",
    "SamplingSettings.from_dict.data": "models/sampling_settings.py: None -> TypeError",
    "format_notation.notes": "music/notation.py: None -> TypeError",
    "format_notation.start": "music/notation.py: None -> TypeError",
    "guess_key.melody": "music/keys.py: None -> AttributeError",
    "monophonic.notes": "music/extract.py: None -> TypeError",
    "parse_notation.text": "music/notation.py: None -> AttributeError",
    "parse_pitch.text": "music/notation.py: None -> AttributeError",
    "pitch_name.pitch": "music/notation.py: None -> TypeError",
    "read_midi.instrument": "music/midi.py: 3.5 -> AttributeError",
    "read_midi.source": "music/midi.py: None -> AttributeError",
    "read_midi.steps_per_quarter": "music/midi.py: None -> TypeError",
}  # fmt: skip
"""``name.parameter`` (``name=.value``: a property's setter) -> the file to fix and what one bad value
raises today: callables in files other parts of issue 22 own. Remove an entry once its calls raise
JupymuseErrors (``test_owed_list_only_names_failures`` says which)."""


def melodies() -> list[Melody]:
    """Twelve short, different melodies (enough for 5-fold cross-validation of two classes)."""
    tunes = ["C4:4 D4:4 E4:4 F4:4 G4:8 r:4 E4:4", "G4:2 A4:2 B4:4 D5:4 C5:8", "E4:4 E4:4 F4:4 G4:4 G4:4 F4:4"]
    return [Melody.from_notation(t).transpose(k) for t in tunes for k in (0, 2, 5, 7)]


@dataclass
class World:
    """The good values the walk builds once: melodies, a fitted chain, files on disk."""

    tmp: Path
    melodies: list[Melody]
    markov: MarkovModel
    midi: bytes
    model_file: Path
    midi_folder: Path


def make_world(tmp: Path) -> World:
    """Melodies, a fitted Markov chain saved to a file, and a folder with one MIDI file, under ``tmp``."""
    import note_seq  # noqa: F401  (imported once here: its first import takes seconds, not a call's time)

    ms = melodies()
    markov = MarkovModel(order=1).fit(ms)
    folder = tmp / "midi"
    folder.mkdir()
    midi = ms[0].to_midi()
    assert isinstance(midi, bytes)
    (folder / "a.mid").write_bytes(midi)
    return World(tmp, ms, markov, midi, markov.save(tmp / "chain.json"), folder)


def good_values(w: World) -> dict[str, Any]:
    """A good value for each parameter name the public API uses (``GOOD_FOR`` overrides one callable's)."""
    ms, m = w.melodies, w.melodies[0]
    features = [melody_features(x) for x in ms]
    return {
        "melody": m, "melodies": ms, "notes": m.notes, "text": "C4:4 D4:4", "value": m, "other": ms[1],
        "semitones": 2, "steps": 4, "start": 0, "end": 8, "source": w.midi, "path": w.tmp / "out.bin",
        "name": "no-such-corpus", "indices": [0, 1], "predicate": bool, "data": w.markov.to_dict(),
        "history": [(60, 4)], "pitch": 60, "duration": 4, "onset": 0, "steps_per_bar": 16, "augment": False,
        "model": w.markov, "model_factory": MarkovModel, "corpus": Corpus(ms), "others": ms, "m": m,
        "a": {(1, 2)}, "b": {(1, 2)}, "scores": [], "test": ms[:2], "train": ms, "x": feature_matrix(features),
        "y": [0, 1] * 6, "real": ms, "features": features, "groups": list(range(12)), "labels": [0, 1] * 6,
        "models": [w.markov], "style": "x", "symbol": 60, "symbols": [60, 62], "rows": np.full((2, 129), 1.0),
        "h_rel": [np.ones(2)], "bias": 1.0, "method": "arithmetic", "ltm": w.markov, "validation": ms[:2],
        "ltm_rows": np.full((2, 129), 1.0), "stm_rows": np.full((2, 129), 1.0), "index": 0, "sync_data": {},
        "bits": None, "callback": print, "keep": [True] * 12, "mix": None, "settings": None, "pm": None,
        "sequence": None, "stream": None, "values": [60, 128], "explained": None,
    }  # fmt: skip


def good_for(w: World) -> dict[str, dict[str, Any]]:
    """Good values for one callable's parameters where the name means something else there."""
    x = np.linspace(0, 1, 12)
    rows = np.full((2, 129), 1.0)
    return {
        "Note": {"pitch": 60, "start": 0, "duration": 4},
        "Melody.from_arrays": {"pitch": [60, 62], "start": [0, 4], "duration": [4, 4]},
        "discriminator_accuracy": {"other": w.melodies[::-1]},
        "inter_distances": {"x": x, "y": x + 0.5},
        "intra_distances": {"x": x},
        "kl_divergence": {"a": x, "b": x + 0.5},
        "overlap_area": {"a": x, "b": x + 0.5},
        "mgeval_overlap": {"real": x, "other": x + 0.5},
        "histogram_matrix": {"name": "pitch_class"},
        "MelodyFeatures.histogram": {"name": "pitch_class"},
        "entropy_weights": {"models": [rows, rows]},
        "Floored": {"models": [rows, rows]},
        "combine": {"models": [rows, rows]},
        "Settings.changes_explanation": {"other": Settings()},
        "best_mix": {"scores": [MixScore(Mix(), 1.0)]},
        "StyleClassifier.fit": {"train": {"a": w.melodies[:6], "b": w.melodies[6:]}},
        "StyleClassifier.accuracy": {"style": "a"},
        "Key": {"letter": "D", "alter": 0, "mode": "dorian"},
        "Key.parse": {"text": "D dorian"},
        "Key.from_pitch_class": {"pitch_class": 2, "mode": "dorian"},
        "Key.transpose": {"semitones": 2},
    }


KEYWORDS: dict[str, tuple[str, ...]] = {
    "Melody.from_notation": ("steps_per_quarter", "tempo", "time_signature", "key", "meta"),
    "Melody.replace": ("notes", "steps_per_quarter", "tempo", "time_signature", "key", "meta"),
    "SamplingSettings.replace": tuple(f.name for f in fields(SamplingSettings)),
    "Studio.generate": ("temperature", "length"),  # the rest as every model's generate (below), which is faster
    "generate": ("temperature", "top_k", "top_p", "pitch_range", "scale", "style", "ending", "length", "bars"),
    "PianoRoll": ("tempo", "velocity", "key", "steps_per_quarter", "time_signature", "note_length", "loop"),
}
"""The keywords a ``**kwargs`` parameter takes (``generate``: every model's and the Studio's)."""
RECORDS = (
    "CorpusStats", "MidiFolderStream", "SkippedFile", "Split", "GenerationProbs", "NoteLogProbs",
    "TransitionMatrix", "BitsPerNote", "CrossValidation", "MelodyMetrics", "MelodyScore", "CrossValidated",
    "LogisticRegression", "MelodyFeatures", "Overlap", "Standardiser", "StyleChoice", "MixScore", "StyleData",
    "Attribution", "StyleEvidence",
)  # fmt: skip
"""Results jupymuse returns (their constructors take what jupymuse computed); their methods are walked."""


def receivers(w: World) -> dict[str, Callable[[], object]]:
    """Makers of the objects whose public methods and property setters are walked, by class name."""
    ms = w.melodies
    rows = np.full((2, 129), 1.0)
    x, y = good_values(w)["x"], np.array([0, 1] * 6)

    def styles() -> StyleClassifier:
        return StyleClassifier(candidates=[(1, "pitch")], folds=2).fit({"a": ms[:6], "b": ms[6:]})

    return {
        "Melody": lambda: ms[0],
        "Corpus": lambda: Corpus(ms),
        "MarkovModel": lambda: MarkovModel(order=1).fit(ms),
        "GRUModel": load_default,
        "GRUConfig": jupymuse.GRUConfig,
        "SamplingSettings": SamplingSettings,
        "Score": lambda: Score(ms[0]),
        "PianoRoll": lambda: PianoRoll(ms[0]),
        "Studio": lambda: Studio(MarkovModel(order=1).fit(ms), ms[0], warm_up=False),
        "Settings": Settings,
        "TokenScheme": TokenScheme,
        "ShortTermModel": ShortTermModel,
        "PPM": PPM,
        "Floored": lambda: Floored([rows, rows]),
        "LongShortTermModel": lambda: LongShortTermModel(MarkovModel(order=1).fit(ms)),
        "StyleClassifier": styles,
        "LogisticRegression": lambda: fit_logistic(x, y),
        "Standardiser": lambda: jupymuse.quality.Standardiser.fit(x),
        "MelodyFeatures": lambda: melody_features(ms[0]),
        "BitsPerNote": lambda: bits_per_note(w.markov, ms),
    }


@dataclass(frozen=True)
class Target:
    """One callable the walk calls: its name, how to get it (fresh receiver), its parameters."""

    name: str
    get: Callable[[], Callable[..., Any]]
    params: tuple[inspect.Parameter, ...]


def parameters(name: str, fn: Callable[..., Any]) -> tuple[inspect.Parameter, ...]:
    """``fn``'s parameters; a ``**kwargs`` becomes the keywords ``KEYWORDS`` names, ``*args`` is dropped."""
    out: list[inspect.Parameter] = []
    for p in inspect.signature(fn).parameters.values():
        if p.kind is p.VAR_KEYWORD:
            words = KEYWORDS.get(name, KEYWORDS["generate"] if name.endswith(".generate") else ())
            out += [inspect.Parameter(k, p.KEYWORD_ONLY, default=None) for k in words]
        elif p.kind is not p.VAR_POSITIONAL:
            out.append(p)
    return tuple(out)


def module_targets() -> Iterator[Target]:
    """The public functions and classes (their constructors) of the walked modules."""
    seen: set[int] = set()
    names = [(m, n) for m in MODULES + MODULES_MORE for n in importlib.import_module(m).__all__]
    for m in MODULES_ALL:
        module = importlib.import_module(m)
        names += [
            (m, n) for n, o in vars(module).items() if not n.startswith("_") and getattr(o, "__module__", "") == m
        ]
    for module_name, name in names:
        if name in NOT_WALKED or name in RECORDS:
            continue
        obj = getattr(importlib.import_module(module_name), name)
        is_error = inspect.isclass(obj) and issubclass(obj, BaseException | Warning)
        if id(obj) in seen or not callable(obj) or is_error:
            continue
        seen.add(id(obj))
        yield Target(name, functools.partial(_same, obj), parameters(name, obj))


def method_targets(makers: dict[str, Callable[[], object]]) -> Iterator[Target]:
    """The public methods and property setters of each receiver, defined in jupymuse's own classes."""
    for cls_name, make in makers.items():
        cls = type(make())
        own = [c for c in cls.__mro__ if c.__module__.startswith("jupymuse")]
        for attr in sorted({a for c in own for a in vars(c) if not a.startswith("_")}):
            name = f"{cls_name}.{attr}"
            static = inspect.getattr_static(cls, attr)
            if name in NOT_WALKED:
                continue
            if isinstance(static, property):
                if static.fset is not None:
                    value = inspect.Parameter("value", inspect.Parameter.POSITIONAL_ONLY)
                    yield Target(f"{name}=", functools.partial(setter, make, attr), (value,))
                continue
            if callable(getattr(cls, attr)) and not inspect.isclass(getattr(cls, attr)):
                fn = getattr(make(), attr)
                yield Target(name, functools.partial(method, make, attr), parameters(name, fn))


def _same(fn: Callable[..., Any]) -> Callable[..., Any]:
    return fn


def method(make: Callable[[], object], attr: str) -> Callable[..., Any]:
    """The method ``attr`` of a fresh receiver made by ``make``."""
    fn: Callable[..., Any] = getattr(make(), attr)
    return fn


def setter(make: Callable[[], object], attr: str) -> Callable[[Any], None]:
    """A function that sets ``attr`` of a fresh receiver (a property's setter, walked like a method)."""
    obj = make()
    return lambda value: setattr(obj, attr, value)


class CallTimeout(BaseException):
    """Raised into a call that ran past ``LIMIT_S`` (a BaseException: the API must not catch it)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the call after ``seconds`` of wall time (main thread; a long C call ends first)."""

    def expire(signum: int, frame: object) -> None:
        raise CallTimeout

    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def call(fn: Callable[..., Any], args: list[Any], kwargs: dict[str, Any]) -> str:
    """``fn(*args, **kwargs)`` under the time limit: "" if it returned or raised a JupymuseError, else what."""
    try:
        with time_limit(LIMIT_S), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn(*args, **kwargs)
    except JupymuseError:
        return ""
    except CallTimeout:
        return f"ran past {LIMIT_S} s"
    except Exception as exc:  # the point of the walk: every other exception is recorded
        return f"{type(exc).__name__}: {str(exc)[:160]}"
    return ""


def show(value: Any) -> str:
    """A short name of a bad value for the report."""
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    return "object()" if type(value) is object else repr(value)


@dataclass
class Walk:
    """What the walk found: failures by ``name.parameter`` and parameters without a good value."""

    failures: dict[str, list[str]]
    no_good_value: list[str]
    calls: int
    names: set[str]


def walk_target(target: Target, w: World, walk: Walk) -> None:
    """Call ``target`` once per parameter and bad value, recording failures in ``walk``."""
    good = {**good_values(w), **good_for(w).get(target.name, {})}
    missing = [p.name for p in target.params if p.default is p.empty and p.name not in good]
    if missing:
        walk.no_good_value += [f"{target.name}.{p}" for p in missing]
        return
    walk.names.add(target.name)
    for p in target.params:
        for bad in BAD:
            values = {q.name: good[q.name] for q in target.params if q.default is q.empty}
            values[p.name] = bad
            positional = [q for q in target.params if q.kind is q.POSITIONAL_ONLY]
            args = [values.pop(q.name) for q in positional if q.name in values]
            problem = call(target.get(), args, values)
            walk.calls += 1
            if problem:
                walk.failures.setdefault(f"{target.name}.{p.name}", []).append(f"{show(bad)} -> {problem}")


@pytest.fixture(scope="module")
def walk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Walk]:
    """The walk over the whole public API, run once (in a scratch folder: "x" is a path too)."""
    tmp = tmp_path_factory.mktemp("api-errors")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(tmp)
        w = make_world(tmp)
        result = Walk({}, [], 0, set())
        makers = receivers(w)
        for target in [*module_targets(), *method_targets(makers)]:
            walk_target(target, w, result)
        yield result


def report(failures: dict[str, list[str]]) -> str:
    """The failures, one ``name.parameter`` a line with its bad values and what they raised."""
    return "\n".join(f"{key}: {'; '.join(sorted(set(lines)))[:600]}" for key, lines in sorted(failures.items()))


def test_bad_arguments_raise_jupymuse_errors(walk: Walk) -> None:
    """No bad argument raises anything but a JupymuseError, apart from the owed ones."""
    new = {k: v for k, v in walk.failures.items() if k not in OWED}
    assert not new, f"{len(new)} parameters raise raw exceptions:\n{report(new)}"


def test_owed_list_only_names_failures(walk: Walk) -> None:
    """An owed entry whose calls now raise JupymuseErrors must leave the list."""
    fixed = sorted(k for k in OWED if k not in walk.failures)
    assert not fixed, f"fixed: remove from OWED: {fixed}"


def test_the_walk_covers_the_api(walk: Walk) -> None:
    """Every walked callable had good values for its required parameters, and the walk reached the API."""
    assert not walk.no_good_value, f"add a good value (GOOD or GOOD_FOR) for: {walk.no_good_value}"
    for name in ("Melody", "Note", "read_midi", "load_corpus", "Melody.transpose", "GRUModel.generate",
                 "Studio.generate", "PianoRoll", "mgeval_overlap", "combine", "choose_short_term"):  # fmt: skip
        assert name in walk.names
    assert walk.calls > 3000
