"""Built-in corpora, read from the corpus that the installed ``music21`` package ships.

Nothing is copied into jupymuse: on first use each source file is parsed with music21 (in parallel,
with a progress bar) and cached on disk (see :mod:`jupymuse.corpus.cache`); later loads read the cache.

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

import multiprocessing
import os
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import CorpusError, NoMelodyError
from ..music import Melody
from .cache import CACHE_VERSION, cache_root, read_melodies, write_melodies
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
    from importlib.metadata import version

    return version("music21")


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


def convert_source(collection: str, path: Path) -> list[Melody]:
    """Parse one music21 corpus file into melodies (runs in worker processes)."""
    from music21 import converter, stream

    from ..music.m21 import melody_from_music21

    parsed = converter.parseFile(str(path), forceSource=True, storePickle=False)
    scores = list(parsed.scores) if isinstance(parsed, stream.Opus) else [parsed]
    melodies = []
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
            melodies.append(melody_from_music21(score, steps_per_quarter=STEPS_PER_QUARTER, meta=meta))
        except NoMelodyError:
            continue
    return melodies


def _header(path: Path) -> dict[str, Any]:
    st = path.stat()
    return {
        "version": CACHE_VERSION,
        "source": path.name,
        "size": st.st_size,
        "mtime_ns": st.st_mtime_ns,
        "music21": _music21_version(),
        "spq": STEPS_PER_QUARTER,
    }


def _cache_file(collection: str, path: Path) -> Path:
    return cache_root() / f"corpus-v{CACHE_VERSION}" / collection / f"{path.name}.npz"


def _convert_and_cache(collection: str, path_str: str) -> int:
    """Worker entry: convert one file and write its cache; returns the number of melodies."""
    path = Path(path_str)
    melodies = convert_source(collection, path)
    write_melodies(_cache_file(collection, path), melodies, _header(path))
    return len(melodies)


def _worker_count(n_jobs: int) -> int:
    return max(1, min(n_jobs, os.cpu_count() or 1))


Progress = bool | Callable[[int, int], None]
"""A progress bar (True), none (False), or ``report(files_done, files_total)`` called as files convert."""


def _build(collection: str, paths: Sequence[Path], progress: Progress) -> list[SkippedFile]:
    """Convert ``paths`` into the cache, in parallel when there is more than a little work."""
    from tqdm.auto import tqdm

    skipped: list[SkippedFile] = []
    total = len(paths)
    bar = tqdm(total=total, desc=f"converting {collection} (once)", unit="file", disable=progress is not True)
    report = progress if callable(progress) else lambda _done, _total: None
    report(0, total)

    def converted(path: object, error: BaseException | None) -> None:
        if error is not None:
            skipped.append(SkippedFile(str(path), f"music21 could not parse it: {error}"))
        bar.update()
        report(total - len(pending), total)

    pending = set(map(str, paths))
    try:
        workers = _worker_count(total)
        if workers == 1 or total < 4:
            for p in paths:
                pending.discard(str(p))
                error: BaseException | None = None
                try:
                    _convert_and_cache(collection, str(p))
                except Exception as exc:
                    error = exc
                converted(p, error)
            return skipped
        # spawn, not fork: the parent may hold TensorFlow threads, which fork would break
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            futures = {pool.submit(_convert_and_cache, collection, str(p)): p for p in paths}
            for fut in as_completed(futures):
                pending.discard(str(futures[fut]))
                converted(futures[fut], fut.exception())
        return skipped
    finally:
        bar.close()


def parse_corpus_name(name: str) -> tuple[BuiltinCorpus, str | None]:
    """Split ``"NAME:SELECTION"`` and look NAME up. Raises CorpusError for unknown names."""
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


def load_corpus(name: str, *, progress: Progress = True) -> Corpus:
    """Load a built-in corpus by name, e.g. ``load_corpus("bach-chorales:pearce185")``.

    The first load converts the music21 files and caches them (a progress bar shows it, both CPU
    cores work); later loads come from the cache in a fraction of a second. ``progress`` may also
    be a function ``report(files_done, files_total)`` (e.g. for a status line), or False.

    Raises:
        CorpusError: unknown name or selection, or music21's corpus is missing.
    """
    spec, selection = parse_corpus_name(name)
    paths = select_sources(spec, selection)
    cached: dict[Path, list[Melody]] = {}
    todo = []
    for p in paths:
        got = read_melodies(_cache_file(spec.name, p), _header(p))
        if got is None:
            todo.append(p)
        else:
            cached[p] = got
    skipped = _build(spec.name, todo, progress) if todo else []
    failed = {s.path for s in skipped}
    melodies: list[Melody] = []
    for p in paths:
        got = cached.get(p)
        if got is None and str(p) not in failed:
            got = read_melodies(_cache_file(spec.name, p), _header(p))
            if got is None:
                skipped.append(SkippedFile(str(p), "its converted cache could not be written or read back"))
        melodies.extend(got or [])
    if spec.dedupe_by:
        seen: set[object] = set()
        unique = []
        for m in melodies:
            key = m.meta.get(spec.dedupe_by)
            if key is not None and key in seen:
                continue
            seen.add(key)
            unique.append(m)
        melodies = unique
    if not melodies:
        raise CorpusError(f"{name} holds no melodies (music21 could not parse its files)")
    return Corpus(melodies, name=name, skipped=skipped)


def list_corpora() -> list[BuiltinCorpus]:
    """The built-in corpora."""
    return list(BUILTINS.values())
