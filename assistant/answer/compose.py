"""The words around the quotes: an answer's text with [n] markers, in Chinese or, for an English question, with
an English frame around the Chinese short answer. Pure functions.
"""
from __future__ import annotations

import re

from ..question import QuestionInfo, question_places
from ..search.tokensets import LEAD_CHARS
from ..text import figure_ranges, figure_spans, figure_unit, fold
from ..types import Citation, Notice
from .short import APPROX_EN, NEGATABLE, NEGATION

_SCALE = {"万": 10_000, "亿": 100_000_000, "千": 1_000, "百": 100}
# English names of measure words, for the English frame of a figure (general units, not corpus words)
_UNIT_EN = {"户": "households", "人": "people", "名": "people", "人次": "person-times", "户次": "household-times",
            "元": "yuan", "亩": "mu", "%": "percent", "个": "", "件": "cases", "项": "items", "次": "times",
            "天": "days", "年": "years", "套": "units", "间": "rooms", "所": "", "家": "", "条": "", "轮": "rounds",
            "公里": "km", "平方米": "square metres", "起": "cases", "批": "batches", "期": "sessions",
            "平方公里": "square km", "吨": "tonnes", "千瓦": "kW", "千瓦时": "kWh", "股": "shares", "美元": "US dollars"}


def _when(n: Notice) -> str:
    return n.date or "未注明日期"


def last_heading(section: str) -> str:
    """The innermost heading of a path. Example: "二、问题 > (一)搬迁 > 整改成效" -> "整改成效"."""
    return section.split(" > ")[-1] if section else ""


def english_figure(short: str) -> str:
    """The plain English reading of a Chinese figure, or "" when it is not one.

    Example: "24.93万户" -> "249,300 households"; "89.6%" -> "89.6 percent"; "7.132万元" -> "71,320 yuan";
    a range, "300元到3000元" -> "300 to 3,000 yuan"; "不超过25平方米" -> "at most 25 square metres".
    """
    if re.fullmatch(r"\s*(?:19|20)\d{2}\s*年.*", fold(short)):
        return ""  # a year or a date ("2019年" is no 2,019 years)
    f = fold(short)
    spans = figure_spans(f)
    if len(spans) == 2 and figure_ranges(f) == [(spans[0][0], spans[1][1])]:  # 300元到3000元
        first, last = f[spans[0][0]:spans[0][1]], f[spans[1][0]:spans[1][1]]
        low, high = english_figure(first + figure_unit(last)), english_figure(last)
        if low and high:
            words = _UNIT_EN.get(figure_unit(last), "")
            return f"{low.removesuffix(words).strip()} to {high}" if words else f"{low} to {high}"
    m = re.search(r"(\d+(?:\.\d+)?)\s*([万亿千百])?\s*(多|余)?", f)
    if not m:
        return ""
    value = float(m.group(1)) * _SCALE.get(m.group(2) or "", 1)
    unit = figure_unit(short)
    number = f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0").rstrip(".")
    before = f[:m.start()]
    approx = next((w for w in APPROX_EN if before.endswith(w)), "")
    negated = approx in NEGATABLE and before[:-len(approx)][-1:] in tuple(NEGATION)  # 不超过, 未超过: a limit
    more = ("at most " if negated else f"{APPROX_EN[approx]} " if approx else "more than " if m.group(3) else "")
    words = _UNIT_EN.get(unit, "")
    if not m.group(2) and not m.group(3) and not words:
        return ""
    return f"{more}{number} {words}".strip()


_LEVEL = re.compile(r".+?(?:自治区|自治州|自治县|特别行政区|省|市|州|盟|地区|区|县|旗|乡|镇|街道)")


def place_of(n: Notice) -> str:
    """Where a notice is about, for a line of a precedent answer that names it: the last level of its region, else
    the first township or county its title or opening names (a news page whose header names no place).

    Example: region "浙江省金华市婺城区" -> "婺城区"; no region, opening "…到均川镇开展…回访督查" -> "均川镇"."""
    if n.region:
        levels = _LEVEL.findall(n.region)
        return levels[-1] if levels else n.region
    named = question_places(fold(f"{n.title} {n.text[:LEAD_CHARS]}"), None)
    return named[0] if named else ""


def abstain_text(question: str, english: bool = False) -> str:
    """The refusal; an English question gets an English sentence before it (the Chinese one stays: reports and
    the LLM verifier read it)."""
    q = question.strip()
    q = q if len(q) <= 60 else q[:59] + "…"
    lead = "No answer was found in the notices loaded.\n\n" if english else ""
    return f"{lead}在已收录的通报中没有找到“{q}”的答案。"


def compose(info: QuestionInfo, evidence: list, notices_checked: int, short: str = "",
            english: bool = False) -> tuple[str, list[Citation]]:
    """Answer text with [n] markers, and its citations (numbered from 1).

    One quote: the short answer first when there is one (else "最相关的原文是"), then where the quote stands and
    the quote. Several (list / how questions): one line per notice.
    """
    from .extractive import citation
    cites = [citation(i + 1, ev) for i, ev in enumerate(evidence)]
    if len(evidence) > 1 and info.kind == "count":  # the notices state different figures: each with its source
        lines = ["各通报给出的数字不同:" if not english else "The notices give different figures:"]
        for c in cites:
            lines.append(f"- 《{c.title}》({c.date or '未注明日期'}):“{c.quote}”[{c.n}]")
        return "\n".join(lines), cites
    if len(evidence) > 1 or info.kind in ("list", "how") and not short:
        lines = [f"在已收录的 {notices_checked} 份通报中,有 {len(evidence)} 份有相关内容:"]
        for ev, c in zip(evidence, cites):
            label = c.issuer or c.title
            place = place_of(ev.notice)
            where = f"{place}," if place and place not in label else ""
            lines.append(f"- {label}({where}{c.date or '未注明日期'}):“{c.quote}”[{c.n}]")
        return "\n".join(lines), cites
    ev, c = evidence[0], cites[0]
    where = f"《{c.title}》({_when(ev.notice)})" + (f",{last_heading(c.section)}" if c.section else "")
    if english:
        en = english_figure(short) if short else ""
        lead = (f"Answer: {short}" + (f" ({en})" if en else "") + " [1]\n\n") if short else \
            "No short answer could be stated with confidence; the most relevant passage is quoted below.\n\n"
        return f"{lead}Source: {where}: “{c.quote}”[1]", cites
    if short:
        return f"{short}\n\n据{where}:“{c.quote}”[1]", cites
    return f"最相关的原文是:据{where}:“{c.quote}”[1]", cites
