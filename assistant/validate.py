"""Checks of what callers pass in, at the boundary (API, CLI, /ask), with Chinese messages naming the value."""
from __future__ import annotations

from typing import Any

from .errors import BadQuestion


def validate_question(question: Any, max_chars: int) -> str:
    """The stripped question, or BadQuestion with a Chinese message. Example: "  " -> BadQuestion."""
    if not isinstance(question, str):
        raise BadQuestion("问题必须是文字。", f"question must be str, got {type(question).__name__}")
    q = question.replace("\x00", "").strip()
    if not q or not any(ch.isalnum() for ch in q):
        raise BadQuestion("请输入一个问题,例如:陕西省“十三五”易地扶贫搬迁共搬迁了多少户?", "empty question")
    if len(q) > max_chars:
        raise BadQuestion(f"问题太长了({len(q)} 字),请控制在 {max_chars} 字以内。",
                          f"question has {len(q)} chars, max {max_chars}")
    return q
