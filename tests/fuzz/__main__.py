"""``python -m tests.fuzz [TARGET ...] --cases N --seed S``: run fuzz targets and print the table.

TARGET is a module of this package (``models``, ``scores``, ...); none or ``all`` runs every one. Every
module here but ``harness``, this one and the helpers whose names start with ``_`` (``_outputs``, ...)
is a target, so a new target is just a new module with the interface that :mod:`tests.fuzz.harness`
describes (helpers shared by targets belong in ``harness`` or a ``_`` module). The table counts, per
target, the cases tried, clean and other, and of the others the raw exceptions, the hangs past
``--max-seconds`` and the output files whose mode, owner, link or bytes broke the rules. The exit
status is 1 when any case was "other".
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import time
from pathlib import Path

from .harness import MAX_SECONDS, Report, Target, details, run_target, table

NOT_TARGETS = {"harness", "__main__"}


def available() -> list[str]:
    """The target modules of this package."""
    folder = Path(__file__).parent
    names = (m.name for m in pkgutil.iter_modules([str(folder)]))
    return sorted(n for n in names if n not in NOT_TARGETS and not n.startswith("_"))


def main(argv: list[str] | None = None) -> int:
    """Run the chosen targets; print the table and the first other cases of each."""
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__)
    parser.add_argument("targets", nargs="*", help=f"of {available()} (default: all)")
    parser.add_argument("--cases", type=int, default=100, help="cases per target (default 100)")
    parser.add_argument("--seed", type=int, default=0, help="seed of every case (default 0)")
    parser.add_argument("--first", type=int, default=0, help="index of the first case (to replay one)")
    parser.add_argument(
        "--max-seconds", type=float, default=MAX_SECONDS, help=f"time limit per case (default {MAX_SECONDS:g})"
    )
    parser.add_argument("--max-mb", type=float, default=2048.0, help="peak memory growth per case (default 2048)")
    parser.add_argument("--quiet", action="store_true", help="no progress line")
    args = parser.parse_args(argv)
    names = available() if not args.targets or args.targets == ["all"] else args.targets
    unknown = sorted(set(names) - set(available()))
    if unknown:
        parser.error(f"unknown target {unknown[0]!r}; choose from {available()}")
    reports: list[Report] = []
    for name in names:
        target: Target = importlib.import_module(f"{__package__}.{name}")
        t0 = time.perf_counter()

        def show(i: int, r: Report, name: str = name, t0: float = t0) -> None:
            if not args.quiet and (r.tried % 50 == 0 or r.tried == args.cases):
                took = time.perf_counter() - t0
                print(f"\r{name}: {r.tried}/{args.cases}, other {r.other}, {took:.0f} s", end="", flush=True)

        reports.append(
            run_target(
                target, args.cases, seed=args.seed, first=args.first, max_seconds=args.max_seconds,
                max_mb=args.max_mb, progress=show,
            )
        )  # fmt: skip
        if not args.quiet:
            print()
    print(table(reports))
    for r in reports:
        print(details(r))
    return 1 if any(r.other for r in reports) else 0


if __name__ == "__main__":
    sys.exit(main())
