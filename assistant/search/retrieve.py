"""Hybrid retrieval: BM25 over jieba tokens and dense FAISS search, fused by weighted normalised scores.

`fuse` is pure; `Retriever.search` runs both searches over a loaded index. Deterministic: ties break by
passage order.
"""
from __future__ import annotations

import time

import numpy as np

from ..config import Config
from ..text import Tokenizer, has_cjk
from ..types import Filters, Hit
from .index import IndexData

__all__ = ["Filters", "Retriever", "fuse"]  # Filters lives in types.py (validated at the boundary)


def _norm(scores: dict[int, float]) -> dict[int, float]:
    """Min-max to [0, 1]; a single candidate or equal scores map to 1. Example: {0: 2, 1: 4} -> {0: 0, 1: 1}."""
    if not scores:
        return {}
    lo, hi = min(scores.values()), max(scores.values())
    if hi - lo < 1e-12:
        return {k: 1.0 for k in scores}
    return {k: (v - lo) / (hi - lo) for k, v in scores.items()}


def fuse(bm25: dict[int, float], dense: dict[int, float], w_bm25: float, w_dense: float) -> dict[int, float]:
    """Weighted sum of min-max normalised scores; a passage missing from one list gets 0 from it.

    Example: fuse({1: 10, 2: 5}, {2: .9, 3: .8}, .6, .4) -> {1: .6, 2: .4, 3: 0.0}.
    """
    nb, nd = _norm(bm25), _norm(dense)
    keys = sorted(set(nb) | set(nd))
    return {k: w_bm25 * nb.get(k, 0.0) + w_dense * nd.get(k, 0.0) for k in keys}


def _rank_map(scores: dict[int, float]) -> dict[int, int]:
    order = sorted(scores, key=lambda k: (-scores[k], k))
    return {k: i + 1 for i, k in enumerate(order)}


class Retriever:
    def __init__(self, data: IndexData, embedder, tokenizer: Tokenizer, cfg: Config) -> None:
        self.data = data
        self.embedder = embedder
        self.tokenizer = tokenizer
        self.cfg = cfg
        self._vocab = getattr(data.bm25, "vocab_dict", None) or {}

    def mask(self, filters: Filters) -> np.ndarray | None:
        if not filters.active:
            return None
        ok = {nid for nid, n in self.data.notices.items() if filters.allows(n)}
        return np.array([p.notice_id in ok for p in self.data.passages], dtype=bool)

    def bm25_scores(self, query_tokens: list[str], mask: np.ndarray | None, k: int) -> dict[int, float]:
        toks = [t for t in query_tokens if t in self._vocab]
        if not toks or not self.data.passages:
            return {}
        scores = self.data.bm25.get_scores(toks)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        return {int(i): float(scores[i]) for i in top if scores[i] > 0}

    def dense_scores(self, qvec: np.ndarray, mask: np.ndarray | None, k: int) -> dict[int, float]:
        import faiss
        n = len(self.data.passages)
        if not n:
            return {}
        q = np.ascontiguousarray(qvec.reshape(1, -1), dtype=np.float32)
        if mask is not None:
            ids = np.flatnonzero(mask).astype(np.int64)
            if not len(ids):
                return {}
            sel = faiss.IDSelectorBatch(ids)
            fi = self.data.faiss_index
            params = (faiss.SearchParametersIVF(sel=sel, nprobe=fi.nprobe) if isinstance(fi, faiss.IndexIVF)
                      else faiss.SearchParameters(sel=sel))
            D, I = self.data.faiss_index.search(q, min(k, len(ids)), params=params)
        else:
            D, I = self.data.faiss_index.search(q, min(k, n))
        return {int(i): float(d) for d, i in zip(D[0], I[0]) if i >= 0}

    def search(self, question: str, top_k: int, filters: Filters | None = None, mode: str | None = None,
               timings: dict[str, float] | None = None, qtokens: list[str] | None = None) -> list[Hit]:
        """Candidates from BM25 and/or dense search, fused; best first, up to `candidates` of them."""
        mode = mode or self.cfg.retriever
        timings = {} if timings is None else timings
        filters = filters or Filters()
        k = max(self.cfg.candidates, top_k)
        mask = self.mask(filters)
        bm, de = {}, {}
        if mode in ("hybrid", "bm25"):
            t = time.perf_counter()
            toks = qtokens if qtokens is not None else self.tokenizer.query_tokens(question)
            bm = self.bm25_scores(toks, mask, k)
            timings["bm25"] = (time.perf_counter() - t) * 1000
        if mode in ("hybrid", "dense"):
            t = time.perf_counter()
            qv = self.embedder.embed_query(question[:self.cfg.dense_query_chars])  # bounded: one model pass
            timings["embed_query"] = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            de = self.dense_scores(qv, mask, k)
            timings["faiss"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        if mode == "bm25":
            wb, wd = 1.0, 0.0
        elif mode == "dense":
            wb, wd = 0.0, 1.0
        elif has_cjk(question):
            wb, wd = self.cfg.bm25_weight, self.cfg.dense_weight
        else:  # English: BM25 sees only dictionary translations, so the multilingual dense side leads
            wb, wd = 1.0 - self.cfg.english_dense_weight, self.cfg.english_dense_weight
        fused = fuse(bm, de, wb, wd)
        br, dr = _rank_map(bm), _rank_map(de)
        order = sorted(fused, key=lambda i: (-fused[i], i))[:k]
        hits = [Hit(self.data.passages[i], fused[i], br.get(i), dr.get(i), fused[i], r + 1)
                for r, i in enumerate(order)]
        timings["fusion"] = (time.perf_counter() - t) * 1000
        return hits
