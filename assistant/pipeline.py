"""The pipeline: corpus -> chunks -> index (built or loaded) -> retrieve -> rerank -> answer -> checked citations.

`Assistant` is what the CLI and the UI call. It holds no global state; build one per process and share it
(asking is read-only and thread-safe).
"""
from __future__ import annotations

import logging
import time
from dataclasses import replace
from pathlib import Path

from .answer.extractive import ExtractiveAnswerer
from .answer.followup import rewrite
from .config import Config
from .errors import BadQuestion, IndexError_
from .ingest.chunking import chunk_notice
from .ingest.corpus import load_corpus
from .ingest.regions import Gazetteer
from .question import analyse
from .search.embed import Embedder, make_embedder
from .search.index import (
    IndexData,
    build_index,
    current_build,
    load_index,
    read_manifest,
    stale_reason,
)
from .search.query import QueryTerms
from .search.rerank import CrossEncoderReranker, rerank, rerank_by_evidence
from .search.retrieve import Filters, Retriever
from .search.scoring import Idf
from .text import Tokenizer
from .types import Answer, Notice, RankedPassage
from .validate import validate_question

log = logging.getLogger(__name__)


def ensure_index(cfg: Config, embedder: Embedder, tokenizer: Tokenizer, gaz: Gazetteer,
                 rebuild: bool = False, show_progress: bool = False) -> IndexData:
    """Load the current index; rebuild it when missing, stale (corpus, model or chunking changed) or corrupt."""
    build = None if rebuild else current_build(cfg.index_dir)
    if build is not None:
        try:
            reason = stale_reason(read_manifest(build), cfg, embedder.name)
            if reason is None:
                return load_index(build)
            log.warning("index is stale (%s); rebuilding", reason)
        except IndexError_ as e:
            log.warning("index unusable (%s); rebuilding", e.detail)
    notices = load_corpus(cfg.corpus_dir, gaz)
    passages = [p for n in notices for p in chunk_notice(n.id, n.text, cfg.chunk_min_chars, cfg.chunk_max_chars)]
    path = build_index(cfg, notices, passages, embedder, tokenizer, show_progress=show_progress)
    return load_index(path)


class Assistant:
    def __init__(self, cfg: Config, data: IndexData, embedder: Embedder, tokenizer: Tokenizer, gaz: Gazetteer,
                 cross: CrossEncoderReranker | None = None) -> None:
        self.cfg = cfg
        self.data = data
        self.embedder = embedder
        self.tokenizer = tokenizer
        self.gaz = gaz
        self.cross = cross
        self.retriever = Retriever(data, embedder, tokenizer, cfg)
        self.idf = Idf(data)
        self.query_terms = QueryTerms(tokenizer, self.idf)
        self.answerer = ExtractiveAnswerer(cfg, data, tokenizer, self.idf)

    @classmethod
    def load(cls, corpus_dir: str | Path | None = None, index_dir: str | Path | None = None,
             config: Config | None = None, rebuild: bool = False, show_progress: bool = False,
             embedder: Embedder | None = None) -> "Assistant":
        cfg = config or Config.from_env()
        cfg = cfg.with_overrides(corpus_dir=corpus_dir, index_dir=index_dir)
        embedder = embedder or make_embedder(cfg)
        tokenizer = Tokenizer()
        gaz = Gazetteer.load()
        data = ensure_index(cfg, embedder, tokenizer, gaz, rebuild=rebuild, show_progress=show_progress)
        cross = CrossEncoderReranker(cfg.reranker_model) if cfg.reranker_model else None
        return cls(cfg, data, embedder, tokenizer, gaz, cross)

    # ------------------------------------------------------------------ queries

    def notices(self) -> list[Notice]:
        return sorted(self.data.notices.values(), key=lambda n: (n.date or "", n.title))

    def passages_of(self, notice_id: str) -> list:
        return self.data.by_notice.get(notice_id, [])

    def section_text(self, notice_id: str, pos: int) -> str | None:
        """The whole section (all passages sharing the heading path) around a position in a notice."""
        ps = self.passages_of(notice_id)
        here = next((p for p in ps if p.start <= pos < p.end), None)
        if here is None:
            return None
        same = [p for p in ps if p.section == here.section]
        n = self.data.notices[notice_id]
        return n.text[min(p.start for p in same):max(p.end for p in same)]

    def warm_up(self) -> None:
        """Load models and caches so the first real question is fast."""
        self.ask("易地扶贫搬迁")

    def ask(self, question: str, history: list[str] | None = None, top_k: int | None = None,
            filters: Filters | dict | None = None, retriever: str | None = None) -> Answer:
        t_all = time.perf_counter()
        timings: dict[str, float] = {}
        q = validate_question(question, self.cfg.max_question_chars)
        history = [h for h in (history or []) if isinstance(h, str) and h.strip()]
        top_k = self.cfg.top_k if top_k is None else int(top_k)
        if top_k <= 0:
            raise BadQuestion(f"top_k 必须大于 0,当前为 {top_k}", f"top_k must be > 0, got {top_k}")
        if not isinstance(filters, Filters):
            filters = Filters.from_dict(filters)

        t = time.perf_counter()
        rq = rewrite(q, history, self.gaz)
        qtokens = self.query_terms(rq)
        info = analyse(rq, self.gaz, qtokens)
        timings["rewrite"] = (time.perf_counter() - t) * 1000

        hits = self.retriever.search(rq, top_k, filters, mode=retriever, timings=timings,
                                     qtokens=qtokens + self.tokenizer.expansions(qtokens))
        t = time.perf_counter()
        hits = rerank(hits, rq, info, qtokens, self.data, self.cross)
        evidence = self.answerer.evidence_cache(info, qtokens)
        hits = rerank_by_evidence(hits, lambda h: ev.score if (ev := evidence(h)) else None)
        timings["rerank"] = (time.perf_counter() - t) * 1000

        t = time.perf_counter()
        checked = len([n for n in self.data.notices.values() if filters.allows(n)])
        answer = self.answerer.answer(q, rq, info, qtokens, hits, checked, evidence)
        timings["answer"] = (time.perf_counter() - t) * 1000
        timings["total"] = (time.perf_counter() - t_all) * 1000
        passages = tuple(self._ranked(h) for h in hits[:top_k])
        return replace(answer, passages=passages, timings={k: round(v, 2) for k, v in timings.items()})

    # ------------------------------------------------------------------ internals

    def _ranked(self, h) -> RankedPassage:
        n = self.data.notice_of(h.passage)
        p = h.passage
        return RankedPassage(n.id, n.title, p.section_label, p.text, round(h.score, 4), p.start, p.end,
                             h.bm25_rank, h.dense_rank, round(h.fused_score, 4), h.rank)


__all__ = ["Assistant", "Filters", "ensure_index"]
