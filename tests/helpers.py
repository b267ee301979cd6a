"""Small builders shared by the tests (kept out of conftest.py: two conftest modules would clash)."""

from jupymuse.music import Melody


def mel(text: str, **kwargs: object) -> Melody:
    """Melody from the text notation: the fixture builder used across the tests."""
    return Melody.from_notation(text, **kwargs)  # type: ignore[arg-type]
