"""The default store: the build's own files, FAISS for vectors and bm25s over jieba tokens, held in memory.

The build itself (manifest, checksums, atomic writes, content-hash caches) is index.py's; this module only
searches a loaded build. Filters become a boolean mask over the passages (FAISS gets an id selector), so a
filtered search never returns a passage the filters exclude.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ...types import Filters, Passage
from .base import Store


class FileStore(Store):
    kind = "files"

    def __init__(self, data) -> None:
        super().__init__(data.position)
        self.data = data
        self._vocab = getattr(data.bm25, "vocab_dict", None) or {}
        # each passage's notice as a row number (a column of the build), so a filter is one numpy lookup
        self._notice_of = data.passages.notice_rows
        self._id = data.passages.id_at

    def mask(self, filters: Filters) -> np.ndarray | None:
        """Which passages the filters allow (None: all): the filters are tested once per notice (on its short
        fields, IndexData.cards), then looked up for every passage in numpy."""
        if not filters.active:
            return None
        return self.data.allowed(filters)[self._notice_of]

    def bm25(self, tokens: list[str], filters: Filters, k: int) -> dict[str, float]:
        toks = [t for t in tokens if t in self._vocab]
        if not toks or not self.data.passages:
            return {}
        scores = self.data.bm25.get_scores(toks)
        mask = self.mask(filters)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        held = np.flatnonzero(scores > 0)  # passages holding a query token: often a small share of the corpus
        if len(held) > k:
            held = held[np.argpartition(-scores[held], k - 1)[:k]]
        return {self._id(int(i)): float(scores[i]) for i in held}

    def dense(self, qvec: np.ndarray, filters: Filters, k: int) -> dict[str, float]:
        import faiss
        n = len(self.data.passages)
        if not n:
            return {}
        q = np.ascontiguousarray(qvec.reshape(1, -1), dtype=np.float32)
        mask = self.mask(filters)
        fi = self.data.faiss_index
        if mask is not None:
            ids = np.flatnonzero(mask).astype(np.int64)
            if not len(ids):
                return {}
            sel = faiss.IDSelectorBatch(ids)
            params = (faiss.SearchParametersIVF(sel=sel, nprobe=fi.nprobe) if isinstance(fi, faiss.IndexIVF)
                      else faiss.SearchParameters(sel=sel))
            D, I = fi.search(q, min(k, len(ids)), params=params)
        else:
            D, I = fi.search(q, min(k, n))
        return {self._id(int(i)): float(d) for d, i in zip(D[0], I[0]) if i >= 0}

    def fetch(self, ids: Sequence[str]) -> list[Passage]:
        ps, pos = self.data.passages, self.data.position
        return [ps[pos[i]] for i in ids if i in pos]

    def sync(self, data) -> dict[str, int]:
        """Nothing to do: the build's files are the store (written atomically by index.build_index)."""
        if data is not self.data:
            self.__init__(data)
        return {"upserted_notices": 0, "deleted_notices": 0, "passages_written": 0}
