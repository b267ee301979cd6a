"""Endings: where the model ends melodies by itself, and how often a cadence ends on the tonic.

For each style, the held-out melodies (``jupymuse.corpus.builtin_styles``, never trained on) are cut after
their first ``--primer-notes`` notes and continued three ways:

* ``ending="model"`` with room for ``--max-events`` events: the model stops where it draws its
  end-of-melody event. Its **end rate** (ends per event, 1 / mean continuation length) is compared
  with the real continuations' rate; target: within a factor of 1.5.
* ``ending="cadence"`` with as many events as the real continuation: the share of melodies whose last
  note is the tonic of the melody's key (the corpus's key, else guessed from the whole real melody);
  target >= 95%. The same share for the real continuations and for ``ending="cut"`` is the baseline.

    python benchmarks/endings.py [--model default|PATH] [--styles chorale,german,chinese,irish] [--n 100]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from jupymuse import load_model
from jupymuse.corpus.builtin_styles import STYLE_CORPORA, split_style
from jupymuse.models.default import load_default
from jupymuse.music import Melody
from jupymuse.music.events import melody_events
from jupymuse.music.keys import tonic_class

RATE_FACTOR = 1.5
TONIC_SHARE = 0.95


def cut(melody: Melody, notes: int) -> tuple[Melody, Melody]:
    """The primer (first ``notes`` notes) and the continuation after it, from step 0 (as ``generate`` gives)."""
    primer = melody[:notes]
    return primer, melody[notes:].shift(-primer.end)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="default")
    parser.add_argument("--styles", default=",".join(STYLE_CORPORA))
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--primer-notes", type=int, default=4)
    parser.add_argument("--max-events", type=int, default=1024)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    model = load_default() if args.model == "default" else load_model(args.model)
    print(f"endings of {model.name}; {args.primer_notes}-note primers of up to {args.n} held-out melodies per style")
    print(f"{'style':10} {'real len':>9} {'model len':>10} {'len ratio':>10}   tonic:", end=" ")
    print(f"{'real':>5} {'cut':>5} {'cadence':>8}")
    ok = True
    t0 = time.perf_counter()
    for i, style in enumerate(args.styles.split(",")):
        melodies = [m for m in split_style(style).held_out if len(m) > args.primer_notes][: args.n]
        real_len, model_len, tonic = [], [], {"real": 0, "cut": 0, "cadence": 0}
        for j, melody in enumerate(melodies):
            primer, real = cut(melody, args.primer_notes)
            key_tonic = tonic_class(melody)
            steps = len(melody_events(real))
            seed = args.seed + 1000 * i + j
            kw = {"style": style} if style in getattr(model, "styles", ()) else {}
            free = model.generate(primer, args.max_events, ending="model", seed=seed, **kw)[0]
            cadence = model.generate(primer, steps, ending="cadence", seed=seed, **kw)[0]
            plain = model.generate(primer, steps, seed=seed, **kw)[0]
            real_len.append(steps)
            model_len.append(len(melody_events(free)))
            for name, m in (("real", real), ("cut", plain), ("cadence", cadence)):
                tonic[name] += bool(len(m)) and m.notes[-1].pitch % 12 == key_tonic
        n = len(melodies)
        ratio = float(np.mean(model_len) / np.mean(real_len))  # = real end rate / model end rate
        good = 1 / RATE_FACTOR <= ratio <= RATE_FACTOR and tonic["cadence"] / n >= TONIC_SHARE
        ok &= good
        print(
            f"{style:10} {np.mean(real_len):9.1f} {np.mean(model_len):10.1f} {ratio:10.2f}          "
            f"{tonic['real'] / n:5.2f} {tonic['cut'] / n:5.2f} {tonic['cadence'] / n:8.2f}  {'ok' if good else 'MISS'}"
        )
    print(
        f"targets: the model's mean length within a factor of {RATE_FACTOR} of the real one (its end rate "
        f"likewise); cadence ends on the tonic >= {TONIC_SHARE:.0%}. {'all met' if ok else 'some missed'}; "
        f"{time.perf_counter() - t0:.0f} s"
    )


if __name__ == "__main__":
    main()
