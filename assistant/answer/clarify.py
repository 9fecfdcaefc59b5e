"""Clarify, don't guess: a question too short to answer gets two or three concrete questions to choose from.

Two cases, both decided on the question's own words:
- an elliptical follow-up with no conversation before it ("甘肃呢?" asked first): the place it names is known,
  what it asks about is not;
- a vague question ("整改", "搬迁"): a bare topic with no question word.
The suggestions are built from the index itself (the headings of the passages found, the notices of the place
named), never from a fixed list, so they always point at something the notices hold.
"""
from __future__ import annotations

import re
from typing import Iterable

from ..question import QuestionInfo, place_forms
from ..text import fold
from ..types import Hit, Notice
from .compose import last_heading
from .followup import is_elliptical

_QUESTION_WORD = re.compile(r"(多少|几|什么|哪|谁|如何|怎么|怎样|为何|为什么|是否|有没有|吗|么|\?|？|"
                            r"\b(?:how|what|which|who|when|where|why|is|are|do|does)\b)", re.IGNORECASE)
_NUMBERING = re.compile(r"^[\s(（]*(?:[一二三四五六七八九十]+|\d+)[)）、.．是]?\s*|^(?:问题\s*\d+[:：]?)")
_NOT_A_TOPIC = ("导语", "正文")  # labels the chunker gives text before the first heading
VAGUE_CHARS = 4  # a bare topic of at most this many characters ("整改", "旧房拆除")


def needs_clarifying(q: str, has_history: bool, info: QuestionInfo, terms: list[str]) -> str:
    """"elliptical", "vague" or "" (answer it), from the question's own words (`info`, `terms`). Example: ("甘肃呢?", False) -> "elliptical"; "整改" (one term, no
    question word) -> "vague"; "旧房拆除" (a topic of two terms) is searched."""
    s = q.strip()
    core = re.sub(r"[\s?？。!！,，.、]", "", s)
    if not has_history and is_elliptical(s) and re.search(r"(呢\s*[?？]?$|^(那|其中|其|该|这些|这个|那个|还有)|"
                                                        r"^(?:what|how) about\b)", s, re.IGNORECASE):
        return "elliptical"
    if len(core) <= VAGUE_CHARS and len(terms) <= 1 and not _QUESTION_WORD.search(s) and not info.places \
            and info.kind in ("fact", "how", "list"):  # also after a conversation: a bare topic is not a follow-up
        return "vague"
    return ""


def _topic(heading: str) -> str:
    """A heading without its numbering and closing punctuation: "(三)建立长效机制。" -> "建立长效机制"."""
    h = _NUMBERING.sub("", heading.strip())
    return h.strip(" 。:：;；,，")


def suggestions(case: str, q: str, info: QuestionInfo, hits: list[Hit], notices: dict[str, Notice],
                limit: int = 3) -> list[str]:
    """Concrete questions the notices can answer, for the clarifying reply."""
    out: list[str] = []
    if case == "elliptical" and info.places:
        forms = {f for pl in info.places for f in place_forms(pl)}
        mine = [n for n in notices.values()
                if any(f in fold(f"{n.title} {n.issuer} {n.region} {n.province or ''}") for f in forms)]
        place = info.places[0]
        for n in mine[:limit]:
            out.append(f"《{n.title}》讲了哪些整改措施?" if "整改" in n.title else f"《{n.title}》的主要内容是什么?")
        seen = set()
        for h in hits:
            if h.passage.notice_id not in {n.id for n in mine}:
                continue
            t = _topic(last_heading(h.passage.section_label))
            if 2 <= len(t) <= 24 and t not in seen and t not in _NOT_A_TOPIC:
                seen.add(t)
                out.append(f"{place}在“{t}”方面做了什么?")
            if len(out) >= limit:
                break
    else:
        seen = set()
        for h in hits:
            t = _topic(last_heading(h.passage.section_label))
            if not (2 <= len(t) <= 24) or t in seen or t in _NOT_A_TOPIC:
                continue
            seen.add(t)
            n = notices.get(h.passage.notice_id)
            who = (n.region or n.issuer) if n else ""
            out.append(f"{who}在“{t}”方面是怎么做的?" if who else f"“{t}”方面是怎么做的?")
            if len(out) >= limit:
                break
    return list(dict.fromkeys(out))[:limit]


def clarify_text(case: str, q: str, items: Iterable[str]) -> str:
    items = list(items)
    head = ("这个问题没有上文,我不确定您问的是哪方面。" if case == "elliptical"
            else f"“{q.strip()}”范围较宽,能说得具体一些吗?")
    if not items:
        return head + "请补充您想了解的地区、事项或数字。"
    return head + "例如:\n" + "\n".join(f"- {s}" for s in items)
