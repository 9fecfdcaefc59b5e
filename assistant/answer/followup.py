"""Rewriting elliptical follow-up questions from the conversation, without an LLM.

"甘肃呢?" after "陕西搬迁了多少户?" -> "甘肃搬迁了多少户?": the topic is carried, the new place substituted.
"其中哪个镇逾期率最高?" after a question -> the earlier question followed by this one.
"""
from __future__ import annotations

import re

from ..ingest.regions import Gazetteer
from ..question import question_places

_TAIL = re.compile(r"^(?:那么?|那|还有|再问一下|请问)?\s*(?P<x>.+?)\s*(?:呢|的呢|怎么样|如何)?\s*[?？。!！]*$")
_ELLIPTIC_START = re.compile(r"^(那么?|其中|其|该|这些|这个|那个|它|他们|还有|另外|同样|相应|分别|具体|"
                             r"what about|how about|and\b|in that|among them|of these|of them)", re.IGNORECASE)
_WHAT_ABOUT = re.compile(r"^(?:what|how) about\s+(?P<x>.+?)\s*[?？.]*$", re.IGNORECASE)


def _places(text: str, gaz: Gazetteer) -> list[str]:
    return list(question_places(text, gaz))


def is_elliptical(q: str) -> bool:
    """Example: "甘肃呢?" -> True; "陕西省搬迁了多少户?" -> False."""
    s = q.strip()
    return bool(re.search(r"呢\s*[?？]?$", s) or _ELLIPTIC_START.match(s) or _WHAT_ABOUT.match(s)
                or len(re.sub(r"[\s?？。!！,，]", "", s)) <= 4)


def rewrite(question: str, history: list[str], gaz: Gazetteer) -> str:
    """The question to search for, given the earlier user questions (oldest first).

    Each earlier question is first rewritten against the ones before it, oldest first (a loop, not recursion:
    a long history never exhausts the stack). Example: ["陕西搬迁了多少户?", "甘肃呢?"] then "宁夏呢?" ->
    "宁夏搬迁了多少户?".
    """
    q = question.strip()
    if not history:
        return q
    prev = history[0].strip()
    for h in history[1:]:
        prev = _rewrite_one(h.strip(), prev, gaz)
    return _rewrite_one(q, prev, gaz)


def _rewrite_one(q: str, prev: str, gaz: Gazetteer) -> str:
    """`q` read after the (already rewritten) question `prev`."""
    if not prev or not is_elliptical(q):
        return q
    m = _WHAT_ABOUT.match(q)
    core = m.group("x") if m else (_TAIL.match(q).group("x") if _TAIL.match(q) else q)
    new_places, old_places = _places(core, gaz), _places(prev, gaz)
    if new_places and old_places:
        return prev.replace(old_places[0], new_places[0], 1)
    if new_places and not old_places:
        return f"{new_places[0]} {prev}"
    prev_core = re.sub(r"[?？。!！]+$", "", prev)
    return f"{prev_core},{q}"
