"""Extractive answers: pick the sentence of the top passages that answers the question, quote it verbatim with
[n] markers, and state a short answer (the figure, date, name… inside the quote) only when sure; or abstain.
No LLM. Every figure in an answer comes from a quote it cites.
"""
from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Callable, Iterator

from ..config import Config
from ..ingest.chunking import heading_level
from ..ingest.metadata import date_of_line
from ..lexicon import synonyms
from ..question import QuestionInfo, asked_head, described_span, place_forms
from ..search.index import IndexData
from ..search.scoring import PARTIAL, Idf, coverage, soft_match, term_groups
from ..search.tokensets import LEAD_CHARS, context_text
from ..text import STOPWORDS, Tokenizer, bare_numbers, date_spans, fold, has_cjk, sentence_spans
from ..types import Answer, Citation, Hit, Notice
from .base import Final
from .cite import answer_problems
from .compose import abstain_text, compose, english_figure
from .gate import Gate
from .short import Candidate, candidates, paragraph_start

log = logging.getLogger(__name__)

QUOTE_MAX = 220  # a longer sentence is narrowed to its best clauses
# kinds whose answer is a thing of the kind the question names after 什么 / 哪个 (`asked_head`), and what a sentence
# naming such a thing adds to its rank (chosen on the tuning sets: 0.1 moved one answer, 0.2 and 0.3 the same three
# with one lost — a context-free question, "共同推进哪个建设?" —, 0.3 with more sentences of other notices preferred)
FOCUS_KINDS = ("fact", "list", "how", "define", "body")
FOCUS = 0.2
SHORT_KINDS = ("count", "date", "who", "body", "place", "define", "list", "meta", "contact")


@dataclass(frozen=True)
class Evidence:
    hit: Hit
    notice: Notice
    start: int  # span of the quote in notice.text
    end: int
    score: float  # how well the sentence (with its notice and heading context) covers the question
    candidate: Candidate | None = None  # the best short-answer candidate inside the quote
    rivals: tuple[Candidate, ...] = field(default=(), compare=False)  # other candidates of this sentence
    local: float = 0.0  # coverage of the terms its context does not hold, by the sentence alone
    missing: float = 0.0  # weight share of the heaviest such term the sentence lacks entirely
    focus: float = 0.0  # FOCUS when the sentence names the thing a "what X" question asks an instance of

    @property
    def quote(self) -> str:
        return self.notice.text[self.start:self.end]

    @property
    def combined(self) -> float:
        """Sentence score plus its best candidate's: what ranks evidence for a question that wants a short answer.
        A sentence holding a candidate never ranks below its coverage alone: of two sentences covering the question
        as well (through their notice's title: "截至9月底,…51.9万人" and the next one), the one holding a date
        answers 是截至什么时候的."""
        base = max(self.score, 0.6 * self.score + self.candidate.score) if self.candidate else self.score
        return base + self.focus


class QuestionScorer:
    """The question's terms, weighted, and coverage of them by any piece of text (tokenised once per text)."""

    def __init__(self, info: QuestionInfo, qtokens: list[str], tok: Tokenizer, idf: Idf, question: str = "",
                 focus: list[str] | None = None, is_place: Callable[[str], bool] = lambda w: False,
                 known: Callable[[str], set[str] | None] = lambda text: None, english: bool = False) -> None:
        self.info, self.tok, self.idf, self.is_place = info, tok, idf, is_place
        self.english = english  # its terms are dictionary translations (search/english.py)
        self.known = known  # the build's token sets (search/tokensets.py): texts it tokenised are not cut again
        self.terms = [t for t in dict.fromkeys(qtokens) if t not in STOPWORDS]
        self.question = fold(question)
        # a follow-up's own words ("那规范提升了多少个?"): what it asks; the earlier question only gives the topic
        self.focus = set(focus) if focus else None
        self._tokens: dict[str, set[str]] = {}
        self._ctx_free: dict[str, list[str]] = {}
        self._ctx_tokens: dict[str, set[str]] = {}
        self._all_weighted: list | None = None
        # the word after 多少/几 that names the measure in everyday words (多少钱 -> 钱, asked as 元): the figure's
        # unit answers it (the `fit` feature), so no sentence has to repeat it
        self.asked = asked_words(self.question, info)
        # "召开了什么会议": the answer is a 会议 the sentence names (视频调度会议), so a sentence naming one is preferred
        self.head = fold(asked_head(tok.tagged(self.question))) if info.kind in FOCUS_KINDS else ""
        # terms of a clause that only says which notice is meant ("推行“4+N”模式的那个甘肃县,…"): held by a notice
        # that writes them anywhere (`held_by_notice`)
        span = described_span(self.question)
        self.described = [t for t in self.terms if t in span] if span else []
        self._notice_held: dict[str, frozenset[str]] = {}

    def names_head(self, f: str) -> bool:
        """Does the (folded) sentence name a thing of the kind asked (`head`) as a word with a noun or a quoted name
        right before it ("召开视频调度会议", "“一带一路”建设"), not merely the bare word ("会议现场", "主持会议") or a
        longer word holding it (策略师 for 策略)?"""
        if not self.head or self.head not in f:
            return False
        tagged = self.tok.tagged(f)
        for (prev, flag), (word, _) in zip(tagged, tagged[1:]):
            if word == self.head and (flag.startswith(("n", "j", "b", "l", "vn")) or prev in "”》」)）"):
                return True
        return False

    def tokens(self, text: str) -> set[str]:
        if text not in self._tokens:
            got = self.known(text)
            self._tokens[text] = got if got is not None else set(self.tok.tokens(text))
        return self._tokens[text]

    def cover(self, text: str, terms: list[str] | None = None, folded: bool = False) -> float:
        """Soft IDF-weighted coverage of the question's terms by `text` (any writing; folded here unless the
        caller says it already is)."""
        terms = self.terms if terms is None else terms
        if not terms:
            return 0.0
        f = text if folded else fold(text)
        return coverage(terms, self.tokens(f), self.idf, synonyms(), text=f)

    def weighted(self, terms: list[str]) -> list:
        """Terms as (written forms with credits, weight) for proximity: a compound with its parts (PARTIAL credit)
        and synonyms, each folded. Example: ["陕西省", "陕西"] -> [((("陕西省", 1.0), ("陕西", 0.7)), w)]."""
        syn = synonyms()
        out = []
        for h, parts in term_groups(terms):
            forms = [(fold(h), 1.0), *((fold(p), PARTIAL) for p in parts), *((fold(x), 0.9) for x in syn.get(h, ()))]
            out.append((tuple(forms), self.idf(h)))
        return out

    @property
    def all_weighted(self) -> list:
        """Every question term, weighted (computed once per question)."""
        if self._all_weighted is None:
            self._all_weighted = self.weighted(self.terms)
        return self._all_weighted

    def held_by_notice(self, notice: Notice) -> frozenset[str]:
        """The described terms (`described_span`) the notice writes anywhere, folded: they say which notice is meant,
        and its sentences need not repeat them. Computed once per notice and question."""
        if not self.described:
            return frozenset()
        if notice.id not in self._notice_held:
            text = fold(f"{notice.title} {notice.text}")
            self._notice_held[notice.id] = frozenset(t for t in self.described if fold(t) in text)
        return self._notice_held[notice.id]

    def local_cover(self, f: str, terms: list[str], held: frozenset[str] = frozenset()) -> tuple[float, float]:
        """(coverage of `terms` by the folded sentence f, the weight share of the heaviest term it lacks entirely);
        `held`: terms that count as written in it (the township its notice's opening is about: `led_township`).
        Example: "满意度测评结果" against a sentence about 整改完成率 -> (low, the share of 满意度)."""
        if not terms:
            return 0.0, 0.0
        toks = self.tokens(f) | held if held else self.tokens(f)
        groups = term_groups(terms)
        total = sum(self.idf(h) for h, _ in groups) or 1.0
        gone = [self.idf(h) for h, parts in groups
                if h not in toks and not any(p in toks for p in parts) and soft_match(h, f) == 0.0]
        return coverage(terms, toks, self.idf, synonyms(), text=f), (max(gone) / total if gone else 0.0)

    def context_tokens(self, fctx: str) -> set[str]:
        """The words of a (folded) context — a notice's title, issuer, region and heading path — and the question
        terms it holds as an abbreviation (文旅, 体局 of 文旅体局 in 文化和旅游体育局: `abbreviates`)."""
        if fctx not in self._ctx_tokens:
            toks = self.tokens(fctx)
            # held inside a longer word (婺城 of 婺城区) or as an abbreviation
            extra = {t for t in self.terms if t not in toks and (len(t) >= 2 and t in fctx or abbreviates(t, fctx))}
            self._ctx_tokens[fctx] = toks | extra if extra else toks
        return self._ctx_tokens[fctx]

    def local_terms(self, context: str) -> list[str]:
        """Terms the sentence itself must hold: those its notice and heading (`context`) do not already hold, nor
        the question's everyday word for the measure (`asked`).
        Example: "漳县2016年立了几个案" in a notice about 漳县 -> ["2016", "年", "立", "案"]."""
        if context not in self._ctx_free:
            ctx = self.context_tokens(fold(context))
            free = [t for t in self.terms if t not in ctx and t not in self.asked]
            own = [t for t in free if self.focus is None or t in self.focus]
            self._ctx_free[context] = own or free or self.terms
        return self._ctx_free[context]


# a township's name with up to four characters before its level; the words before a name are stripped with
# _NOT_A_NAME ("该镇", "全乡" name none) and names compared by containment
_TOWNSHIP_NAME = re.compile(r"[\u4e00-\u9fff]{1,4}(?:乡|镇|街道)")
_NOT_A_NAME = set("个各全本该每此我其等数多几两乡镇县区市并且又和与及的对在向给把被从是到于让由为跟同那这察视访督查问去来")


def led_township(lead: str, places: tuple[str, ...], terms: list[str]) -> set[str]:
    """The question terms that write a township it names, when a notice's opening (its 导语, folded) names that
    township and no other: a notice on one township's rectification says so at its start, and its sentences then
    write "该镇" or nothing. Counties, districts and cities are left out (an article's opening names them in
    passing). Example: led_township("…邱道鸿一行4人到均川镇开展…回访督查", ("均川镇",), ["均川", "问题"]) -> {"均川"};
    with "均川镇、何店镇" in the opening -> set()."""
    towns = [pl for pl in places if re.search(r"(乡|镇|街道)$", pl)]
    if not lead or not towns:
        return set()
    forms = {f for pl in towns for f in place_forms(pl) if len(f) >= 2}
    if not any(f in lead for f in forms):
        return set()
    for m in _TOWNSHIP_NAME.finditer(lead):
        name = m.group(0)
        while name and name[0] in _NOT_A_NAME:
            name = name[1:]
        if len(re.sub(r"(乡|镇|街道)$", "", name)) < 1:
            continue
        if not any(f in name or name in f for f in forms):
            return set()  # the opening names another township: the notice is not about one
    return {t for t in terms if t in forms}


def asked_words(q: str, info: QuestionInfo) -> set[str]:
    """The one-character word right after 多少/几 that names what is asked in everyday words when the question's
    unit is another (多少钱 asked as 元). Example: asked_words("追缴了多少钱", info with unit 元) -> {"钱"};
    "搬迁了多少户" -> set() (户 is the unit itself)."""
    if info.kind != "count" or not info.unit:
        return set()
    return {w for w in re.findall(r"(?:多少|几)([\u4e00-\u9fff])(?![\u4e00-\u9fff])", q) if w != info.unit}


def abbreviates(term: str, text: str) -> bool:
    """Is `term` (two to six Chinese characters, not in `text` as written) an abbreviation of a name in `text`: its
    characters in order, each within three characters of the one before, as 简称 are made (文旅 of 文化和旅游, 体局 of
    体育局, 发改委 of 发展和改革委员会).

    Example: abbreviates("文旅", "中共金华市婺城区文化和旅游体育局党组") -> True; abbreviates("旅文", …) -> False."""
    if not 2 <= len(term) <= 6 or term in text or not all("\u4e00" <= ch <= "\u9fff" for ch in term):
        return False
    return _abbreviation(term).search(text) is not None


@lru_cache(maxsize=4096)
def _abbreviation(term: str) -> re.Pattern:
    return re.compile(".{0,3}?".join(re.escape(ch) for ch in term))


def _is_heading_line(sent: str) -> bool:
    """A numbered heading ("一、总体要求"), or a short label that only introduces what follows ("正文开始:",
    "整改措施:"): never the sentence that answers."""
    if len(sent.strip()) <= 8 and sent.strip().endswith((":", "：")):
        return True
    return (heading_level(sent) is not None and len(sent) <= 40 and "," not in sent and "，" not in sent
            and (sent.endswith(("。", ":", "：")) or not re.search(r"[。;；!！?？]", sent)))


def _narrow(text: str, s: int, e: int, keep: tuple[int, int] | None, cover) -> tuple[int, int]:
    """Within an over-long sentence, keep the window of clauses that holds the candidate (`keep`) and best
    matches the question. Linear in the sentence: clause coverage is computed once per clause."""
    if e - s <= QUOTE_MAX:
        return s, e
    cuts = sorted({s, e, *(i + 1 for i in range(s, e) if text[i] in ",，;；:：")})
    clauses = list(zip(cuts[:-1], cuts[1:]))
    score = [cover(text[a:b]) for a, b in clauses]
    best, best_score = (s, min(e, s + QUOTE_MAX)), -1.0
    j, total = 0, 0.0
    for i in range(len(clauses)):
        if j < i:
            j, total = i, 0.0
        while j < len(clauses) and clauses[j][1] - clauses[i][0] <= QUOTE_MAX:
            total += score[j]
            j += 1
        if j > i:
            cs, ce = clauses[i][0], clauses[j - 1][1]
            ok = keep is None or (cs <= keep[0] and keep[1] <= ce)
            sc = total + (10.0 if ok and keep is not None else 0.0)
            if sc > best_score:
                best, best_score = (cs, ce), sc
            total -= score[i]
    if keep is not None and not (best[0] <= keep[0] and keep[1] <= best[1]):
        best = (max(s, keep[0] - QUOTE_MAX // 2), min(e, keep[1] + QUOTE_MAX // 2))
    return best


def sentence_evidence(hit: Hit, notice: Notice, scorer: QuestionScorer, subject: list[str]) -> Evidence | None:
    """The best sentence of one passage for this question (and its best short-answer candidate)."""
    p = hit.passage
    info = scorer.info
    ctx = context_text(notice, p)
    # the notice with this passage folded (fold keeps lengths, so a sentence's fold is a slice of it): the
    # passage only, not the whole notice (str.translate costs ~0.1 µs per character of a long text)
    text = notice.text
    folded = text[:p.start] + fold(text[p.start:p.end]) + text[p.end:]
    fctx = fold(ctx)
    named = scorer.held_by_notice(notice)  # "…的那个县": the notice is the one the question describes
    ctx_tokens = scorer.context_tokens(fctx) | named if named else scorer.context_tokens(fctx)
    lead = fold(text[:LEAD_CHARS])
    lead_tokens = scorer.tokens(lead)
    local = scorer.local_terms(ctx)
    if named:
        local = [t for t in local if t not in named] or local
    # not for an English question, whose place is a translation and whose other words may not be the notice's:
    # the place it lacks is then what keeps a weak figure from standing out
    town_held = frozenset() if scorer.english else frozenset(led_township(lead, info.places, local))
    weighted = scorer.weighted(local)
    carried = scorer.weighted([t for t in scorer.terms if t not in scorer.focus]) if scorer.focus else None
    # a clause is asked to hold the question's words but not the measure word asked (户 of 多少户), which the figure
    # itself writes: when the notice's title and heading hold every other word, any clause holds what is asked
    clause_terms = [t for t in local if t != info.unit]

    def clause_cover(t: str) -> float:
        return scorer.cover(t, clause_terms, folded=True) if clause_terms else 1.0

    best: Evidence | None = None
    scored: list[Evidence] = []
    for s, e in sentence_spans(p.text):
        s, e = p.start + s, p.start + e
        sent = text[s:e]
        if len(sent) < 4 or _is_heading_line(sent) or not has_cjk(sent):  # a page id, a bare URL: no answer
            continue
        f = folded[s:e]
        score = 0.0
        if scorer.terms:  # the opening lines (导语) say who and what the notice is about: half credit for their terms
            own = coverage(scorer.terms, scorer.tokens(f) | ctx_tokens, scorer.idf, synonyms(), text=f + " " + fctx)
            led = coverage(scorer.terms, scorer.tokens(f) | ctx_tokens | lead_tokens, scorer.idf, synonyms(),
                           text=f + " " + fctx + " " + lead)
            score = 0.5 * own + 0.5 * led
        cands: list[Candidate] = []
        if info.kind in SHORT_KINDS:
            cands = candidates(text, s, e, info, clause_cover, weighted,
                               scorer.tok.tagged, subject, scorer.question, scorer.is_place, scorer.all_weighted,
                               folded=folded, year=(notice.date or "")[:4], carried=carried)
            cands.sort(key=lambda c: -c.score)
        own_cover, missing = scorer.local_cover(f, local, town_held)
        ev = Evidence(hit, notice, s, e, round(score, 4), cands[0] if cands else None, tuple(cands[1:]),
                      own_cover, missing, FOCUS if scorer.names_head(f) else 0.0)
        scored.append(ev)
        if best is None or ev.combined > best.combined:
            best = ev
    if best is None:
        return None
    if best.candidate is not None and (by := named_by_another(best, scored, folded, scorer, ctx_tokens)):
        best = replace(best, candidate=replace(best.candidate, elsewhere=-1.0))
        log.debug("%s stands for %s only through the title; %s names it", best.candidate.text, by[0], by[1])
    keep = (best.candidate.start, best.candidate.end) if best.candidate else None
    ns, ne = _narrow(notice.text, best.start, best.end, keep, lambda t: scorer.cover(t, local))
    return replace(best, start=ns, end=ne)


NAMED_GAP = 1  # characters between a term and the figure it names: "特斯拉2.6%" (0), not "扶贫领域违纪案件51件" (4)


def named_by_another(best: Evidence, scored: list[Evidence], folded: str, scorer: QuestionScorer,
                     ctx_tokens: set[str]) -> tuple[str, str] | None:
    """A question term the best sentence holds only through its notice's title or heading, which another sentence
    of the passage writes right before a figure of the asked kind: (the term, that figure), else None. Then the
    sentence may be about another subject, and its figure is not stated: "特斯拉被借出的比例是多少?" against an
    article titled "…特斯拉和开云集团成目标…", whose "…阿尔斯通被借出的机构股比例也为33%" covers every other word while
    "分别为特斯拉2.6%、开云集团0.9%…" names Tesla by its own figure."""
    own = scorer.tokens(folded[best.start:best.end])
    held = [t for t in scorer.terms if len(t) >= 2 and t in ctx_tokens and t not in own]
    if not held:
        return None
    key = fold(best.candidate.text)
    for ev in scored:
        for c in ((ev.candidate,) + ev.rivals) if ev.candidate is not None and ev is not best else ():
            if c.fit < 1.0 or fold(c.text) == key:
                continue
            for t in held:
                if t in folded[max(ev.start, c.start - NAMED_GAP - len(t)):c.start]:
                    return t, c.text
    return None


class EvidenceCache:
    """Best sentence per passage for one question, computed once and shared by reranking and answering."""

    def __init__(self, info: QuestionInfo, qtokens: list[str], data: IndexData, tok: Tokenizer, idf: Idf,
                 question: str = "", focus: list[str] | None = None,
                 is_place: Callable[[str], bool] = lambda w: False, english: bool = False) -> None:
        self.info, self.data = info, data
        known = data.token_sets.get if data.token_sets is not None else (lambda text: None)
        self.scorer = QuestionScorer(info, qtokens, tok, idf, question, focus, is_place, known, english)
        self.subject = [fold(info.subject)] if info.subject else []
        self._by_passage: dict[str, Evidence | None] = {}

    def __call__(self, h: Hit) -> Evidence | None:
        pid = h.passage.id
        if pid not in self._by_passage:
            self._by_passage[pid] = sentence_evidence(h, self.data.notice_of(h.passage), self.scorer, self.subject)
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
    prior = {id(ev): 0.3 / (ev.hit.rank or 1) for ev in cands}
    cands.sort(key=lambda ev: (-(ev.combined + prior[id(ev)]), ev.hit.rank))
    if not per_notice:
        return cands
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


# Two calibrated decisions, logistic models over the features below, fitted on the tuning halves by
# benchmarks/calibrate.py (weights, thresholds and their provenance in assistant/data/confidence.json):
# "answer" — does the chosen sentence answer the question (else abstain); "short" — is its best candidate the
# short answer (else quote without one).
FEATURES = ("sentence", "local", "missing", "candidate", "near", "anchor", "clause", "margin", "top_rank", "counted",
            "fit", "has_candidate", "rival", "when")


HOLDING_SHARE = 0.7  # a sentence holding the asked kind replaces a first one without it covering this much as well


def holding_first(ranked: list[Evidence], depth: int = 5) -> list[Evidence]:
    """For a question wanting a figure, date or name: when the first sentence holds none, the first of the next
    ones that holds one and covers the question nearly as well (HOLDING_SHARE of its coverage) takes its place (a
    passage ranked first for its title line, "莲都开展扶贫领域专项督查", against the sentence "7月26日起,区纪委…组成
    专项督查组" of the same notice for 从什么时候开始). A much better-covering sentence without one stays first (and
    is refused as no answer of the asked kind)."""
    if not ranked or ranked[0].candidate is not None:
        return ranked
    for i, ev in enumerate(ranked[1:depth], start=1):
        if ev.candidate is not None and ev.score >= HOLDING_SHARE * ranked[0].score:
            return [ev, *ranked[:i], *ranked[i + 1:]]
    return ranked


def features(best: Evidence, others: list[Evidence]) -> dict[str, float]:
    """Why an answer might be right: how well its sentence covers the question, its best candidate's own scores,
    how far that candidate beats the strongest different one (in its sentence and in the other top sentences)."""
    out = {k: 0.0 for k in FEATURES}
    out["sentence"] = best.score
    out["local"] = best.local
    out["missing"] = best.missing
    out["top_rank"] = 1.0 if best.hit.rank == 1 else 0.0
    c = best.candidate
    if c is None:
        return out
    key = fold(c.text)
    rivals = [r.score for r in best.rivals if fold(r.text) != key]
    for ev in others:
        if ev.candidate is not None and fold(ev.candidate.text) != key:
            rivals.append(ev.candidate.score + 0.6 * (ev.score - best.score))
    margin = c.score - max(rivals) if rivals else 1.0
    out.update(candidate=c.score, near=c.near, anchor=c.anchor, clause=c.clause, margin=max(-1.0, min(1.0, margin)),
               counted=c.counted, fit=c.fit, has_candidate=1.0, rival=c.rival, when=c.when)
    # "贫困村退出有几类指标?" against "贫困村退出4类11项指标": 11项 only stands in for the 类 asked, which 4类 is
    if c.fit < 1.0 and any(r.fit >= 1.0 and fold(r.text) != key for r in best.rivals):
        out["exact_rival"] = 1.0
    return out


def is_strong(feats: dict[str, float], strong: dict[str, float] | list[dict[str, float]]) -> bool:
    """Strong evidence, whatever the model's probability: every feature of a rule at or above its threshold (chosen
    by benchmarks/calibrate.py on the tuning questions; e.g. the sentence covers the question, a term touches the
    figure) — or at or below it for a key ending in "_max" ("missing_max": 0.1, no question term of weight lacking);
    with several rules, any one. An empty rule is never met."""
    rules = strong if isinstance(strong, list) else [strong]
    return any(rule and all(feats.get(k[:-4], 0.0) <= v if k.endswith("_max") else feats.get(k, 0.0) >= v
                            for k, v in rule.items()) for rule in rules)


def probability(feats: dict[str, float], weights: dict[str, float]) -> float:
    z = weights.get("bias", 0.0) + sum(weights.get(k, 0.0) * v for k, v in feats.items())
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def names_place(ev: Evidence, places: tuple[str, ...]) -> bool:
    """Does the evidence speak of one of the places: its notice's region, title, issuer or opening, or its passage;
    for a notice whose region is unknown (a news page that never says where in its title or opening), anywhere in
    its text. Example: a Shaanxi figure never answers "甘肃呢?"."""
    n = ev.notice
    hay = fold(f"{n.title} {n.issuer} {n.region} {n.province or ''} {n.text[:LEAD_CHARS]} {ev.hit.passage.text}")
    forms = {form for pl in places for form in place_forms(pl)}
    if any(form in hay for form in forms):
        return True
    return not (n.region or n.province) and any(form in fold(n.text) for form in forms)


PRECEDENT_MIN = 0.5  # coverage of a precedent question by a sentence with its notice title and heading path
# a figure is not stated when this share of the question's term weight stands only in other figures' clauses of its
# sentence: "游资资金净流出多少" against "游资资金净流入116.99万元,…,散户资金净流出135.19万元" (0.5 for 135.19万元;
# at most 0.28 on every tune-visible question)
RIVAL_MAX = 0.4
ANCHOR_MIN = 0.5  # a figure is stated only when a question term stands within ~5 characters of it ("搬迁应腾退旧宅基地22.11万户" is 7 away)


def decisive(c: Candidate, feats: dict[str, float], info: QuestionInfo) -> bool:
    """Rules no calibration overrides: a figure is stated only when a question term stands right by it (anchor)
    and it counts what was asked (counted), and only when no different candidate of the top sentences scores as high (margin): two figures that fit
    equally well mean the notice has not been understood, so the quote is shown without a bold figure."""
    if feats.get("margin", 0.0) <= 0.0:
        return False
    if c.respective < 0:  # "A、B分别x、y": the figure goes with an item the question does not name
        return False
    if c.unpaired < 0:  # "产销量同比分别增长10%和12.9%" for 销量: which of the figures is asked is not known
        return False
    if feats.get("exact_rival", 0.0) > 0:  # "4类11项指标" for 几类: another figure of the sentence is in the unit asked
        return False
    if c.extreme < 0:  # 最多有几个: the sentence marks another figure as the most, or this one as the least
        return False
    if c.when < 0:  # the question names a year; the sentence names only other years
        return False
    if c.dated < 0:  # the question names a day or month; the nearest date before the figure is another one
        return False
    if info.predicate_unread:  # "How many cooperatives were deregistered": 注销 unread, 696个 (规范提升) was stated
        return False
    if c.elsewhere < 0:  # the place asked stands in another figure's clause only ("其中凤翔镇高达6.1%")
        return False
    if c.whole < 0:  # "项目共103项,其中工业项目仍只有9项" for 工业项目有几项: 103项 is the whole, 9项 the part asked
        return False
    if c.rival >= RIVAL_MAX:  # the question's words are mostly another figure's
        return False
    if c.other_side < 0:  # 截至哪天 against a period (6月24日至8月10日); 690分以下 against 690分以上
        return False
    if c.untimed < 0:  # 2022年 (上半年) asked; no year (no period) by the figure, in its paragraph, as the notice's date
        return False
    # a count's figure must count what was asked: not "11.09万户建档立卡群众签订旧房拆除协议" (households that signed
    # something) for 搬迁了多少户 (counted < 0: another noun phrase follows the figure)
    return info.kind != "count" or (c.anchor >= ANCHOR_MIN and c.counted >= 0)


def differing(top: Evidence, rest: list[Evidence], model: dict, most: int = 2) -> list[Evidence]:
    """Other notices that state the asked quantity with a different figure, as surely as the chosen sentence:
    each is shown with its notice and date, and no single figure is given bold. Strict: the unit fits exactly,
    a question term touches each figure, and each sentence covers the question about as well."""
    c = top.candidate
    if c is None or c.fit < 1.0 or c.anchor < 0.5:
        return []
    out: list[Evidence] = []
    seen = {top.notice.id}
    for ev in rest:
        o = ev.candidate
        if (o is None or ev.notice.id in seen or fold(o.text) == fold(c.text) or o.fit < 1.0 or o.anchor < 0.5
                or o.counted < 0 or ev.score < 0.9 * top.score or ev.local < 0.9 * top.local
                or probability(features(ev, []), model["weights"]) < model["threshold"]):
            continue
        seen.add(ev.notice.id)
        out.append(ev)
        if len(out) >= most:
            break
    return out


def fits_type(ev: Evidence, info: QuestionInfo, scorer: QuestionScorer, english: bool = False) -> bool:
    """Can the chosen sentence answer this kind of question at all? A count question needs a figure in a unit
    that fits, counting what was asked; a when-question a date. An English question's words are translations
    that may not be the notice's (inspection: 检查, the notice's 巡察), so a figure followed by a noun it does not
    name (-0.5) may still be quoted, never stated (decisive() refuses it)."""
    if info.kind == "count":
        if ev.candidate is None or ev.candidate.counted < (-0.5 if english else 0):
            return False
        if info.counted and not info.counted_translated:  # 多少名中小学教师 is not answered by "19名教师"
            counted = [t for w in scorer.tok.leading_noun_phrase(info.counted) for t in scorer.tok.tokens(w)
                       if t not in STOPWORDS]
            # the noun may stand earlier in the sentence's paragraph, which the sentence breaks down:
            # "全县共立查扶贫领域违纪案件51件…。其中,2015年立案6件…。2016年立案21件" (at most PARA_BACK characters back)
            para = fold(ev.notice.text[paragraph_start(ev.notice.text, ev.start):ev.end])
            if counted and coverage(counted, scorer.tokens(para), scorer.idf, synonyms(), text=para) < 0.8:
                return False
    if info.kind == "date" and not date_spans(ev.quote):
        return False
    if info.kind == "contact" and ev.candidate is None:  # a number or address to reach someone, or nothing
        return False
    return True


def issue_date_evidence(notice: Notice, passages: list) -> Evidence | None:
    """The 落款 date line of a notice, when it has one (for "…是哪天印发的?"), cited from its own passage."""
    dates = list(re.finditer(r"(?m)^\d{4}年\d{1,2}月\d{1,2}日$", notice.text))
    m = dates[-1] if dates else None
    if m is None or m.start() < len(notice.text) - 200:
        return None
    home = next((p for p in passages if p.start <= m.start() and m.end() <= p.end), None)
    if home is None:
        return None
    cand = Candidate(m.start(), m.end(), m.group(0), 1.0, 1.0, 1.0, 0.0, 1.0)
    return Evidence(Hit(home, 1.0, rank=1), notice, m.start(), m.end(), 1.0, cand)


META_LABEL = {"doc_number": "文号", "issuer": "发文单位", "title": "标题", "date": "日期"}


def published_date(line: str, iso: str) -> str | None:
    """The date in `line` that is the ISO date `iso`, as the line writes it.

    Example: published_date("发布时间:2023-05-26 14∶48", "2023-05-26") -> "2023-05-26";
    published_date("2019年4月4日", "2019-04-04") -> "2019年4月4日"; published_date("二〇一九年四月四日",
    "2019-04-04") -> "二〇一九年四月四日"; another day -> None.
    """
    for s, e in date_spans(line):
        parts = [int(x) for x in re.findall(r"\d+", fold(line[s:e]))]
        if len(parts) >= 3 and f"{parts[0]:04d}-{parts[1]:02d}-{parts[2]:02d}" == iso:
            return line[s:e]
    whole = line.strip()  # a 落款 in Chinese numerals: 二〇一九年四月四日
    return whole if whole and date_of_line(whole) == iso else None
META_SOURCE = {"header": "文件头", "title-line": "标题行", "signature": "落款", "doc-number-line": "文号行",
               "red-header": "文件头", "date-line": "发布时间行"}


def metadata_answer(q: str, rq: str, info: QuestionInfo, hits: list[Hit], notices: dict[str, Notice], checked: int,
                    english: bool) -> Answer | None:
    """A question about a notice itself (its 文号, issuer, title): the value from the notice's metadata, cited as
    the header or signature line it was read from, as published (raw_text span; passage spans are untouched).
    The notice is the best hit's (of the place asked, when one is named). None when that notice's value has no
    published line holding it (a document property, or derived): the ordinary answer path then quotes."""
    for h in hits[:3]:
        n = notices.get(h.passage.notice_id)
        if n is None:
            continue
        if info.places and not any(form in fold(f"{n.title} {n.issuer} {n.region} {n.province or ''}")
                                   for pl in info.places for form in place_forms(pl)):
            continue
        named = re.search(r"《([^》]+)》", q)
        if named and fold(named.group(1)) not in fold(n.title):
            continue  # a document the question names by its title, which this notice is not (it may cite it)
        value = getattr(n, info.meta_field, None)
        if not value:
            return None
        src = n.provenance.get(info.meta_field)
        if info.meta_field == "date":  # the date as its line prints it: 2019年4月4日, 2023-05-04
            value = published_date(src.line, value) if src is not None and src.line else None
            if value is None:
                return None
        if src is not None and src.line and src.start is not None and src.end is not None \
                and value in src.line and n.raw_text[src.start:src.end] == src.line:
            where, quote, page = META_SOURCE.get(src.kind, "文件信息"), src.line, src.page
            cite = Citation(n=1, notice_id=n.id, title=n.title, issuer=n.issuer, date=n.date, section=where,
                            quote=quote, start=src.start, end=src.end, page=page, origin="raw")
        else:  # no published line recorded: the value's own line in the text (a title line), when it is there
            i = n.text.find(value)
            if i < 0:
                return None
            a = n.text.rfind("\n", 0, i) + 1
            b = n.text.find("\n", i + len(value))
            b = len(n.text) if b < 0 else b
            where, quote = "正文", n.text[a:b]
            cite = Citation(n=1, notice_id=n.id, title=n.title, issuer=n.issuer, date=n.date, section=where,
                            quote=quote, start=a, end=b, page=n.page_at(a))
        when = n.date or "未注明日期"
        if english:
            text = f"Answer: {value} [1]\n\nSource: 《{n.title}》({when}), {where}: “{quote}”[1]"
        else:
            text = f"{value}\n\n据《{n.title}》({when}){where}:“{quote}”[1]"
        return Answer(question=q, text=text, abstained=False, rewritten_question=rq, citations=(cite,), short_answer=value,
                      notices_checked=checked, confidence=1.0, short_candidate=value)
    return None


def citation(n: int, ev: Evidence) -> Citation:
    return Citation(n=n, notice_id=ev.notice.id, title=ev.notice.title, issuer=ev.notice.issuer,
                    date=ev.notice.date, section=ev.hit.passage.section_label, quote=ev.quote,
                    start=ev.start, end=ev.end, page=ev.notice.page_at(ev.start))


class ExtractiveAnswerer:
    """Answers from the retrieved passages by quoting their best sentences, or abstains. Built once per index."""

    def __init__(self, cfg: Config, data: IndexData, tokenizer: Tokenizer, idf: Idf,
                 models: dict | None = None, is_place: Callable[[str], bool] = lambda w: False) -> None:
        from ..lexicon import confidence_model
        self.cfg = cfg
        self.data = data
        self.tokenizer = tokenizer
        self.idf = idf
        self.gate = Gate(data, tokenizer, idf)
        self.models = models if models is not None else confidence_model()
        self.is_place = is_place  # a word the gazetteer knows as a place

    def evidence_cache(self, info: QuestionInfo, qtokens: list[str], question: str = "",
                       focus: list[str] | None = None, english: bool = False) -> EvidenceCache:
        return EvidenceCache(info, qtokens, self.data, self.tokenizer, self.idf, question, focus, self.is_place,
                             english)

    def answer(self, q: str, rq: str, info: QuestionInfo, qtokens: list[str], hits: list[Hit], checked: int,
               evidence_of: EvidenceCache, english: bool | None = None) -> Answer:
        """The answer to `q` (searched as `rq`) from the reranked hits; `checked` notices were in scope."""
        base = Answer(question=q, text="", abstained=True, rewritten_question=rq, notices_checked=checked)
        english = not has_cjk(q) if english is None else english
        if not hits:
            return replace(base, text=abstain_text(q, english))
        if info.meta_field in META_LABEL:  # 文号, issuer, title; the date when asked of the notice itself
            meta = metadata_answer(q, rq, info, hits, self.data.notices, checked, english)
            if meta is not None:
                problems = answer_problems(meta.text, list(meta.citations), self.data.notices, own_numbers=(checked,))
                if not problems:
                    return meta
                log.error("metadata answer failed its citation check: %s", problems)
        # an English question's terms are dictionary translations, some of which the notices word differently
        floor = self.cfg.abstain_min_coverage * (0.6 if english else 1.0)
        abstain, missing = self.gate.why_not(info, qtokens, hits, floor)
        if abstain:
            related = []
            for h in hits[:3]:
                ev = evidence_of(h)
                if ev is not None:
                    related.append(citation(len(related) + 1, ev))
            why = f"(已收录的通报未涉及“{missing}”)" if missing else ""
            return replace(base, text=abstain_text(q, english) + why, related=tuple(related))
        per_notice = info.kind in ("list", "how") and not info.places and not info.years
        ranked = choose_evidence(hits, evidence_of, per_notice)
        if info.places:  # a question about a place is answered from that place's notice or not at all
            ranked = [ev for ev in ranked if names_place(ev, info.places)]
        if not per_notice and info.kind in SHORT_KINDS:
            ranked = holding_first(ranked)
        other_year = False
        if (info.years or info.periods) and ranked and ranked[0].candidate is not None and ranked[0].candidate.when < 0:
            # the best sentence names only other years (2022年… for 2023年…): the notices hold this quantity, not
            # for the year asked; a weaker sentence is no better answer
            ranked, other_year = [], True
        scorer = evidence_of.scorer
        if info.about_issue_date:
            top = hits[0].passage.notice_id
            dated = issue_date_evidence(self.data.notices[top], self.data.by_notice.get(top, []))
            ranked = [dated] + ranked if dated else ranked
        feats = features(ranked[0], ranked[1:4]) if ranked else {}
        if ranked and ranked[0].candidate is not None:  # the two rules below, recorded for calibration
            feats["anchored"] = 1.0 if decisive(ranked[0].candidate, feats, info) else 0.0
            # a date is anchored by the predicate of its clause, not by a term beside it: its own strong rule
            feats["date"] = 1.0 if info.kind == "date" else 0.0
        p_answer = probability(feats, self.models["answer"]["weights"]) if ranked else 0.0
        if per_notice:
            floor = self.models["answer"]["threshold"]
            # precedents are quoted, never given a bold figure: a sentence covering the question well enough is
            # shown even when the answer model (fitted mostly on fact questions) doubts it
            evidence = [ev for ev in ranked if probability(features(ev, []), self.models["answer"]["weights"]) >= floor
                        or ev.score >= PRECEDENT_MIN]
        elif ranked and fits_type(ranked[0], info, scorer, english) and p_answer >= self.models["answer"]["threshold"]:
            evidence = ranked[:1]
        else:
            evidence = []
        if len(evidence) == 1 and info.kind == "count" and not info.places:
            evidence += differing(evidence[0], ranked[1:6], self.models["answer"])
        details = {k: round(v, 4) for k, v in feats.items()}
        if not evidence:
            related = [citation(i + 1, ev) for i, ev in enumerate(choose_evidence(hits, evidence_of, True, max_items=3))]
            asked = "、".join([*(f"{y}年" for y in info.years), *info.periods])
            why = f"(最相关的原文只写了其他{'年份' if info.years and not info.periods else '时间'},未写{asked})" \
                if other_year else ""
            return replace(base, text=abstain_text(q, english) + why, related=tuple(related),
                           confidence=round(p_answer, 4),
                           short_candidate=ranked[0].candidate.text if ranked and ranked[0].candidate else "",
                           short_features=details)
        short, conf, cand = "", p_answer, ""
        if len(evidence) == 1 and evidence[0].candidate is not None:
            cand = evidence[0].candidate.text
            conf = probability(feats, self.models["short"]["weights"])
            sure = conf >= self.models["short"]["threshold"] or is_strong(feats, self.models["short"].get("strong", []))
            if sure and decisive(evidence[0].candidate, feats, info):
                short = cand
        text, cites = compose(info, evidence, checked, short, english)
        derived = tuple(bare_numbers(english_figure(short))) if english and short else ()
        problems = answer_problems(text, cites, self.data.notices, own_numbers=(checked, len(evidence), *derived))
        if short and short not in cites[0].quote:
            problems.append(f"short answer {short!r} is not in its quote")
        if problems:  # never show a figure or quote that fails its check
            log.error("answer failed its citation check: %s", problems)
            return replace(base, text=abstain_text(q, english), related=tuple(cites))
        return replace(base, text=text, abstained=False, citations=tuple(cites), short_answer=short,
                       confidence=round(conf, 4), short_candidate=cand, short_features=details)

    def stream(self, q: str, rq: str, info: QuestionInfo, qtokens: list[str], hits: list[Hit], checked: int,
               evidence_of: EvidenceCache, history=()) -> Iterator[Final]:
        """The `Answerer` interface (answer/base.py): the quoted answer as one final event; history is already
        folded into the rewritten question `rq`."""
        yield Final(self.answer(q, rq, info, qtokens, hits, checked, evidence_of))


__all__ = ["Evidence", "EvidenceCache", "ExtractiveAnswerer", "QuestionScorer", "citation", "term_groups"]
