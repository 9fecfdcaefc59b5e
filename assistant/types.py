"""Typed records that cross module lines. Nothing here touches disk or models.

Every passage knows where it came from: `notice.text[passage.start:passage.end] == passage.text`.
"""
from __future__ import annotations

import hashlib
from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from typing import Any


def content_hash(text: str, n: int = 16) -> str:
    """Stable short hash of a text. Example: content_hash("abc") -> "ba7816bf8f01cfea"."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:n]


@dataclass(frozen=True)
class MetaSource:
    """Where one metadata field of a notice came from.

    `kind`: "header" (a header row or publication line of the file), "title-line", "signature" (the 落款),
    "doc-number-line" (a 发文字号 line), "red-header" (a 红头 line ending in 文件), "date-line" (a 发布时间 line),
    "document-property" (DOCX core properties, an HTML page's title or date: not in the text, so no position),
    or "derived" (computed from the text; `line` then holds the line it was computed from, when there is one).
    `line` is the line as published (verbatim); `raw_text[start:end] == line`, `line_no` is 1-based, and `page`
    is the page of a paged original (PDF, OCR), else None.

    Example: MetaSource("doc_number", "达市府办函〔2019〕30号", "header",
                        "来 源: | 达州市人民政府办公室 | 文 号: | 达市府办函〔2019〕30号 |", 1, 0, 44, None).
    """

    field: str
    value: str
    kind: str
    line: str = ""
    line_no: int | None = None
    start: int | None = None
    end: int | None = None
    page: int | None = None

    @property
    def derived(self) -> bool:
        return self.kind == "derived"


@dataclass(frozen=True)
class Notice:
    """One cleaned notice with its metadata."""

    id: str  # content-derived: hash of the cleaned text
    path: str  # file name inside the corpus folder (the original as uploaded, under a safe name)
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
    # The text as the reader produced it, before cleaning (a .txt file as decoded; the text layer of a PDF with
    # running headers removed and broken lines joined): metadata provenance spans point into it.
    raw_text: str = ""
    provenance: dict[str, MetaSource] = field(default_factory=dict)  # field name -> where its value came from
    # Offsets in `text` where pages 1, 2, … begin, for a paged original (PDF, scan); () otherwise.
    page_starts: tuple[int, ...] = ()
    reader: str = "txt"  # which reader read the original (txt, html, docx, pdf, pdf+ocr, ocr)
    # Offsets in `text` of lines the original marks as headings (Word heading styles, HTML h1-h6); chunking
    # starts a section at each.
    heading_starts: tuple[int, ...] = ()  # which reader read the original (txt, html, docx, pdf, ocr)

    @property
    def region_text(self) -> str:
        """What a region filter searches (Filters.allows; stores push it down as a substring match).
        Example: province 陕西省, county 石泉县 -> "陕西省 石泉县 <issuer> <title>"."""
        return " ".join(x for x in (self.province, self.city, self.county, self.township, self.issuer, self.title)
                        if x)

    def meta(self) -> dict[str, Any]:
        """Metadata without the texts (for listings), with where each field came from."""
        d = self.to_dict()
        d.pop("text")
        d.pop("raw_text")
        d["chars"] = len(self.text)
        return d

    def page_at(self, pos: int) -> int | None:
        """Page (1-based) holding text[pos], or None for an original without pages.

        Example: page_starts (0, 120): page_at(5) -> 1, page_at(130) -> 2.
        """
        if not self.page_starts:
            return None
        return max(1, bisect_right(self.page_starts, pos))

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["page_starts"] = list(self.page_starts)
        d["heading_starts"] = list(self.heading_starts)
        return d

    @staticmethod
    def from_dict(d: dict[str, Any]) -> "Notice":
        d = dict(d)
        d["provenance"] = {k: MetaSource(**v) for k, v in (d.get("provenance") or {}).items()}
        d["page_starts"] = tuple(d.get("page_starts") or ())
        d["heading_starts"] = tuple(d.get("heading_starts") or ())
        return Notice(**d)

    @property
    def region(self) -> str:
        """Most specific region label. Example: 陕西省 / 榆阳区红石桥乡."""
        parts = [p for p in (self.province, self.city, self.county, self.township) if p]
        return "".join(parts)


@dataclass(frozen=True)
class DroppedLine:
    """A line (or the tail of a line) that cleaning left out of a notice's text, and why.

    Example: DroppedLine(line_no=212, text="责任编辑:韩绪光", reason="网页杂项(整行)").
    """

    line_no: int  # 1-based, in the reader's text
    text: str
    reason: str


@dataclass(frozen=True)
class FileReport:
    """What happened to one file of the corpus folder: read, kept, dropped, or why it was skipped.

    status: "ok" (indexed as notice_id), "duplicate" (same body text as `duplicate_of`, indexed once),
    "error" (could not be read, or nothing left after cleaning: `error` says why, in Chinese),
    "skipped" (not read at all: a subfolder, a hidden or unsupported file, a symlink out of the folder, too large).
    """

    path: str
    status: str
    reader: str = ""
    chars_read: int = 0
    chars_kept: int = 0
    notice_id: str = ""
    duplicate_of: str = ""
    error: str = ""
    code: str = ""  # a stable English key for the kind of problem (e.g. "empty-body", "symlink-outside")
    dropped: tuple[DroppedLine, ...] = ()
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["dropped"] = [asdict(x) for x in self.dropped]
        d["warnings"] = list(self.warnings)
        return d

    @staticmethod
    def from_dict(d: dict[str, Any]) -> "FileReport":
        d = dict(d)
        d["dropped"] = tuple(DroppedLine(**x) for x in d.get("dropped") or ())
        d["warnings"] = tuple(d.get("warnings") or ())
        return FileReport(**d)


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
    page: int | None = None  # page of the quote's start in a paged original (PDF, scan): shown as 第 N 页
    # "text": start/end point into the notice's cleaned text; "raw": the quote is a header or signature line as
    # published (a metadata answer: 文号, issuer, title), start/end point into the notice's raw_text
    origin: str = "text"


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
class FailedSentence:
    """A generated sentence removed because it failed verification (未通过核对的句子), with the reasons."""

    text: str  # as the model wrote it, with its [n] markers (numbered as in the prompt)
    reasons: tuple[str, ...]  # in Chinese, e.g. "数字“25万户”不在所引段落[1]中"


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
    mode: str = "extractive"  # which answerer wrote `text`: "extractive" (quotes) or "llm" (generated, verified)
    note: str = ""  # one line for staff, e.g. why a generated answer fell back to quotes
    failed: tuple[FailedSentence, ...] = ()  # generated sentences removed by verification
    # The best short-answer candidate and the features its confidence was computed from, also when the confidence
    # was too low to state it (for the details panel and for calibrating the threshold).
    short_candidate: str = ""
    short_features: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["citations"] = [asdict(c) for c in self.citations]
        d["passages"] = [asdict(p) for p in self.passages]
        d["related"] = [asdict(c) for c in self.related]
        d["failed"] = [{"text": f.text, "reasons": list(f.reasons)} for f in self.failed]
        return d


@dataclass(frozen=True)
class Filters:
    """Restrict a search. Every field is optional; notices without a date are left out by a date range.
    Built from callers' values by validate.validate_filters, which checks keys, types and dates."""

    notice_ids: tuple[str, ...] = ()
    region: str = ""
    date_from: str = ""  # ISO YYYY-MM-DD, inclusive
    date_to: str = ""

    def allows(self, n: Notice) -> bool:
        if self.notice_ids and n.id not in self.notice_ids:
            return False
        if self.region and self.region not in n.region_text:
            return False
        if self.date_from or self.date_to:
            if not n.date:
                return False
            if self.date_from and n.date < self.date_from:
                return False
            if self.date_to and n.date > self.date_to:
                return False
        return True

    @property
    def active(self) -> bool:
        return bool(self.notice_ids or self.region or self.date_from or self.date_to)
