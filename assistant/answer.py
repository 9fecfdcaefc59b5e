"""Extractive answers: pick the sentences of the top passages that answer the question, quote them verbatim
with [n] markers, or abstain. No LLM. Every figure in an answer comes from a quote it cites.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .index import IndexData, indexed_text
from .question import QuestionInfo
from .rerank import _DATE_IN_TEXT, has_unit_figure
from .text import Tokenizer, figures, sentence_spans
from .types import Citation, Hit, Notice

QUOTE_MAX = 220  # a longer sentence is narrowed to its best clauses


class Idf:
    """Inverse document frequency per BM25 token, read from the index's BM25 matrix."""

    def __init__(self, data: IndexData) -> None:
        vocab = getattr(data.bm25, "vocab_dict", {}) or {}
        indptr = data.bm25.scores["indptr"]
        n = max(1, int(data.bm25.scores.get("num_docs", len(data.passages))))
        self.max = math.log(1 + n)
        self.idf: dict[str, float] = {}
        for tok, i in vocab.items():
            if i + 1 < len(indptr):
                df = int(indptr[i + 1] - indptr[i])
                self.idf[tok] = math.log(1 + (n - df + 0.5) / (df + 0.5))

    def __call__(self, tok: str) -> float:
        return self.idf.get(tok, self.max)


def coverage(qtokens: list[str], text_tokens: set[str], idf: Idf) -> float:
    """IDF-weighted share of question terms present in a text. Example: all present -> 1.0; none -> 0.0."""
    q = list(dict.fromkeys(qtokens))
    total = sum(idf(t) for t in q)
    if total <= 0:
        return 0.0
    return sum(idf(t) for t in q if t in text_tokens) / total


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


_FIG_POS = re.compile(r"\d+(?:\.\d+)?(?:万|亿|千)?")


def anchored_figure(sent: str, unit: str | None, qtokens: list[str], gap: int = 3) -> str | None:
    """A figure in the asked unit that closely follows a question term: the figure the question asks for.

    Example: anchored_figure("易地扶贫搬迁24.93万户84.36万人", "户", ["搬迁", "户"]) -> "24.93万户".
    """
    if not unit:
        return None
    terms = [t for t in set(qtokens) if len(t) >= 2]
    for f in figures(sent):
        if not f.endswith(unit):
            continue
        i = sent.find(f)
        before = sent[max(0, i - gap - 6):i]
        if any(before.endswith(t) or t in before[-(len(t) + gap):] for t in terms):
            return f
    return None


def sentence_evidence(hit: Hit, notice: Notice, info: QuestionInfo, qtokens: list[str], tok: Tokenizer,
                      idf: Idf) -> Evidence | None:
    """The best sentence of one passage for this question."""
    p = hit.passage
    qset = set(qtokens)
    best: Evidence | None = None
    for s, e in sentence_spans(p.text):
        s, e = p.start + s, p.start + e
        sent = notice.text[s:e]
        if len(sent) < 4:
            continue
        stoks = set(tok.tokens(sent))
        score = coverage(qtokens, stoks, idf)
        if info.kind == "count":
            score += 0.5 if has_unit_figure(sent, info.unit) else (0.15 if figures(sent) else 0.0)
            if anchored_figure(sent, info.unit, qtokens):
                score += 0.3
        if info.kind == "date" and _DATE_IN_TEXT.search(sent):
            score += 0.4
        if best is None or score > best.score:
            ns, ne = _narrow(notice.text, s, e, qset, tok, info.unit)
            best = Evidence(hit, notice, ns, ne, score)
    return best


def choose_evidence(hits: list[Hit], info: QuestionInfo, qtokens: list[str], data: IndexData, tok: Tokenizer,
                    idf: Idf, per_notice: bool, max_items: int = 5, depth: int = 5) -> list[Evidence]:
    """Fact questions: the single best sentence among the top passages (rank breaks ties).
    List / how questions: the best sentence of each notice among the top passages, up to max_items."""
    cands: list[Evidence] = []
    for h in hits[:depth if not per_notice else max(depth, 12)]:
        ev = sentence_evidence(h, data.notice_of(h.passage), info, qtokens, tok, idf)
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


def passage_tokens(hits: list[Hit], data: IndexData, tok: Tokenizer, depth: int = 3) -> set[str]:
    out: set[str] = set()
    for h in hits[:depth]:
        out |= set(tok.tokens(indexed_text(data.notice_of(h.passage), h.passage)))
    return out


def citation(n: int, ev: Evidence) -> Citation:
    return Citation(n=n, notice_id=ev.notice.id, title=ev.notice.title, issuer=ev.notice.issuer,
                    date=ev.notice.date, section=ev.hit.passage.section_label, quote=ev.quote,
                    start=ev.start, end=ev.end)


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
        figs = [f for f in figures(ev.quote) if f.endswith(info.unit)]
        fig = anchored_figure(ev.quote, info.unit, qtokens) or (figs[0] if figs else None)
        if fig:
            lead = f"{fig}。\n\n"
    src = f"据《{c.title}》({_when(ev.notice)}),{c.section}:"
    return f"{lead}{src}“{c.quote}”[1]", cites


def abstain_text(question: str) -> str:
    q = question.strip()
    q = q if len(q) <= 60 else q[:59] + "…"
    return f"在已收录的通报中没有找到“{q}”的答案。"
