"""Built-in corpora, read from the corpus that the installed ``music21`` package ships.

Nothing is copied into jupymuse: on first use each source file is parsed with music21 (in parallel
worker interpreters, see :mod:`jupymuse.corpus.convert`, with a progress bar) and cached on disk, keyed
by its content and versions (see :mod:`jupymuse.corpus.cache`); later loads read the cache.

Names and selections (``NAME`` or ``NAME:SELECTION``):

* ``bach-chorales``: the soprano line of every Bach chorale in music21 (BWV number in ``meta["bwv"]``).
  ``bach-chorales:pearce185`` is BWV 253-438, the chorale set of Pearce's IDyOM studies.
* ``essen``: the Essen folk song collection (one melody per tune). Select by file name prefix:
  ``essen:kinder`` (German children's songs), ``essen:fink``, ``essen:han`` (Chinese), ...
* ``oneills``: O'Neill's *Music of Ireland* (1850 tunes), duplicates across files removed.

A selection that is not a named one picks the source files whose name starts with it
(``bach-chorales:bwv26`` or ``oneills:0001``).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CorpusCacheWarning, CorpusConversionWarning, CorpusError, NoMelodyError
from ..music import Melody
from .cache import (
    CACHE_VERSION,
    ConvertedFile,
    cache_root,
    cannot_write,
    entry_key,
    os_reason,
    read_melodies,
    write_melodies,
)
from .convert import Outcome, Progress, convert_files
from .corpus import Corpus, SkippedFile

STEPS_PER_QUARTER = 4
"""Grid of the built-in corpora (sixteenth notes)."""


def _music21_corpus_dir() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("music21")
    if spec is None or not spec.submodule_search_locations:
        raise CorpusError("the built-in corpora need the music21 package: pip install music21")
    return Path(next(iter(spec.submodule_search_locations))) / "corpus"


def _music21_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("music21")
    except PackageNotFoundError:  # music21 without its metadata: the content hash still keys the entries
        return "unknown"


_BWV_RE = re.compile(r"^bwv(\d+)(?:\.(\d+))?(-.*)?$")


def _bach_sources() -> list[Path]:
    """Chorale files, one per BWV number: MusicXML only, no WTC prelude (BWV 846).

    Where music21 has several versions of one chorale (``bwv18.5-lz``, ``bwv18.5-w``, ...), the
    plain file is kept if there is one, else the first variant by name, so no melody counts twice.
    """
    folder = _music21_corpus_dir() / "bach"
    by_bwv: dict[str, list[Path]] = {}
    for p in sorted(folder.iterdir()):
        m = _BWV_RE.match(p.stem)
        if p.suffix not in (".mxl", ".xml") or not m or m.group(1) == "846":
            continue
        base = p.stem[: len(p.stem) - len(m.group(3) or "")]
        by_bwv.setdefault(base, []).append(p)
    # plain name first, then variants by name; .mxl before .xml
    return sorted(
        min(versions, key=lambda q: (q.stem != base, q.stem, q.suffix != ".mxl")) for base, versions in by_bwv.items()
    )


def _abc_sources(folder_name: str) -> Callable[[], list[Path]]:
    def sources() -> list[Path]:
        folder = _music21_corpus_dir() / folder_name
        return sorted(p for p in folder.glob("*.abc") if not p.stem.startswith("test"))

    return sources


def bwv_number(stem: str) -> int | None:
    """The main BWV number in a file name like ``bwv26.6`` (26), or None."""
    m = _BWV_RE.match(stem)
    return int(m.group(1)) if m else None


@dataclass(frozen=True)
class BuiltinCorpus:
    """A built-in corpus: where its files are, how to select, licence to respect."""

    name: str
    description: str
    licence: str
    sources: Callable[[], list[Path]]
    named: dict[str, Callable[[Path], bool]]
    dedupe_by: str | None = None  # a meta key whose repeated values are dropped (same tune twice)


BUILTINS: dict[str, BuiltinCorpus] = {
    c.name: c
    for c in (
        BuiltinCorpus(
            "bach-chorales",
            "Soprano lines of J. S. Bach's chorales (music21 corpus, MusicXML)",
            "music public domain; encodings distributed with music21",
            _bach_sources,
            {"pearce185": lambda p: 253 <= (bwv_number(p.stem) or 0) <= 438},
        ),
        BuiltinCorpus(
            "essen",
            "Essen folk song collection: German, Chinese and other folk tunes (music21 corpus, ABC)",
            "non-commercial use only (see essenFolksong/license.txt in music21)",
            _abc_sources("essenFolksong"),
            {},
        ),
        BuiltinCorpus(
            "oneills",
            "O'Neill's Music of Ireland (1850), Irish dance tunes and airs (music21 corpus, ABC)",
            "see the music21 corpus licence",
            _abc_sources("oneills1850"),
            {},
            dedupe_by="number",
        ),
    )
}


def convert_source(collection: str, path: Path) -> ConvertedFile:
    """Parse one music21 corpus file into melodies (runs in the conversion workers).

    Each tune converts on its own: one that jupymuse cannot hold (O'Neill's 1/6 and 1/3 meters) is
    listed in ``lost`` by number and title, and the file's other tunes are kept.
    """
    from music21 import converter, stream

    from ..music.m21 import melody_from_music21

    parsed = converter.parseFile(str(path), forceSource=True, storePickle=False)
    scores = list(parsed.scores) if isinstance(parsed, stream.Opus) else [parsed]
    out = ConvertedFile([])
    for i, score in enumerate(scores):
        md = score.metadata
        meta: dict[str, str | int | float] = {"source": f"music21:{path.parent.name}/{path.name}"}
        if md is not None and md.title:
            meta["title"] = str(md.title)
        if md is not None and md.number:
            meta["number"] = str(md.number)
        if len(scores) > 1:
            meta["index"] = i
        if collection == "bach-chorales":
            meta["bwv"] = path.stem[3:].split("-")[0]
            meta.setdefault("title", f"BWV {meta['bwv']}")
        try:
            out.melodies.append(melody_from_music21(score, steps_per_quarter=STEPS_PER_QUARTER, meta=meta))
        except NoMelodyError:
            continue
        except Exception as exc:  # this tune alone: named, and the file's other tunes are kept
            out.lost.append((_tune_label(meta, i, len(scores)), f"{type(exc).__name__}: {exc}"))
    return out


def _tune_label(meta: dict[str, str | int | float], index: int, count: int) -> str:
    """How a person finds a tune of a file: ``"no. 1402 'Tom's Jig' (tune 27 of 100)"``."""
    parts = [f"no. {meta['number']}"] if "number" in meta else []
    if "title" in meta:
        parts.append(repr(str(meta["title"])))
    where = f"tune {index + 1} of {count}"
    return f"{' '.join(parts)} ({where})" if parts else where


def _versions() -> dict[str, Any]:
    """What shapes a converted entry besides the file's bytes: jupymuse's conversion, music21, the grid."""
    return {"conversion": CACHE_VERSION, "music21": _music21_version(), "spq": STEPS_PER_QUARTER}


def _entry(collection: str, path: Path, versions: dict[str, Any]) -> tuple[Path, dict[str, Any]]:
    """The cache entry of ``path`` (named by its content and ``versions``) and the header it must have."""
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"music21's corpus file '{path}' cannot be read ({exc.strerror or exc})") from None
    key = entry_key(collection.encode() + b"\0" + content, versions)
    header = {"version": CACHE_VERSION, "key": key, "source": path.name, **versions}
    return cache_root() / f"corpus-v{CACHE_VERSION}" / collection / f"{path.name}-{key}.npz", header


def _cache_file(collection: str, path: Path) -> Path:
    """Where the entry of ``path`` is (for tests and tools)."""
    return _entry(collection, path, _versions())[0]


def parse_corpus_name(name: str) -> tuple[BuiltinCorpus, str | None]:
    """Split ``"NAME:SELECTION"`` and look NAME up. Raises CorpusError for unknown names and non-text."""
    if not isinstance(name, str):
        raise CorpusError(f"a corpus name is text such as 'bach-chorales' or 'essen:kinder', not {name!r}")
    base, _, selection = name.partition(":")
    if base not in BUILTINS:
        known = ", ".join(BUILTINS)
        raise CorpusError(f"there is no built-in corpus called {base!r}; the built-in corpora are: {known}")
    return BUILTINS[base], (selection or None)


def select_sources(spec: BuiltinCorpus, selection: str | None) -> list[Path]:
    """The source files of ``spec`` that ``selection`` picks (all when None)."""
    paths = spec.sources()
    if not paths:
        raise CorpusError(f"the music21 corpus for {spec.name!r} is missing from this installation")
    if selection is None:
        return paths
    if selection in spec.named:
        return [p for p in paths if spec.named[selection](p)]
    chosen = [p for p in paths if p.stem.lower().startswith(selection.lower())]
    if not chosen:
        named = ", ".join(spec.named) or "none"
        examples = ", ".join(sorted({re.sub(r"[\d._-].*$", "", p.stem) or p.stem for p in paths})[:12])
        raise CorpusError(
            f"{spec.name}:{selection} selects nothing. Named selections: {named}; "
            f"or a file name prefix such as: {examples}"
        )
    return chosen


def first_files(paths: list[Path], files: int | None) -> list[Path]:
    """The first ``files`` of ``paths`` (all when None): a sample that converts only what it uses."""
    if files is None:
        return paths
    if isinstance(files, bool) or not isinstance(files, int) or files < 1:
        raise CorpusError(f"files={files!r}: give a whole number of source files, 1 or more (or None for all)")
    return paths[:files]


@dataclass
class _Conversion:
    """What converting the files missing from the cache gave: melodies by file, failures, cache trouble."""

    melodies: dict[Path, ConvertedFile] = field(default_factory=dict)
    skipped: list[SkippedFile] = field(default_factory=list)
    cache_problem: str | None = None


def _convert_missing(
    collection: str, todo: Sequence[Path], entries: dict[Path, Any], progress: Progress
) -> _Conversion:
    """Convert ``todo``, keeping each result in the cache when it can be written, in memory anyway."""
    result = _Conversion()
    folder = cache_root() / f"corpus-v{CACHE_VERSION}" / collection
    result.cache_problem = cannot_write(folder)

    def done(path: Path, outcome: Outcome) -> None:
        if isinstance(outcome, str):
            result.skipped.append(SkippedFile(str(path), outcome))
            return
        result.melodies[path] = outcome
        if result.cache_problem is None:
            try:
                entry, header = entries[path]
                write_melodies(entry, outcome, header)
            except OSError as exc:  # e.g. the disk filled up: keep the melodies, stop trying to cache
                result.cache_problem = os_reason(exc)

    convert_files(collection, todo, progress, done)
    return result


def _dedupe(melodies: list[Melody], key: str) -> list[Melody]:
    seen: set[object] = set()
    unique = []
    for m in melodies:
        value = m.meta.get(key)
        if value is not None and value in seen:
            continue
        seen.add(value)
        unique.append(m)
    return unique


def _failure_summary(skipped: Sequence[SkippedFile]) -> str:
    first = skipped[0]
    return f"the first, {Path(first.path).name}: {first.reason}"


def load_corpus(name: str, *, progress: Progress = True, files: int | None = None) -> Corpus:
    """Load a built-in corpus by name, e.g. ``load_corpus("bach-chorales:pearce185")``.

    The first load converts the music21 files and caches them (a progress bar shows it, both CPU
    cores work); later loads come from the cache in a fraction of a second. ``progress`` may also
    be a function ``report(files_done, files_total)`` (e.g. for a status line), or False.
    ``files=N`` keeps only the first N source files of the selection, in the corpus's fixed order, so
    a quick sample converts only what it uses: ``load_corpus("bach-chorales", files=40)`` is the first
    40 chorales of ``load_corpus("bach-chorales")``.

    Files that cannot be converted are left out with a :class:`~jupymuse.errors.CorpusConversionWarning`
    (and listed in ``corpus.skipped``), and so is a tune that cannot be converted (the rest of its file
    loads; the warning comes with the conversion, ``corpus.skipped`` names it on every load); if the
    cache cannot be written, the corpus is converted in memory with a :class:`~jupymuse.errors.CorpusCacheWarning`.

    Raises:
        CorpusError: unknown name or selection, ``files`` below 1, music21's corpus is missing, or no
            file converted.
    """
    spec, selection = parse_corpus_name(name)
    paths = first_files(select_sources(spec, selection), files)
    if files is not None:
        name = f"{name} (first {files} files)"
    versions = _versions()
    entries = {p: _entry(spec.name, p, versions) for p in paths}
    found = {p: read_melodies(*entries[p]) for p in paths}
    todo = [p for p in paths if found[p] is None]
    conv = _convert_missing(spec.name, todo, entries, progress) if todo else _Conversion()
    by_file = {p: got for p in paths if (got := found[p] or conv.melodies.get(p)) is not None}
    melodies = [m for got in by_file.values() for m in got.melodies]
    lost = [SkippedFile(str(p), reason, tune) for p, got in by_file.items() for tune, reason in got.lost]
    order = {str(p): i for i, p in enumerate(paths)}
    conv.skipped.sort(key=lambda s: order[s.path])
    if spec.dedupe_by:
        melodies = _dedupe(melodies, spec.dedupe_by)
    if not melodies:
        why = (
            f"{len(conv.skipped)} of its {len(paths)} files could not be converted; {_failure_summary(conv.skipped)}"
            if conv.skipped
            else f"its {len(paths)} files have no melody line"
        )
        raise CorpusError(f"{name} holds no melodies: {why}")
    if conv.skipped:
        warnings.warn(
            f"{name}: {len(conv.skipped)} of {len(paths)} files could not be converted, so their melodies are "
            f"left out ({len(melodies)} melodies loaded; see corpus.skipped; the next load tries them again); "
            f"{_failure_summary(conv.skipped)}",
            CorpusConversionWarning,
            stacklevel=2,
        )
    newly_lost = [s for s in lost if Path(s.path) in conv.melodies]
    if newly_lost:  # said once, when converted; corpus.skipped lists them on every load
        first = newly_lost[0]
        warnings.warn(
            f"{name}: {len(newly_lost)} tunes could not be converted and are left out, the rest of their files "
            f"loaded (see corpus.skipped); the first, {first.tune} in {Path(first.path).name}: {first.reason}",
            CorpusConversionWarning,
            stacklevel=2,
        )
    if conv.cache_problem is not None:
        warnings.warn(
            f"the corpus cache folder '{cache_root()}' cannot be written ({conv.cache_problem}), so {name} was "
            "converted in memory and will be converted again next time; set JUPYMUSE_CACHE_DIR to a "
            "writable folder to keep it",
            CorpusCacheWarning,
            stacklevel=2,
        )
    return Corpus(melodies, name=name, skipped=[*conv.skipped, *lost])


def list_corpora() -> list[BuiltinCorpus]:
    """The built-in corpora."""
    return list(BUILTINS.values())
