"""Start-up cost: ``import jupymuse`` (touching the main names) in a fresh interpreter, vs ``import numpy``.

Target: <= 0.5 s and no TensorFlow imported.

    python benchmarks/import_time.py
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys

PROBE = """
import json, sys, time
t = time.perf_counter()
{stmt}
print(json.dumps({{"s": time.perf_counter() - t, "tf": "tensorflow" in sys.modules}}))
"""


def measure(stmt: str, runs: int = 7) -> tuple[float, bool]:
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", PROBE.format(stmt=stmt)], capture_output=True, text=True, check=True
        )
        results.append(json.loads(out.stdout))
    return statistics.median(r["s"] for r in results), any(r["tf"] for r in results)


def main() -> None:
    base, _ = measure("import numpy")
    jm, tf = measure("import jupymuse; jupymuse.Melody, jupymuse.MarkovModel, jupymuse.load_corpus, jupymuse.read_midi")
    print(f"import numpy:    {base:.3f} s (baseline)")
    print(f"import jupymuse: {jm:.3f} s = {jm / base:.1f}x numpy; TensorFlow imported: {tf} (target <= 0.5 s, False)")


if __name__ == "__main__":
    main()
