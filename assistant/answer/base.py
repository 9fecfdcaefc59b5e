"""The answer stage's one interface, shared by the extractive answerer (quotes) and the LLM answerer
(generated text, verified sentence by sentence).

`stream(...)` yields events as the answer is made; the last one is always `Final`. `answer(...)` returns that
final Answer. The extractive answerer yields only `Final`; the LLM answerer yields `Shown` for each sentence
that has passed verification (never one that has not) and `Typing` while a sentence is being written.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator, Protocol, Sequence, Union

from ..types import Answer, Citation

if TYPE_CHECKING:
    from ..question import QuestionInfo
    from ..types import Hit


@dataclass(frozen=True)
class Turn:
    """An earlier question of the conversation and the answer it got (passed to the model as earlier turns)."""

    question: str
    answer: str = ""


@dataclass(frozen=True)
class Shown:
    """A verified sentence, its markers numbered as in the final answer, and the citations so far."""

    sentence: str
    citations: tuple[Citation, ...]
    line_end: bool = False  # a line break follows (list items)


@dataclass(frozen=True)
class Typing:
    """The model is writing the next sentence (the chat shows a typing indicator, never the raw text)."""


@dataclass(frozen=True)
class Final:
    answer: Answer


Event = Union[Shown, Typing, Final]


class Answerer(Protocol):
    """What the pipeline calls. `evidence_of` gives the best sentence of a hit (shared with reranking)."""

    mode: str  # "extractive" | "llm"

    def stream(self, q: str, rq: str, info: "QuestionInfo", qtokens: list[str], hits: "list[Hit]", checked: int,
               evidence_of, history: Sequence[Turn] = ()) -> Iterator[Event]: ...


def final_of(events: Iterator[Event]) -> Answer:
    """The Answer of the last event. Example: final_of(iter([Typing(), Final(a)])) -> a."""
    last = None
    for last in events:
        pass
    if not isinstance(last, Final):
        raise RuntimeError("an answerer's stream must end with Final")
    return last.answer
