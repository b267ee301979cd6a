"""Shared fixtures: an isolated corpus cache per test session and small melody builders."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from jupymuse.corpus import Corpus, load_corpus


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Each test session converts corpora into its own cache, so tests never depend on a user's."""
    root = tmp_path_factory.mktemp("jupymuse-cache")
    old = os.environ.get("JUPYMUSE_CACHE_DIR")
    os.environ["JUPYMUSE_CACHE_DIR"] = str(root)
    yield root
    if old is None:
        os.environ.pop("JUPYMUSE_CACHE_DIR", None)
    else:
        os.environ["JUPYMUSE_CACHE_DIR"] = old


@pytest.fixture(scope="session")
def chorales() -> Corpus:
    """All Bach chorale soprano lines (converted once per session)."""
    return load_corpus("bach-chorales", progress=False)


@pytest.fixture(scope="session")
def kinder() -> Corpus:
    """The Essen 'kinder' songs (213 German children's songs, one file)."""
    return load_corpus("essen:kinder", progress=False)
