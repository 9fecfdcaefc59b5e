"""Checks of what callers pass in, at the boundary (API, CLI, /ask), with Chinese messages naming the value.

`validate_request` is the one gate: `Assistant.ask`, the CLI and the `/ask` endpoint all pass through it, so a
bad value is refused the same way everywhere and nothing behind it sees an unchecked type. Every check is
linear in the size of its input. Pure functions: no I/O.
"""
from __future__ import annotations

import datetime as dt
import math
import numbers
import re
from dataclasses import dataclass
from typing import Any, Iterable

from .config import RETRIEVERS, Config
from .errors import BadFilter, BadParameter, BadQuestion
from .types import Filters

FILTER_KEYS = ("notice_ids", "region", "date_from", "date_to")
_FILTER_ALIASES = {"notice_id": "notice_ids"}
MAX_REGION_CHARS = 50
MAX_NOTICE_IDS = 1000
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Request:
    """A checked question: everything the pipeline needs, in the types it expects."""

    question: str
    # the last few earlier turns, oldest first: (question, its answer or ""), each question non-empty and bounded
    history: tuple[tuple[str, str], ...]
    top_k: int
    filters: Filters
    retriever: str
    mode: str = "extractive"


def show(value: Any, limit: int = 40) -> str:
    """A short, printable form of a value for messages: its repr, cut, with lone surrogates escaped.

    Example: show("陕西\\ud800") -> "'陕西\\\\ud800'"; show(12345) -> "12345".
    """
    r = repr(value)
    return r if len(r) <= limit else r[:limit - 1] + "…"


def _type_name(value: Any) -> str:
    return type(value).__name__


def check_text(value: str, what: str, exc: type = BadQuestion) -> None:
    """Refuse a lone surrogate (text that cannot be written as UTF-8), naming its code point and position.
    U+DC80..U+DCFF is how Python carries a byte that was not UTF-8 (e.g. in argv): that byte is named too."""
    m = _SURROGATE.search(value)
    if m:
        cp = ord(m.group(0))
        byte = f",即不是 UTF-8 的字节 0x{cp - 0xDC00:02X}" if 0xDC80 <= cp <= 0xDCFF else ""
        raise exc(f"{what}中有无法识别的字符(U+{cp:04X}{byte},第 {m.start() + 1} 个字符),请用 UTF-8 重新输入。",
                  f"lone surrogate U+{cp:04X} at {m.start()} in {what}")


def validate_question(question: Any, max_chars: int) -> str:
    """The stripped question, or BadQuestion with a Chinese message. Example: "  " -> BadQuestion."""
    if not isinstance(question, str):
        raise BadQuestion(f"问题必须是文字,收到的是 {_type_name(question)}:{show(question)}",
                          f"question must be str, got {_type_name(question)}")
    check_text(question, "问题")
    q = _CONTROL.sub(" ", question.replace("\x00", "")).strip()
    if not q or not any(ch.isalnum() for ch in q):
        raise BadQuestion("请输入一个问题,例如:陕西省“十三五”易地扶贫搬迁共搬迁了多少户?",
                          f"empty question ({len(question)} chars, none a letter or digit)")
    if len(q) > max_chars:
        raise BadQuestion(f"问题太长了({len(q)} 字),请控制在 {max_chars} 字以内。",
                          f"question has {len(q)} chars, max {max_chars}")
    return q


ANSWER_FACTOR = 4  # an earlier answer (given back as history) may hold up to 4 x max_question_chars characters


def _clean(text: str) -> str:
    return _CONTROL.sub(" ", text.replace("\x00", "")).strip()


def _turn(h: Any, i: int) -> tuple[Any, Any]:
    """(question, answer) of one history item: a question, a dict with "question" and "text" (or "answer", as
    Answer.to_dict() gives it), or an object with .question and .answer (answer/base.Turn)."""
    if isinstance(h, str):
        return h, ""
    if isinstance(h, dict):
        if "question" not in h:
            raise BadQuestion(f"对话历史第 {i} 项缺少 question(应为问题文字,或含 question 的字典)",
                              f"history[{i - 1}] dict without 'question'")
        return h["question"], h.get("text", h.get("answer", "")) or ""
    if hasattr(h, "question") and hasattr(h, "answer"):
        return h.question, h.answer or ""
    raise BadQuestion(f"对话历史第 {i} 项应为文字,收到的是 {_type_name(h)}:{show(h)}",
                      f"history[{i - 1}] must be str, got {_type_name(h)}")


def validate_history(history: Any, max_turns: int, max_chars: int) -> tuple[tuple[str, str], ...]:
    """The last `max_turns` earlier turns (oldest first) as (question, answer) pairs, stripped; empty ones left
    out. An item is a question, a dict with "question" (and "text" or "answer": what it was answered), or a Turn.

    A history is a list: one string, a number or a dict is refused (a string would otherwise be read as one
    question per character). Each kept question holds at most `max_chars` characters, each answer
    ANSWER_FACTOR times that.
    Example: ["陕西搬迁了多少户?", " "] -> (("陕西搬迁了多少户?", ""),).
    """
    if history is None:
        return ()
    if isinstance(history, str):
        raise BadQuestion(f"对话历史应为此前问题的列表,收到的是一段文字:{show(history)}",
                          "history must be a list of questions, got one str")
    if not isinstance(history, (list, tuple)):
        raise BadQuestion(f"对话历史应为此前问题的列表,收到的是 {_type_name(history)}:{show(history)}",
                          f"history must be a list, got {_type_name(history)}")
    start = max(0, len(history) - max_turns)
    out = []
    for i, h in enumerate(history[start:], start + 1):
        if h is None:
            continue
        q, a = _turn(h, i)
        for value, what, limit in ((q, "问题", max_chars), (a, "回答", ANSWER_FACTOR * max_chars)):
            if not isinstance(value, str):
                raise BadQuestion(f"对话历史第 {i} 项的{what}应为文字,收到的是 {_type_name(value)}:{show(value)}",
                                  f"history[{i - 1}] {what} must be str, got {_type_name(value)}")
            check_text(value, f"对话历史第 {i} 项")
            if len(value.strip()) > limit:
                raise BadQuestion(f"对话历史第 {i} 项太长了({what} {len(value.strip())} 字),每项{what}请控制在 "
                                  f"{limit} 字以内。", f"history[{i - 1}] {what} has {len(value.strip())} chars, max {limit}")
        q, a = _clean(q), _clean(a)
        if q:
            out.append((q, a))
    return tuple(out)


def validate_top_k(top_k: Any, default: int, max_top_k: int) -> int:
    """An integer in [1, max_top_k]; None gives the default. Integral floats (5.0) are accepted.

    Example: "abc" -> BadParameter naming 'abc'; 10**30 -> BadParameter (not every passage).
    """
    if top_k is None:
        return default
    ok = isinstance(top_k, numbers.Integral) and not isinstance(top_k, bool)
    if not ok and isinstance(top_k, float) and math.isfinite(top_k) and top_k.is_integer():
        top_k, ok = int(top_k), True
    if not ok or not 1 <= int(top_k) <= max_top_k:
        raise BadParameter(f"top_k 必须是 1 到 {max_top_k} 之间的整数,收到的是 {show(top_k)}",
                           f"top_k must be an int in [1, {max_top_k}], got {show(top_k)}")
    return int(top_k)


def validate_mode(mode: Any, modes: tuple[str, ...]) -> str:
    """One of the answer modes this assistant has ("extractive", and "llm" when a server is configured); None
    gives the first."""
    if mode is None or mode == "":
        return modes[0]
    if not isinstance(mode, str) or mode not in modes:
        raise BadParameter(f"回答方式 {show(mode)} 不可用(可用:{'、'.join(modes)};生成式回答需设置 llm_base_url)",
                           f"mode {show(mode)} not in {modes}")
    return mode


def validate_retriever(retriever: Any, default: str) -> str:
    if retriever is None or retriever == "":
        return default
    if not isinstance(retriever, str) or retriever not in RETRIEVERS:
        raise BadParameter(f"未知的检索方式:{show(retriever)},可选 {'、'.join(RETRIEVERS)}",
                           f"retriever must be one of {RETRIEVERS}, got {show(retriever)}")
    return retriever


def validate_date(value: Any, key: str) -> str:
    """'' or an ISO date that exists on the calendar. Example: "2019-13-45" -> BadFilter naming it."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        s = value.strip()
        if not s:
            return ""
        if _ISO_DATE.fullmatch(s):
            try:
                return dt.date.fromisoformat(s).isoformat()
            except ValueError:
                pass
    raise BadFilter(f"日期 {key} 无效:{show(value)}(应为真实存在的日期,格式 YYYY-MM-DD,例如 2019-05-20)",
                    f"{key} must be a real date YYYY-MM-DD, got {show(value)}")


def _notice_ids(value: Any, known: Iterable[str] | None) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = (value,)
    if not isinstance(value, (list, tuple, set, frozenset)):
        raise BadFilter(f"notice_ids 应为通报编号的列表,收到的是 {_type_name(value)}:{show(value)}",
                        f"notice_ids must be a list of str, got {_type_name(value)}")
    if len(value) > MAX_NOTICE_IDS:
        raise BadFilter(f"notice_ids 太多了({len(value)} 个),最多 {MAX_NOTICE_IDS} 个",
                        f"{len(value)} notice ids, max {MAX_NOTICE_IDS}")
    ids = []
    for v in value:
        if not isinstance(v, str) or not v.strip():
            raise BadFilter(f"通报编号应为文字,收到的是 {_type_name(v)}:{show(v)}",
                            f"notice id must be str, got {show(v)}")
        ids.append(v.strip())
    if known is not None:
        known = set(known)
        for v in ids:
            if v not in known:
                raise BadFilter(f"未知的通报编号:{show(v)}(可用 `python -m assistant notices` 查看)",
                                f"unknown notice id {show(v)}")
    return tuple(dict.fromkeys(ids))


def validate_filters(filters: Any, known_ids: Iterable[str] | None = None) -> Filters:
    """A Filters from None, a Filters or a dict with the keys notice_ids (or notice_id), region, date_from,
    date_to. Unknown keys, wrong types, dates that do not exist and unknown notice ids are refused.

    Example: {"region": "甘肃", "date_from": "2019-01-01"} -> Filters((), "甘肃", "2019-01-01", "").
    """
    if filters is None:
        return Filters()
    if isinstance(filters, Filters):
        filters = {"notice_ids": filters.notice_ids, "region": filters.region, "date_from": filters.date_from,
                   "date_to": filters.date_to}
    if not isinstance(filters, dict):
        raise BadFilter(f"筛选条件应为字典(键为 {'、'.join(FILTER_KEYS)}),收到的是 {_type_name(filters)}:"
                        f"{show(filters)}", f"filters must be a dict, got {_type_name(filters)}")
    d: dict[str, Any] = {}
    for k, v in filters.items():
        key = _FILTER_ALIASES.get(k, k) if isinstance(k, str) else k
        if key not in FILTER_KEYS:
            raise BadFilter(f"未知的筛选条件:{show(k)},可用的有 {'、'.join(FILTER_KEYS)}",
                            f"unknown filter key {show(k)}")
        if key in d and d[key] not in (None, "", ()):
            continue  # notice_ids given under both names: the first non-empty wins
        d[key] = v
    region = d.get("region")
    if region is None:
        region = ""
    if not isinstance(region, str):
        raise BadFilter(f"地区 region 应为文字,收到的是 {_type_name(region)}:{show(region)}",
                        f"region must be str, got {_type_name(region)}")
    check_text(region, "地区", BadFilter)
    region = region.strip()
    if len(region) > MAX_REGION_CHARS:
        raise BadFilter(f"地区名称太长了({len(region)} 字),最多 {MAX_REGION_CHARS} 字",
                        f"region has {len(region)} chars")
    date_from = validate_date(d.get("date_from"), "date_from")
    date_to = validate_date(d.get("date_to"), "date_to")
    if date_from and date_to and date_from > date_to:
        raise BadFilter(f"起始日期 {date_from} 晚于截止日期 {date_to}", f"date_from {date_from} > date_to {date_to}")
    return Filters(_notice_ids(d.get("notice_ids"), known_ids), region, date_from, date_to)


def validate_request(cfg: Config, question: Any, history: Any = None, top_k: Any = None, filters: Any = None,
                     retriever: Any = None, known_ids: Iterable[str] | None = None, mode: Any = None,
                     modes: tuple[str, ...] = ("extractive",)) -> Request:
    """Check everything a question comes with; raise BadQuestion / BadParameter / BadFilter naming the bad value.

    The work a question may cause is bounded here: the question and each of the last `max_history_turns`
    earlier questions hold at most `max_question_chars` characters.
    """
    return Request(
        question=validate_question(question, cfg.max_question_chars),
        history=validate_history(history, cfg.max_history_turns, cfg.max_question_chars),
        top_k=validate_top_k(top_k, cfg.top_k, cfg.max_top_k),
        filters=validate_filters(filters, known_ids),
        retriever=validate_retriever(retriever, cfg.retriever),
        mode=validate_mode(mode, modes),
    )
