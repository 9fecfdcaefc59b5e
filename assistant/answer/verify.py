"""Sentence-by-sentence verification of a generated answer against the passages it cites. Pure functions
(the tokenizer and gazetteer are passed in; nothing here touches disk or the network).

A sentence passes when
- it cites at least one passage with [n], and every n is a passage that was given ([9] of five fails);
  the only sentence exempt from citing is the refusal (在已收录的通报中没有找到…), and only when it states no figure;
- every figure, percentage, date and 文号 in it occurs in one of the passages it cites (or in that passage's
  notice title, issuer, date and heading path), compared after NFKC and whitespace removal, with Chinese
  numerals read as numbers on both sides (三十个 = 30个, 二〇一九年 = 2019年, 百分之五十 = 50%) and 万/亿 read as
  magnitudes (24.93万户 = 249300户); 24 is not 24.93, and 84.36万户 is not 84.36万人;
- every place it names occurs in what it cites (title and region of the cited notices included): a Shaanxi
  figure cited under a sentence about 甘肃 fails;
- its proper nouns (jieba: organisations, places, people, other proper nouns) occur there too, and at least
  KEY_TERM_SHARE of its key terms do.

Example: check("陕西共搬迁24.93万户[1]。", {1: Source(1, "…共搬迁24.93万户…", "陕西省…")}) passes;
"陕西共搬迁25万户[1]。" fails with "数字“25万户”不在所引段落[1]中".
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Iterable

from ..question import QuestionInfo
from ..text import DATE_PATTERN, STOPWORDS, UNIT_ALIASES, figure_spans, unit_ok

if TYPE_CHECKING:
    from ..ingest.regions import Gazetteer
    from ..text import Tokenizer

# The phrase the prompt asks for when the passages do not hold the answer, and the variants small models use.
REFUSAL = "在已收录的通报中没有找到"
_REFUSAL_WORDS = ("没有找到", "未找到", "没有提及", "未提及", "没有相关", "未涉及", "没有涉及", "无法回答")
# Share of a sentence's key terms (2+ character Chinese content words) that must occur in what it cites.
# Generated sentences paraphrase ("通报指出", "主要做法有"), so not all; most, so that a sentence about
# something else entirely, cited to a passage that happens to hold its figure, fails.
KEY_TERM_SHARE = 0.5

# [1] [1,2] [1、2] 【1】; one or two digits, so that a year in brackets ([2019]) is a 文号 part, not a marker
MARKER = re.compile(r"[\[【]\s*(\d{1,2}(?:\s*[,、，]\s*\d{1,2})*)\s*[\]】]")
_ENUM = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.、)）](?!\d)|[（(]\d{1,2}[）)]|[一二三四五六七八九十]{1,2}[、是]"
                   r"|第[一二三四五六七八九十]+[,，、])\s*")
_DIGIT = "零〇一二两三四五六七八九十百千"
_CN_NUM = re.compile(rf"(百分之)?([{_DIGIT}](?:[{_DIGIT}点]*[{_DIGIT}])?)([万亿])?")
_YEAR_BRACKETS = re.compile(r"[\[［〔【(（]\s*(\d{4})\s*[\]］〕】)）]")
_THOUSANDS = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?![\d,])")
_DOCNO = re.compile(r"〔\d{4}〕\d+号")
_NUM = re.compile(r"^(\d+(?:\.\d+)?)(万|亿|千)?(.*)$")
_PROPER = ("nt", "ns", "nr", "nz")  # jieba flags: organisation, place, person, other proper noun


@dataclass(frozen=True)
class Source:
    """A passage given to the model, numbered from 1 as in the prompt, with what it inherits from its notice."""

    n: int
    text: str  # the passage, verbatim
    context: str  # notice title, issuer, date (ISO and Chinese), region, heading path


@dataclass(frozen=True)
class SentenceCheck:
    text: str  # as the model wrote it, markers included
    body: str  # without markers and list bullets
    cites: tuple[int, ...]  # passage numbers as in the prompt
    problems: tuple[str, ...]  # in Chinese; empty when it passed
    refusal: bool = False
    has_figure: bool = False
    has_date: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


# ------------------------------------------------------------------ figures


def _cn_number(run: str) -> str | None:
    """Arabic digits for a run of Chinese numerals. Example: "二〇一九" -> "2019"; "二十四点九三" -> "24.93"."""
    import cn2an
    digits = {"〇": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7",
              "八": "8", "九": "9"}
    if len(run) >= 2 and all(c in digits for c in run):  # read digit by digit: 二〇一九
        return "".join(digits[c] for c in run)
    try:
        v = cn2an.cn2an(run, "smart")
    except (ValueError, KeyError, TypeError):
        return None
    return format(Decimal(str(v)).normalize(), "f") if v is not None else None


def prepare(text: str) -> str:
    """The comparison form: NFKC, no whitespace, 〔year〕 brackets, no thousands commas, Chinese numerals as
    digits. A lone 一 stays (统一, 一是, 一个 are words), as does any single numeral not followed by a unit.

    Example: prepare("共 三十个村, 百分之五十, 达市府办函[2019]30号") -> "共30个村,50%,达市府办函〔2019〕30号".
    """
    t = "".join(unicodedata.normalize("NFKC", text).split())
    t = _YEAR_BRACKETS.sub(r"〔\1〕", t)
    t = _THOUSANDS.sub(lambda m: m.group(0).replace(",", ""), t)

    def repl(m: re.Match[str]) -> str:
        pct, run, mag = m.group(1), m.group(2), m.group(3) or ""
        num = _cn_number(run)
        if num is None:
            return m.group(0)
        if pct:
            return f"{num}%{mag}"
        if len(run) == 1 and not mag:
            after = t[m.end():m.end() + 4]
            spans = figure_spans(num + after)
            if run == "一" or not spans or spans[0][1] <= len(num):  # no unit follows: a word, not a figure
                return m.group(0)
        return num + mag

    return _CN_NUM.sub(repl, t)


@dataclass(frozen=True)
class Figure:
    """A figure in comparison form. `written` is the number as written before its magnitude (24.93 of 24.93万)."""

    surface: str  # as it appears in the prepared text
    kind: str  # "number" | "date" | "docno"
    written: str = ""
    value: Decimal | None = None
    unit: str = ""
    date: tuple[int | None, int | None, int | None] = (None, None, None)


def _date_parts(s: str) -> tuple[int | None, int | None, int | None]:
    """Example: "2019年5月" -> (2019, 5, None); "4月17日" -> (None, 4, 17); "2019-05-20" -> (2019, 5, 20)."""
    if "-" in s:
        y, m, d = (int(x) for x in s.split("-"))
        return y, m, d
    y = re.search(r"(\d{4})年", s)
    mo = re.search(r"(?<!\d)(\d{1,2})月", s)
    d = re.search(r"(?<!\d)(\d{1,2})日", s)
    return (int(y.group(1)) if y else None, int(mo.group(1)) if mo else None, int(d.group(1)) if d else None)


def figures_of(prepared: str) -> list[Figure]:
    """Figures, dates and 文号 of a prepared text. Example: figures_of("2019年5月搬迁24.93万户") ->
    [date (2019, 5, None), number 249300 户]."""
    out: list[Figure] = []
    masked = prepared
    for m in _DOCNO.finditer(prepared):
        out.append(Figure(m.group(0), "docno"))
        masked = masked[:m.start()] + " " * (m.end() - m.start()) + masked[m.end():]
    for m in DATE_PATTERN.finditer(masked):
        out.append(Figure(m.group(0), "date", date=_date_parts(m.group(0))))
        masked = masked[:m.start()] + " " * (m.end() - m.start()) + masked[m.end():]
    for s, e in figure_spans(masked):
        surf = masked[s:e]
        if s > 0 and masked[s - 1] == "." or not re.match(r"\d", surf):
            continue
        m = _NUM.match(surf)
        if m is None:
            continue
        try:
            written = Decimal(m.group(1))
        except InvalidOperation:
            continue
        mag = {"万": 10_000, "亿": 100_000_000, "千": 1000}.get(m.group(2) or "", 1)
        out.append(Figure(surf, "number", written=format(written.normalize(), "f"),
                          value=(written * mag).normalize(), unit=m.group(3)))
    return out


def _date_supported(date: tuple[int | None, int | None, int | None], ref: list[Figure]) -> bool:
    """Every part the date states matches one reference date; a year the reference date leaves out must occur
    elsewhere in the reference (4月17日 in a notice dated 2019 supports 2019年4月17日)."""
    y, m, d = date
    ref_dates = [r.date for r in ref if r.kind == "date"]
    years = {ry for ry, _, _ in ref_dates if ry} | {
        int(r.value) for r in ref if r.kind == "number" and r.value is not None and not r.unit
        and r.value == r.value.to_integral() and 1900 < r.value < 2100}
    if m is None and d is None:
        return y in years
    return any((m is None or m == rm) and (d is None or d == rd)
               and (y is None or y == ry or (ry is None and y in years)) for ry, rm, rd in ref_dates)


def _same_unit(a: str, b: str) -> bool:
    return a == b or b in UNIT_ALIASES.get(a, ())


def figure_supported(f: Figure, ref: list[Figure]) -> bool:
    """Is the sentence figure `f` among the reference figures? A figure with a unit needs the same value and
    unit; without a unit, the same value (or the same number as written); a date needs every part it states.

    Example: 24.93万户 is supported by "249300户" and by "24.93万户", not by "24.93万人" nor by "24.9万户".
    """
    if f.kind == "docno":
        return any(r.kind == "docno" and r.surface == f.surface for r in ref)
    if f.kind == "date":
        return _date_supported(f.date, ref)
    for r in ref:
        if r.kind != "number":
            continue
        if f.unit:
            if r.unit and _same_unit(f.unit, r.unit) and r.value == f.value:
                return True
        elif r.value == f.value or r.written == f.written:
            return True
    return False


# ------------------------------------------------------------------ sentences


def cites_of(sentence: str) -> tuple[int, ...]:
    """Example: cites_of("甲[1]乙【2、3】") -> (1, 2, 3)."""
    out: list[int] = []
    for m in MARKER.finditer(sentence):
        out += [int(x) for x in re.split(r"\s*[,、，]\s*", m.group(1).strip())]
    return tuple(dict.fromkeys(out))


def strip_markers(sentence: str) -> str:
    """The sentence without [n] markers and without a leading list bullet. Example: "- 甲[1]。" -> "甲。"."""
    return _ENUM.sub("", MARKER.sub("", sentence)).strip()


def is_refusal(body: str) -> bool:
    return REFUSAL in body or any(w in body for w in _REFUSAL_WORDS)


def _places_in(text: str, gaz: Gazetteer | None) -> list[tuple[str, list[str]]]:
    """(surface form, the candidates' full and short names) of each place named in text."""
    if gaz is None:
        return []
    from ..ingest.regions import short_name
    out = []
    for s, cands in gaz.mentions(text):
        if len(s) < 2 or (len(s) == 2 and all(c.level == "county" for c in cands)):
            continue  # two-character county names (安定, 新区…) are mostly common words
        out.append((s, [n for c in cands for n in (c.name, short_name(c))]))
    return out


def check_sentence(sentence: str, sources: dict[int, Source], tok: Tokenizer | None = None,
                   gaz: Gazetteer | None = None) -> SentenceCheck:
    """Verify one generated sentence against the sources it cites (see the module docstring)."""
    cites = cites_of(sentence)
    body = strip_markers(sentence)
    prepared = prepare(body)
    figs = figures_of(prepared)
    has_figure = any(f.kind == "number" for f in figs)
    has_date = any(f.kind == "date" for f in figs)
    refusal = is_refusal(body)
    problems: list[str] = []
    bad = [n for n in cites if n not in sources]
    if bad:
        problems.append("引用编号" + "".join(f"[{n}]" for n in bad) + "不存在")
    cited = [sources[n] for n in cites if n in sources]
    if cites and not cited:
        return SentenceCheck(sentence, body, cites, tuple(problems), refusal, has_figure, has_date)
    if not cites:
        if refusal and not figs:
            return SentenceCheck(sentence, body, cites, (), refusal=True)
        problems.append("没有注明出处[n]")
        return SentenceCheck(sentence, body, cites, tuple(problems), refusal, has_figure, has_date)
    where = "".join(f"[{s.n}]" for s in cited) or "".join(f"[{n}]" for n in cites)
    ref_text = "\n".join(f"{s.text}\n{s.context}" for s in cited)
    ref_figs = [f for s in cited for f in figures_of(prepare(f"{s.text}\n{s.context}"))]
    for f in figs:
        if not figure_supported(f, ref_figs):
            what = {"docno": "文号", "date": "日期"}.get(f.kind, "数字")
            problems.append(f"{what}“{f.surface}”不在所引段落{where}中")
    if refusal:
        return SentenceCheck(sentence, body, cites, tuple(problems), True, has_figure, has_date)
    ref_norm = prepare(ref_text)
    for surface, names in _places_in(body, gaz):
        if surface not in ref_norm and not any(n in ref_norm for n in names):
            problems.append(f"地名“{surface}”不在所引段落{where}及其通报中")
    if tok is not None and cited:
        problems += _term_problems(prepared, ref_norm, tok, where, {p for p, _ in _places_in(body, gaz)})
    return SentenceCheck(sentence, body, cites, tuple(problems), refusal, has_figure, has_date)


def _term_problems(body: str, ref_norm: str, tok: Tokenizer, where: str, places: set[str]) -> list[str]:
    """Proper nouns must all occur in what is cited; key terms mostly (KEY_TERM_SHARE). Both sides are in
    comparison form (`prepare`), so 二十四点九三 is a figure here, not four words."""
    problems = []
    words = [(p.word, p.flag) for p in tok.pos.lcut(unicodedata.normalize("NFKC", body))]
    for w, flag in words:
        if flag in _PROPER and len(w) >= 2 and w not in places and w not in ref_norm and not re.search(r"\d", w):
            problems.append(f"名称“{w}”不在所引段落{where}中")
    ref_tokens = set(tok.tokens(ref_norm))
    # figures are checked above; their unit words (万户, 万元) are not key terms
    spans = figure_spans(body)
    words_only = "".join(" " if any(s <= i < e for s, e in spans) else ch for i, ch in enumerate(body))
    keys = [t for t in dict.fromkeys(tok.tokens(words_only))
            if len(t) >= 2 and re.search(r"[\u4e00-\u9fff]", t) and not re.search(r"\d", t) and t not in STOPWORDS]
    if keys:
        found = sum(1 for t in keys if t in ref_tokens or t in ref_norm)
        if found / len(keys) < KEY_TERM_SHARE:
            missing = "、".join(t for t in keys if t not in ref_tokens and t not in ref_norm)
            problems.append(f"用语与所引段落{where}不符({missing})")
    return problems


# ------------------------------------------------------------------ the whole answer


def answers_question(c: SentenceCheck, info: QuestionInfo) -> bool:
    """Does a passed sentence answer the kind of question asked: a count needs a figure (in the asked unit when
    one is asked), a when-question a date; any other kind, any cited statement. A refusal answers nothing."""
    if not c.ok or c.refusal:
        return False
    if info.kind == "count":
        return c.has_figure and (not info.unit or any(
            f.kind == "number" and unit_ok(f.surface, info.unit) for f in figures_of(prepare(c.body))))
    if info.kind == "date":
        return c.has_date
    return True


def not_verbatim(short: str) -> str:
    return f"简答“{short}”不是所引段落的原文"


def short_answer_problems(short: str, cites: Iterable[int], sources: dict[int, Source], info: QuestionInfo,
                          tok: Tokenizer | None = None) -> list[str]:
    """A short answer (简答) must be a verbatim substring of a passage it cites, and answer the quantity asked:
    the asked unit for a count, a date for a when-question, and the counted noun (多少名中小学教师 ->
    中小学教师) in the passage's sentence that holds it. Example: "19名" for 多少名中小学教师 fails when
    that sentence counts 教师 of another kind."""
    from ..text import sentence_spans, squash
    s = squash(short).rstrip("。.")
    if not s:
        return ["简答为空"]
    cited = [sources[n] for n in cites if n in sources]
    homes = []
    for src in cited:
        t = src.text
        for a, b in sentence_spans(t):
            if s in squash(t[a:b]):
                homes.append((src, t[a:b]))
    if not homes:
        return [not_verbatim(short)]
    problems = []
    figs = [f for f in figures_of(prepare(s))]
    if info.kind == "count":
        nums = [f for f in figs if f.kind == "number"]
        if not nums:
            problems.append(f"简答“{short}”没有数字")
        elif info.unit and not any(unit_ok(f.surface, info.unit) for f in nums):
            problems.append(f"简答“{short}”的单位不是所问的“{info.unit}”")
        if info.counted and tok is not None:
            counted = [t for w in tok.leading_noun_phrase(info.counted) for t in tok.tokens(w) if t not in STOPWORDS]
            if counted and not any(sum(1 for t in counted if t in squash(sent)) / len(counted) >= 0.8
                                   for _, sent in homes):
                problems.append(f"简答“{short}”所在的句子说的不是“{info.counted}”")
    if info.kind == "date" and not any(f.kind == "date" for f in figs):
        problems.append(f"简答“{short}”不是日期")
    return problems


# ------------------------------------------------------------------ streaming

_END = re.compile(r"[。！？!?；;]|(?<!\d)\.(?=\s)|\n")
_TAIL = re.compile(r"(?:\s*[\[【]\s*\d{1,2}(?:\s*[,、，]\s*\d{1,2})*\s*[\]】]|[”’」』)）\"'])*")
_PARTIAL_MARKER = re.compile(r"\s*[\[【][\d\s,、，]*$")


@dataclass(frozen=True)
class Piece:
    """A complete sentence of the stream; `line_end` when a line break follows it (list items)."""

    text: str
    line_end: bool


class SentenceSplitter:
    """Cuts a streamed text into sentences as soon as each is complete: at 。！？；, a line break or an English
    full stop, with the [n] markers and closing quotes that follow the end mark ("…万户。[1]"). A sentence whose
    end mark has arrived but whose markers may still be coming is held back.

    Example: s = SentenceSplitter(); s.feed("甲[1]。乙") -> []; s.feed("[2]。") -> [Piece("甲[1]。", False)];
    s.close() -> [Piece("乙[2]。", True)].
    """

    def __init__(self) -> None:
        self.buf = ""

    @property
    def pending(self) -> bool:
        """Is a sentence being written?"""
        return bool(self.buf.strip())

    def feed(self, text: str) -> list[Piece]:
        self.buf += text
        return self._drain(final=False)

    def close(self) -> list[Piece]:
        out = self._drain(final=True)
        if re.search(r"\w", strip_markers(self.buf)):
            out.append(Piece(self.buf.strip(), True))
        self.buf = ""
        return out

    def _drain(self, final: bool) -> list[Piece]:
        out: list[Piece] = []
        while True:
            m = _END.search(self.buf)
            if m is None:
                return out
            if m.group(0) == "\n":
                k = m.end()
            else:
                k = _TAIL.match(self.buf, m.end()).end()
                rest = self.buf[k:]
                if not final and (not rest or _PARTIAL_MARKER.match(rest)):
                    return out  # markers may still follow the end mark
            text, self.buf = self.buf[:k].strip(), self.buf[k:]
            line_end = m.group(0) == "\n" or self.buf.lstrip(" ").startswith("\n") or (final and not self.buf.strip())
            if re.search(r"\w", strip_markers(text)):
                out.append(Piece(text, line_end))
