"""Converting music21 corpus files in parallel, in worker interpreters of our own (:mod:`.worker`).

Why not ``multiprocessing``: its ``spawn`` start re-imports the parent's ``__main__``, so a plain
script without an ``if __name__ == "__main__":`` guard re-ran itself in every worker and every file
failed. Our workers are fresh interpreters that run only :mod:`jupymuse.corpus.worker`, so conversion
works the same from a script, ``python -c``, a notebook, the CLI or a thread. Each worker takes the
next file from a shared queue (every core stays busy) and answers with its melodies or why it failed.
Where no worker can start (an embedded interpreter, say), the files are converted in this process.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from .cache import ConvertedFile
from .eta import WORKER_START_S, ConversionEta

Outcome = ConvertedFile | str
"""A file's melodies (and the tunes it lost), or why it could not be converted at all."""
Progress = bool | Callable[[int, int], None]
"""A progress bar (True), none (False), or ``report(files_done, files_total)`` called as files convert."""

_HERE = threading.Lock()  # music21 is not thread-safe: one in-process conversion at a time
_BOOT = (
    "import sys\n"
    "for root in reversed(sys.argv[1:]):\n"
    "    if root not in sys.path: sys.path.insert(0, root)\n"
    "from jupymuse.corpus.worker import main\n"
    "sys.exit(main())\n"
)


def convert_here(collection: str, path: Path) -> Outcome:
    """Convert one file in this process (small jobs, or where no worker can start)."""
    from .builtin import convert_source

    with _HERE:
        try:
            return convert_source(collection, path)
        except Exception as exc:
            return f"music21 could not parse it: {type(exc).__name__}: {exc}"


def _package_root(name: str) -> str | None:
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return str(Path(next(iter(spec.submodule_search_locations))).resolve().parent)


def worker_command() -> list[str]:
    """How to start a worker: this interpreter with this one's flags, without the working folder on
    its path (``-P``), finding the same jupymuse and music21 even where they were added by hand."""
    roots = [r for r in (_package_root("jupymuse"), _package_root("music21")) if r]
    flags: list[str] = getattr(subprocess, "_args_from_interpreter_flags", list)()  # -I, -s, -X ... as here
    flags = [f for f in flags if not f.startswith("-W")]  # not "-W error": music21's own warnings must not fail files
    return [sys.executable, *flags, "-P", "-c", _BOOT, *roots]


class _Worker:
    """One worker interpreter: its pipes, and a file that keeps what it wrote to stderr."""

    def __init__(self) -> None:
        command = worker_command()
        if not command[0]:
            raise OSError("this Python does not know its interpreter (sys.executable is empty)")
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the worker; closed in kill)
        try:
            self.proc = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._log,
                creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
            )
        except (OSError, ValueError) as exc:
            self._log.close()
            raise OSError(f"a conversion worker did not start ({exc})") from None
        try:
            ready = self._reply()
        except ValueError:  # not our worker talking (sys.executable is not a Python)
            ready = None
        if ready != {"ready": True}:
            reason = self.why_stopped()
            self.kill()
            raise OSError(f"a conversion worker did not start ({reason})")

    def _reply(self) -> Any:
        line = self._stdout.readline()
        return json.loads(line) if line.strip() else None

    @property
    def _stdout(self) -> IO[bytes]:
        assert self.proc.stdout is not None
        return self.proc.stdout

    def ask(self, collection: str, path: Path) -> Outcome | None:
        """Convert ``path``; None if the worker stopped on the way."""
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(json.dumps({"collection": collection, "path": str(path)}).encode() + b"\n")
            self.proc.stdin.flush()
            reply = self._reply()
        except (OSError, ValueError):
            return None
        if not isinstance(reply, dict):
            return None
        if "error" in reply:
            return f"music21 could not parse it: {reply['error']}"
        from .worker import decode

        try:
            return ConvertedFile(decode(reply["melodies"]), [(str(t), str(r)) for t, r in reply.get("lost", [])])
        except Exception as exc:
            return f"its converted melodies did not come back intact: {exc}"

    def why_stopped(self) -> str:
        """Exit status and the last line the worker wrote to stderr."""
        try:
            code: int | None = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        self._log.seek(0)
        lines = self._log.read()[-4000:].decode(errors="replace").strip().splitlines()
        return f"exit status {code}" + (f": {lines[-1]}" if lines else "")

    def close(self) -> None:
        """Let the worker finish (stdin closed), killing it if it does not."""
        try:
            if self.proc.stdin is not None:
                self.proc.stdin.close()
            self.proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.kill()

    def interrupt(self) -> None:
        """Stop the process now (from another thread: the one serving it sees it end and cleans up)."""
        if self.proc.poll() is None:
            self.proc.kill()

    def kill(self) -> None:
        """Stop the worker now and release its pipes."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            try:
                if pipe is not None:
                    pipe.close()
            except OSError:
                pass
        self._log.close()


def _serve(
    collection: str, jobs: queue.Queue[Path], results: queue.Queue[tuple[Path, Outcome]], live: set[_Worker]
) -> None:
    """A thread's loop: feed files from ``jobs`` to one worker, put each outcome on ``results``."""
    worker: _Worker | None = None
    here = False  # no worker could start: convert in this process instead
    try:
        while True:
            try:
                path = jobs.get_nowait()
            except queue.Empty:
                return
            if worker is None and not here:
                try:
                    worker = _Worker()
                    live.add(worker)
                except OSError:
                    here = True
            if worker is None:
                results.put((path, convert_here(collection, path)))
                continue
            outcome = worker.ask(collection, path)
            if outcome is None:  # it stopped on this file: say so, and start a fresh one for the next
                outcome = f"the conversion worker stopped while converting it ({worker.why_stopped()})"
                live.discard(worker)
                worker.kill()
                worker = None
            results.put((path, outcome))
    finally:
        if worker is not None:
            live.discard(worker)
            worker.close()


def _parallel(
    collection: str,
    paths: Sequence[Path],
    n_workers: int,
    finished: Callable[[Path, Outcome], None],
    tick: Callable[[], None] = lambda: None,
) -> None:
    """Convert ``paths`` with ``n_workers`` workers; ``tick()`` runs about five times a second while waiting."""
    jobs: queue.Queue[Path] = queue.Queue()
    for p in paths:
        jobs.put(p)
    results: queue.Queue[tuple[Path, Outcome]] = queue.Queue()
    live: set[_Worker] = set()
    threads = [
        threading.Thread(
            target=_serve, args=(collection, jobs, results, live), name=f"jupymuse-convert-{i}", daemon=True
        )
        for i in range(n_workers)
    ]
    for t in threads:
        t.start()
    waiting = set(paths)
    try:
        while waiting:
            try:
                path, outcome = results.get(timeout=0.2)
            except queue.Empty:
                tick()
                if any(t.is_alive() for t in threads) or not results.empty():
                    continue
                break  # every thread ended without answering for some files (a bug): report them below
            waiting.discard(path)
            finished(path, outcome)
        for path in sorted(waiting):
            finished(path, "it was not converted: the conversion stopped early")
    finally:
        while not jobs.empty():  # interrupted: no new files, and stop the workers
            jobs.get_nowait()
        for w in list(live):
            w.interrupt()
        for t in threads:  # the workers have been told to stop: wait for them, so none outlives this call
            t.join(timeout=10)


def convert_files(
    collection: str, paths: Sequence[Path], progress: Progress, on_done: Callable[[Path, Outcome], None]
) -> None:
    """Convert ``paths``, calling ``on_done(path, outcome)`` (in this thread) as each one finishes.

    In parallel when there is more than a little work (4 files, or two large ones). ``progress`` as in ``load_corpus``:
    ``report(0, total)`` comes first, then ``report(done, total)`` after each file.
    """
    from tqdm.auto import tqdm

    total = len(paths)
    sizes = {p: _size(p) for p in paths}
    eta = ConversionEta(list(sizes.values()), [p.suffix for p in paths], 1)
    n_workers = max(1, min(total, os.cpu_count() or 1))
    big = eta.prior_work_s > 4 * WORKER_START_S  # two large files (Essen's han1 and han2) are worth two workers
    if total < 4 and not big:
        n_workers = 1  # starting workers would cost more than it saves
    eta = ConversionEta(list(sizes.values()), [p.suffix for p in paths], n_workers)
    bar = tqdm(
        total=total,
        desc=f"converting {collection} (once)",
        bar_format="{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} files [{elapsed}{postfix}]",
        disable=progress is not True,
    )
    bar.set_postfix_str(eta.text(), refresh=True)
    last_shown = time.monotonic()
    report = progress if callable(progress) else lambda _done, _total: None
    report(0, total)
    done = 0

    def tick() -> None:
        nonlocal last_shown
        if time.monotonic() - last_shown >= 1.0:  # the clock and the estimate move even between files
            last_shown = time.monotonic()
            bar.set_postfix_str(eta.text(), refresh=True)

    def finished(path: Path, outcome: Outcome) -> None:
        nonlocal done, last_shown
        on_done(path, outcome)
        done += 1
        eta.finished(sizes[path])
        bar.set_postfix_str(eta.text(), refresh=False)
        bar.update()
        last_shown = time.monotonic()
        report(done, total)

    try:
        if n_workers == 1:
            for p in paths:
                finished(p, convert_here(collection, p))
        else:
            _parallel(collection, paths, n_workers, finished, tick)
    finally:
        bar.close()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # the conversion will say why; the estimate counts it as nothing
        return 0
