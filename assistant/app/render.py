"""HTML for the chat: answers, their source cards, the first screen, and the notice view. Pure functions; every
piece of notice or user text is escaped here.

Highlighting marks figures and question terms inside a quote: spans are computed on the raw text and each
segment is escaped separately, so a notice line containing `<script>` stays text.

Answers are shown as the answerer wrote them with two changes for reading: the short answer (Answer.short_answer,
when set) is bold, and a heading path written into the text ("一、… > (二)… > 整改成效") is cut to its last
heading, the full path being in the source card.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Callable

from ..question import QuestionInfo
from ..text import DATE_PATTERN, figure_spans, unit_ok
from ..types import Answer, Citation, Notice, Passage

_CITE = re.compile(r"\[(\d+)\]")


def esc(text: str) -> str:
    """Example: esc("<b>") -> "&lt;b&gt;"."""
    return html.escape(text or "", quote=True)


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


def marked_html(text: str, spans: list[tuple[int, int]], cls: str = "") -> str:
    """Escaped text with <mark> around spans. Example: marked_html("a<b", [(0, 1)]) -> "<mark>a</mark>&lt;b"."""
    out, pos = [], 0
    attr = f" class='{cls}'" if cls else ""
    for s, e in spans:
        out.append(html.escape(text[pos:s]))
        out.append(f"<mark{attr}>{html.escape(text[s:e])}</mark>")
        pos = e
    out.append(html.escape(text[pos:]))
    return "".join(out).replace("\n", "<br>")


def page_label(page: int | None, sep: str = "") -> str:
    """Example: page_label(3, " · ") -> " · 第 3 页"; page_label(None) -> ""."""
    return f"{sep}第 {page} 页" if page else ""


def last_heading(section: str) -> str:
    """Example: last_heading("二、问题 > (一)搬迁 > 整改成效") -> "整改成效"."""
    return section.split(" > ")[-1].strip() if section else ""


def display_text(ans: Answer) -> str:
    """The answer text with any full heading path of a citation cut to its last heading (older answer texts wrote
    the whole path; the card shows it). Example: "据《甲》(2021-03-23),一、总体 > 整改成效:“…”[1]" ->
    "据《甲》(2021-03-23),整改成效:“…”[1]"."""
    text = ans.text
    for c in list(ans.citations) + list(ans.related):
        if " > " in c.section and c.section in text:
            text = text.replace(c.section, last_heading(c.section))
    return text


def _inline(text: str, key: str, valid: set[int], bold: tuple[int, int] | None) -> str:
    """Escaped text with the bold span and [n] links to the source cards of turn `key`."""
    if bold:
        s, e = bold
        out = f"{esc(text[:s])}<strong class='short'>{esc(text[s:e])}</strong>{esc(text[e:])}"
    else:
        out = esc(text)

    def link(m: re.Match) -> str:
        n = int(m.group(1))
        if n not in valid:
            return m.group(0)
        return (f"<a class='cite' href='#src-{key}-{n}' data-src='src-{key}-{n}' "
                f"aria-label='来源 {n}'>[{n}]</a>")
    return _CITE.sub(link, out)


def answer_body_html(ans: Answer, key: str) -> str:
    """The answer as paragraphs (a "- " line block as a list), [n] linked to the cards, the short answer bold
    when set. Example: text "24.93万户\\n\\n据《甲》…“…”[1]", short "24.93万户" ->
    "<p><strong class='short'>24.93万户</strong></p><p>据《甲》…<a class='cite' …>[1]</a></p>"."""
    text = display_text(ans).strip()
    short = (ans.short_answer or "").strip()
    valid = {c.n for c in ans.citations}
    pre = ""
    at = text.find(short) if short else -1
    if short and at < 0:  # the short answer is always shown when set, even if the text does not repeat it
        pre = f"<p><strong class='short'>{esc(short)}</strong></p>"
    blocks, pos = [], 0
    for para in re.split(r"(\n{2,})", text):
        if para.startswith("\n"):
            pos += len(para)
            continue
        bold = (at - pos, at - pos + len(short)) if 0 <= at - pos and at + len(short) <= pos + len(para) else None
        lines = para.split("\n")
        if len(lines) > 1 and all(x.startswith("- ") for x in lines[1:]):
            head = f"<p>{_inline(lines[0], key, valid, None)}</p>" if lines[0].strip() else ""
            items = "".join(f"<li>{_inline(x[2:], key, valid, None)}</li>" for x in lines[1:])
            blocks.append(f"{head}<ul>{items}</ul>")
        else:
            blocks.append("<p>" + _inline(para, key, valid, bold).replace("\n", "<br>") + "</p>")
        pos += len(para)
    return pre + "".join(blocks)


def sentences_html(sentences: list[tuple[str, bool]], typing: bool) -> str:
    """Verified sentences of an answer being generated (escaped), and a typing indicator standing in for the
    sentence being written. Example: sentences_html([("甲[1]。", False)], True) ->
    "<p>甲[1]。 <span class='typing'>✍ 正在撰写并核对下一句…</span></p>"."""
    out = "".join(esc(s) + ("<br><br>" if line_end else "") for s, line_end in sentences)
    if typing:
        out += ("" if not out or out.endswith(">") else " ") + (
            "<span class='typing'>✍ 正在撰写并核对下一句…</span>" if out else "<span class='typing'>✍ 正在撰写并核对…</span>")
    return f"<p>{out}</p>"


# ------------------------------------------------------------------ source cards


@dataclass(frozen=True)
class CardContext:
    """What cards need from the live index: the notices as they are now, a section's whole text, the question's
    terms to highlight. Whether a cited notice is still the same is judged on its text at the citation's span."""

    notices: dict[str, Notice]
    section_text: Callable[[str, int], str | None]
    terms: Callable[[str], tuple[list[str], QuestionInfo | None]]
    details: bool = False


def is_current(c: Citation, notices: dict[str, Notice]) -> bool:
    """Whether the cited notice is still in the index with the quote at the same place."""
    n = notices.get(c.notice_id)
    if n is None:
        return False
    text = n.raw_text if getattr(c, "origin", "text") == "raw" else n.text  # a metadata answer cites the header line
    return text[c.start:c.end] == c.quote


def card_html(c: Citation, key: str, ctx: CardContext, terms: list[str], info: QuestionInfo | None,
              related: bool = False) -> str:
    quote = marked_html(c.quote, highlight_spans(c.quote, terms, info))
    current = is_current(c, ctx.notices)
    extra = ""
    if current and getattr(c, "origin", "text") == "raw":
        extra = (f"<button type='button' class='act open-cite' data-act='cite' data-n='{c.n}' data-rel='"
                 f"{int(related)}'>在通报中查看</button>")
    elif current:
        section = ctx.section_text(c.notice_id, c.start)
        if section:
            i = section.find(c.quote)
            body = (esc(section[:i]).replace("\n", "<br>") + f"<mark class='ctx'>{quote}</mark>"
                    + esc(section[i + len(c.quote):]).replace("\n", "<br>")) if i >= 0 else \
                esc(section).replace("\n", "<br>")
            extra = f"<details><summary>展开整节原文</summary><div class='section-text'>{body}</div></details>"
        extra += (f"<button type='button' class='act open-cite' data-act='cite' data-n='{c.n}' data-rel='"
                  f"{int(related)}'>在通报中查看</button>")
    else:
        extra = "<div class='stale' role='note'>该通报已删除或已更新,以下是回答时引用的原文。</div>"
    label = "可能相关" if related else f"[{c.n}]"
    dom = f"rel-{key}-{c.n}" if related else f"src-{key}-{c.n}"
    return (
        f"<div class='src-card{'' if current else ' is-stale'}' id='{dom}'>"
        f"<div class='src-head'><span class='src-n'>{label}</span> <b class='src-title'>{esc(c.title)}</b></div>"
        f"<div class='src-meta'>{esc(c.issuer)} · {esc(c.date or '未注明日期')}</div>"
        f"<div class='src-section'>{esc(c.section)}{page_label(c.page, ' · ')}</div>"
        f"<blockquote class='src-quote'>{quote}</blockquote>{extra}</div>"
    )


def details_html(ans: Answer) -> str:
    """The retrieval details: each passage's ranks and scores, and the short answer's confidence with the
    features it was computed from."""
    rows = "".join(
        f"<tr><td>{p.rank}</td><td>{p.bm25_rank or '—'}</td><td>{p.dense_rank or '—'}</td>"
        f"<td>{p.fused_score:.3f}</td><td>{p.score:.3f}</td><td>{esc(p.title)}<br>"
        f"<small>{esc(p.section)}</small></td></tr>" for p in ans.passages)
    out = ("<table class='details'><caption>检索细节</caption><tr><th>最终排名</th><th>BM25排名</th><th>向量排名</th>"
           f"<th>融合分</th><th>最终分</th><th>段落</th></tr>{rows}</table>")
    candidate = getattr(ans, "short_candidate", "") or ""
    features = getattr(ans, "short_features", None) or {}
    feats = "".join(f"<tr><td>{esc(str(k))}</td><td>{v:.3f}</td></tr>" if isinstance(v, (int, float))
                    else f"<tr><td>{esc(str(k))}</td><td>{esc(str(v))}</td></tr>" for k, v in features.items())
    out += (f"<table class='details short-details'><caption>简答判断</caption>"
            f"<tr><th>简答</th><td>{esc(ans.short_answer) or '(未给出)'}</td></tr>"
            f"<tr><th>候选</th><td>{esc(candidate) or '—'}</td></tr>"
            f"<tr><th>置信度</th><td>{ans.confidence:.3f}</td></tr>{feats}</table>")
    return out


def sources_html(ans: Answer, key: str, ctx: CardContext) -> str:
    """The sources of one answer: numbered cards (or its 可能相关 passages), removed sentences, details."""
    terms, info = ctx.terms(ans.rewritten_question or ans.question)
    cards = [card_html(c, key, ctx, terms, info) for c in ans.citations]
    if ans.abstained:
        cards += [card_html(c, key, ctx, terms, info, related=True) for c in ans.related]
    out = "".join(cards)
    if ans.failed:
        items = "".join(f"<li><s>{esc(f.text)}</s><br><small>{esc(';'.join(f.reasons))}</small></li>"
                        for f in ans.failed)
        out += (f"<details class='failed'><summary>未通过核对的句子({len(ans.failed)} 句,已删除,仅供核查)</summary>"
                f"<ul>{items}</ul></details>")
    if ctx.details:
        out += details_html(ans)
    if not out:
        return ""
    title = "来源" if ans.citations else ("可能相关的原文" if ans.related else "核查")
    return f"<section class='sources' aria-label='{title}'><div class='sources-h'>{title}</div>{out}</section>"


# ------------------------------------------------------------------ the notice view


def outline_entries(passages: list[Passage]) -> list[tuple[int, str, int]]:
    """(depth, heading, start offset) of each section of a notice, in text order.

    Example: passages with sections ("一、总体",) and ("一、总体", "(一)搬迁") -> [(0, "一、总体", 0), (1, "(一)搬迁", 120)].
    """
    out, seen = [], set()
    for p in passages:
        for depth, title in enumerate(p.section):
            key = p.section[: depth + 1]
            if key not in seen:
                seen.add(key)
                out.append((depth, title, p.start))
    return out


def find_all(text: str, needle: str, limit: int = 500) -> list[tuple[int, int]]:
    """Non-overlapping places of `needle` in `text` (case-insensitive for Latin letters).

    Example: find_all("搬迁、再搬迁", "搬迁") -> [(0, 2), (4, 6)].
    """
    needle = needle.strip()
    if not needle:
        return []
    low, n = text.lower(), needle.lower()
    out, i = [], low.find(n)
    while i >= 0 and len(out) < limit:
        out.append((i, i + len(n)))
        i = low.find(n, i + len(n))
    return out


def _text_with_marks(text: str, anchors: dict[int, str], spans: list[tuple[int, int, str]]) -> str:
    """Escaped text with empty anchors (id) at offsets and marks around spans (start, end, html attributes);
    a span overlapping an earlier one is left out. Newlines become <br>."""
    chosen: list[tuple[int, int, str]] = []
    for s, e, attrs in spans:
        if 0 <= s < e <= len(text) and all(e <= a or s >= b for a, b, _ in chosen):
            chosen.append((s, e, attrs))
    cuts = sorted({0, len(text), *anchors, *(x for s, e, _ in chosen for x in (s, e))})
    opens = {s: (e, attrs) for s, e, attrs in chosen}
    ends = {e for _, e, _ in chosen}
    out = []
    for a, b in zip(cuts, cuts[1:] + [None]):
        if a in ends:
            out.append("</mark>")
        if a in anchors:
            out.append(f"<span class='sec-anchor' id='{anchors[a]}'></span>")
        if a in opens:
            out.append(f"<mark {opens[a][1]}>")
        if b is not None:
            out.append(esc(text[a:b]).replace("\n", "<br>"))
    return "".join(out)


def notice_html(n: Notice, passages: list[Passage], focus: tuple[int, int] | None = None, search: str = "") -> str:
    """A notice with its metadata, a clickable section outline and its text; the focused span (an opened
    citation) is marked, and so is every place of `search`, with a count and next / previous buttons."""
    meta = [("标题", n.title), ("发文单位", n.issuer), ("日期", n.date or "未注明"), ("地区", n.region or "—"),
            ("文号", n.doc_number or "—"), ("来源", n.source or "—"), ("文件", n.path)]
    meta_html = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in meta)
    entries = outline_entries(passages)
    anchors = {}
    for i, (_, _, start) in enumerate(entries):
        anchors.setdefault(start, f"sec-{i}")
    outline = "".join(
        f"<li style='margin-left:{depth * 1.2}em'><a href='#{anchors[start]}' data-go='{anchors[start]}'>"
        f"{esc(title)}</a></li>" for depth, title, start in entries)
    text = n.text
    spans: list[tuple[int, int, str]] = []
    if focus and 0 <= focus[0] < focus[1] <= len(text):
        spans.append((focus[0], focus[1], "id='focus' class='focus'"))
    hits = find_all(text, search) if search.strip() else []
    spans += [(s, e, f"class='hit' id='hit-{i}'") for i, (s, e) in enumerate(hits)]
    body = _text_with_marks(text, anchors, spans)
    found = ""
    if search.strip():
        shown = sum(1 for s, e, a in spans if a.startswith("class='hit'"))
        found = (f"<div class='search-result' role='status'>“{esc(search.strip())}”:找到 {len(hits)} 处"
                 + ("" if not hits else " <button type='button' class='act' data-act='hit-prev'>上一处</button>"
                    "<button type='button' class='act' data-act='hit-next'>下一处</button>") + "</div>")
        if hits and shown < len(hits):
            found = found.replace("</div>", "(与引用重叠的不另标出)</div>", 1)
    float_ = ("<div class='notice-float' role='group' aria-label='通报视图'>"
              "<button type='button' class='act' data-act='to-outline'>↑ 目录</button>"
              "<button type='button' class='act' data-act='back'>← 返回对话</button></div>")
    return (f"<div class='notice'>{float_}{found}<table class='notice-meta'>{meta_html}</table>"
            "<div class='notice-body'>"
            f"<nav class='outline' aria-label='目录'><h4>目录</h4><ul>{outline}</ul></nav>"
            f"<div class='notice-main'><h4>正文</h4><div class='notice-text'>{body}</div></div></div></div>")
