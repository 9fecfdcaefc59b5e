"""Answers as staff paste them into a report: clean text for the clipboard, and one answer or a whole
conversation as Markdown or as a Word file (python-docx), each answer followed by its sources.

A source reads 《title》(date) section: “quote”. Pure functions returning text or bytes; no Gradio.
"""
from __future__ import annotations

import io
import re
from typing import Iterable

from ..types import Answer, Citation
from .conversation import Conversation, Turn
from .render import display_text


def source_line(c: Citation) -> str:
    """Example: 《陕西省…通报》(2021-03-23) 一、… > 整改成效,第 2 页:“全省共搬迁24.93万户。”"""
    page = f",第 {c.page} 页" if c.page else ""
    return f"《{c.title}》({c.date or '未注明日期'}) {c.section}{page}:“{c.quote}”"


def sources_title(ans: Answer) -> str:
    """来源 for an answer's citations; for an abstention, the passages shown as possibly related."""
    return "来源" if ans.citations else "可能相关的原文(未用于回答)"


def _sources(ans: Answer) -> list[tuple[str, Citation]]:
    if ans.citations:
        return [(f"[{c.n}]", c) for c in ans.citations]
    return [("可能相关", c) for c in ans.related]


def clean_text(ans: Answer, scope: str = "") -> str:
    """What 复制 puts on the clipboard: the answer as shown (no markup, no escapes), then its sources.

    Example: "24.93万户\\n\\n据《甲》(2021-03-23),整改成效:“…”[1]\\n\\n来源:\\n[1] 《甲》(2021-03-23)一、… > 整改成效:“…”".
    """
    parts = []
    if ans.note:
        parts.append(ans.note)
    parts.append(display_text(ans).strip())
    if scope:
        parts.append(scope)
    src = _sources(ans)
    if src:
        parts.append(f"{sources_title(ans)}:\n" + "\n".join(f"{label} {source_line(c)}" for label, c in src))
    return "\n\n".join(parts)


_MD = re.compile(r"([\\`*_<&])")


def md_text(text: str) -> str:
    """Text safe in Markdown without needless escapes (Chinese punctuation, figures and [n] stay as they are):
    emphasis, code and HTML are escaped, links and images are broken, and a line that would start a heading,
    quote or list is escaped at its start.

    Example: md_text("24.93万户 <b>[1]") -> "24.93万户 \\<b>[1]"; md_text("# 标题") -> "\\# 标题";
    md_text("[x](http://a)") -> "[x]\\(http://a)".
    """
    out = _MD.sub(r"\\\1", text).replace("](", "]\\(")
    return re.sub(r"(?m)^(\s*)([#>+-]|\d+\.)(?=\s)", r"\1\\\2", out)


def _answer_md(ans: Answer, short_bold: bool = True) -> str:
    text = display_text(ans).strip()
    short = (ans.short_answer or "").strip()
    lines = []
    if ans.note:
        lines.append(f"*{md_text(ans.note)}*")
    if short and short_bold:
        i = text.find(short)
        if i >= 0:
            text_md = md_text(text[:i]) + f"**{md_text(short)}**" + md_text(text[i + len(short):])
        else:
            text_md = f"**{md_text(short)}**\n\n" + md_text(text)
    else:
        text_md = md_text(text)
    # list lines of a precedent answer stay a list
    text_md = re.sub(r"(?m)^\\- ", "- ", text_md)
    lines.append(text_md)
    return "\n\n".join(lines)


def turn_markdown(t: Turn, heading: str = "##") -> str:
    ans = t.answer
    out = [f"{heading} 问:{md_text(t.question)}", "", _answer_md(ans), ""]
    if t.scope:
        out += [f"*{md_text(t.scope)}*", ""]
    if ans.rewritten_question and ans.rewritten_question != ans.question:
        out += [f"*检索的问题:{md_text(ans.rewritten_question)}*", ""]
    src = _sources(ans)
    if src:
        out += [f"**{sources_title(ans)}**", ""]
        out += [f"- {md_text(label)} {md_text(source_line(c))}" for label, c in src]
        out.append("")
    out.append(f"*提问时间:{t.asked_at}{(',索引版本 ' + t.index_version) if t.index_version else ''}*")
    return "\n".join(out) + "\n"


def conversation_markdown(turns: Iterable[Turn], exported_at: str, title: str = "通报问答助手 · 对话记录") -> str:
    turns = list(turns)
    head = f"# {title}\n\n导出时间:{exported_at} · 共 {len(turns)} 问\n\n"
    return head + "\n".join(turn_markdown(t) for t in turns)


def conversation_docx(turns: Iterable[Turn], exported_at: str, title: str = "通报问答助手 · 对话记录") -> bytes:
    """A Word file: per question, the answer (short answer bold) and its numbered sources with the quotes."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    turns = list(turns)
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "SimSun"
    normal.font.size = Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")  # CJK text in 宋体
    doc.core_properties.title = title
    doc.add_heading(title, level=1)
    doc.add_paragraph(f"导出时间:{exported_at} · 共 {len(turns)} 问")
    grey = RGBColor(0x57, 0x60, 0x6A)
    for i, t in enumerate(turns, 1):
        ans = t.answer
        doc.add_heading(f"问 {i}:{t.question}", level=2)
        if ans.note:
            doc.add_paragraph().add_run(ans.note).italic = True
        text = display_text(ans).strip()
        short = (ans.short_answer or "").strip()
        if short and short not in text:
            doc.add_paragraph().add_run(short).bold = True
        for para in (p for p in re.split(r"\n{2,}", text) if p.strip()):
            for line in para.split("\n"):
                style = None
                if line.startswith("- "):
                    style, line = "List Bullet", line[2:]
                p = doc.add_paragraph(style=style)
                j = line.find(short) if short else -1
                if j >= 0:  # the short answer, bold once
                    p.add_run(line[:j])
                    p.add_run(short).bold = True
                    p.add_run(line[j + len(short):])
                    short = ""
                else:
                    p.add_run(line)
        if t.scope:
            doc.add_paragraph().add_run(t.scope).italic = True
        if ans.rewritten_question and ans.rewritten_question != ans.question:
            r = doc.add_paragraph().add_run(f"检索的问题:{ans.rewritten_question}")
            r.italic = True
        src = _sources(ans)
        if src:
            doc.add_paragraph().add_run(sources_title(ans)).bold = True
            for label, c in src:
                p = doc.add_paragraph()
                p.add_run(f"{label} 《{c.title}》({c.date or '未注明日期'})").bold = True
                p.add_run(f" {c.section}{(',第 %d 页' % c.page) if c.page else ''}").font.color.rgb = grey
                q = doc.add_paragraph(f"“{c.quote}”")
                q.paragraph_format.left_indent = Pt(18)
        foot = doc.add_paragraph().add_run(
            f"提问时间:{t.asked_at}{(',索引版本 ' + t.index_version) if t.index_version else ''}")
        foot.font.size = Pt(9)
        foot.font.color.rgb = grey
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def export_name(conv: Conversation, turn: Turn | None, exported_at: str, ext: str) -> str:
    """Example: export_name(conv, turn 3, "2024-05-01 09:30", "docx") -> "通报问答-第3问-20240501-0930.docx"."""
    stamp = re.sub(r"[^0-9]", "", exported_at)
    stamp = f"{stamp[:8]}-{stamp[8:12]}"
    return f"通报问答-{'第%d问' % turn.n if turn else '对话'}-{stamp}.{ext}"
