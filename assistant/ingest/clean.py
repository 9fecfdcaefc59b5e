"""Cleaning notices as published on the web: decoding, web furniture, header rows, a body published twice.

Pure functions: bytes or text in, cleaned lines and what the header said out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..errors import CorpusError
from ..lexicon import furniture_patterns

# `来 源: | 达州市人民政府办公室 | 文 号: | 达市府办函〔2019〕30号 |`
_HEADER_ROW = re.compile(r"^来\s*源\s*[:：]\s*\|(?P<src>[^|]*)\|(?:\s*文\s*号\s*[:：]\s*\|(?P<num>[^|]*)\|)?")
# `2019-05-20 19:40:36 | 来源:中央纪委国家监委网站`
_PUB_LINE = re.compile(r"^(?P<date>\d{4}-\d{1,2}-\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*(?:\|\s*来源[:：]\s*(?P<src>.+))?$")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,200}>")
# `a@b.com">a@b.com">a@b.com` -> `a@b.com`
_HTML_ATTR_REPEAT = re.compile(r'([^\s">]+)(?:">\1)+')
_TITLE_LINE = re.compile(r"^[^。，,:：;；]{6,60}(通报|通知|意见|公告|报告|决定|办法)$")

# Minimum size of a repeated run of lines treated as a duplicated body (not a repeated phrase).
_DUP_MIN_LINES = 5
_DUP_MIN_CHARS = 500


@lru_cache(maxsize=1)
def _furniture() -> re.Pattern[str]:
    """Lines that are web furniture, not the notice (patterns in data/furniture.tsv)."""
    return re.compile("|".join(f"(?:{p})" for p in furniture_patterns()))


@dataclass
class Cleaned:
    """Result of cleaning one published file: body lines and what the header said."""

    lines: list[str]
    title: str | None = None
    source: str | None = None
    doc_number: str | None = None
    pub_date: str | None = None
    dropped: list[str] = field(default_factory=list)


def decode(data: bytes, name: str = "<bytes>") -> str:
    """Decode UTF-8 (with or without BOM) or GB18030/GBK. Raises CorpusError naming the file otherwise.

    Example: decode("通报".encode("gbk")) -> "通报".
    """
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "gb18030" and _mostly_unprintable(text):
            break
        return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ")
    raise CorpusError(f"无法识别文件编码(应为 UTF-8 或 GBK/GB18030):{name}", f"cannot decode {name}")


def _mostly_unprintable(text: str) -> bool:
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\n\r\t") or 0xE000 <= ord(ch) <= 0xF8FF)
    return bad > max(3, len(text) // 50)


def clean_lines(raw: str) -> Cleaned:
    """Drop web leftovers, lift header rows into metadata, strip HTML fragments, drop a repeated body.

    Example: "来 源: | X办 | 文 号: | X〔2019〕1号 |\\n正文。" -> lines ["正文。"], source "X办".
    """
    out = Cleaned(lines=[])
    for i, line in enumerate(raw.split("\n")):
        line = line.strip()
        if not line:
            continue
        m = _HEADER_ROW.match(line)
        if m:
            out.source = m.group("src").strip() or None
            out.doc_number = (m.group("num") or "").strip() or None
            continue
        m = _PUB_LINE.match(line)
        if m:
            y, mo, d = m.group("date").split("-")
            out.pub_date = f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"
            out.source = (m.group("src") or "").strip() or out.source
            continue
        if _furniture().search(line):
            out.dropped.append(line)
            continue
        line = _HTML_ATTR_REPEAT.sub(r"\1", _HTML_TAG.sub("", line)).strip()
        if not line:
            continue
        if not out.lines and out.title is None and _TITLE_LINE.match(line) and i < 3:
            out.title = line
            continue
        out.lines.append(line)
    out.lines = drop_repeated_body(out.lines)
    return out


def drop_repeated_body(lines: list[str]) -> list[str]:
    """Remove a long run of lines that repeats an earlier run (a body published twice); keep the first copy.

    Example: [a, b, c, d, e, f, a, b, c, d, e, f] (long lines) -> [a, b, c, d, e, f].
    """
    lines = list(lines)
    changed = True
    while changed:
        changed = False
        first_seen: dict[str, int] = {}
        for i, line in enumerate(lines):
            j = first_seen.get(line)
            if j is None:
                first_seen[line] = i
                continue
            n = 0
            while i + n < len(lines) and j + n < i and lines[j + n] == lines[i + n]:
                n += 1
            if n >= _DUP_MIN_LINES and sum(len(x) for x in lines[i:i + n]) >= _DUP_MIN_CHARS:
                del lines[i:i + n]
                changed = True
                break
    return lines
