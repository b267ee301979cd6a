"""Import TensorFlow once, quietly: its C++ start-up lines (oneDNN notice, CUDA probe on machines
without a GPU) would otherwise land in every notebook and terminal that first touches a GRU.

Only the import and the device probe are silenced; later warnings and all Python errors still show.
Set ``JUPYMUSE_TF_VERBOSE=1`` to see everything.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterator

_lock = threading.Lock()


@contextlib.contextmanager
def _stderr_silenced() -> Iterator[None]:
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no real file descriptor 2: nothing to silence
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def ensure_tensorflow() -> None:
    """Import TensorFlow (and probe its devices) with its C++ start-up chatter sent to /dev/null."""
    if "tensorflow" in sys.modules and "keras" in sys.modules:
        return
    with _lock:
        if os.environ.get("JUPYMUSE_TF_VERBOSE") == "1":
            import keras
            import tensorflow as tf

            tf.config.list_physical_devices()
            return
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        with _stderr_silenced():
            import keras  # noqa: F401
            import tensorflow as tf

            tf.config.list_physical_devices()
