"""Reranking. The default needs no model: answer-type, place and heading signals added to the fused score.
With `reranker_model` set, a local cross-encoder folder (sentence-transformers CrossEncoder) scores instead.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from ..errors import ModelError
from ..question import QuestionInfo
from ..text import DATE_PATTERN, figures, fold, unit_ok
from ..types import Hit
from .index import IndexData, indexed_text


@dataclass(frozen=True)
class RuleWeights:
    unit_figure: float = 0.15  # passage has a figure in the asked unit
    anchored: float = 0.10  # …right after a question term ("搬迁24.93万户")
    any_figure: float = 0.04  # a count question, passage has some figure
    date: float = 0.10  # a when-question, passage has a date
    place: float = 0.15  # the notice (or passage) names a place the question names
    heading: float = 0.10  # share of question terms found in the heading path


def has_unit_figure(text: str, unit: str | None) -> bool:
    """Example: has_unit_figure("搬迁24.93万户", "户") -> True."""
    if not unit:
        return False
    return any(unit_ok(f, unit) for f in figures(text))


def anchored_figure(sent: str, unit: str | None, qtokens: list[str], gap: int = 3) -> str | None:
    """A figure in the asked unit that closely follows a question term: the figure the question asks for.

    Example: anchored_figure("易地扶贫搬迁24.93万户84.36万人", "户", ["搬迁", "户"]) -> "24.93万户";
    anchored_figure("新扶持创建扶贫车间29个", None, ["扶贫车间"]) -> "29个".
    """
    terms = [t for t in set(qtokens) if len(t) >= 2]
    for f in figures(sent):
        if unit and not unit_ok(f, unit):
            continue
        if not unit and not re.search(r"\D$", f):  # without an asked unit, a figure must carry its own
            continue
        i = sent.find(f)
        before = sent[max(0, i - gap - 6):i]
        if any(before.endswith(t) or t in before[-(len(t) + gap):] for t in terms):
            return f
    return None


def place_match(n, text: str, places: tuple[str, ...]) -> float:
    """1.0 when a named place is the notice's own most specific region (or in its issuer / title), 0.5 when it
    is only an enclosing region of the notice or is named in the passage or elsewhere in the notice (a county's
    notice on one township's rectification names the township in its body, and its passages say "镇党委"), else 0.
    Costs a substring search of the notices of the hits reranked, not of the corpus.

    Example: "陕西" vs a province-level Shaanxi notice -> 1.0; vs a township notice in Shaanxi -> 0.5.
    """
    own = next((x for x in (n.township, n.county, n.city, n.province) if x), "")
    best = 0.0
    named = fold(f"{n.issuer} {n.title}")  # a notice in traditional characters names 甘肅 for 甘肃
    for pl in places:
        if pl and (pl in own or pl in named):
            return 1.0
        if pl and (any(pl in x for x in (n.province, n.city, n.county) if x) or pl in fold(text) or pl in fold(n.text)):
            best = 0.5
    return best


def rule_scores(hits: list[Hit], info: QuestionInfo, qtokens: list[str], data: IndexData,
                w: RuleWeights = RuleWeights(), placed: list[float] | None = None) -> list[float]:
    """Each hit's fused score plus the rule signals; `placed`: each hit's place_match, when the caller has it."""
    out = []
    for i, h in enumerate(hits):
        p = h.passage
        n = data.notice_of(p)
        s = h.fused_score
        if info.kind == "count":
            if has_unit_figure(p.text, info.unit):
                s += w.unit_figure
            elif figures(p.text):
                s += w.any_figure
            if anchored_figure(p.text, info.unit, qtokens):
                s += w.anchored
        if info.kind == "date" and DATE_PATTERN.search(p.text):
            s += w.date
        if info.places:
            s += w.place * (placed[i] if placed is not None else place_match(n, p.text, info.places))
        if qtokens:
            label = p.section_label
            s += w.heading * sum(1 for t in set(qtokens) if t in label) / len(set(qtokens))
        out.append(s)
    return out


class CrossEncoderReranker:
    """A local cross-encoder folder; loaded on first use."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder).expanduser()
        if not self.folder.is_dir():
            raise ModelError(f"找不到本地重排序模型目录:{self.folder}", f"reranker_model is not a folder: {folder}")
        self._model = None

    def scores(self, question: str, texts: list[str]) -> list[float]:
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            try:
                from sentence_transformers import CrossEncoder
                self._model = CrossEncoder(str(self.folder), device="cpu", local_files_only=True)
            except Exception as e:  # noqa: BLE001
                raise ModelError(f"无法加载本地重排序模型:{self.folder}", repr(e)) from e
        return [float(x) for x in self._model.predict([(question, t) for t in texts], show_progress_bar=False)]


def rerank(hits: list[Hit], question: str, info: QuestionInfo, qtokens: list[str], data: IndexData,
           cross: CrossEncoderReranker | None = None, depth: int = 30) -> list[Hit]:
    """Reorder the first `depth` hits; the rest keep their order below them. For a question naming a place, the
    passages of notices that name it come first: the answer stage answers such a question from that place's
    notice or not at all, so a better-scoring passage of another place's notice must not push them out of its
    reach ("四川现场培训会在哪里开的?": the Sichuan notice writes 全省, its region 四川 is read at ingestion)."""
    head, tail = hits[:depth], hits[depth:]
    if not head:
        return hits
    placed = [place_match(data.notice_of(h.passage), h.passage.text, info.places) for h in head] \
        if info.places else None
    scores = rule_scores(head, info, qtokens, data, placed=placed)
    if cross is not None:
        ce = cross.scores(question, [indexed_text(data.notice_of(h.passage), h.passage) for h in head])
        lo, hi = min(ce), max(ce)
        scores = [0.7 * ((c - lo) / (hi - lo) if hi > lo else 1.0) + 0.3 * s for c, s in zip(ce, scores)]
    elsewhere = [p == 0.0 for p in placed] if placed is not None else [False] * len(head)
    order = sorted(range(len(head)), key=lambda i: (elsewhere[i], -scores[i], head[i].rank))
    ranked = [replace(head[i], score=scores[i]) for i in order] + tail
    return [replace(h, rank=r + 1) for r, h in enumerate(ranked)]


def rerank_by_evidence(hits: list[Hit], evidence_score: Callable[[Hit], float | None], depth: int = 8,
                       weight: float = 0.5) -> list[Hit]:
    """Answer-aware reranking: a passage's score plus `weight` times the score of its best answering sentence,
    over the first `depth` hits. The passage that holds the answering sentence moves to the top.

    The sentence scores come from the answer stage (`evidence_score`, None when a passage has no sentence):
    reranking needs them, but search never imports the answer stage, so the pipeline passes them in.
    Example: hits scored [0.5, 0.4] whose sentences score [0.0, 0.6] -> the second hit first (0.7 > 0.5).
    """
    head, tail = hits[:depth], hits[depth:]
    scored = []
    for h in head:
        s = evidence_score(h)
        scored.append((h.score + weight * (s if s else 0.0), h))
    scored.sort(key=lambda x: (-x[0], x[1].rank))
    ranked = [replace(h, score=round(sc, 4)) for sc, h in scored] + tail
    return [replace(h, rank=i + 1) for i, h in enumerate(ranked)]


def cited_first(hits: list[Hit], spans: list[tuple[str, int]]) -> list[Hit]:
    """The hits whose passages hold the answer's quotes (notice id, quote start), in the answer's order, then the
    others: the sources a reader sees list first what the answer cites (the answer stage may quote a passage that
    ranked second). Example: hits [A, B] and an answer quoting B -> [B, A], ranks renumbered."""
    first: list[Hit] = []
    for nid, start in spans:
        for h in hits:
            p = h.passage
            if p.notice_id == nid and p.start <= start < p.end and h not in first:
                first.append(h)
                break
    if not first or first[0] is hits[0] and len(first) == 1:
        return hits
    ranked = first + [h for h in hits if h not in first]
    return [replace(h, rank=i + 1) for i, h in enumerate(ranked)]
