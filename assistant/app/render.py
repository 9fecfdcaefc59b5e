"""HTML and Markdown for the chat UI. Pure functions; every piece of notice or user text is escaped here.

Highlighting marks figures and question terms inside a quote: spans are computed on the raw text and each
segment is escaped separately, so a notice line containing `<script>` stays text.
"""
from __future__ import annotations

import html
import re

from ..question import QuestionInfo
from ..text import DATE_PATTERN, figure_spans, unit_ok
from ..types import Answer, Citation, Notice, Passage

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def md_escape(text: str) -> str:
    """Text safe to put in Markdown: HTML escaped and Markdown punctuation backslash-escaped.

    Example: md_escape("![x](http://a/b.png)") -> "\\!\\[x\\]\\(http://a/b\\.png\\)" (no image renders).
    """
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def highlight_spans(text: str, terms: list[str], info: QuestionInfo | None) -> list[tuple[int, int]]:
    """Character spans to mark: figures in the asked unit (all figures for a count question without a unit),
    dates for a when-question, and question terms of 2+ characters. Overlaps are merged.

    Example: highlight_spans("搬迁24.93万户", ["搬迁"], count/户) -> [(0, 9)].
    """
    spans: list[tuple[int, int]] = []
    if info is not None and info.kind == "count":
        spans += [(s, e) for s, e in figure_spans(text) if info.unit is None or unit_ok(text[s:e], info.unit)]
    if info is not None and info.kind == "date":
        spans += [(m.start(), m.end()) for m in DATE_PATTERN.finditer(text)]
    for t in sorted({t for t in terms if len(t) >= 2}, key=len, reverse=True):
        for m in re.finditer(re.escape(t), text):
            spans.append((m.start(), m.end()))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def marked_html(text: str, spans: list[tuple[int, int]]) -> str:
    """Escaped text with <mark> around spans. Example: marked_html("a<b", [(0, 1)]) -> "<mark>a</mark>&lt;b"."""
    out, pos = [], 0
    for s, e in spans:
        out.append(html.escape(text[pos:s]))
        out.append(f"<mark>{html.escape(text[s:e])}</mark>")
        pos = e
    out.append(html.escape(text[pos:]))
    return "".join(out).replace("\n", "<br>")


def page_label(page: int | None, sep: str = "") -> str:
    """Example: page_label(3, " · ") -> " · 第 3 页"; page_label(None) -> ""."""
    return f"{sep}第 {page} 页" if page else ""


def sentences_markdown(sentences: list[tuple[str, bool]], typing: bool) -> str:
    """Verified sentences of an answer being generated (escaped), and a typing indicator standing in for the
    sentence being written. Example: sentences_markdown([("甲[1]。", False)], True) -> "甲\\[1\\]。 ✍ *正在撰写…*"."""
    out = "".join(md_escape(s) + ("\n\n" if line_end else "") for s, line_end in sentences)
    if typing:
        out += ("" if not out or out.endswith("\n") else " ") + "✍ *正在撰写并核对下一句…*"
    return out or "✍ *正在撰写并核对…*"


def answer_markdown(ans: Answer, turn: int) -> str:
    """The answer for the chat bubble: escaped text, [n] linked to its source card, the searched question;
    a generated answer's note (or why it fell back to quotes) on a line of its own above it."""
    body = md_escape(ans.text)
    for c in ans.citations:
        body = body.replace(md_escape(f"[{c.n}]"), f"[\\[{c.n}\\]](#src-{turn}-{c.n})")
    if ans.mode == "llm":
        body = body.replace("\n", "\n\n")
        lead = md_escape(ans.short_answer)
        if lead and body.startswith(lead):  # the verified short answer, bold
            body = f"**{lead}**{body[len(lead):]}"
    if ans.note:
        body = f"*{md_escape(ans.note)}*\n\n{body}"
    if ans.rewritten_question and ans.rewritten_question != ans.question:
        body += f"\n\n*检索的问题:{md_escape(ans.rewritten_question)}*"
    if ans.abstained and ans.related:
        body += "\n\n可能相关:\n" + "\n".join(
            f"- {md_escape(c.issuer or c.title)}({md_escape(c.date or '未注明日期')}):“{md_escape(c.quote)}”"
            for c in ans.related)
    return body


def _card(c: Citation, turn: int, notice: Notice | None, section_text: str | None, terms: list[str],
          info: QuestionInfo | None, related: bool = False) -> str:
    quote = marked_html(c.quote, highlight_spans(c.quote, terms, info))
    ctx = ""
    if section_text:
        i = section_text.find(c.quote)
        if i >= 0:
            ctx_html = (html.escape(section_text[:i]).replace("\n", "<br>") + f"<mark class='ctx'>{quote}</mark>"
                        + html.escape(section_text[i + len(c.quote):]).replace("\n", "<br>"))
        else:
            ctx_html = html.escape(section_text).replace("\n", "<br>")
        ctx = f"<details><summary>展开整节原文</summary><div class='section-text'>{ctx_html}</div></details>"
    label = "可能相关" if related else f"[{c.n}]"
    return (
        f"<div class='src-card' id='src-{turn}-{c.n}'>"
        f"<div class='src-head'><span class='src-n'>{label}</span> <b>{html.escape(c.title)}</b></div>"
        f"<div class='src-meta'>{html.escape(c.issuer)} · {html.escape(c.date or '未注明日期')}</div>"
        f"<div class='src-section'>{html.escape(c.section)}{page_label(c.page, ' · ')}</div>"
        f"<blockquote class='src-quote'>{quote}</blockquote>{ctx}</div>"
    )


def source_cards_html(ans: Answer, turn: int, notices: dict[str, Notice], sections: dict[tuple[str, int], str],
                      terms: list[str], info: QuestionInfo | None, details: bool = False) -> str:
    """Numbered source cards for an answer (or its 可能相关 passages), and optionally retrieval details."""
    cards = [_card(c, turn, notices.get(c.notice_id), sections.get((c.notice_id, c.start)), terms, info)
             for c in ans.citations]
    if ans.abstained:
        cards += [_card(c, turn, notices.get(c.notice_id), sections.get((c.notice_id, c.start)), terms, info,
                        related=True) for c in ans.related]
    out = "".join(cards) or "<div class='src-empty'>没有引用。</div>"
    if ans.failed:
        items = "".join(f"<li><s>{html.escape(f.text)}</s><br><small>{html.escape(';'.join(f.reasons))}</small></li>"
                        for f in ans.failed)
        out += (f"<details class='failed'><summary>未通过核对的句子({len(ans.failed)} 句,已删除,仅供核查)</summary>"
                f"<ul>{items}</ul></details>")
    if details:
        rows = "".join(
            f"<tr><td>{p.rank}</td><td>{p.bm25_rank or '—'}</td><td>{p.dense_rank or '—'}</td>"
            f"<td>{p.fused_score:.3f}</td><td>{p.score:.3f}</td><td>{html.escape(p.title)}<br>"
            f"<small>{html.escape(p.section)}</small></td></tr>" for p in ans.passages)
        out += ("<table class='details'><tr><th>最终排名</th><th>BM25排名</th><th>向量排名</th><th>融合分</th>"
                f"<th>最终分</th><th>段落</th></tr>{rows}</table>")
    return out


def notice_html(n: Notice, passages: list[Passage], focus: tuple[int, int] | None = None) -> str:
    """A notice with its metadata, section outline and text; the focused span is marked and scrolled to."""
    meta = [("标题", n.title), ("发文单位", n.issuer), ("日期", n.date or "未注明"), ("地区", n.region or "—"),
            ("文号", n.doc_number or "—"), ("来源", n.source or "—"), ("文件", n.path)]
    meta_html = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in meta)
    outline, seen = [], set()
    for p in passages:
        for depth, title in enumerate(p.section):
            key = p.section[: depth + 1]
            if key not in seen:
                seen.add(key)
                outline.append(f"<div style='margin-left:{depth * 1.2}em'>{html.escape(title)}</div>")
    text = n.text
    if focus and 0 <= focus[0] < focus[1] <= len(text):
        s, e = focus
        body = (html.escape(text[:s]).replace("\n", "<br>") + "<mark id='focus' class='focus'>"
                + html.escape(text[s:e]).replace("\n", "<br>") + "</mark>" + html.escape(text[e:]).replace("\n", "<br>"))
    else:
        body = html.escape(text).replace("\n", "<br>")
    return (f"<table class='notice-meta'>{meta_html}</table><h4>目录</h4><div class='outline'>{''.join(outline)}"
            f"</div><h4>正文</h4><div class='notice-text'>{body}</div>")
