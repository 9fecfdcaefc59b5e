"""Web pages (.html / .htm): the article's text without navigation and footer (trafilatura, recall-oriented),
headings kept as lines, and the page's title and publish date as metadata candidates."""
from __future__ import annotations

import re

from ...errors import FileRejected
from .base import Document, Limits
from .txt import decode_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}charset\s*=\s*["']?([A-Za-z0-9_-]{2,20})""", re.I)


def looks_like_html(text: str) -> bool:
    """A page, not a text file with a stray tag. Example: looks_like_html("<!DOCTYPE html><html>…") -> True."""
    head = text[:2048].lstrip("\ufeff \t\n").lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) and "<html" in text[:4096].lower() \
        or ("<body" in head and "</" in head) or head.startswith(("<head", "<meta"))


def _decode(data: bytes, name: str) -> str:
    m = _META_CHARSET.search(data[:4096])
    if m:
        enc = m.group(1).decode("ascii").lower()
        if enc in ("gbk", "gb2312", "gb18030"):
            try:
                return data.decode("gb18030")
            except UnicodeDecodeError:
                pass
    return decode_bytes(data, name).text


def _heading_texts(html: str) -> set[str]:
    import lxml.html
    try:
        root = lxml.html.fromstring(html)
    except Exception:  # noqa: BLE001 - lxml raises several kinds on broken markup; headings are optional
        return set()
    out = set()
    for el in root.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        t = " ".join(el.text_content().split())
        if t:
            out.add(t)
    return out


def read(data: bytes, name: str, limits: Limits) -> Document:
    import trafilatura

    html = _decode(data, name)
    doc = trafilatura.bare_extraction(html, favor_recall=True, include_comments=False, include_tables=True,
                                      with_metadata=True, deduplicate=False)
    text = (getattr(doc, "text", None) or "") if doc is not None else ""
    if not text.strip():
        raise FileRejected(f"网页中没有找到正文:{name}", f"no main text in {name}", "no-main-text")
    lines = [ln.strip() for ln in text.split("\n")]
    heads = _heading_texts(html)
    headings = tuple(i for i, ln in enumerate(lines) if ln and " ".join(ln.split()) in heads)
    props = {}
    for key in ("title", "date", "author", "sitename"):
        v = getattr(doc, key, None)
        if v:
            props[key] = str(v).strip()
    return Document(text="\n".join(lines), reader="html", headings=headings, properties=props)
