"""Typed records that cross module lines. Nothing here touches disk or models.

Every passage knows where it came from: `notice.text[passage.start:passage.end] == passage.text`.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any


def content_hash(text: str, n: int = 16) -> str:
    """Stable short hash of a text. Example: content_hash("abc") -> "ba7816bf8f01cfea"."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:n]


@dataclass(frozen=True)
class Notice:
    """One cleaned notice with its metadata."""

    id: str  # content-derived: hash of the cleaned text
    path: str  # file name inside the corpus folder
    title: str
    issuer: str
    date: str | None  # ISO YYYY-MM-DD, None when the notice states none
    province: str | None
    city: str | None
    county: str | None
    township: str | None
    doc_number: str | None
    source: str | None  # publishing website or office from the header, when given
    text: str  # cleaned text; every passage span points into it

    def meta(self) -> dict[str, Any]:
        """Metadata without the text (for listings)."""
        d = asdict(self)
        d.pop("text")
        d["chars"] = len(self.text)
        return d

    @property
    def region(self) -> str:
        """Most specific region label. Example: 陕西省 / 榆阳区红石桥乡."""
        parts = [p for p in (self.province, self.city, self.county, self.township) if p]
        return "".join(parts)


@dataclass(frozen=True)
class Passage:
    """A section-bounded slice of a notice."""

    id: str  # notice id + span + text hash
    notice_id: str
    section: tuple[str, ...]  # heading path, outermost first
    start: int
    end: int
    text: str

    @property
    def section_label(self) -> str:
        return " > ".join(self.section)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["section"] = list(self.section)
        return d

    @staticmethod
    def from_dict(d: dict[str, Any]) -> "Passage":
        return Passage(
            id=d["id"], notice_id=d["notice_id"], section=tuple(d["section"]),
            start=int(d["start"]), end=int(d["end"]), text=d["text"],
        )


@dataclass(frozen=True)
class Hit:
    """A retrieved passage with the scores that put it where it is."""

    passage: Passage
    score: float  # final score (higher is better)
    bm25_rank: int | None = None  # 1-based, None when not in that list
    dense_rank: int | None = None
    fused_score: float = 0.0
    rank: int = 0  # final 1-based rank


@dataclass(frozen=True)
class Citation:
    n: int
    notice_id: str
    title: str
    issuer: str
    date: str | None
    section: str
    quote: str
    start: int  # span of the quote in the notice's cleaned text
    end: int


@dataclass(frozen=True)
class RankedPassage:
    notice_id: str
    title: str
    section: str
    text: str
    score: float
    start: int
    end: int
    bm25_rank: int | None
    dense_rank: int | None
    fused_score: float
    rank: int


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    abstained: bool
    rewritten_question: str
    citations: tuple[Citation, ...] = ()
    passages: tuple[RankedPassage, ...] = ()
    related: tuple[Citation, ...] = ()  # 可能相关: shown when abstaining
    timings: dict[str, float] = field(default_factory=dict)
    notices_checked: int = 0
    # The figure, date, name or list that answers the question, a verbatim substring of a cited quote;
    # "" when the assistant is not sure enough to state one (the trust issue: no short answer beats a wrong one).
    short_answer: str = ""
    confidence: float = 0.0  # in [0, 1]; the short answer is given only above a threshold chosen on tuning data

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["citations"] = [asdict(c) for c in self.citations]
        d["passages"] = [asdict(p) for p in self.passages]
        d["related"] = [asdict(c) for c in self.related]
        return d
