"""Sampling speed of the GRU: 8 candidates x 256 notes in one compiled loop, against a plain loop.

This measures ``engine="tensorflow"``; ``benchmarks/classroom.py`` puts the numpy engine (the default)
beside it. The baseline is what one writes first with Keras: at every step call ``model.predict`` on the whole
sequence so far and draw the next note in numpy. Both use the same network (the shipped default
model) in the same run; the figure that matters is the ratio.

    python benchmarks/gru_sampling_speed.py [--repeats 20] [--baseline-steps 256]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from jupymuse.models import load_default
from jupymuse.music import Melody

PRIMER = "G4:4 G4:4 D5:4 D5:4 E5:4 E5:4 D5:8"


def predict_loop(model: object, primer: Melody, steps: int, n: int, seed: int) -> float:
    """Seconds for the per-step ``model.predict`` loop (the same network, numpy sampling)."""
    from jupymuse.models.gru import GRUModel

    assert isinstance(model, GRUModel)
    ts = model.config.tokens
    net = model.network
    enc = ts.encode(primer)
    rng = np.random.default_rng(seed)
    pitch = np.tile(enc.pitch_in, (n, 1))
    dur = np.tile(enc.duration_in, (n, 1))
    pos = np.tile(enc.position_in, (n, 1))
    last = enc.target[-1]
    lp, ld = np.full((n, 1), last // ts.n_durations), np.full((n, 1), last % ts.n_durations)
    onset = np.full(n, primer.end)
    start = time.perf_counter()
    for _ in range(steps):
        pitch = np.concatenate([pitch, lp], axis=1)
        dur = np.concatenate([dur, ld], axis=1)
        pos = np.concatenate([pos, (onset % primer.steps_per_bar)[:, None]], axis=1)
        inputs = {"pitch": pitch[:, 1:], "duration": dur[:, 1:], "position": pos[:, 1:]}
        inputs["next_pitch"] = np.zeros_like(inputs["pitch"])
        if model.styles:  # no style: zero weights
            inputs["style"] = np.zeros((*inputs["pitch"].shape, len(model.styles)), np.float32)
        out = net.predict(inputs, verbose=0)
        logits = out["pitch"][:, -1, : ts.n_pitches]  # never the end of the melody, as generate's default
        p = np.exp(logits - logits.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        chosen = np.array([rng.choice(len(row), p=row) for row in p])
        # the duration head needs the chosen pitch: a second predict, as the network is built
        inputs["next_pitch"] = np.concatenate([inputs["next_pitch"][:, :-1], chosen[:, None]], axis=1)
        dl = net.predict(inputs, verbose=0)["duration"][:, -1]
        dp = np.exp(dl - dl.max(axis=1, keepdims=True))
        dp /= dp.sum(axis=1, keepdims=True)
        dchosen = np.array([rng.choice(len(row), p=row) for row in dp])
        lp, ld = chosen[:, None], dchosen[:, None]
        onset = onset + np.asarray(ts.durations)[dchosen]
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--baseline-steps", type=int, default=256)
    args = parser.parse_args()
    t = time.perf_counter()
    model = load_default(fresh=True)
    model.engine = "tensorflow"  # the compiled loop (benchmarks/classroom.py compares it with the numpy engine)
    print(f"default model {model.name} loaded in {time.perf_counter() - t:.2f} s")
    primer = Melody.from_notation(PRIMER)

    t = time.perf_counter()
    model.generate(primer, 256, n=8, seed=0)
    cold = time.perf_counter() - t
    warm = []
    for i in range(args.repeats):
        t = time.perf_counter()
        model.generate(primer, 256, n=8, seed=i, temperature=0.9, top_p=0.95)
        warm.append(time.perf_counter() - t)
    median = statistics.median(warm)
    print(
        f"compiled loop, 8 x 256 notes: first call {cold * 1000:.0f} ms (traces and XLA-compiles the loop), "
        f"warm median {median * 1000:.1f} ms"
        f" (min {min(warm) * 1000:.1f}, max {max(warm) * 1000:.1f}); target <= 30 ms"
    )

    base = predict_loop(model, primer, args.baseline_steps, 8, 0)
    base_full = base * 256 / args.baseline_steps
    print(
        f"per-step model.predict loop, 8 x {args.baseline_steps} notes: {base:.2f} s"
        + (f" (x{256 / args.baseline_steps:.1f} for 256: {base_full:.1f} s)" if args.baseline_steps != 256 else "")
    )
    print(f"speed-up of the compiled loop: {base_full / median:.0f}x (target >= 100x)")


if __name__ == "__main__":
    main()
