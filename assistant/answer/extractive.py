"""Extractive answers: pick the sentences of the top passages that answer the question, quote them verbatim
with [n] markers, or abstain. No LLM. Every figure in an answer comes from a quote it cites.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from typing import Iterator

from ..config import Config
from ..ingest.chunking import heading_level
from ..lexicon import synonyms
from ..question import QuestionInfo
from ..search.index import IndexData
from ..search.rerank import anchored_figure, has_unit_figure
from ..search.scoring import Idf, coverage
from ..text import DATE_PATTERN, STOPWORDS, Tokenizer, figures, sentence_spans, unit_ok
from ..types import Answer, Citation, Hit, Notice
from .base import Final
from .cite import answer_problems
from .gate import Gate

log = logging.getLogger(__name__)

QUOTE_MAX = 220  # a longer sentence is narrowed to its best clauses


@dataclass(frozen=True)
class Evidence:
    hit: Hit
    notice: Notice
    start: int  # span of the quote in notice.text
    end: int
    score: float

    @property
    def quote(self) -> str:
        return self.notice.text[self.start:self.end]


def _narrow(text: str, s: int, e: int, qtokens: set[str], tok: Tokenizer, unit: str | None) -> tuple[int, int]:
    """Within an over-long sentence, keep the window of clauses (split at ,，;) that best matches the question."""
    if e - s <= QUOTE_MAX:
        return s, e
    cuts = [s] + [i + 1 for i in range(s, e) if text[i] in ",，;；:："] + [e]
    cuts = sorted(set(cuts))
    clauses = list(zip(cuts[:-1], cuts[1:]))
    best, best_score = (s, min(e, s + QUOTE_MAX)), -1.0
    for i in range(len(clauses)):
        j = i
        while j < len(clauses) and clauses[j][1] - clauses[i][0] <= QUOTE_MAX:
            j += 1
        if j == i:
            continue
        cs, ce = clauses[i][0], clauses[j - 1][1]
        seg = text[cs:ce]
        sc = len(qtokens & set(tok.tokens(seg))) + (2 if has_unit_figure(seg, unit) else 0)
        if sc > best_score:
            best, best_score = (cs, ce), sc
    return best


def context_tokens(notice: Notice, passage, tok: Tokenizer) -> set[str]:
    """Terms a sentence inherits from where it stands: the notice's title, issuer and region, and the heading
    path. "陕西…什么时候反馈的?" is answered by a sentence of the Shaanxi notice that never repeats 陕西."""
    return set(tok.tokens(f"{notice.title} {notice.issuer} {notice.region} {passage.section_label}"))


def sentence_evidence(hit: Hit, notice: Notice, info: QuestionInfo, qtokens: list[str], tok: Tokenizer,
                      idf: Idf) -> Evidence | None:
    """The best sentence of one passage for this question. A bare heading line is never chosen."""
    p = hit.passage
    qset = set(qtokens)
    ctx = context_tokens(notice, p, tok)
    best: Evidence | None = None
    for s, e in sentence_spans(p.text):
        s, e = p.start + s, p.start + e
        sent = notice.text[s:e]
        if len(sent) < 4 or (heading_level(sent) is not None and len(sent) <= 40 and sent.endswith(("。", ":", "："))
                             and "," not in sent and "，" not in sent):
            continue
        stoks = set(tok.tokens(sent))
        score = coverage(qtokens, stoks | ctx, idf, synonyms())
        if info.kind == "count":
            score += 0.5 if has_unit_figure(sent, info.unit) else (0.15 if figures(sent) else 0.0)
            if anchored_figure(sent, info.unit, qtokens):
                score += 0.3
        if info.kind == "date" and DATE_PATTERN.search(sent):
            score += 0.4
        if best is None or score > best.score:
            ns, ne = _narrow(notice.text, s, e, qset, tok, info.unit)
            best = Evidence(hit, notice, ns, ne, score)
    return best


def answerable(ev: Evidence, info: QuestionInfo, qtokens: list[str], tok: Tokenizer, idf: Idf,
               min_coverage: float) -> bool:
    """Does the chosen sentence itself (with its notice and heading context) answer the question?
    A count question needs a figure (in the asked unit when one is asked), a when-question a date."""
    if info.kind == "count" and not (has_unit_figure(ev.quote, info.unit) if info.unit else figures(ev.quote)):
        return False
    if info.kind == "date" and not DATE_PATTERN.search(ev.quote):
        return False
    quote_tokens = set(tok.tokens(ev.quote))
    if info.counted:  # the figure must count what was asked: 多少名中小学教师 is not answered by "19名教师"
        counted = [t for w in tok.leading_noun_phrase(info.counted) for t in tok.tokens(w) if t not in STOPWORDS]
        if counted and coverage(counted, quote_tokens, idf, synonyms()) < 0.8:
            return False
    cov = coverage(qtokens, quote_tokens | context_tokens(ev.notice, ev.hit.passage, tok), idf, synonyms())
    return cov >= min_coverage


def issue_date_evidence(notice: Notice, passages: list) -> Evidence | None:
    """The 落款 date line of a notice, when it has one (for "…是哪天印发的?"), cited from its own passage."""
    dates = list(re.finditer(r"(?m)^\d{4}年\d{1,2}月\d{1,2}日$", notice.text))
    m = dates[-1] if dates else None
    if m is None or m.start() < len(notice.text) - 200:
        return None
    home = next((p for p in passages if p.start <= m.start() and m.end() <= p.end), None)
    if home is None:
        return None
    return Evidence(Hit(home, 1.0), notice, m.start(), m.end(), 1.0)


class EvidenceCache:
    """Best sentence per passage for one question, computed once and shared by reranking and answering."""

    def __init__(self, info: QuestionInfo, qtokens: list[str], data: IndexData, tok: Tokenizer, idf: Idf) -> None:
        self.info, self.qtokens, self.data, self.tok, self.idf = info, qtokens, data, tok, idf
        self._by_passage: dict[str, Evidence | None] = {}

    def __call__(self, h: Hit) -> Evidence | None:
        pid = h.passage.id
        if pid not in self._by_passage:
            self._by_passage[pid] = sentence_evidence(h, self.data.notice_of(h.passage), self.info, self.qtokens,
                                                      self.tok, self.idf)
        ev = self._by_passage[pid]
        return replace(ev, hit=h) if ev is not None else None  # carry the hit's current rank


def choose_evidence(hits: list[Hit], evidence: EvidenceCache, per_notice: bool, max_items: int = 5,
                    depth: int = 5) -> list[Evidence]:
    """Fact questions: the single best sentence among the top passages (rank breaks ties).
    List / how questions: the best sentence of each notice among the top passages, up to max_items."""
    cands: list[Evidence] = []
    for h in hits[:depth if not per_notice else max(depth, 12)]:
        ev = evidence(h)
        if ev is not None:
            cands.append(ev)
    if not cands:
        return []
    rank_prior = {id(ev): 0.3 / (ev.hit.rank or 1) for ev in cands}
    cands.sort(key=lambda ev: (-(ev.score + rank_prior[id(ev)]), ev.hit.rank))
    if not per_notice:
        return cands[:1]
    seen: set[str] = set()
    out = []
    top = cands[0].score
    for ev in cands:
        if ev.notice.id in seen or ev.score < 0.5 * top:
            continue
        seen.add(ev.notice.id)
        out.append(ev)
        if len(out) >= max_items:
            break
    return out


def citation(n: int, ev: Evidence) -> Citation:
    return Citation(n=n, notice_id=ev.notice.id, title=ev.notice.title, issuer=ev.notice.issuer,
                    date=ev.notice.date, section=ev.hit.passage.section_label, quote=ev.quote,
                    start=ev.start, end=ev.end, page=ev.notice.page_at(ev.start))


def _when(n: Notice) -> str:
    return n.date or "未注明日期"


def compose(info: QuestionInfo, evidence: list[Evidence], notices_checked: int,
            qtokens: list[str] = ()) -> tuple[str, list[Citation]]:
    """Answer text with [n] markers, and its citations (numbered from 1)."""
    cites = [citation(i + 1, ev) for i, ev in enumerate(evidence)]
    if len(evidence) > 1 or info.kind == "list":
        lines = [f"在已收录的 {notices_checked} 份通报中,有 {len(evidence)} 份有相关内容:"]
        for c in cites:
            lines.append(f"- {c.issuer or c.title}({c.date or '未注明日期'}):“{c.quote}”[{c.n}]")
        return "\n".join(lines), cites
    ev, c = evidence[0], cites[0]
    lead = ""
    if info.kind == "count" and info.unit:
        figs = [f for f in figures(ev.quote) if unit_ok(f, info.unit)]
        fig = anchored_figure(ev.quote, info.unit, qtokens) or (figs[0] if figs else None)
        if fig:
            lead = f"{fig}。\n\n"
    src = f"据《{c.title}》({_when(ev.notice)}),{c.section}:"
    return f"{lead}{src}“{c.quote}”[1]", cites


def abstain_text(question: str) -> str:
    q = question.strip()
    q = q if len(q) <= 60 else q[:59] + "…"
    return f"在已收录的通报中没有找到“{q}”的答案。"


class ExtractiveAnswerer:
    """Answers from the retrieved passages by quoting their best sentences, or abstains. Built once per index."""

    def __init__(self, cfg: Config, data: IndexData, tokenizer: Tokenizer, idf: Idf) -> None:
        self.cfg = cfg
        self.data = data
        self.tokenizer = tokenizer
        self.idf = idf
        self.gate = Gate(data, tokenizer, idf)

    def evidence_cache(self, info: QuestionInfo, qtokens: list[str]) -> EvidenceCache:
        return EvidenceCache(info, qtokens, self.data, self.tokenizer, self.idf)

    def answer(self, q: str, rq: str, info: QuestionInfo, qtokens: list[str], hits: list[Hit], checked: int,
               evidence_of: EvidenceCache) -> Answer:
        """The answer to `q` (searched as `rq`) from the reranked hits; `checked` notices were in scope."""
        base = Answer(question=q, text="", abstained=True, rewritten_question=rq, notices_checked=checked)
        if not hits:
            return replace(base, text=abstain_text(q))
        abstain, missing = self.gate.why_not(info, qtokens, hits, self.cfg.abstain_min_coverage)
        if abstain:
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
            dated = issue_date_evidence(self.data.notices[top], self.data.by_notice.get(top, []))
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

    mode = "extractive"

    def stream(self, q: str, rq: str, info: QuestionInfo, qtokens: list[str], hits: list[Hit], checked: int,
               evidence_of: EvidenceCache, history=()) -> Iterator[Final]:
        """The `Answerer` interface (answer/base.py): the quoted answer as one final event; history is already
        folded into the rewritten question `rq`."""
        yield Final(self.answer(q, rq, info, qtokens, hits, checked, evidence_of))
