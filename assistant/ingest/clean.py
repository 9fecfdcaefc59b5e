"""Cleaning notices as published on the web: web furniture, header rows, HTML fragments, a body published twice.

Pure functions: the reader's text in; the kept lines (each with where it came from), what the header said, and
every dropped line with its reason out. Cleaning never deletes body text: web furniture goes only as a whole
short line, a line made only of furniture, or the furniture tail of a line (data/furniture.tsv). Every step is
linear in the length of the text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..lexicon import furniture_rules
from ..text import as_written, fold
from ..types import DroppedLine
from .readers.txt import decode_bytes

# `来 源: | 达州市人民政府办公室 | 文 号: | 达市府办函〔2019〕30号 |`
_HEADER_ROW = re.compile(r"^来\s*源\s*[:：]\s*\|(?P<src>[^|]*)\|(?:\s*文\s*号\s*[:：]\s*\|(?P<num>[^|]*)\|)?")
# `2019-05-20 19:40:36 | 来源:中央纪委国家监委网站`
_PUB_LINE = re.compile(r"^(?P<date>\d{4}-\d{1,2}-\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*(?:\|\s*来源[:：]\s*(?P<src>.+))?$")
# `2023-08-16 21:14:05，正文：IT之家 8 月 16 日消息…`: a header (publication time, source, reporter) before the
# article on the same line, ended by `，正文：`
_PUB_PREFIX = re.compile(r"^(?P<head>[^，,。！？!?]{0,40}?)\s*[，,]\s*正文\s*[:：]\s*")
_HEAD_DATE = re.compile(r"(?<!\d)(\d{4})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})(?!\d)")
_HEAD_SOURCE = re.compile(r"来源\s*[:：]\s*(\S.{0,30})$")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,200}>")
_TITLE_LINE = re.compile(r"^[^。，,:：;；]{6,60}(通报|通知|意见|公告|报告|决定|办法)$")
_SENT_END = re.compile(r"[。！？!?；;]")

SHORT_LINE = 40  # a furniture word in a line this short, without a sentence end, makes the line furniture
TAIL_WINDOW = 80  # a furniture tail is looked for only in the last characters of a line
_ATTR_TOKEN_MAX = 200  # longest repeated attribute value collapsed (an e-mail address, a URL)

# Minimum size of a repeated run of lines treated as a duplicated body (not a repeated phrase).
_DUP_MIN_LINES = 5
_DUP_MIN_CHARS = 500

REASON_LINE = "网页杂项(整行)"
REASON_TAIL = "网页杂项(行尾)"
REASON_HEADER = "页首信息行(已记入元数据)"
REASON_REPEAT = "重复发布的正文(保留第一份)"
REASON_HTML = "只有网页标记"


@lru_cache(maxsize=1)
def _furniture() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(all furniture, tail furniture) patterns from data/furniture.tsv, matched on folded lines (lower case)."""
    rules = furniture_rules()
    every = re.compile("|".join(f"(?:{p})" for p, _ in rules), re.IGNORECASE)
    tail = re.compile("|".join(f"(?:{p})" for p, w in rules if w == "tail"), re.IGNORECASE)
    return every, tail


@dataclass(frozen=True)
class Found:
    """A metadata value read from the header, and the 0-based line of the reader's text it came from."""

    value: str
    line: int


@dataclass
class Cleaned:
    """Result of cleaning one file: body lines, where each came from, what the header said, what was dropped.

    origins[k] = (line number in the reader's text, column of lines[k]'s first character in that line).
    """

    lines: list[str]
    origins: list[tuple[int, int]] = field(default_factory=list)
    found: dict[str, Found] = field(default_factory=dict)  # title, source, doc_number, pub_date
    dropped: list[DroppedLine] = field(default_factory=list)

    @property
    def title(self) -> str | None:
        return self.found["title"].value if "title" in self.found else None

    @property
    def source(self) -> str | None:
        return self.found["source"].value if "source" in self.found else None

    @property
    def doc_number(self) -> str | None:
        return self.found["doc_number"].value if "doc_number" in self.found else None

    @property
    def pub_date(self) -> str | None:
        return self.found["pub_date"].value if "pub_date" in self.found else None


def decode(data: bytes, name: str = "<bytes>") -> str:
    """Decode a text file (UTF-8 with or without BOM, GB18030/GBK, UTF-16 with BOM); ideographic spaces become
    spaces. Raises CorpusError naming the file otherwise.

    Example: decode("通报".encode("gbk")) -> "通报".
    """
    return decode_bytes(data, name).text.replace("\u3000", " ")


def iso_date(y: str, m: str, d: str) -> str:
    """Example: iso_date("2019", "5", "2") -> "2019-05-02"."""
    return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"


def collapse_attr_repeats(line: str) -> str:
    """`a@b.com">a@b.com">a@b.com` -> `a@b.com`: a value repeated by broken HTML attributes, kept once.
    Linear in the line: only the text around each `">` is looked at.

    Example: collapse_attr_repeats('邮箱:a@b.com">a@b.com">a@b.com') -> '邮箱:a@b.com'.
    """
    if '">' not in line:
        return line
    out: list[str] = []
    pos = 0  # line[:pos] is settled
    q = line.find('">')
    while q != -1:
        run_start = q
        while run_start > max(pos, q - _ATTR_TOKEN_MAX) and line[run_start - 1] not in ' \t">':
            run_start -= 1
        matched = 0
        nxt = line[q + 2:q + 3]
        for s in range(run_start, q):  # longest suffix of the run first (leftmost match)
            if line[s] == nxt and line.startswith(line[s:q], q + 2):
                matched = q - s
                break
        if matched:
            tok = line[q - matched:q]
            end = q + 2 + matched
            while line.startswith('">' + tok, end):
                end += 2 + matched
            out.append(line[pos:q])
            pos = end
            q = line.find('">', end)
        else:
            q = line.find('">', q + 2)
    out.append(line[pos:])
    return "".join(out)


def furniture_cut(line: str) -> tuple[str, str | None]:
    """Classify one stripped line: (kept text, reason it lost something or None).

    - a short line (<= SHORT_LINE) without a sentence end holding a furniture word goes whole;
    - a line without a sentence end holding two or more furniture segments goes whole;
    - a tail that starts with a tail-furniture word, is within the last TAIL_WINDOW characters and holds no
      sentence end is cut off.
    Matched on the folded line: "網站地圖" is furniture as "网站地图" is.
    Example: furniture_cut("……予以公布。返回搜狐，查看更多责任编辑：") -> ("……予以公布。", REASON_TAIL);
             furniture_cut("他曾任责任编辑多年。") -> ("他曾任责任编辑多年。", None).
    """
    every, tail = _furniture()
    f = fold(line)  # the same length: spans found in it are spans of the line
    closed = _SENT_END.search(f) is not None
    if not closed:
        if len(f) <= SHORT_LINE:
            if every.search(f):
                return "", REASON_LINE
        else:
            hits = 0
            for _ in every.finditer(f):
                hits += 1
                if hits >= 2:
                    return "", REASON_LINE
    if tail.pattern:
        off = max(0, len(f) - TAIL_WINDOW)
        for m in tail.finditer(f, off):
            if not _SENT_END.search(f, m.start()):
                return line[:m.start()].rstrip(), REASON_TAIL
    return line, None


def clean_lines(raw: str) -> Cleaned:
    """Lift header rows into metadata, drop web furniture, strip HTML fragments, drop a repeated body.

    Example: "来 源: | X办 | 文 号: | X〔2019〕1号 |\\n正文。" -> lines ["正文。"], source "X办".
    """
    out = Cleaned(lines=[])
    for i, raw_line in enumerate(raw.split("\n")):
        line = raw_line.replace("\u3000", " ").strip()
        if not line:
            continue
        col = len(raw_line) - len(raw_line.lstrip(" \t\u3000\f\v"))
        f = fold(line)  # patterns are matched on the folded line (來源 as 来源), values taken from the line
        m = _HEADER_ROW.match(f)
        if m:
            src = as_written(line, m, "src").strip()
            if src:
                out.found["source"] = Found(src, i)
            num = as_written(line, m, "num").strip()
            if num:
                out.found["doc_number"] = Found(num, i)
            out.dropped.append(DroppedLine(i + 1, line, REASON_HEADER))
            continue
        m = _PUB_LINE.match(f)
        if m:
            out.found["pub_date"] = Found(iso_date(*m.group("date").split("-")), i)
            src = as_written(line, m, "src").strip()
            if src:
                out.found["source"] = Found(src, i)
            out.dropped.append(DroppedLine(i + 1, line, REASON_HEADER))
            continue
        m = _PUB_PREFIX.match(f)
        if m:
            head, fhead = as_written(line, m, "head"), m.group("head")  # as written, and folded
            d = _HEAD_DATE.search(fhead)
            if d and 1 <= int(d.group(2)) <= 12 and 1 <= int(d.group(3)) <= 31:
                out.found.setdefault("pub_date", Found(iso_date(*d.groups()), i))
            src = _HEAD_SOURCE.search(fhead)
            if src:
                out.found.setdefault("source", Found(as_written(head, src, 1).strip(), i))
            out.dropped.append(DroppedLine(i + 1, as_written(line, m).strip(), REASON_HEADER))
            col += m.end()
            line = line[m.end():]
        kept, reason = furniture_cut(line)
        if reason:
            out.dropped.append(DroppedLine(i + 1, line[len(kept):].strip() if kept else line, reason))
            if not kept:
                continue
            line = kept
        cleaned = collapse_attr_repeats(_HTML_TAG.sub("", line)).strip() if ("<" in line or '">' in line) else line
        if not cleaned:
            out.dropped.append(DroppedLine(i + 1, line, REASON_HTML))
            continue
        if not out.lines and "title" not in out.found and _TITLE_LINE.match(fold(cleaned)) and i < 3:
            out.found["title"] = Found(cleaned, i)
            continue
        out.lines.append(cleaned)
        out.origins.append((i, col))
    keep = repeated_body_keep(out.lines)
    if len(keep) < len(out.lines):
        kept = set(keep)
        for k, line in enumerate(out.lines):
            if k not in kept:
                out.dropped.append(DroppedLine(out.origins[k][0] + 1, line, REASON_REPEAT))
        out.lines = [out.lines[k] for k in keep]
        out.origins = [out.origins[k] for k in keep]
    out.dropped.sort(key=lambda d: d.line_no)
    return out


def repeated_body_keep(lines: list[str]) -> list[int]:
    """Indexes of the lines kept when a long run of lines repeats an earlier run (a body published twice):
    the first copy stays. One pass; each comparison stops once the run qualifies or differs.

    Example: [a, b, c, d, e, f, a, b, c, d, e, f] (long lines) -> [0, 1, 2, 3, 4, 5].
    """
    keep: list[int] = []  # indexes into lines
    first_seen: dict[str, int] = {}  # line -> position in keep
    i = 0
    while i < len(lines):
        j = first_seen.get(lines[i])
        if j is not None:
            n = 0
            chars = 0
            while i + n < len(lines) and j + n < len(keep) and lines[keep[j + n]] == lines[i + n]:
                chars += len(lines[i + n])
                n += 1
            if n >= _DUP_MIN_LINES and chars >= _DUP_MIN_CHARS:
                i += n
                continue
        else:
            first_seen[lines[i]] = len(keep)
        keep.append(i)
        i += 1
    return keep


def drop_repeated_body(lines: list[str]) -> list[str]:
    """Remove a long run of lines that repeats an earlier run (a body published twice); keep the first copy.

    Example: [a, b, c, d, e, f, a, b, c, d, e, f] (long lines) -> [a, b, c, d, e, f].
    """
    return [lines[k] for k in repeated_body_keep(lines)]
