"""The ``jupymuse`` command: corpora, evaluation, generation, explanation and training without a notebook.

Run ``jupymuse --help`` or ``jupymuse COMMAND --help``. Every flag is checked before any corpus,
model or TensorFlow loads. Each error is one line starting with ``error:``; the exit status is 0
when done, 1 when the work failed on the way (a file could not be read or written, out of memory),
2 when the command cannot be carried out as given (a bad value, an unknown corpus or model, a
damaged input, an output refused), and 130 after Ctrl-C (``train gru`` first saves what it has).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..errors import JupymuseError, OutputError

if TYPE_CHECKING:
    import argparse

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (see :mod:`jupymuse.cli.parser`)."""
    from .parser import build_parser as build

    return build()


def _os_message(exc: OSError) -> str:
    """``"No space left on device: 'out.mid'"`` rather than ``"[Errno 28] ..."``."""
    reason = exc.strerror or str(exc)
    return f"{reason}: '{exc.filename}'" if exc.filename else reason


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``jupymuse`` command; returns the exit status."""
    try:
        parser = build_parser()  # imports the commands: a Ctrl-C while they load ends quietly too
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error already printed
        return exc.code if isinstance(exc.code, int) else 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    try:
        return int(args.func(args))
    except OutputError as exc:  # the checks passed, then the system refused (e.g. a full disk)
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except JupymuseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except MemoryError:
        print("error: out of memory (ask for less: a smaller corpus, network or -n)", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: {_os_message(exc)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
