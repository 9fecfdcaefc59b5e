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


SOFT = 0.5  # credit for a term whose characters the text holds, not as a word (改完 in 完成整改)
SUBSTRING = 0.9  # credit for a term the text holds as a string but not as a word (jieba cut it differently)


def soft_match(term: str, text: str) -> float:
    """Credit for a term that is not one of the text's words: SUBSTRING when the text holds it as a string,
    else SOFT times the share of its character pairs (of its characters, for two-character terms) the text
    holds, when that share is at least half.

    Example: soft_match("旅体局", "区文旅体局党组") -> 0.9; soft_match("改完", "已完成整改") -> 0.5; ("钱", …) -> 0.0.
    """
    if term in text:
        return SUBSTRING if len(term) >= 2 else SOFT  # one character inside another word: half credit (村 in 村级)
    if len(term) < 2:
        return 0.0
    if len(term) == 2:
        share = sum(1 for ch in term if ch in text) / 2
    else:
        pairs = [term[i:i + 2] for i in range(len(term) - 1)]
        share = sum(1 for p in pairs if p in text) / len(pairs)
    return SOFT * share if share >= 0.5 else 0.0


def coverage(qtokens: list[str], text_tokens: set[str], idf: Idf, syn: dict | None = None,
             text: str | None = None) -> float:
    """IDF-weighted share of question terms present in a text. A compound and the parts jieba's search mode
    splits it into (搬迁户 -> 搬迁, 迁户) count once: fully when the compound is present, partly through its parts.

    A term also counts as present through a field synonym from `syn` (旧宅 through 旧房). With the (folded)
    `text` given, a term of 2+ characters that is not a word of the text earns SOFT times the share of its
    characters the text holds, when that share is at least half (colloquial 改完了 against 完成整改).
    Example: all present -> 1.0; none -> 0.0.
    """
    def held(t: str) -> bool:  # the term, or one of its synonyms, is a word of the text
        return t in text_tokens or bool(syn) and any(x in text_tokens for x in syn.get(t, ()))

    total = score = 0.0
    for h, parts in _term_groups(tuple(qtokens)):  # cached per question's terms: called per sentence
        w = idf(h)
        total += w
        if held(h):
            score += w
            continue
        pw = sum(idf(t) for t in parts)
        got = w * PARTIAL * sum(idf(t) for t in parts if held(t)) / pw if pw > 0 else 0.0
        if text is not None and (len(h) >= 2 or "\u4e00" <= h <= "\u9fff"):
            got = max(got, w * soft_match(h, text))
        score += got
    return score / total if total > 0 else 0.0
