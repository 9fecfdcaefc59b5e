"""Term weights and coverage: how much of a question a text holds, weighted by inverse document frequency.

`Idf` is read from the index's BM25 matrix; `term_groups` and `coverage` are pure. Search and answering both
score with these (the answer stage checks that a quote covers the question).
"""
from __future__ import annotations

import math
from functools import lru_cache

from .index import IndexData


class Idf:
    """Inverse document frequency per BM25 token, read from the index's BM25 matrix."""

    def __init__(self, data: IndexData) -> None:
        vocab = getattr(data.bm25, "vocab_dict", {}) or {}
        indptr = data.bm25.scores["indptr"]
        n = max(1, int(data.bm25.scores.get("num_docs", len(data.passages))))
        self.max = math.log(1 + n)
        self.idf: dict[str, float] = {}
        self.df: dict[str, int] = {}
        for tok, i in vocab.items():
            if i + 1 < len(indptr) and tok:
                df = int(indptr[i + 1] - indptr[i])
                self.df[tok] = df
                self.idf[tok] = math.log(1 + (n - df + 0.5) / (df + 0.5))

    def __call__(self, tok: str) -> float:
        return self.idf.get(tok, self.max)


PARTIAL = 0.7  # credit for a compound term found only through its 2+ character parts (陕西省 via 陕西)


def term_groups(qtokens: list[str]) -> list[tuple[str, list[str]]]:
    """Question terms as (compound, its 2+ character parts) pairs: jieba's search mode yields both 搬迁户 and
    搬迁, 迁户; a single character is never a part (厅长 is not found through 厅).

    Example: ["陕西", "陕西省", "户"] -> [("陕西省", ["陕西"]), ("户", [])].
    """
    return [(h, list(parts)) for h, parts in _term_groups(tuple(qtokens))]


@lru_cache(maxsize=64)  # coverage() is called once per candidate sentence with the same question terms
def _term_groups(qtokens: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Which terms lie inside which, by looking up each term's substrings of the lengths the question's terms
    have: O(terms x distinct lengths x term length), not O(terms^2) pairwise tests (a 2,000-character question
    has ~1,000 terms)."""
    q = list(dict.fromkeys(qtokens))
    pos = {t: i for i, t in enumerate(q)}
    lengths = sorted({len(t) for t in q})
    inside: set[str] = set()  # terms that occur inside a longer term
    parts_of: dict[str, tuple[str, ...]] = {}
    for u in q:
        found: set[str] = set()
        for n in lengths:
            if n >= len(u):
                break
            for i in range(len(u) - n + 1):
                sub = u[i:i + n]
                if sub in pos:
                    found.add(sub)
        inside |= found
        parts_of[u] = tuple(sorted((t for t in found if len(t) >= 2), key=pos.__getitem__))
    return tuple((h, parts_of[h]) for h in q if h not in inside)


def coverage(qtokens: list[str], text_tokens: set[str], idf: Idf, syn: dict | None = None) -> float:
    """IDF-weighted share of question terms present in a text. A compound and the parts jieba's search mode
    splits it into (搬迁户 -> 搬迁, 迁户) count once: fully when the compound is present, partly through its parts.

    A term also counts as present through a field synonym from `syn` (旧宅 through 旧房).
    Example: all present -> 1.0; none -> 0.0.
    """
    if syn:
        text_tokens = text_tokens | {t for t in set(qtokens) if any(x in text_tokens for x in syn.get(t, ()))}
    total = score = 0.0
    for h, parts in term_groups(qtokens):
        w = idf(h)
        total += w
        if h in text_tokens:
            score += w
            continue
        pw = sum(idf(t) for t in parts)
        if pw > 0:
            score += w * PARTIAL * sum(idf(t) for t in parts if t in text_tokens) / pw
    return score / total if total > 0 else 0.0
