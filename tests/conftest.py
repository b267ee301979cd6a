"""Shared fixtures (corpora, melody builders) and the two test tiers.

Tiers: ``python -m pytest -m "not slow"`` is the fast tier (about two minutes; it fails unless
every module of jupymuse ran in it, see ``module_coverage.py``); ``python -m pytest`` runs
everything. A test is slow when marked ``slow`` (``pytestmark = pytest.mark.slow`` or
``@pytest.mark.slow``); browser tests (``browser``) and the lessons (nbval) are slow without saying
so (marked here).

The corpus cache is jupymuse's own (``$JUPYMUSE_CACHE_DIR``, else the user cache folder), so a
corpus converts once per machine, not once per test run. That is safe: an entry is named by its
source file's content and the versions that shape it (``corpus.cache``), a damaged one is rebuilt,
and tests that need a cold or broken cache make one of their own in a tmp dir. The one thing a kept
cache could hide, an entry written by older conversion code under the same ``CACHE_VERSION``, is
what ``test_corpus_cold.py`` catches.
"""

from __future__ import annotations

import pytest

from jupymuse.corpus import Corpus, load_corpus

pytest_plugins = ["module_coverage"]

SAMPLE_FILES = 40
"""Chorale files in the ``chorales`` sample: the most melodies a test that takes it uses."""


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests and lessons are slow: ``-m "not slow"`` leaves them out (before ``-m`` selects).

    Under pytest-xdist (``.ci/run``: ``-n 2 --dist loadgroup``) a file's tests stay together on one
    worker (a lesson's cells share one kernel, a module's fixtures are made once), and the browser
    tests all run on one worker, beside one JupyterLab and one Notebook 7 server.
    """
    xdist = config.pluginmanager.hasplugin("xdist")
    for item in items:
        browser = item.get_closest_marker("browser") is not None
        if browser or item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)
        if xdist:
            item.add_marker(pytest.mark.xdist_group("browser" if browser else str(item.path)))


@pytest.fixture(scope="session")
def chorales() -> Corpus:
    """The first 40 Bach chorale soprano lines: a cold machine converts these 40 files, not all 400."""
    return load_corpus("bach-chorales", progress=False, files=SAMPLE_FILES)


@pytest.fixture(scope="session")
def all_chorales() -> Corpus:
    """Every Bach chorale soprano line (400), for tests about the whole corpus."""
    return load_corpus("bach-chorales", progress=False)


@pytest.fixture(scope="session")
def kinder() -> Corpus:
    """The Essen 'kinder' songs (213 German children's songs, one file)."""
    return load_corpus("essen:kinder", progress=False)
