"""A classroom's view of the shipped GRU: the numpy engine against the TensorFlow path, side by side.

One run measures, for the shipped model (``jupymuse.load_default()``), with ``engine="numpy"`` (the
default) and with ``engine="tensorflow"`` (the Keras network and the XLA-compiled sampler, the baseline):

1. Cold start: a fresh Python process runs ``import jupymuse`` and
   ``StudioController("default", PRIMER).generate(24, n=4, seed=0)``: its CPU-seconds (user + sys),
   peak RSS, wall time to the first candidates, and whether TensorFlow got imported
   (targets for numpy: <= 0.5 CPU-s, <= 250 MB, no TensorFlow).
2. Busy machine: the same cold start while 4 busy loops hog the CPUs (target for numpy: <= 3 s wall).
3. A Studio in a real kernel (``jupyter_client``): the Studio is made and shown, then Generate runs in
   the background; meanwhile ``print(1)`` is sent over and over (while no cell of ours runs: the
   Generate cell returns at once) and its round trip to the reply and the output timed (target for
   numpy: max <= 100 ms; while generating every other cell prints ``studio.controller.busy`` instead,
   to see when the worker is done), and the kernel's RSS after the first Generate (target <= 300 MB).
4. Thirty students: 30 numpy cold starts at once (6 for TensorFlow, which would not fit in memory):
   median and slowest wall time to first candidates, and the sum of their peak RSS.
5. Warm speed: ``model.generate`` in this process once both engines are warm, for a range of
   candidates x steps, and where TensorFlow starts to win (targets: numpy 4 x 24 <= 20 ms, numpy
   8 x 256 within 4x of TensorFlow).

Figures on a shared machine are noisy: compare the two engines within one run, not across runs.

    python benchmarks/classroom.py [--quick] [--skip-tensorflow] [--json]

``--quick``: 1 repeat each, 6 students, short kernel polls (a smoke test, a couple of minutes).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import importlib.metadata
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from typing import IO, Any

import numpy as np

PRIMER = "G4:4 G4:4 D5:4 D5:4"

# A fresh process: a student's first Generate. argv[1] is the engine; prints one JSON line.
CHILD = """
import time
_t0 = time.perf_counter()
import json, resource, sys
import jupymuse
from jupymuse.studio import StudioController
if sys.argv[1] == "tensorflow":
    jupymuse.load_default().engine = "tensorflow"
candidates = StudioController("default", "G4:4 G4:4 D5:4 D5:4").generate(24, n=4, seed=0)
wall = time.perf_counter() - _t0
end = time.time()
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({
    "wall": wall, "end": end, "n": len(candidates), "tensorflow": "tensorflow" in sys.modules,
    "cpu": usage.ru_utime + usage.ru_stime, "maxrss_mb": usage.ru_maxrss / 1024,
}))
"""

HOG = "while True: pass"

# The cells sent to the kernel.
STUDIO_CELL = {
    "numpy": f'import jupymuse; studio = jupymuse.Studio(melody="{PRIMER}"); studio',
    "tensorflow": (
        'import jupymuse; jupymuse.load_default().engine = "tensorflow"; '
        f'studio = jupymuse.Studio(melody="{PRIMER}"); studio'
    ),
}
GENERATE_CELL = "studio.generate(24, n=4, background=True)"
POLL_CELL = "print(1)"
BUSY_CELL = "print(studio.controller.busy)"  # as cheap as print(1); says when the Generate is done
WAIT_CELL = "studio.controller.wait(); print(len(studio.controller.candidates))"

ENGINES = ("numpy", "tensorflow")
SIZES = [(1, 32), (4, 24), (4, 64), (8, 256), (16, 256), (64, 256)]  # candidates x steps


# ---------------------------------------------------------------------------------------- helpers
@dataclass
class ColdStart:
    """One fresh process: its own figures and the parent's view of it."""

    wall: float  # seconds, the child's first line -> first candidates
    launch_wall: float  # seconds, the parent's Popen -> first candidates
    cpu: float  # CPU-seconds, user + sys (os.wait4)
    maxrss_mb: float  # peak RSS (os.wait4)
    tensorflow: bool  # TensorFlow in sys.modules at the end
    n: int  # candidates made


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def mark(ok: bool) -> str:
    return "ok" if ok else "MISS"


@contextlib.contextmanager
def launched(engine: str, count: int) -> Iterator[list[tuple[subprocess.Popen[str], float, IO[str]]]]:
    """``count`` cold-start children started at once: (process, launch time, stderr file); killed if left."""
    children: list[tuple[subprocess.Popen[str], float, IO[str]]] = []
    with contextlib.ExitStack() as files:
        try:
            for _ in range(count):
                err = files.enter_context(tempfile.TemporaryFile("w+"))
                start = time.time()
                proc = subprocess.Popen(
                    [sys.executable, "-c", CHILD, engine], stdout=subprocess.PIPE, stderr=err, text=True
                )
                children.append((proc, start, err))
            yield children
        finally:
            for proc, _, _ in children:
                if proc.returncode is None:
                    proc.kill()
                    proc.wait()
                if proc.stdout is not None:
                    proc.stdout.close()


def collect(proc: subprocess.Popen[str], start: float, err: IO[str]) -> ColdStart:
    """Wait for one child; its figures (its rusage from ``os.wait4``, not mixed with other children's)."""
    assert proc.stdout is not None
    out = proc.stdout.read()
    proc.stdout.close()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        err.seek(0)
        raise RuntimeError(f"a cold-start child failed ({proc.returncode}):\n{err.read()[-3000:]}")
    result = json.loads(out.strip().splitlines()[-1])
    return ColdStart(
        wall=result["wall"],
        launch_wall=result["end"] - start,
        cpu=usage.ru_utime + usage.ru_stime,
        maxrss_mb=usage.ru_maxrss / 1024,
        tensorflow=result["tensorflow"],
        n=result["n"],
    )


def cold_starts(engine: str, count: int) -> list[ColdStart]:
    """``count`` fresh processes for ``engine``, all started at once."""
    with launched(engine, count) as children:
        return [collect(*child) for child in children]


@contextlib.contextmanager
def busy_machine(hogs: int) -> Iterator[None]:
    """``hogs`` processes spinning in ``while True`` for the duration; always killed after."""
    procs: list[subprocess.Popen[bytes]] = []
    try:
        for _ in range(hogs):
            procs.append(subprocess.Popen([sys.executable, "-c", HOG]))
        time.sleep(0.3)  # let them get going
        yield
    finally:
        for proc in procs:
            proc.kill()
        for proc in procs:
            proc.wait()


# ---------------------------------------------------------------------------------------- kernel
@dataclass
class KernelRun:
    """A Studio in an ipykernel: cell times, ``print(1)`` round trips (ms) and the kernel's memory."""

    start_s: float = 0.0  # starting the kernel (not the Studio's doing)
    studio_cell_ms: float = 0.0  # the cell that makes and shows the Studio, until its reply
    generate_cell_ms: float = 0.0  # the background Generate cell, until its reply
    generate_done_s: float = 0.0  # Generate sent -> the worker seen done (by a poll, so to about 2 round trips)
    candidates: int = 0
    rss_mb: float = 0.0  # VmRSS after the first Generate
    hwm_mb: float = 0.0  # VmHWM (the kernel's peak RSS so far)
    showing_ms: list[float] = field(default_factory=list)  # polls after the Studio is shown
    generating_ms: list[float] = field(default_factory=list)  # polls after Generate is sent


class Kernel:
    """Sends cells to a kernel and waits for their replies, in this thread (a zmq poller, no threads)."""

    def __init__(self, kc: Any) -> None:
        import zmq

        self.kc = kc
        self.poller = zmq.Poller()
        self.poller.register(kc.shell_channel.socket, zmq.POLLIN)
        self.poller.register(kc.iopub_channel.socket, zmq.POLLIN)

    def run(self, code: str, timeout: float = 300.0) -> tuple[float, str]:
        """Execute ``code``; (seconds until both its reply and its output came, the text it printed)."""
        t0 = time.perf_counter()
        msg_id = self.kc.execute(code)
        replied, idle, text = False, False, []
        while not (replied and idle):
            if time.perf_counter() - t0 > timeout:
                raise TimeoutError(f"the kernel did not answer {code!r} in {timeout:.0f} s")
            ready = dict(self.poller.poll(50))
            if self.kc.shell_channel.socket in ready:
                msg = self.kc.shell_channel.get_msg(timeout=0)
                if msg["parent_header"].get("msg_id") == msg_id:
                    replied = True
                    if msg["content"]["status"] != "ok":
                        content = msg["content"]
                        raise RuntimeError(f"{code!r} failed: {content.get('ename')}: {content.get('evalue')}")
            if self.kc.iopub_channel.socket in ready:
                msg = self.kc.iopub_channel.get_msg(timeout=0)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                kind, content = msg["msg_type"], msg["content"]
                if kind == "stream" and content["name"] == "stdout":  # not warnings on stderr
                    text.append(content["text"])
                elif kind == "error":
                    raise RuntimeError(f"{code!r} failed: {content['ename']}: {content['evalue']}")
                elif kind == "status" and content["execution_state"] == "idle":
                    idle = True  # every output of the cell came before this
        return time.perf_counter() - t0, "".join(text)

    def poll(self, seconds: float, gap: float, until_idle: bool = False) -> tuple[list[float], float]:
        """Round trips (ms) of ``print(1)`` for ``seconds``, ``gap`` seconds apart; and when the Studio was idle.

        With ``until_idle`` every other cell is ``print(studio.controller.busy)`` (as cheap), until it
        prints False, and the polls go on at least until then; the time of that answer (perf_counter)
        comes back too.
        """
        latencies: list[float] = []
        t0 = time.perf_counter()
        idle_at = t0 if not until_idle else 0.0
        while True:
            now = time.perf_counter()
            if now - t0 >= seconds and idle_at:
                return latencies, idle_at
            if now - t0 > 300:
                raise TimeoutError("the Studio stayed busy for 5 minutes")
            if not idle_at and len(latencies) % 2:
                took, text = self.run(BUSY_CELL)
                if text.strip() == "False":
                    idle_at = time.perf_counter()
            else:
                took, text = self.run(POLL_CELL)
                if text.strip() != "1":
                    raise RuntimeError(f"print(1) printed {text!r}")
            latencies.append(took * 1000)
            time.sleep(gap)


def memory_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of process ``pid`` in MB."""
    fields: dict[str, float] = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


def kernel_pid(km: Any) -> int:
    process = getattr(getattr(km, "provisioner", None), "process", None) or getattr(km, "kernel", None)
    if process is None:
        raise RuntimeError("cannot find the kernel's process id")
    return int(process.pid)


def studio_in_kernel(engine: str, showing_s: float, generating_s: float, gap: float) -> KernelRun:
    """Make and show a Studio in a fresh kernel, then Generate in the background, polling all along."""
    from jupyter_client.manager import start_new_kernel

    result = KernelRun()
    t0 = time.perf_counter()
    km, kc = start_new_kernel(kernel_name="python3", stderr=subprocess.DEVNULL)  # TensorFlow's logs, warnings
    try:
        result.start_s = time.perf_counter() - t0
        kernel = Kernel(kc)
        took, _ = kernel.run(STUDIO_CELL[engine])
        result.studio_cell_ms = took * 1000
        result.showing_ms, _ = kernel.poll(showing_s, gap)  # the Studio's warm-up runs in a worker meanwhile
        t0 = time.perf_counter()
        took, _ = kernel.run(GENERATE_CELL)
        result.generate_cell_ms = took * 1000
        result.generating_ms, idle_at = kernel.poll(generating_s, gap, until_idle=True)
        result.generate_done_s = idle_at - t0
        _, text = kernel.run(WAIT_CELL)
        result.candidates = int(text.strip().splitlines()[-1])
        result.rss_mb, result.hwm_mb = memory_mb(kernel_pid(km))
    finally:
        with contextlib.suppress(Exception):
            kc.stop_channels()
        km.shutdown_kernel(now=True)
    return result


# ---------------------------------------------------------------------------------------- warm speed
def warm_speed(
    engines: list[str], sizes: list[tuple[int, int]], repeats: tuple[int, int]
) -> dict[str, dict[str, float]]:
    """Median ms of ``generate(primer, steps, n=n, seed=i)`` per engine and size, after one warm-up each.

    ``repeats``: (for sizes up to 256 notes in all, for larger ones).
    """
    import jupymuse

    primer = jupymuse.Melody.from_notation(PRIMER)
    results: dict[str, dict[str, float]] = {engine: {} for engine in engines}
    for engine in engines:
        model = jupymuse.load_default(fresh=True)
        model.engine = engine
        for n, steps in sizes:
            model.generate(primer, steps, n=n, seed=0)  # compiles, for TensorFlow (per power-of-two n)
            times = []
            for i in range(repeats[0] if n * steps <= 256 else repeats[1]):
                t = time.perf_counter()
                model.generate(primer, steps, n=n, seed=i)
                times.append(time.perf_counter() - t)
            results[engine][f"{n}x{steps}"] = median(times) * 1000
            print(f"  {engine} {n}x{steps}: {results[engine][f'{n}x{steps}']:.1f} ms", file=sys.stderr)
    return results


# ---------------------------------------------------------------------------------------- report
def table_row(
    label: str,
    figures: Mapping[str, float],
    unit: str,
    fmt: str,
    target: str = "",
    ok: bool | None = None,
    *,
    ratio: str | None = "tf/numpy",
) -> str:
    """One line of a table: the figure for each engine, their ratio (``"tf/numpy"``, ``"numpy/tf"``, None), target."""
    cells = [f"{format(figures[e], fmt)}{unit}" if e in figures else "-" for e in ENGINES]
    shown = ""
    if ratio and "numpy" in figures and "tensorflow" in figures and min(figures.values()) > 0:
        tf, numpy = figures["tensorflow"], figures["numpy"]
        shown = f"{tf / numpy if ratio == 'tf/numpy' else numpy / tf:.1f}x"
    verdict = "" if ok is None else mark(ok)
    return f"  {label:44} {cells[0]:>11} {cells[1]:>11} {shown:>8}   {target:14} {verdict}".rstrip()


def header(title: str, ratio: str = "tf/numpy") -> None:
    print(f"\n{title}")
    print(f"  {'':44} {'numpy':>11} {'tensorflow':>11} {ratio:>8}   {'target (numpy)':14}")


def machine() -> dict[str, Any]:
    def version(name: str) -> str:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "absent"

    return {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "nproc": len(os.sched_getaffinity(0)),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "tensorflow": version("tensorflow"),
        "jupymuse": version("jupymuse"),
        "load_average": os.getloadavg(),
    }


@dataclass
class Plan:
    """How much of each to run (``--quick``: a smoke test)."""

    engines: list[str]
    runs: int  # cold starts per engine
    busy_runs: dict[str, int]  # cold starts per engine beside the busy loops
    students: dict[str, int]  # processes started at once, per engine
    showing_s: float  # print(1) polls after the Studio is shown
    generating_s: float  # print(1) polls after Generate at least (and until it is done)
    repeats: tuple[int, int]  # warm generate calls: up to 256 notes in all, more


def cold_start_section(plan: Plan, report: dict[str, Any]) -> None:
    engines, runs = plan.engines, plan.runs
    cold: dict[str, list[ColdStart]] = {}
    for engine in engines:  # one at a time, so each has the machine to itself
        cold[engine] = [run for _ in range(runs) for run in cold_starts(engine, 1)]
        print(f"  cold start {engine}: {[round(c.wall, 2) for c in cold[engine]]} s", file=sys.stderr)
    report["cold_start"] = {e: [asdict(c) for c in runs_] for e, runs_ in cold.items()}
    report["cold_cpu_median"] = {e: median([c.cpu for c in cold[e]]) for e in engines}
    med = {
        key: {e: median([getattr(c, key) for c in cold[e]]) for e in engines}
        for key in ("wall", "launch_wall", "cpu", "maxrss_mb")
    }
    tf_seen = {e: any(c.tensorflow for c in cold[e]) for e in engines}
    header(f"1. cold start: a fresh process, import + first Generate of 4 x 24 (median of {runs})")
    print(table_row("CPU time (user + sys)", med["cpu"], " s", ".2f", "<= 0.5 s", med["cpu"]["numpy"] <= 0.5))
    print(table_row("peak RSS", med["maxrss_mb"], " MB", ".0f", "<= 250 MB", med["maxrss_mb"]["numpy"] <= 250))
    print(table_row("wall, first line -> candidates", med["wall"], " s", ".2f"))
    print(table_row("wall, launch -> candidates", med["launch_wall"], " s", ".2f"))
    seen = [("yes" if tf_seen[e] else "no") if e in tf_seen else "-" for e in ENGINES]
    print(f"  {'TensorFlow imported':44} {seen[0]:>11} {seen[1]:>11} {'':>8}   {'no':14} {mark(not tf_seen['numpy'])}")


def busy_section(plan: Plan, report: dict[str, Any]) -> None:
    engines, busy_runs = plan.engines, plan.busy_runs
    busy: dict[str, list[ColdStart]] = {}
    with busy_machine(4):
        for engine in engines:
            busy[engine] = [run for _ in range(busy_runs[engine]) for run in cold_starts(engine, 1)]
            print(f"  busy {engine}: {[round(c.wall, 2) for c in busy[engine]]} s", file=sys.stderr)
    report["busy_machine"] = {e: [asdict(c) for c in runs_] for e, runs_ in busy.items()}
    busy_wall = {e: median([c.launch_wall for c in busy[e]]) for e in engines}
    busy_cpu = {e: median([c.cpu for c in busy[e]]) for e in engines}
    counts = ", ".join(f"{e} {busy_runs[e]}" for e in engines)
    header(f"2. busy machine: the cold start beside 4 busy loops (median of {counts})")
    print(table_row("wall, launch -> candidates", busy_wall, " s", ".2f", "<= 3 s", busy_wall["numpy"] <= 3))
    print(table_row("CPU time (user + sys)", busy_cpu, " s", ".2f"))


def kernel_section(plan: Plan, report: dict[str, Any]) -> None:
    engines, showing_s, generating_s = plan.engines, plan.showing_s, plan.generating_s
    kernels: dict[str, KernelRun] = {}
    for engine in engines:
        kernels[engine] = studio_in_kernel(engine, showing_s, generating_s, gap=0.02)
        print(f"  kernel {engine}: {kernels[engine].generate_done_s:.1f} s to the candidates", file=sys.stderr)
    report["kernel"] = {e: asdict(k) for e, k in kernels.items()}
    every = {e: k.showing_ms + k.generating_ms for e, k in kernels.items()}
    header(f"3. a Studio in a kernel: print(1) round trips while it shows ({showing_s:g} s) and generates")
    print(table_row("kernel started", {e: k.start_s for e, k in kernels.items()}, " s", ".2f", ratio=None))
    print(table_row("Studio cell, sent -> reply", {e: k.studio_cell_ms for e, k in kernels.items()}, " ms", ".0f"))
    print(table_row("print(1) while showing, max", {e: max(k.showing_ms) for e, k in kernels.items()}, " ms", ".0f"))
    print(
        table_row(
            "Generate cell (background), sent -> reply",
            {e: k.generate_cell_ms for e, k in kernels.items()},
            " ms",
            ".0f",
        )
    )
    print(table_row("Generate sent -> worker done", {e: k.generate_done_s for e, k in kernels.items()}, " s", ".2f"))
    print(
        table_row("print(1) while generating, max", {e: max(k.generating_ms) for e, k in kernels.items()}, " ms", ".0f")
    )
    print(table_row("print(1) throughout, median", {e: median(v) for e, v in every.items()}, " ms", ".1f"))
    worst = {e: max(v) for e, v in every.items()}
    print(table_row("print(1) throughout, max", worst, " ms", ".0f", "<= 100 ms", worst["numpy"] <= 100))
    print(table_row("print(1) round trips", {e: len(v) for e, v in every.items()}, "", "d", ratio=None))
    rss = {e: k.rss_mb for e, k in kernels.items()}
    print(table_row("kernel RSS after the first Generate", rss, " MB", ".0f", "<= 300 MB", rss["numpy"] <= 300))
    print(table_row("kernel peak RSS", {e: k.hwm_mb for e, k in kernels.items()}, " MB", ".0f"))
    made = {e: k.candidates for e, k in kernels.items()}
    print(table_row("candidates made", made, "", "d", "4", all(c == 4 for c in made.values()), ratio=None))


def class_section(plan: Plan, report: dict[str, Any]) -> None:
    engines, students = plan.engines, plan.students
    classes: dict[str, list[ColdStart]] = {}
    for engine in engines:
        classes[engine] = cold_starts(engine, students[engine])
        print(f"  students {engine}: slowest {max(c.launch_wall for c in classes[engine]):.1f} s", file=sys.stderr)
    report["students"] = {e: [asdict(c) for c in runs_] for e, runs_ in classes.items()}
    counts = ", ".join(f"{e} {students[e]}" for e in engines)
    header(f"4. a class: cold starts all at once ({counts} processes)")
    print(
        table_row(
            "wall, launch -> candidates, median",
            {e: median([c.launch_wall for c in classes[e]]) for e in engines},
            " s",
            ".2f",
        )
    )
    print(
        table_row(
            "wall, launch -> candidates, slowest",
            {e: max(c.launch_wall for c in classes[e]) for e in engines},
            " s",
            ".2f",
        )
    )
    print(
        table_row(
            "wall, first line -> candidates, median",
            {e: median([c.wall for c in classes[e]]) for e in engines},
            " s",
            ".2f",
        )
    )
    print(
        table_row(
            "CPU time per student, median", {e: median([c.cpu for c in classes[e]]) for e in engines}, " s", ".2f"
        )
    )
    print(
        table_row(
            "peak RSS per student, median",
            {e: median([c.maxrss_mb for c in classes[e]]) for e in engines},
            " MB",
            ".0f",
        )
    )
    total = {e: sum(c.maxrss_mb for c in classes[e]) / 1024 for e in engines}
    print(table_row("sum of peak RSS (the whole class)", total, " GB", ".2f"))
    per30 = {e: total[e] / students[e] * 30 for e in engines}
    print(table_row("sum of peak RSS, scaled to 30 students", per30, " GB", ".1f"))


def speed_section(plan: Plan, report: dict[str, Any]) -> None:
    engines, repeats = plan.engines, plan.repeats
    speed = warm_speed(engines, SIZES, repeats)
    report["warm_ms"] = speed
    header(
        f"5. warm speed: model.generate in this process, ms (median of {repeats[0]}, {repeats[1]} from 8 x 256)",
        ratio="numpy/tf",
    )
    for n, steps in SIZES:
        key = f"{n}x{steps}"
        row = {e: speed[e][key] for e in engines}
        target, ok = "", None
        if key == "4x24":
            target, ok = "<= 20 ms", row["numpy"] <= 20
        elif key == "8x256" and "tensorflow" in row:
            target, ok = "<= 4x TF", row["numpy"] <= 4 * row["tensorflow"]
        print(table_row(f"{n} candidates x {steps} steps", row, " ms", ".1f", target, ok, ratio="numpy/tf"))
    if "tensorflow" in speed:
        wins = [f"{n}x{s}" for n, s in SIZES if speed["tensorflow"][f"{n}x{s}"] < speed["numpy"][f"{n}x{s}"]]
        crossover = wins[0] if wins else None  # SIZES go from the fewest notes in all to the most
        report["tensorflow_wins_from"] = crossover
        if crossover:
            print(f"  TensorFlow is faster from {crossover} (candidates x steps) on; it wins at: {', '.join(wins)}")
        else:
            print(f"  TensorFlow is faster at none of these sizes (the largest: {SIZES[-1][0]}x{SIZES[-1][1]})")
        print("  (numpy/tf above 1: TensorFlow is faster)")
        cold = report.get("cold_cpu_median", {})
        per_event = {e: speed[e]["8x256"] / 1000 / (8 * 256) for e in engines}  # seconds per generated event
        if "tensorflow" in cold and per_event["numpy"] > per_event["tensorflow"]:
            start = cold["tensorflow"] - cold["numpy"]  # what TensorFlow's import and compile cost first
            even = start / (per_event["numpy"] - per_event["tensorflow"])
            report["break_even_events"] = even
            print(
                f"  counting its start ({start:.1f} CPU-s more in section 1), TensorFlow catches up with numpy after "
                f"about {even:,.0f} generated events in one process ({even / 256:,.0f} candidates of 256)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1 repeat each, 6 students, short kernel polls")
    parser.add_argument("--skip-tensorflow", action="store_true", help="measure the numpy engine only")
    parser.add_argument("--json", action="store_true", help="print every figure as one JSON object at the end")
    args = parser.parse_args()
    quick: bool = args.quick
    plan = Plan(
        engines=["numpy"] if args.skip_tensorflow else list(ENGINES),
        runs=1 if quick else 3,
        busy_runs={"numpy": 1 if quick else 3, "tensorflow": 1 if quick else 2},
        students={"numpy": 6 if quick else 30, "tensorflow": 2 if quick else 6},
        showing_s=1.5 if quick else 4.0,
        generating_s=2.0 if quick else 6.0,
        repeats=(1, 1) if quick else (20, 5),
    )
    report: dict[str, Any] = {"machine": machine(), "quick": quick}

    info = report["machine"]
    print(f"classroom benchmark, {info['date']}")
    print(
        f"machine: {info['nproc']} CPUs, Python {info['python']}, numpy {info['numpy']}, "
        f"TensorFlow {info['tensorflow']}, load average {info['load_average'][0]:.2f} at the start"
    )
    print("figures on a shared machine are noisy: compare the two engines within this run, not across runs")
    if quick:
        print("--quick: 1 repeat each, few students, short polls: a smoke test, not figures to quote")

    for section in (cold_start_section, busy_section, kernel_section, class_section, speed_section):
        section(plan, report)
    if args.json:
        print(json.dumps(report))


if __name__ == "__main__":
    main()
