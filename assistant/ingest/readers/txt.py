"""Plain text: UTF-8 (with or without BOM), GB18030/GBK, UTF-16 with BOM.

A file that is UTF-8 except for a few bad bytes (one word saved in GBK) is kept: the bad bytes become "\ufffd"
and the report says how many. A file that decodes to control characters is binary and refused.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from ...errors import FileRejected
from .base import Document, Limits

# A UTF-8 file is kept with replacement characters when at least this many good non-ASCII characters come per
# bad byte sequence (one GBK word in a page of UTF-8 Chinese). A GBK file decoded as UTF-8 is mostly bad.
_GOOD_PER_BAD = 4
# A legacy (GB18030) decode with replacement is kept when at most 1 in 50 characters is replaced.
_MAX_BAD_SHARE = 1 / 50


@dataclass(frozen=True)
class Decoded:
    text: str  # newlines normalised to "\n"
    encoding: str
    warnings: tuple[str, ...] = ()


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0e-\x1f\ue000-\uf8ff]")


def _mostly_unprintable(text: str) -> bool:
    """Control or private-use characters in more than 1 in 50 characters: binary, or the wrong encoding."""
    limit = max(3, len(text) // 50)
    bad = 0
    for _ in _UNPRINTABLE.finditer(text):
        bad += 1
        if bad > limit:
            return True
    return False


def _utf16_without_bom(data: bytes) -> str | None:
    """'le' or 'be' when the zero bytes sit at one parity (ASCII-heavy UTF-16 saved without a BOM)."""
    head = data[:8192]
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    half = len(head) // 2
    if half >= 8 and odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if half >= 8 and even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes, name: str = "<bytes>") -> Decoded:
    """Decode a text file. Raises FileRejected naming the file when it is binary or no encoding fits.

    Example: decode_bytes("通报".encode("gbk")).text -> "通报"; decode_bytes(codecs.BOM_UTF16_LE +
    "通报".encode("utf-16-le")).encoding -> "utf-16".
    """
    undecodable = FileRejected(f"无法识别文件编码(应为 UTF-8、GBK/GB18030 或带 BOM 的 UTF-16),或不是文本文件:{name}",
                               f"cannot decode {name}", "undecodable")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", "replace")
        bad = text.count("\ufffd")
        if bad > len(text) * _MAX_BAD_SHARE or _mostly_unprintable(text):
            raise undecodable
        warn = (f"有 {bad} 处字节不是有效的 UTF-16,已替换为 �",) if bad else ()
        return Decoded(_normalise(text), "utf-16", warn)
    if b"\x00" in data[:8192]:
        enc = _utf16_without_bom(data)
        if enc:
            text = data.decode(enc, "replace")
            if not _mostly_unprintable(text) and text.count("\ufffd") <= len(text) * _MAX_BAD_SHARE:
                return Decoded(_normalise(text), enc, ("文件是没有 BOM 的 UTF-16,已按内容识别",))
        raise undecodable
    try:
        text = data.decode("utf-8-sig")
        if _mostly_unprintable(text):
            raise undecodable
        return Decoded(_normalise(text), "utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8-sig", "replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 127) - bad
    if good >= _GOOD_PER_BAD * bad and not _mostly_unprintable(text):
        return Decoded(_normalise(text), "utf-8",
                       (f"有 {bad} 处字节不是有效的 UTF-8(可能夹有 GBK 编码的文字),已替换为 �",))
    try:
        text = data.decode("gb18030")
        if not _mostly_unprintable(text):
            return Decoded(_normalise(text), "gb18030")
    except UnicodeDecodeError:
        text = data.decode("gb18030", "replace")
        bad = text.count("\ufffd")
        if bad <= len(text) * _MAX_BAD_SHARE and not _mostly_unprintable(text):
            return Decoded(_normalise(text), "gb18030", (f"有 {bad} 处字节不是有效的 GBK/GB18030,已替换为 �",))
    raise undecodable


def read(data: bytes, name: str, limits: Limits) -> Document:
    """Example: read("一、总体要求\\r\\n正文。".encode(), "a.txt", Limits()).text -> "一、总体要求\\n正文。"."""
    d = decode_bytes(data, name)
    return Document(text=d.text, reader="txt", warnings=d.warnings)
