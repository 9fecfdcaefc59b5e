"""Generated answers from an OpenAI-compatible server (vLLM, Ollama, llama.cpp's server, Xinference), every
sentence verified against the passages it cites before it is shown.

Imported only when `llm_base_url` is set. `OpenAIChat` is the one I/O edge (the official `openai` client,
streaming); `LLMAnswerer` builds the prompt, cuts the stream into sentences, verifies each (verify.py), shows
the ones that pass, and falls back to the extractive answer with a one-line note when the server fails or
too little passes.
"""
from __future__ import annotations

import logging
import os
import time
from dataclasses import replace
from typing import Iterator, Protocol, Sequence

from ..config import Config
from ..errors import BadConfig, LLMError
from ..question import QuestionInfo
from ..search.index import IndexData
from ..text import Tokenizer
from ..types import Answer, Citation, FailedSentence, Hit
from .base import Event, Final, Shown, Turn, Typing
from .cite import answer_problems
from .extractive import EvidenceCache, ExtractiveAnswerer
from .prompt import PromptPassage, build_messages, chinese_date
from .verify import (
    MARKER,
    SentenceCheck,
    SentenceSplitter,
    Source,
    answers_question,
    check_sentence,
    cites_of,
    not_verbatim,
    short_answer_problems,
    strip_markers,
)

log = logging.getLogger(__name__)

MAX_TOKENS = 600  # a short answer of at most five sentences; bounds a model that rambles
FALLBACK = "以下为原文摘录。"
_SHORT = ("简答:", "简答：", "简答 :", "Short answer:")


class Chat(Protocol):
    def stream(self, messages: list[dict[str, str]]) -> Iterator[str]: ...


class OpenAIChat:
    """Streams a chat completion; every failure becomes an LLMError whose `zh` is the note staff see."""

    def __init__(self, cfg: Config) -> None:
        import httpx
        import openai
        key = ""
        if cfg.llm_api_key_env:
            key = os.environ.get(cfg.llm_api_key_env, "")
            if not key:
                raise BadConfig(f"环境变量 {cfg.llm_api_key_env} 未设置"
                                "(llm_api_key_env 指向它,应保存生成式回答服务的密钥)",
                                f"{cfg.llm_api_key_env} is empty")
        self.cfg = cfg
        self._openai = openai
        # local servers need no key, but the client insists on one
        self._client = openai.OpenAI(base_url=cfg.llm_base_url, api_key=key or "not-needed", max_retries=0,
                                     timeout=httpx.Timeout(cfg.llm_timeout, connect=min(cfg.llm_timeout, 10.0)))

    def stream(self, messages: list[dict[str, str]]) -> Iterator[str]:
        o, cfg = self._openai, self.cfg
        deadline = time.monotonic() + cfg.llm_timeout
        finish = None
        try:
            resp = self._client.chat.completions.create(model=cfg.llm_model, messages=messages, stream=True,
                                                        temperature=0, max_tokens=MAX_TOKENS)
            with resp:
                for chunk in resp:
                    if time.monotonic() > deadline:
                        raise LLMError(f"生成式回答超时({cfg.llm_timeout:g} 秒内未写完)。", "deadline passed")
                    for choice in chunk.choices or ():
                        if choice.delta is not None and choice.delta.content:
                            yield choice.delta.content
                        if choice.finish_reason:
                            finish = choice.finish_reason
        except LLMError:
            raise
        except o.APITimeoutError:
            raise LLMError(f"生成式回答服务超时({cfg.llm_timeout:g} 秒无响应)。", "timeout") from None
        except o.APIStatusError as e:
            raise LLMError(f"生成式回答服务返回错误(HTTP {e.status_code})。", str(e)[:300]) from None
        except o.APIConnectionError as e:
            raise LLMError(f"无法连接生成式回答服务({cfg.llm_base_url})或连接中断。", repr(e)[:300]) from None
        except Exception as e:  # noqa: BLE001 - malformed streams raise parser errors of every kind
            raise LLMError("生成式回答服务返回的内容无法解析。", repr(e)[:300]) from None
        if finish is None:
            raise LLMError("生成式回答中途中断(没有正常结束)。", "stream ended without finish_reason")


def _source(n: int, hit: Hit, data: IndexData) -> tuple[Source, PromptPassage]:
    notice = data.notice_of(hit.passage)
    p = hit.passage
    context = " ".join(x for x in (notice.title, notice.issuer, notice.date or "", chinese_date(notice.date),
                                   notice.region, p.section_label) if x)
    return (Source(n, p.text, context),
            PromptPassage(n, notice.title, notice.issuer, chinese_date(notice.date), p.section_label, p.text))


class LLMAnswerer:
    """The `Answerer` interface (answer/base.py) over a chat model, with the extractive answerer as fallback."""

    mode = "llm"

    def __init__(self, cfg: Config, data: IndexData, tokenizer: Tokenizer, gaz, fallback: ExtractiveAnswerer,
                 chat: Chat | None = None) -> None:
        self.cfg = cfg
        self.data = data
        self.tokenizer = tokenizer
        self.gaz = gaz
        self.fallback = fallback
        self.chat = chat or OpenAIChat(cfg)

    def answer(self, *args, **kw) -> Answer:
        from .base import final_of
        return final_of(self.stream(*args, **kw))

    def stream(self, q: str, rq: str, info: QuestionInfo, qtokens: list[str], hits: list[Hit], checked: int,
               evidence_of: EvidenceCache, history: Sequence[Turn] = ()) -> Iterator[Event]:
        t0 = time.perf_counter()
        base = self.fallback.answer(q, rq, info, qtokens, hits, checked, evidence_of)
        if not hits or self.fallback.gate.why_not(info, qtokens, hits, self.cfg.abstain_min_coverage)[0]:
            yield Final(replace(base, note="检索到的通报不涉及这个问题,未调用生成式回答。"))
            return
        pairs = [_source(i + 1, h, self.data) for i, h in enumerate(hits[:self.cfg.top_k])]
        sources = {s.n: s for s, _ in pairs}
        messages = build_messages(q, rq, [p for _, p in pairs], history)
        run = _Run(self, info, sources, hits)
        splitter = SentenceSplitter()
        typing = True
        yield Typing()  # the model reads the passages first (minutes for a small CPU model): say it is working
        try:
            for piece in self.chat.stream(messages):
                for sent in splitter.feed(piece):
                    typing = False
                    yield from run.take(sent.text, sent.line_end, t0)
                if splitter.pending and not typing:
                    typing = True
                    yield Typing()
            for sent in splitter.close():
                yield from run.take(sent.text, sent.line_end, t0)
        except LLMError as e:
            log.warning("LLM answer failed: %s (%s)", e.zh, e.detail)
            yield Final(self._fall_back(base, e.zh, run, t0))
            return
        yield Final(run.finish(base, t0))

    def _fall_back(self, base: Answer, why: str, run: "_Run", t0: float) -> Answer:
        timings = {**base.timings, "llm": round((time.perf_counter() - t0) * 1000, 2)}
        return replace(base, note=f"{why}{FALLBACK}", failed=tuple(run.failed), timings=timings)


class _Run:
    """One answer being generated: the checks so far, the verified sentences and their renumbered citations."""

    def __init__(self, owner: LLMAnswerer, info: QuestionInfo, sources: dict[int, Source], hits: list[Hit]) -> None:
        self.owner, self.info, self.sources, self.hits = owner, info, sources, hits
        self.checks: list[SentenceCheck] = []
        self.shown: list[tuple[str, bool]] = []  # renumbered sentence, line break after
        self.failed: list[FailedSentence] = []
        self.numbers: dict[int, int] = {}  # prompt passage number -> number in the answer
        self.short = ""
        self.first_shown_ms: float | None = None

    def _citation(self, prompt_n: int) -> Citation:
        h = self.hits[prompt_n - 1]
        n = self.owner.data.notice_of(h.passage)
        p = h.passage
        return Citation(n=self.numbers[prompt_n], notice_id=n.id, title=n.title, issuer=n.issuer, date=n.date,
                        section=p.section_label, quote=p.text, start=p.start, end=p.end)

    def citations(self) -> tuple[Citation, ...]:
        return tuple(self._citation(k) for k, _ in sorted(self.numbers.items(), key=lambda kv: kv[1]))

    def _renumber(self, text: str) -> str:
        def repl(m):
            ns = [int(x) for x in cites_of(m.group(0))]
            return "".join(f"[{self.numbers[n]}]" for n in ns)
        return MARKER.sub(repl, text)

    def _answers(self, c: SentenceCheck) -> bool:
        """Answers the kind of question asked, and about a place the question names (when it names one)."""
        if not answers_question(c, self.info):
            return False
        places = [p for p in self.info.places]
        if not places:
            return True
        where = c.body + " ".join(self.sources[n].context for n in c.cites if n in self.sources)
        return any(p in where for p in places)

    def take(self, text: str, line_end: bool, t0: float) -> Iterator[Shown]:
        body = strip_markers(text)
        prefix = next((p for p in _SHORT if body.startswith(p)), None)
        tok, gaz = self.owner.tokenizer, self.owner.gaz
        short = None
        if prefix is not None:
            text = text.replace(prefix, "", 1)
            short = strip_markers(text).rstrip("。").strip()
        c = check_sentence(text, self.sources, tok, gaz)
        if short is not None and c.ok:
            problems = short_answer_problems(short, c.cites, self.sources, self.info, tok)
            if self.short or problems == [not_verbatim(short)]:
                # a verified sentence that is not a short answer (a paraphrase, or a second one): shown as an
                # ordinary sentence, and the answer gets no short answer from it
                short, line_end = None, True
            elif problems:  # not the quantity asked: a bare figure of another kind is never shown
                c = replace(c, problems=tuple(problems))
        self.checks.append(c)
        if not c.ok:
            self.failed.append(FailedSentence(text, c.problems))
            return
        for n in c.cites:
            self.numbers.setdefault(n, len(self.numbers) + 1)
        if short is not None:
            self.short = short
            shown = self._renumber(f"{self.short}{''.join(f'[{n}]' for n in c.cites)}。")
            line_end = True
        else:
            shown = self._renumber(text)
        self.shown.append((shown, line_end))
        if self.first_shown_ms is None:
            self.first_shown_ms = (time.perf_counter() - t0) * 1000
        yield Shown(shown, self.citations(), line_end)

    def finish(self, base: Answer, t0: float) -> Answer:
        owner = self.owner
        total, passed = len(self.checks), [c for c in self.checks if c.ok]
        answering = [c for c in passed if self._answers(c)]
        if not answering:
            why = ("生成式回答认为通报中没有答案。" if passed and all(c.refusal for c in passed)
                   else "生成式回答中没有通过核对、能回答问题的句子。")
            return owner._fall_back(base, why, self, t0)
        if len(passed) * 2 < total:
            return owner._fall_back(base, f"生成式回答有 {total - len(passed)}/{total} 句未通过核对。", self, t0)
        text = ""
        for s, line_end in self.shown:
            text += s + ("\n" if line_end else "")
        text = text.strip()
        cites = list(self.citations())
        problems = answer_problems(text, cites, owner.data.notices)
        if problems:  # the verifier and the citation check disagree: trust neither, show quotes
            log.error("verified LLM answer failed the citation check: %s", problems)
            return owner._fall_back(base, "生成式回答未通过引用核对。", self, t0)
        timings = {**base.timings, "llm": round((time.perf_counter() - t0) * 1000, 2)}
        if self.first_shown_ms is not None:
            timings["first_sentence"] = round(self.first_shown_ms, 2)
        short = self.short or (base.short_answer if any(base.short_answer and base.short_answer in c.quote
                                                        for c in cites) else "")
        note = f"生成式回答,已逐句核对原文;{len(self.failed)} 句未通过核对,已删除。" if self.failed else ""
        return replace(base, text=text, abstained=False, citations=tuple(cites), related=(), mode="llm",
                       note=note, failed=tuple(self.failed), short_answer=short, timings=timings)
