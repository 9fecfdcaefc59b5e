"""Citations are checked, not trusted: each points at a real notice, its quote is the notice text at its
span, markers in the answer point at existing citations ([0] is never valid), and every number in the
answer appears in a cited quote, its heading path, or the cited notice's title, issuer or date.
"""
from __future__ import annotations

import re
from typing import Mapping

from ..text import bare_numbers
from ..types import Answer, Citation, Notice

_MARKER = re.compile(r"\[(\d+)\]")


def citation_problems(c: Citation, notices: Mapping[str, Notice]) -> list[str]:
    n = notices.get(c.notice_id)
    if n is None:
        return [f"[{c.n}] cites unknown notice {c.notice_id}"]
    text = n.raw_text if c.origin == "raw" else n.text
    if not (0 <= c.start < c.end <= len(text)) or text[c.start:c.end] != c.quote:
        return [f"[{c.n}] quote is not the notice text at {c.start}:{c.end}"]
    return []


def _num(x: str) -> str:
    """Example: "03" -> "3"; "24.90" -> "24.9"."""
    if "." in x:
        x = x.rstrip("0").rstrip(".")
    return x.lstrip("0") or "0"


def answer_problems(text: str, citations: list[Citation], notices: Mapping[str, Notice],
                    own_numbers: tuple[int, ...] = ()) -> list[str]:
    """Everything wrong with an answer's citations; an empty list means it passed.

    `own_numbers` are counts the assistant states about its own search (how many notices it checked).
    Example: text "共25万户[1]" citing a quote "共24.93万户" -> ["figure 25 is in no cited quote"].
    """
    problems: list[str] = []
    for c in citations:
        problems += citation_problems(c, notices)
    ns = {c.n for c in citations}
    for m in _MARKER.finditer(text):
        if int(m.group(1)) not in ns:
            problems.append(f"marker [{m.group(1)}] has no citation")
    allowed: set[str] = {str(x) for x in own_numbers} | {_num(str(x)) for x in own_numbers}
    for c in citations:
        allowed |= {_num(x) for x in bare_numbers(f"{c.quote} {c.section}")}
        n = notices.get(c.notice_id)
        if n is not None:
            allowed |= {_num(x) for x in bare_numbers(f"{n.title} {n.issuer} {n.date or ''}")}
    for x in bare_numbers(_MARKER.sub(" ", text)):
        if _num(x) not in allowed:
            problems.append(f"figure {x} is in no cited quote")
    return problems


def citations_ok(answer: Answer, notices: Mapping[str, Notice]) -> list[str]:
    """Problems with a returned answer's citations (for evaluation and tests); empty when it passes."""
    from .compose import english_figure
    derived = tuple(bare_numbers(english_figure(answer.short_answer))) if answer.short_answer else ()
    return answer_problems(answer.text, list(answer.citations), notices,
                           own_numbers=(answer.notices_checked, len(answer.citations), *derived))
