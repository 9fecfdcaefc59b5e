"""The chat's state: one conversation object per browser session, kept as JSON in the browser (Gradio's
BrowserState), so a reload or a server restart keeps it. Pure: records and their JSON, no Gradio.

A conversation holds its turns (question, the Answer as it was shown, the search scope it was asked in, the
index version, the staff feedback) and the search scope chosen for the next question. 清空 and 新对话 replace
it with a new one; the follow-up context is the turns, so nothing of a cleared conversation is left.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, fields, replace
from typing import Any

from ..search.retrieve import Filters
from ..types import Answer, Citation, FailedSentence, RankedPassage

VERSION = 1
MAX_TURNS = 60  # the browser keeps the latest turns (localStorage holds a few MB; a turn is a few KB)


def answer_from_dict(d: dict[str, Any]) -> Answer:
    """An Answer back from Answer.to_dict() (fields this version does not know are ignored, missing ones default).

    Example: answer_from_dict(a.to_dict()) == a, for an Answer without passages' text dropped.
    """
    known = {f.name for f in fields(Answer)}
    kw = {k: v for k, v in d.items() if k in known}
    cit = {f.name for f in fields(Citation)}
    ranked = {f.name for f in fields(RankedPassage)}
    kw["citations"] = tuple(Citation(**{k: v for k, v in c.items() if k in cit}) for c in d.get("citations") or ())
    kw["related"] = tuple(Citation(**{k: v for k, v in c.items() if k in cit}) for c in d.get("related") or ())
    kw["passages"] = tuple(RankedPassage(**{k: v for k, v in p.items() if k in ranked})
                           for p in d.get("passages") or ())
    kw["failed"] = tuple(FailedSentence(f["text"], tuple(f.get("reasons") or ())) for f in d.get("failed") or ())
    for name in ("timings", "short_features"):
        if name in kw and not isinstance(kw[name], dict):
            kw[name] = {}
    return Answer(**kw)


def slim(answer: Answer) -> dict[str, Any]:
    """The answer as kept in the browser: the passages' text is left out (their ranks and places are kept)."""
    d = answer.to_dict()
    d["passages"] = [{**p, "text": ""} for p in d["passages"]]
    return d


@dataclass(frozen=True)
class Turn:
    """One question and its answer, as shown."""

    n: int  # 1-based position in its conversation; with the conversation id it names the answer
    question: str
    answer: Answer
    asked_at: str  # local time, "YYYY-MM-DD HH:MM"
    scope: str = ""  # the search scope in words (仅在甘肃的通报中查找……), "" for all notices
    index_version: str = ""
    feedback: str = ""  # "useful" / "wrong" once marked
    comment: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"n": self.n, "question": self.question, "answer": slim(self.answer), "asked_at": self.asked_at,
                "scope": self.scope, "index_version": self.index_version, "feedback": self.feedback,
                "comment": self.comment}

    @staticmethod
    def from_json(d: dict[str, Any]) -> "Turn":
        return Turn(int(d["n"]), str(d["question"]), answer_from_dict(d["answer"]), str(d.get("asked_at", "")),
                    str(d.get("scope", "")), str(d.get("index_version", "")), str(d.get("feedback", "")),
                    str(d.get("comment", "")))


def filters_from_json(d: Any) -> Filters:
    """The scope kept in the browser; anything that is not text is dropped (the value may be damaged)."""
    if not isinstance(d, dict):
        return Filters()
    ids = d.get("notice_ids") or ()
    text = {k: d.get(k) if isinstance(d.get(k), str) else "" for k in ("region", "date_from", "date_to")}
    return Filters(tuple(x for x in ids if isinstance(x, str)) if isinstance(ids, list) else (), text["region"],
                   text["date_from"], text["date_to"])


def new_id() -> str:
    return uuid.uuid4().hex[:16]


@dataclass(frozen=True)
class Conversation:
    id: str
    turns: tuple[Turn, ...] = ()
    filters: Filters = Filters()  # the scope chosen for the next question (shown as chips)

    @staticmethod
    def new(filters: Filters | None = None) -> "Conversation":
        return Conversation(new_id(), (), filters or Filters())

    def add(self, question: str, answer: Answer, asked_at: str, scope: str = "", index_version: str = ""
            ) -> "Conversation":
        n = (self.turns[-1].n if self.turns else 0) + 1
        turn = Turn(n, question, answer, asked_at, scope, index_version)
        return replace(self, turns=(self.turns + (turn,))[-MAX_TURNS:])

    def turn(self, n: int) -> Turn | None:
        return next((t for t in self.turns if t.n == n), None)

    def with_turn(self, turn: Turn) -> "Conversation":
        return replace(self, turns=tuple(turn if t.n == turn.n else t for t in self.turns))

    def history(self) -> list[dict[str, str]]:
        """Earlier turns for Assistant.ask: the questions with the answers shown."""
        return [{"question": t.question, "text": t.answer.text} for t in self.turns]

    def key(self, turn: Turn) -> str:
        """The answer's name for feedback. Example: "3f2a…:2"."""
        return f"{self.id}:{turn.n}"

    def to_json(self) -> dict[str, Any]:
        f = self.filters
        return {"v": VERSION, "id": self.id, "turns": [t.to_json() for t in self.turns],
                "filters": {"notice_ids": list(f.notice_ids), "region": f.region, "date_from": f.date_from,
                            "date_to": f.date_to}}

    @staticmethod
    def from_json(d: Any) -> "Conversation":
        """The conversation kept in the browser; a new one when there is none or it cannot be read (another
        version, a damaged value): the chat then starts afresh rather than failing."""
        if not isinstance(d, dict) or d.get("v") != VERSION or not isinstance(d.get("id"), str):
            return Conversation.new()
        try:
            turns = tuple(Turn.from_json(t) for t in d.get("turns") or ())
            return Conversation(d["id"], turns, filters_from_json(d.get("filters")))
        except (KeyError, TypeError, ValueError):
            return Conversation.new()
