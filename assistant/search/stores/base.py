"""The one small interface for storing and searching passages, and the fusion every store shares.

A store holds the passages of one loaded build (`IndexData`: notices, passages, vectors, BM25 statistics) and
answers four questions about them: the best passages for a query vector (`dense`), for query tokens (`bm25`),
for both fused (`hybrid`, our min-max weighted fusion on the client), and which passages have these ids
(`fetch`). Filters (notice ids, region, date range) are pushed down to the store: a store never returns a
passage the filters exclude. `sync` makes the store hold exactly the passages of a build: the file store *is*
the build (written atomically by index.build_index); the Milvus store upserts and deletes by notice id.

Scores are keyed by passage id. Ties break by the passage's position in the build, as before the interface.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ...types import Filters, Passage


def _norm(scores: dict, /) -> dict:
    """Min-max to [0, 1]; a single candidate or equal scores map to 1. Example: {0: 2, 1: 4} -> {0: 0, 1: 1}."""
    if not scores:
        return {}
    lo, hi = min(scores.values()), max(scores.values())
    if hi - lo < 1e-12:
        return {k: 1.0 for k in scores}
    return {k: (v - lo) / (hi - lo) for k, v in scores.items()}


def fuse(bm25: dict, dense: dict, w_bm25: float, w_dense: float) -> dict:
    """Weighted sum of min-max normalised scores; a passage missing from one list gets 0 from it.

    Example: fuse({1: 10, 2: 5}, {2: .9, 3: .8}, .6, .4) -> {1: .6, 2: .4, 3: 0.0}.
    """
    nb, nd = _norm(bm25), _norm(dense)
    keys = sorted(set(nb) | set(nd))
    return {k: w_bm25 * nb.get(k, 0.0) + w_dense * nd.get(k, 0.0) for k in keys}


@dataclass(frozen=True)
class Scored:
    """One passage of a hybrid search: fused score and its rank in each list (1-based, None when absent)."""

    passage_id: str
    score: float
    bm25_rank: int | None
    dense_rank: int | None


def rank_map(scores: dict[str, float], order: dict[str, int]) -> dict[str, int]:
    """1-based ranks, best first; ties by position in the build. Example: {"a": 1, "b": 2} -> {"b": 1, "a": 2}."""
    n = len(order)
    ranked = sorted(scores, key=lambda k: (-scores[k], order.get(k, n)))
    return {k: i + 1 for i, k in enumerate(ranked)}


class Store(ABC):
    """Where the passages of a build are kept and searched. One implementation per module of this folder."""

    kind: str = ""

    def __init__(self, order: dict[str, int]) -> None:
        self.order = order  # passage id -> position in the build (ties break by it)

    @abstractmethod
    def dense(self, qvec: np.ndarray, filters: Filters, k: int) -> dict[str, float]:
        """Up to k passage ids by inner product with a unit query vector, among those the filters allow."""

    @abstractmethod
    def bm25(self, tokens: list[str], filters: Filters, k: int) -> dict[str, float]:
        """Up to k passage ids with a BM25 score > 0 for these query tokens, among those the filters allow."""

    @abstractmethod
    def fetch(self, ids: Sequence[str]) -> list[Passage]:
        """The passages with these ids, in the order given; unknown ids are left out."""

    @abstractmethod
    def sync(self, data) -> dict[str, int]:
        """Make the store hold exactly the passages of `data` (an IndexData); returns what it changed,
        e.g. {"upserted_notices": 1, "deleted_notices": 0, "passages_written": 12}."""

    def close(self) -> None:
        """Release connections (the file store holds none)."""

    def problem(self) -> str | None:
        """Why the store cannot answer now (in Chinese, for the health check), or None. The file store is the
        loaded build itself: nothing can go wrong after loading."""
        return None

    def hybrid(self, tokens: list[str] | None, qvec: np.ndarray | None, filters: Filters, k: int,
               w_bm25: float, w_dense: float) -> tuple[list[Scored], dict[str, float]]:
        """Both searches (a side is skipped when its input is None), fused on the client with `fuse`; best
        first, up to k. Returns the list and the milliseconds of each side ("bm25", "faiss")."""
        import time
        timings: dict[str, float] = {}
        bm: dict[str, float] = {}
        de: dict[str, float] = {}
        if tokens is not None:
            t = time.perf_counter()
            bm = self.bm25(tokens, filters, k)
            timings["bm25"] = (time.perf_counter() - t) * 1000
        if qvec is not None:
            t = time.perf_counter()
            de = self.dense(qvec, filters, k)
            timings["faiss"] = (time.perf_counter() - t) * 1000
        fused = fuse(bm, de, w_bm25, w_dense)
        n = len(self.order)
        order = {i: self.order.get(i, n) for i in fused}  # each candidate's position looked up once
        br, dr = rank_map(bm, order), rank_map(de, order)
        best = sorted(fused, key=lambda i: (-fused[i], order[i]))[:k]
        return [Scored(i, fused[i], br.get(i), dr.get(i)) for i in best], timings
