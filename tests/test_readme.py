"""Issue 21, case 15: the README a newcomer reads first stays true: a virtual environment before the two
commands, how long the suite takes, the same test command as CI, and CI's details after the pictures."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
TEST_COMMAND = (
    'pip install -e ".[test,dev]" && python -m pytest -n 2 --dist loadgroup tests && python -m pytest notebooks'
)


def _section(title: str) -> str:
    start = README.index(f"## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end > 0 else None]


def test_the_two_commands_come_after_making_a_virtual_environment() -> None:
    first = _section("Two commands on a fresh machine")
    venv = first.index("python3 -m venv")
    assert venv < first.index("```bash")
    assert "refuse" in first  # says why: Debian's and Ubuntu's Python refuse pip outside one


def test_the_test_command_is_cis_and_says_how_long_it_takes() -> None:
    first = _section("Two commands on a fresh machine")
    assert TEST_COMMAND in first
    assert TEST_COMMAND in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    before = first[: first.index(TEST_COMMAND)]
    assert re.search(r"about \d+ minutes", before)


def test_ci_details_come_after_the_first_picture() -> None:
    assert README.index("![") < README.index("## Tests and CI")
    assert ".ci/run" not in README[: README.index("![")]
