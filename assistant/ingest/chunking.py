"""Section chunking by the Chinese heading hierarchy. Pure functions: text in, passages out.

Levels: 1 一、 / 2 (一) / 3 1. / 4 (1) / 5 问题N, 关于“…”的问题 / 6 整改措施: 整改成效: 整改完成情况: / 7 一是.
A passage never crosses a top-level (一、) section, and `text[p.start:p.end] == p.text` always holds.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from ..text import fold
from ..types import Passage, content_hash

_CN = "一二三四五六七八九十"
HEADING_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^[{_CN}]+、")),
    (2, re.compile(rf"^[（(][{_CN}]+[)）]")),
    (3, re.compile(r"^\d{1,2}[.．、](?!\d)")),
    (4, re.compile(r"^[（(]\d{1,2}[)）]")),
    (5, re.compile(r"^问题\d{1,3}(?!\d)")),
    (5, re.compile(r"^关于“[^”]{2,80}”的问题")),
    (6, re.compile(r"^(整改措施|整改成效|整改完成情况|整改情况|整改结果|整改进展)[:：]")),
    (7, re.compile(rf"^[{_CN}]{{1,3}}是(?=[^,，。]{{2}})")),
)
PREAMBLE = "导语"
_TITLE_MAX = 40
_SENT_END = re.compile(r"(?<=[。；！？;!?])")
_ENUM_START = re.compile(rf"(?<=[。；;])(?=[{_CN}]{{1,3}}是)")
_WORDY = re.compile(r"[\w\u4e00-\u9fff]")


def heading_level(line: str) -> int | None:
    """Level of a heading line, or None for body text.

    Read on the folded line, so a notice in traditional characters or full-width digits has the same headings
    ("問題3" as "问题3", "１．" as "1.").

    Example: "一、总体要求" -> 1; "(二)重点任务" -> 2; "1.严格政策标准。" -> 3; "2.65万户" -> None.
    """
    line = fold(line)
    for level, pat in HEADING_PATTERNS:
        if pat.match(line):
            return level
    return None


def heading_title(line: str, level: int) -> str:
    """Short label for a heading line: the label of a labelled block, else its first clause.

    Example: ("整改成效:全省…", 6) -> "整改成效"; ("(一)成立领导小组,明确责任分工。接到…", 2) -> "(一)成立领导小组,明确责任分工".
    """
    if level == 6:
        return re.split(r"[:：]", line, maxsplit=1)[0]
    m = re.search(r"[。:：；;]", line)
    head = line[: m.start()] if m else line
    return head if len(head) <= _TITLE_MAX else head[: _TITLE_MAX - 1] + "…"


@dataclass(frozen=True)
class Block:
    """Lines under one heading: span in the text, heading path, and whether it is a bare heading line."""

    start: int
    end: int
    path: tuple[str, ...]
    bare: bool


def section_blocks(text: str, marked: frozenset[int] = frozenset()) -> list[Block]:
    """Split text into blocks that start at each heading line, each with its heading path. `marked` holds the
    offsets of lines the original marks as headings (Word heading styles, HTML h1-h6): those that match no
    pattern are top-level headings."""
    blocks: list[Block] = []
    stack: list[tuple[int, str]] = []
    pos = 0
    cur: dict | None = None
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            continue
        level = heading_level(line)
        if level is None and start in marked:
            level = 1
        if level is not None:
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, heading_title(line, level)))
            if cur:
                blocks.append(Block(**cur))
            body_after = line[len(heading_title(line, level)):].strip("。:：;； ")
            cur = {"start": start, "end": end, "path": tuple(t for _, t in stack), "bare": not body_after}
        elif cur is None:
            cur = {"start": start, "end": end, "path": (PREAMBLE,), "bare": False}
        else:
            cur["end"] = end
            cur["bare"] = False
    if cur:
        blocks.append(Block(**cur))
    return blocks


def _top(path: tuple[str, ...]) -> str:
    return path[0] if path else ""


def _common(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    out = []
    for x, y in zip(a, b):
        if x != y:
            break
        out.append(x)
    return tuple(out)


def merge_blocks(blocks: list[Block], min_chars: int, max_chars: int) -> list[Block]:
    """Fold bare headings into the block after them, and small sibling blocks together, within a top section.

    Example: ["二、重点任务" (bare), "(一)提高…。坚持…"] -> one block with path ("二、重点任务", "(一)提高…").
    """
    out: list[Block] = []
    for b in blocks:
        if out:
            prev = out[-1]
            same_top = _top(prev.path) == _top(b.path)
            size = b.end - prev.start
            if same_top and prev.bare and b.path[: len(prev.path)] == prev.path:
                out[-1] = Block(prev.start, b.end, b.path, b.bare)
                continue
            small = (prev.end - prev.start) < min_chars or (b.end - b.start) < min_chars
            if same_top and small and size <= max_chars and not b.bare and len(_common(prev.path, b.path)) >= 1:
                common = _common(prev.path, b.path)
                out[-1] = Block(prev.start, b.end, common if len(common) < len(prev.path) else prev.path, False)
                continue
        out.append(b)
    return out


def _split_points(text: str, start: int, end: int) -> list[int]:
    """Candidate cut positions inside text[start:end]: sentence ends, then enumeration starts are preferred."""
    seg = text[start:end]
    return sorted({start + m.start() for m in _SENT_END.finditer(seg)} - {start, end})


def split_span(text: str, start: int, end: int, min_chars: int, max_chars: int) -> list[tuple[int, int]]:
    """Cut text[start:end] into pieces of at most max_chars at sentence ends (。；！？), preferring to start a
    piece at an enumeration (二是…) once the current piece has min_chars. A sentence longer than max_chars is
    cut at a comma, or at max_chars when it has none. A last piece under min_chars joins the one before.

    Example: 1,000 characters of 50-character sentences, max 360 -> three pieces of <= 360 characters.
    """
    if end - start <= max_chars:
        return [(start, end)]
    cuts = _split_points(text, start, end)
    enum = {start + m.start() for m in _ENUM_START.finditer(text[start:end])}
    pieces: list[tuple[int, int]] = []
    s = start
    while end - s > max_chars:
        # the cut positions in [s + min_chars, s + max_chars] (bisect keeps this linear in the span's length)
        inside = cuts[bisect_left(cuts, s + min_chars):bisect_right(cuts, s + max_chars)]
        preferred = [c for c in inside if c in enum]
        if preferred:
            cut = preferred[-1] if preferred[-1] - s >= max_chars // 2 else (inside[-1] if inside else preferred[-1])
        elif inside:
            cut = inside[-1]
        else:
            window = text[s + min_chars: s + max_chars]
            k = max(window.rfind(","), window.rfind("，"), window.rfind("、"))
            cut = s + min_chars + k + 1 if k >= 0 else s + max_chars
        pieces.append((s, cut))
        s = cut
    if end - s < min_chars and pieces:
        ps, _ = pieces.pop()
        pieces.append((ps, end))
    else:
        pieces.append((s, end))
    return pieces


def chunk_notice(notice_id: str, text: str, min_chars: int = 60, max_chars: int = 360,
                 headings: tuple[int, ...] = ()) -> list[Passage]:
    """Passages of a cleaned notice, in text order, each with its heading path and exact span.

    Example: chunk_notice("n1", "一、总体要求\\n以…为指导。") -> [Passage(section=("一、总体要求",), text=<whole text>)].
    """
    passages: list[Passage] = []
    for b in merge_blocks(section_blocks(text, frozenset(headings)), min_chars, max_chars):
        for s, e in split_span(text, b.start, b.end, min_chars, max_chars):
            # trim surrounding newlines/spaces so spans stay exact and tidy
            while s < e and text[s] in " \n":
                s += 1
            while e > s and text[e - 1] in " \n":
                e -= 1
            piece = text[s:e]
            if not _WORDY.search(piece):
                continue
            passages.append(Passage(
                id=content_hash(f"{notice_id}:{s}:{e}:{piece}"), notice_id=notice_id,
                section=b.path, start=s, end=e, text=piece,
            ))
    return passages
