"""The pipeline: corpus -> chunks -> index (built or loaded) -> retrieve -> rerank -> answer -> checked citations.

`Assistant` is what the CLI and the UI call. It holds no global state; build one per process and share it
(asking is read-only and thread-safe).
"""
from __future__ import annotations

import logging
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from .answer.extractive import (EvidenceCache, Idf, abstain_text, answerable, choose_evidence, citation, compose, coverage,
                     issue_date_evidence, passage_tokens, rerank_by_evidence, term_groups)
from .ingest.chunking import chunk_notice
from .answer.cite import answer_problems
from .config import Config
from .ingest.corpus import load_corpus
from .search.embed import Embedder, make_embedder
from .errors import BadQuestion, IndexError_
from .answer.followup import rewrite
from .glossary import SYNONYMS
from .search.index import IndexData, build_index, current_build, load_index, read_manifest, stale_reason
from .question import analyse
from .ingest.regions import Gazetteer
from .search.rerank import CrossEncoderReranker, rerank
from .search.retrieve import Filters, Retriever
from .text import STOPWORDS, Tokenizer, VocabCorrector, has_cjk
from .types import Answer, Citation, Notice, RankedPassage

log = logging.getLogger(__name__)

# Measure words and place suffixes that jieba glues onto a neighbour in questions (多少名村, 红石桥乡种)
_GLUE = set("名个户亩套家所只头人次项条件乡镇村区县市省几")


def validate_question(question: Any, max_chars: int) -> str:
    """The stripped question, or BadQuestion with a Chinese message. Example: "  " -> BadQuestion."""
    if not isinstance(question, str):
        raise BadQuestion("问题必须是文字。", f"question must be str, got {type(question).__name__}")
    q = question.replace("\x00", "").strip()
    if not q or not any(ch.isalnum() for ch in q):
        raise BadQuestion("请输入一个问题,例如:陕西省“十三五”易地扶贫搬迁共搬迁了多少户?", "empty question")
    if len(q) > max_chars:
        raise BadQuestion(f"问题太长了({len(q)} 字),请控制在 {max_chars} 字以内。",
                          f"question has {len(q)} chars, max {max_chars}")
    return q


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
        self.corrector = VocabCorrector(self.idf.df)
        self._corpus_text = "\n".join(f"{n.title}\n{n.issuer}\n{n.text}" for n in data.notices.values())

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
        evidence = EvidenceCache(info, qtokens, self.data, self.tokenizer, self.idf)
        hits = rerank_by_evidence(hits, evidence)
        timings["rerank"] = (time.perf_counter() - t) * 1000

        t = time.perf_counter()
        checked = len([n for n in self.data.notices.values() if filters.allows(n)])
        answer = self._answer(q, rq, info, qtokens, hits, checked, evidence)
        timings["answer"] = (time.perf_counter() - t) * 1000
        timings["total"] = (time.perf_counter() - t_all) * 1000
        passages = tuple(self._ranked(h) for h in hits[:top_k])
        return replace(answer, passages=passages, timings={k: round(v, 2) for k, v in timings.items()})

    def query_terms(self, question: str) -> list[str]:
        """BM25 / coverage terms of a question: typos one character from an indexed term are corrected; a
        Chinese token the index has never seen that is not a noun, or starts or ends with a measure word or place
        suffix, is a segmentation artefact of the question (多少名村 -> 名村) and is replaced by its characters the
        index knows; English words the glossary could not translate and the index has never seen are left out."""
        out: list[str] = []
        for t in self.tokenizer.query_tokens(question):
            fixed = self.corrector.correct(t)
            if fixed:
                out.append(fixed)
            elif t in self.idf.df:
                out.append(t)
            elif t.isascii() and t.isalpha():
                continue
            elif has_cjk(t) and len(t) >= 2 and (not self.tokenizer.is_noun(t) or t[0] in _GLUE or t[-1] in _GLUE):
                out.extend(ch for ch in t if ch in self.idf.df and ch not in STOPWORDS)
            else:
                out.append(t)
        return out

    # ------------------------------------------------------------------ internals

    def _ranked(self, h) -> RankedPassage:
        n = self.data.notice_of(h.passage)
        p = h.passage
        return RankedPassage(n.id, n.title, p.section_label, p.text, round(h.score, 4), p.start, p.end,
                             h.bm25_rank, h.dense_rank, round(h.fused_score, 4), h.rank)

    def _unknown_place(self, info) -> str | None:
        """A place the question names that no notice mentions at all."""
        for pl in info.places:
            if pl not in self._corpus_text:
                return pl
        return None

    def _missing_term(self, qtokens: list[str]) -> str | None:
        """A key question term that no notice contains: a noun of 2+ Chinese characters, none of whose parts or
        field synonyms occur either, carrying at least a quarter of the question's weight (粮食产量, GDP-like
        subjects). 陕西省委 does not count: its parts 陕西省 and 省委 occur."""
        groups = term_groups(qtokens)
        total = sum(self.idf(t) for t, _ in groups)
        for t, parts in groups:
            if (t in self.idf.df or len(t) < 2 or not has_cjk(t) or not total or self.idf(t) / total < 0.25
                    or any(x in self.idf.df for x in SYNONYMS.get(t, ()))
                    or any(u in self.idf.df for u in parts)):
                continue
            if self.tokenizer.is_noun(t):
                return t
        return None

    def _answer(self, q: str, rq: str, info, qtokens: list[str], hits, checked: int,
                evidence_of: EvidenceCache) -> Answer:
        base = Answer(question=q, text="", abstained=True, rewritten_question=rq, notices_checked=checked)
        if not hits:
            return replace(base, text=abstain_text(q))
        cov = coverage(qtokens, passage_tokens(hits, self.data, self.tokenizer), self.idf, SYNONYMS)
        missing_place = self._unknown_place(info)
        missing = missing_place or self._missing_term(qtokens)
        if missing or cov < self.cfg.abstain_min_coverage:
            related = []
            for h in hits[:3]:
                ev = evidence_of(h)
                if ev is not None:
                    related.append(citation(len(related) + 1, ev))
            why = f"(已收录的通报未涉及“{missing}”)" if missing else ""
            return replace(base, text=abstain_text(q) + why, related=tuple(related))
        per_notice = info.kind in ("list", "how") and not info.places
        evidence = choose_evidence(hits, evidence_of, per_notice)
        if info.about_issue_date:
            top = hits[0].passage.notice_id
            dated = issue_date_evidence(self.data.notices[top], self.passages_of(top))
            evidence = [dated] if dated else evidence
        else:
            floor = self.cfg.answer_min_coverage * (0.8 if per_notice else 1.0)
            evidence = [ev for ev in evidence if answerable(ev, info, qtokens, self.tokenizer, self.idf, floor)]
        if not evidence:
            related = [citation(i + 1, ev) for i, ev in enumerate(choose_evidence(hits, evidence_of, True, max_items=3))]
            return replace(base, text=abstain_text(q), related=tuple(related))
        text, cites = compose(info, evidence, checked, qtokens)
        problems = answer_problems(text, cites, self.data.notices, own_numbers=(checked, len(evidence)))
        if problems:  # never show a figure or quote that fails its check
            log.error("answer failed its citation check: %s", problems)
            return replace(base, text=abstain_text(q), related=tuple(cites))
        return replace(base, text=text, abstained=False, citations=tuple(cites))


def citations_ok(answer: Answer, notices: dict[str, Notice]) -> list[str]:
    """Problems with a returned answer's citations (for evaluation and tests)."""
    return answer_problems(answer.text, list(answer.citations), notices,
                           own_numbers=(answer.notices_checked, len(answer.citations)))


__all__ = ["Assistant", "Citation", "Filters", "citations_ok", "validate_question", "ensure_index"]
