"""The Studio's first minutes in a fresh kernel: how long the student waits, with and without the warm start.

Every run is a fresh Python process (a fresh kernel: the Studio is made inside ``asyncio.run``, so
there is a running loop, and worker events reach the widgets through it). Measured, median of the runs:

* (a) ``Studio(...)`` constructed: ready to show;
* (b) Generate clicked ``--delay`` seconds after display -> notes on the roll (target <= 1 s);
* (c) Generate after a primer of a new length -> notes on the roll (target <= 300 ms);
* (d) Markov order 2 chosen, its corpus already cached -> fitted (target <= 1 s).

The baseline in the same run is the same Studio with ``warm_up=False`` (nothing loaded ahead).

    python benchmarks/studio_cold.py [--runs 3] [--delay 10] [--src DIR]

``--src`` puts another checkout's ``src`` first on the children's path (e.g. an older version).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

CHILD = """
import asyncio, inspect, json, sys, time
from jupymuse.studio import Studio
PRIMER = "G4:4 G4:4 D5:4 D5:4 E5:4 E5:4 D5:8"
LONGER = " ".join(["C4:2", "D4:2", "E4:2", "G4:2"] * 9)  # 36 notes: a primer length not used before


async def until(done, limit=120.0):
    t0 = time.perf_counter()
    while not done():
        if time.perf_counter() - t0 > limit:
            raise TimeoutError("the Studio did not answer")
        await asyncio.sleep(0.002)  # the loop applies the workers' events meanwhile
    return time.perf_counter() - t0


async def generate(studio):
    before = studio.controller.melody
    t0 = time.perf_counter()
    studio.generate_button.click()
    await until(lambda: studio.controller.melody != before and not studio.controller.busy)
    return time.perf_counter() - t0


async def main(warm, delay):
    options = {"warm_up": warm} if "warm_up" in inspect.signature(Studio).parameters else {}
    t0 = time.perf_counter()
    studio = Studio(melody=PRIMER, **options)
    ready = time.perf_counter() - t0
    await asyncio.sleep(delay)  # the student looks at it
    first = await generate(studio)
    from jupymuse import Melody

    studio.controller.edit(Melody.from_notation(LONGER))
    longer = await generate(studio)
    t0 = time.perf_counter()
    studio.model_picker.value = "Markov order 2"
    await until(lambda: "Markov order 2" in studio.controller.models())
    markov = time.perf_counter() - t0
    return {"ready": ready, "first": first, "longer": longer, "markov": markov}


print(json.dumps(asyncio.run(main(sys.argv[1] == "warm", float(sys.argv[2])))))
"""

ROWS = [
    ("ready", "(a) Studio constructed -> ready to show", None),
    ("first", "(b) first Generate, clicked after the delay", 1.0),
    ("longer", "(c) Generate after a primer of a new length", 0.3),
    ("markov", "(d) Markov order 2 on a cached corpus, fitted", 1.0),
]


def run_child(warm: bool, delay: float, src: str | None) -> dict[str, float]:
    """One fresh process; its four timings in seconds."""
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    args = [sys.executable, "-c", CHILD, "warm" if warm else "cold", str(delay)]
    out = subprocess.run(args, capture_output=True, text=True, check=True, env=env).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--delay", type=float, default=10.0, help="seconds between display and the first Generate")
    parser.add_argument("--src", default=None, help="a src directory to import jupymuse from instead")
    args = parser.parse_args()
    from jupymuse.corpus import load_corpus

    load_corpus("bach-chorales", progress=False)  # cached before the runs, as (d) says
    results: dict[bool, list[dict[str, float]]] = {True: [], False: []}
    for i in range(args.runs):  # interleaved, so both see the same machine
        for warm in (True, False):
            results[warm].append(run_child(warm, args.delay, args.src))
            print(f"run {i + 1} {'warm start' if warm else 'baseline'}: {results[warm][-1]}", file=sys.stderr)
    print(f"median of {args.runs} fresh processes, first Generate {args.delay:.0f} s after display")
    print(f"{'':50} {'warm start':>11} {'baseline':>11} {'ratio':>7} {'target':>8}")
    for key, label, target in ROWS:
        warm_s = statistics.median(r[key] for r in results[True])
        base_s = statistics.median(r[key] for r in results[False])
        goal = f"<= {target:g} s" if target else ""
        print(f"{label:50} {warm_s:10.3f}s {base_s:10.3f}s {base_s / warm_s:6.1f}x {goal:>8}")


if __name__ == "__main__":
    main()
