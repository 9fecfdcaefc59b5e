"""From positioned lines of pages (a PDF's text layer, OCR boxes) to the text of a document: running headers,
footers and page numbers removed, lines broken mid-sentence joined (also across a page), headings kept.

Pure functions over `Line` records.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

# -1-, — 2 —, 第 3 页, 第3页 共5页, 3 / 5, a bare number
_PAGE_NUMBER = re.compile(r"^(?:[-—–_\s]*\d{1,4}[-—–_\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
                          r"|\d{1,4}\s*/\s*\d{1,4}|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页)$")
# a line that ends here ends its sentence or is a heading/label: never joined to the next one
_CLOSED = re.compile(r"[。！？；：:;!?…」』”）)】]$")
_ZONE = 2  # lines at the top and bottom of a page that may be running headers or footers


@dataclass(frozen=True)
class Line:
    """One line of a page. x0/x1 horizontal extent, top/bottom vertical (points or pixels), page 1-based."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    page: int


def is_page_number(text: str) -> bool:
    """Example: is_page_number("- 2 -") -> True; is_page_number("第 3 页") -> True; is_page_number("2019年") -> False."""
    return bool(_PAGE_NUMBER.match(text.strip()))


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def running_lines(pages: list[list[Line]]) -> set[tuple[int, int]]:
    """(page, index) of lines that are page numbers, or running headers/footers: the same text (digits aside)
    at the same height in the top or bottom lines of at least two pages and half of them. A title on page 1
    that repeats the running header lower on the page is kept.

    Example: "达州市人民政府办公室文件" at the top of pages 1-3 of 3 -> all three marked.
    """
    out: set[tuple[int, int]] = set()
    seen: Counter[tuple[str, int]] = Counter()
    zone: dict[tuple[int, int], tuple[str, int]] = {}
    for pi, lines in enumerate(pages):
        idxs = sorted(set(range(min(_ZONE, len(lines)))) | set(range(max(0, len(lines) - _ZONE), len(lines))))
        keys = set()
        for i in idxs:
            if is_page_number(lines[i].text):
                out.add((pi, i))
                continue
            key = (_shape(lines[i].text), round(lines[i].top / 6))
            zone[(pi, i)] = key
            keys.add(key)
        seen.update(keys)
    need = max(2, (len(pages) + 1) // 2)
    for where, key in zone.items():
        if key[0] and seen[key] >= need:
            out.add(where)
    return out


def _joins(a: Line, b: Line, right: float, left: float, em: float) -> bool:
    """A line continues into the next one: it reaches the right margin, does not close its sentence,
    and the next line starts at the left margin (not an indented new paragraph)."""
    return (a.x1 >= right - 1.5 * em and not _CLOSED.search(a.text) and b.x0 <= left + 1.2 * em)


def _glue(a: str, b: str) -> str:
    """Example: _glue("共搬迁", "2.65万户") -> "共搬迁2.65万户"; _glue("of the", "notice") -> "of the notice"."""
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return a + " " + b
    return a + b


def assemble(pages: list[list[Line]]) -> tuple[str, tuple[int, ...], list[Line]]:
    """Text of the pages with running lines removed and wrapped lines joined.

    Returns (text, page_starts, removed lines): page_starts[i] is the offset in text where page i+1 begins (a
    line joined across a page break belongs to the page where it starts).
    """
    drop = running_lines(pages)
    removed = [pages[pi][i] for pi, i in sorted(drop)]
    body = [[ln for i, ln in enumerate(lines) if (pi, i) not in drop and ln.text.strip()]
            for pi, lines in enumerate(pages)]
    flat = [ln for lines in body for ln in lines]
    if not flat:
        return "", tuple(0 for _ in pages), removed
    widths = sorted((ln.x1 - ln.x0) / max(1, len(ln.text)) for ln in flat)
    em = widths[len(widths) // 2] or 10.0
    rights = sorted(ln.x1 for ln in flat)
    # the right margin most full lines reach (a few wide lines, such as table rows, are passed over)
    right = rights[int(0.9 * (len(rights) - 1))] if len(rights) >= 10 else rights[-1]
    left = min(ln.x0 for ln in flat)
    out: list[str] = []
    starts: dict[int, int] = {}  # page -> offset in the text where it begins
    pos = 0  # offset where out[-1] begins
    prev: Line | None = None
    for ln in flat:
        t = ln.text.strip()
        if prev is not None and out and _joins(prev, ln, right, left, em):
            glued = _glue(out[-1], t)
            starts.setdefault(ln.page, pos + len(glued) - len(t))  # a page break inside a joined line
            out[-1] = glued
        else:
            if out:
                pos += len(out[-1]) + 1
            out.append(t)
            starts.setdefault(ln.page, pos)
        prev = ln
    text = "\n".join(out)
    page_starts: list[int] = []
    nxt = len(text)
    for pg in range(len(pages), 0, -1):  # a page with no line of its own starts where the next one does
        nxt = starts.get(pg, nxt)
        page_starts.append(nxt)
    page_starts.reverse()
    page_starts[0] = 0
    return text, tuple(page_starts), removed
