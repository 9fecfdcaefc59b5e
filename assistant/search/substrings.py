"""Does a string occur anywhere in the corpus? Answered from sorted arrays of the corpus's short pieces.

The answer stage asks whether a place or a key term of the question occurs in any notice (answer/gate.py). A
substring search over the folded text of every notice grows with the corpus on every question; these arrays are
built once, with the build, and each question costs a few binary searches.

What is kept: every distinct piece of 1, 2, 3 and 4 UTF-16 code units of the folded corpus text, each coded as one
integer (4 units of 16 bits fit in 64 bits exactly), sorted. A string of up to 4 units is looked up exactly. A
longer string counts as present when every piece of 4 units of it is (a string whose pieces all occur, but never
together, would count as present; the strings asked about are place names and question words, whose 4-unit
pieces rarely occur apart). Memory: 8 bytes per distinct 4-unit piece, memory-mapped from the build: 6.2 MB for the
five notices and the 691 crud-dev articles (540,000 characters, 405,000 distinct pieces of 4), 37 MB for the
million-passage benchmark corpus (recombined sentences); a corpus of N characters has at most N such pieces.

Example: s = Substrings.of_texts(["易地扶贫搬迁"]); "扶贫" in s -> True; "扶贫搬迁" in s -> True; "贫扶" in s -> False.
"""
from __future__ import annotations

from typing import Iterable

import numpy as np

WIDTHS = (1, 2, 3, 4)
_DTYPES = {1: np.uint16, 2: np.uint32, 3: np.uint64, 4: np.uint64}
_CHUNK = 8_000_000  # code units coded at a time while building (bounds the build's memory)


def _units(text: str) -> np.ndarray:
    """UTF-16 code units of a text. Example: "a" -> [97]."""
    return np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype="<u2")


def _unique(a: np.ndarray) -> np.ndarray:
    """Sorted distinct values (a sort and a comparison: numpy's hash-based unique is several times slower here)."""
    if not len(a):
        return a
    a = np.sort(a)
    return a[np.concatenate(([True], a[1:] != a[:-1]))]


def _codes(units: np.ndarray, width: int) -> np.ndarray:
    """The integer code of every window of `width` units. Example: units [1, 2, 3], width 2 -> [65538, 131075]."""
    n = len(units) - width + 1
    if n <= 0:
        return np.zeros(0, dtype=_DTYPES[width])
    u = units.astype(np.uint64)
    out = np.zeros(n, dtype=np.uint64)
    for k in range(width):
        out = (out << np.uint64(16)) | u[k:k + n]
    return out.astype(_DTYPES[width])


class Substrings:
    """Sorted unique pieces of 1-4 code units of a corpus; `term in substrings` as described above."""

    def __init__(self, grams: dict[int, np.ndarray]) -> None:
        self.grams = {w: grams[w] if grams[w].dtype == _DTYPES[w] else grams[w].astype(_DTYPES[w]) for w in WIDTHS}

    @classmethod
    def of_texts(cls, texts: Iterable[str]) -> "Substrings":
        """Pieces of the texts joined by newlines (as one text: pieces across a join are kept too)."""
        found: dict[int, list[np.ndarray]] = {w: [] for w in WIDTHS}
        buf: list[np.ndarray] = []
        size = 0

        def flush(tail: bool) -> np.ndarray:
            units = np.concatenate(buf) if buf else np.zeros(0, dtype="<u2")
            for w in WIDTHS:
                found[w].append(_unique(_codes(units, w)))
                if len(found[w]) > 8:  # merge as we go, so the lists stay short
                    found[w] = [_unique(np.concatenate(found[w]))]
            return units[-(max(WIDTHS) - 1):] if not tail and len(units) else np.zeros(0, dtype="<u2")

        first = True
        for t in texts:
            buf.append(_units(t if first else "\n" + t))
            first = False
            size += len(buf[-1])
            if size >= _CHUNK:
                keep = flush(tail=False)  # the last 3 units start the next chunk: no window across it is lost
                buf, size = [keep], len(keep)
        flush(tail=True)
        return cls({w: _unique(np.concatenate(found[w])) for w in WIDTHS})

    def __contains__(self, term: str) -> bool:
        units = _units(term)
        if len(units) == 0:
            return True
        width = min(len(units), max(WIDTHS))
        codes = _codes(units, width)
        arr = self.grams[width]
        if not len(arr):
            return False
        at = np.searchsorted(arr, codes)
        return bool(np.all((at < len(arr)) & (arr[np.minimum(at, len(arr) - 1)] == codes)))

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in self.grams.values())
