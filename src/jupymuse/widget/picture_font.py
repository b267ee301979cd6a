"""The PNG picture's bitmap font: our own 3x5 pixel capitals, digits and signs, drawn at twice the size.

Small enough to read in a caption and to write here by hand (no font file or imaging library is
read at display time). Lower case is drawn as capitals; a character without a glyph shows as "?".
"""

from __future__ import annotations

import functools

import numpy as np

SCALE = 2
"""Each font pixel is SCALE x SCALE picture pixels."""
HEIGHT = 14
"""Rows of a line of text in picture pixels."""
BASELINE = 11
"""The row of a line's baseline (glyphs stand on it)."""
FIRST = 32
"""The first character code with a cell (the space); the cells run to "~" (126)."""

_GLYPHS = {
    "0": "### #.# #.# #.# ###", "1": ".#. ##. .#. .#. ###", "2": "### ..# ### #.. ###",
    "3": "### ..# .## ..# ###", "4": "#.# #.# ### ..# ..#", "5": "### #.. ### ..# ###",
    "6": "### #.. ### #.# ###", "7": "### ..# .#. .#. .#.", "8": "### #.# ### #.# ###",
    "9": "### #.# ### ..# ###", "A": ".#. #.# ### #.# #.#", "B": "##. #.# ##. #.# ##.",
    "C": ".## #.. #.. #.. .##", "D": "##. #.# #.# #.# ##.", "E": "### #.. ##. #.. ###",
    "F": "### #.. ##. #.. #..", "G": ".## #.. #.# #.# .##", "H": "#.# #.# ### #.# #.#",
    "I": "### .#. .#. .#. ###", "J": "..# ..# ..# #.# .#.", "K": "#.# #.# ##. #.# #.#",
    "L": "#.. #.. #.. #.. ###", "M": "#.# ### ### #.# #.#", "N": "##. #.# #.# #.# #.#",
    "O": ".#. #.# #.# #.# .#.", "P": "##. #.# ##. #.. #..", "Q": ".#. #.# #.# ##. .##",
    "R": "##. #.# ##. #.# #.#", "S": ".## #.. .#. ..# ##.", "T": "### .#. .#. .#. .#.",
    "U": "#.# #.# #.# #.# ###", "V": "#.# #.# #.# #.# .#.", "W": "#.# #.# ### ### #.#",
    "X": "#.# #.# .#. #.# #.#", "Y": "#.# #.# .#. .#. .#.", "Z": "### ..# .#. #.. ###",
    " ": "... ... ... ... ...", ".": "... ... ... ... .#.", ",": "... ... ... .#. #..",
    ":": "... .#. ... .#. ...", ";": "... .#. ... .#. #..", "-": "... ... ### ... ...",
    "+": "... .#. ### .#. ...", "=": "... ### ... ### ...", "/": "..# ..# .#. #.. #..",
    "#": "#.# ### #.# ### #.#", "(": ".#. #.. #.. #.. .#.", ")": ".#. ..# ..# ..# .#.",
    "[": "##. #.. #.. #.. ##.", "]": ".## ..# ..# ..# .##", "'": ".#. .#. ... ... ...",
    '"': "#.# #.# ... ... ...", "!": ".#. .#. .#. ... .#.", "?": "##. ..# .#. ... .#.",
    "%": "#.# ..# .#. #.. #.#", "_": "... ... ... ... ###", "*": "#.# .#. #.# ... ...",
    "<": "..# .#. #.. .#. ..#", ">": "#.. .#. ..# .#. #..", "&": ".#. #.# .#. #.# .##",
}  # fmt: skip


def _glyph(code: int) -> np.ndarray:
    """The 5 x 3 pixels of character ``code`` (capitals for lower case, "?" for the rest)."""
    rows = _GLYPHS.get(chr(code).upper(), _GLYPHS["?"]).split()
    return np.array([[c == "#" for c in row] for row in rows], dtype=np.float32)


ADVANCES = bytes((3 if code == 32 else 4) * SCALE - 1 for code in range(FIRST, 127))
"""Pixels each character advances (glyph and gap); its cell in the strip is one column wider."""


@functools.cache
def strip() -> tuple[np.ndarray, tuple[int, ...]]:
    """Every character's cell side by side as coverage 0-1 (HEIGHT rows), and where each cell starts."""
    top = BASELINE - 5 * SCALE
    cells = []
    for code, advance in zip(range(FIRST, 127), ADVANCES, strict=True):
        cell = np.zeros((HEIGHT, advance + 1), dtype=np.float32)
        big = np.kron(_glyph(code), np.ones((SCALE, SCALE), dtype=np.float32))
        cell[top : top + big.shape[0], : min(big.shape[1], advance + 1)] = big[:, : advance + 1]
        cells.append(cell)
    starts = np.concatenate([[0], np.cumsum([c.shape[1] for c in cells])])
    return np.concatenate(cells, axis=1), tuple(int(s) for s in starts)
