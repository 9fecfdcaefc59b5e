"""Hybrid retrieval: BM25 over jieba tokens and dense search, fused by weighted normalised scores.

`Retriever.search` embeds the question and asks a store (stores/: the build's files by default, Milvus when
`milvus_uri` is set) for both candidate lists; the fusion (`fuse`, pure) runs here on the client whatever the
store. Deterministic: ties break by passage order.
"""
from __future__ import annotations

import time

from ..config import Config
from ..text import Tokenizer, has_cjk, simplified
from ..types import Filters, Hit
from .index import IndexData
from .stores.base import Store, fuse
from .stores.files import FileStore

__all__ = ["Filters", "Retriever", "fuse"]  # Filters lives in types.py (validated at the boundary)


class Retriever:
    def __init__(self, data: IndexData, embedder, tokenizer: Tokenizer, cfg: Config,
                 store: Store | None = None) -> None:
        self.data = data
        self.embedder = embedder
        self.tokenizer = tokenizer
        self.cfg = cfg
        self.store = store if store is not None else FileStore(data)

    def weights(self, question: str, mode: str) -> tuple[float, float]:
        """Fusion weights (BM25, dense) for a question and retriever mode."""
        if mode == "bm25":
            return 1.0, 0.0
        if mode == "dense":
            return 0.0, 1.0
        if has_cjk(question):
            return self.cfg.bm25_weight, self.cfg.dense_weight
        # English: BM25 sees only dictionary translations, so the multilingual dense side leads
        return 1.0 - self.cfg.english_dense_weight, self.cfg.english_dense_weight

    def search(self, question: str, top_k: int, filters: Filters | None = None, mode: str | None = None,
               timings: dict[str, float] | None = None, qtokens: list[str] | None = None) -> list[Hit]:
        """Candidates from BM25 and/or dense search, fused; best first, up to `candidates` of them."""
        mode = mode or self.cfg.retriever
        timings = {} if timings is None else timings
        filters = filters or Filters()
        k = max(self.cfg.candidates, top_k)
        toks = qv = None
        if mode in ("hybrid", "bm25"):
            toks = qtokens if qtokens is not None else self.tokenizer.query_tokens(question)
        if mode in ("hybrid", "dense"):
            t = time.perf_counter()
            # bounded: one model pass; a question in traditional characters read as the passages are (simplified)
            qv = self.embedder.embed_query(simplified(question[:self.cfg.dense_query_chars]))
            timings["embed_query"] = (time.perf_counter() - t) * 1000
        wb, wd = self.weights(question, mode)
        t = time.perf_counter()
        scored, side = self.store.hybrid(toks, qv, filters, k, wb, wd)
        timings.update(side)
        # the passages themselves come from the loaded build (a passage id names its notice, span and text), not
        # from the store: one lookup each instead of a round trip. A shared store (Milvus) may already hold
        # passages of a newer build than this one: only ours are answered.
        ps, pos = self.data.passages, self.data.position
        ours = [(s, row) for s in scored if (row := pos.get(s.passage_id)) is not None]
        hits = [Hit(ps[row], s.score, s.bm25_rank, s.dense_rank, s.score, r + 1) for r, (s, row) in enumerate(ours)]
        timings["fusion"] = (time.perf_counter() - t) * 1000 - sum(side.values())
        return hits
