"""Short answers: the figure, date, name, body, place, phrase or list inside a sentence that answers exactly what
was asked, each candidate scored by how closely the question's terms surround it.

Pure functions: a sentence (as a span of a notice's text), the question's analysis and weighted terms in; scored
candidates out. Spans are matched on `fold(text)` (traditional and full-width characters folded, same length), so
every candidate is a verbatim span of the notice.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Callable

from ..question import QuestionInfo, asked_role
from ..text import (COUNT_CLASSIFIERS, DATE_PATTERN, bound_side, date_spans, figure_ranges, figure_spans, figure_unit,
                    fold, last_figure, time_periods, times_in_brackets)

# Punctuation that ends a clause; 、 separates items inside one.
_CLAUSE_END = "，,；;。！？!?：:\n"
_ITEM_SEP = "、"
# Words written right before a figure that belong to it: "约350人" is not "350人".
# words of approximation written right before a figure, which belong to it, and their English reading (the
# two-character ones first: 接近 before 近)
APPROX_EN = {"大约": "about", "将近": "nearly", "接近": "nearly", "超过": "more than", "多达": "as many as",
             "高达": "as much as", "不到": "less than", "不足": "less than", "约": "about", "近": "nearly",
             "逾": "more than", "超": "more than"}
_APPROX = tuple(APPROX_EN)
# a negation before one of these makes it a limit: "不超过25平方米" (at most), not "超过25平方米"
NEGATION, NEGATABLE = "不未没", ("超过", "超", "多达", "高达")
_DATE_LINK = re.compile(r"^\s*(?:至|到|—{1,2}|-{1,2}|－|~|～)\s*$")  # 2018年11月26日——2019年1月26日
_ORG_SUFFIX = ("巡察组", "巡视组", "督查组", "督导组", "工作组", "领导小组", "委员会", "纪委", "监委", "党组", "党委", "政府",
               "办公室", "工作队", "局", "厅", "部", "委", "办", "中心", "院", "所", "站", "队", "组", "会")
_CN_NUM = "一二三四五六七八九十百零两〇"
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,14}[〔\[［【(（]\d{4}[〕\]］】)）]\s*\d{1,4}\s*号")
_DEFINE_VERB = re.compile(r"^[”\"」』’]?\s*(?:代表的?是|代表|表示的?是|表示|是指|指的是|指|即|意思是|意为|为|是)")
_NAME = re.compile(r"[\u4e00-\u9fff]{2,3}")
_PLACE_END = re.compile(r"[省市县区镇乡]$")
# a name between a post and 同志, as official texts write people ("镇党委书记樊国春同志", "副书记刘冰同志"): the tagger
# often cuts an unknown name apart (樊国/春), the post and 同志 around it do not
_POST_NAME = re.compile(r"(?:书记|主任|[\u4e00-\u9fff]长|委员|部长|干部)([\u4e00-\u9fff]{2,3}?)同志")


@dataclass(frozen=True)
class Candidate:
    """A possible short answer: a verbatim span of the notice, with the evidence that it answers."""

    start: int  # span in the notice text
    end: int
    text: str
    near: float  # question terms in the few characters around it (its own item of a 、 list)
    clause: float  # … in its clause
    fit: float  # how well its form fits what was asked (1.0: exactly the unit / kind asked)
    counted: float  # 1.0 the counted noun follows it, -1.0 another noun does, 0.0 nothing to check
    score: float = 0.0
    when: float = 0.0  # 1.0 its clause names the year asked, -1.0 its sentence names only other years
    anchor: float = 0.0  # the closest question term's credit alone: 1.0 when one touches it ("搬迁24.93万户")
    rival: float = 0.0  # weight share of question terms the sentence ties to another candidate's clause only
    dated: float = 0.0  # 1.0 the nearest date before it is the date asked, -1.0 it is another one
    respective: float = 0.0  # 1.0 "A、B分别x、y" pairs it with the item the question names, -1.0 with another item
    unpaired: float = 0.0  # -1.0: one of the figures after 分别, and the question does not say which item it asks
    extreme: float = 0.0  # for 最多有几个: 1.0 the sentence writes 最多 right before it, -1.0 至少 or 最多 before another
    # -1.0: a later figure, after 其中, is stated of the subject asked and this one is not (the total); or a figure
    # after "…中" is a part of this one, said to be what the question asks ("19名教师中3名教师没有资格证")
    whole: float = 0.0
    # -1.0: a place the question names stands in another figure's clause of the sentence only; or the level it names
    # (省级) is not the nearest level written before the figure (市级); or a term the sentence holds only through
    # its notice's title stands right before another figure in another sentence (extractive.named_by_another)
    elsewhere: float = 0.0
    # -1.0: the question names a year, and neither the sentence, its paragraph before it, nor the notice's date does;
    # or a quarter or half (上半年), and neither the sentence nor its paragraph before it names any
    untimed: float = 0.0
    # -1.0: the sentence writes the question's condition otherwise: 截至哪天 asks the day a status is given as of,
    # and this date is not written as one (截至/截止 before it); the question bounds a figure it states one way
    # (690分以下) and the sentence the other (690分以上); or it writes another figure in the unit of one the
    # question states, and not that one (3家及以上 asked, 2家及以上 written)
    other_side: float = 0.0


# the span a figure is counted over, each written several ways: a year's (全年, 每年), a month's (每月), …
_EVERY = (("年", re.compile(r"全年|每年|年均|一年")), ("季", re.compile(r"每季度|每个季度|季均")),
          ("月", re.compile(r"每月|全月|月均|每个月")), ("周", re.compile(r"每周|每星期|周均")),
          ("日", re.compile(r"每天|每日|日均|全天")))


def every_of(text: str) -> set[str]:
    """The spans a text counts over: "每月巡河不得少于4次,全年不得少于48次" -> {"月", "年"}."""
    return {span for span, pat in _EVERY if pat.search(text)}


_ASKS_LEADER = re.compile(r"谁(?:来)?(?:带队|率队|领队|带领)|(?:带队|率队|领队)(?:的)?(?:是|为)?谁|由谁(?:带队|率队)")
_LEADER = re.compile(r"(?:同志)?(?:一行|带队|率队|领队|带领)")  # right after the leader's name
# a year named relative to now; not a comparison's base (比去年, 较上年度, 去年同期)
_RELATIVE_YEAR = re.compile(r"(?<![比较与])(?:去年|前年|上一年|上年度|明年)(?!同期)")
_ASOF = re.compile(r"截至|截止")  # written right before a date a status is given as of (截止到, 截止至 too)

# dates that govern the figures after them in a sentence: DATE_PATTERN's, and a bare month (今年3月)
_BARE_MONTH = r"(?<!\d)\d{1,2}月(?![\d份底初旬])"
_TIME_ANCHOR = re.compile(DATE_PATTERN.pattern + "|" + _BARE_MONTH)


def asked_dates(question: str) -> list[str]:
    """The dates a question names, a bare month too: "抖音今年6月处罚了多少个账号?" -> ["6月"] (against "自7月1日以来,
    …对110991个账号进行了处罚", whose figure is another month's)."""
    spans = date_spans(question)
    months = [(m.start(), m.end()) for m in re.finditer(_BARE_MONTH, question)
              if not any(a <= m.start() < b for a, b in spans)]
    return [question[a:b] for a, b in sorted(spans + months)]


def _ymd(text: str) -> dict[str, int]:
    """Year, month and day a date names. Example: "2019年5月20日" -> {"y": 2019, "m": 5, "d": 20}; "3月底" -> {"m": 3}."""
    out: dict[str, int] = {}
    m = re.search(r"(\d{4})[-.](\d{1,2})[-.](\d{1,2})", text)
    if m:
        return {"y": int(m.group(1)), "m": int(m.group(2)), "d": int(m.group(3))}
    for key, pat in (("y", r"(\d{4})年"), ("m", r"(\d{1,2})月"), ("d", r"(\d{1,2})日")):
        m = re.search(pat, text)
        if m:
            out[key] = int(m.group(1))
    return out


def dated(f: str, s: int, lo: int, asked: list[str]) -> float:
    """Does the figure at f[s:] belong to the date the question asks (`asked`, e.g. ["8月8日"], ["2022年"])? A figure
    in a sentence is governed by the nearest date written before it: in "8月8日…返还资金221.6万元…今年3月…已返还153万元"
    221.6万元 is 8月8日's (1.0) and 153万元 is March's (-1.0); in "2022年…平均工资为6698元,以此核定2023年…上限为20094元"
    20094元 is 2023's. Dates are compared on what both name (a month-only date says nothing of the year asked).
    0.0 when no date precedes the figure, none is asked, or they name no common part."""
    if not asked:
        return 0.0
    last = None
    for m in _TIME_ANCHOR.finditer(f, lo, s):
        last = m.group(0)
    if last is None:
        return 0.0
    have = _ymd(last)
    verdict = 0.0
    for a in asked:
        want = _ymd(a)
        shared = [k for k in want if k in have]
        if not shared:
            continue
        if all(want[k] == have[k] for k in shared):
            return 1.0
        verdict = -1.0
    return verdict


PARA_BACK = 400  # how far back in its paragraph a sentence's year or a count's noun is looked for


def paragraph_start(text: str, pos: int) -> int:
    """Where the paragraph holding text[pos] starts, at most PARA_BACK characters before pos (a one-line web page
    has no paragraph breaks: the search never reads further back). Example: ("甲。\n乙。丙", 5) -> 3."""
    lo = max(0, pos - PARA_BACK)
    return text.rfind("\n", lo, pos) + 1 or lo


Cover = Callable[[str], float]  # coverage of the question's key terms by a piece of (folded) text
# A question term: its written forms (the term, its parts, its synonyms, each with a credit) and its weight
Term = tuple[tuple[tuple[str, float], ...], float]
DECAY = 6.0  # characters over which a term's link to a figure fades (e^-1 at 7 characters away)


def proximity(f: str, s: int, e: int, a: int, b: int, terms: list[Term], after: float = DECAY,
              strongest: bool = False) -> float:
    """Weighted share of the question's terms found in the clause f[a:b] of a candidate f[s:e], each discounted by
    its distance from the candidate: the term right before a figure is what the figure counts.

    Example: in "易地扶贫搬迁24.93万户", 搬迁 touches 24.93万户 (credit 1.0); in "易地扶贫搬迁应腾退旧宅基地22.11万户" it
    is 7 characters from 22.11万户 (credit e^-1). Terms after the candidate fade over `after` characters instead:
    what follows a figure is mostly the counted noun or a new clause. With `strongest`, the credit of the single
    closest term instead (1.0 when a question term touches the candidate).
    """
    total = got = top = 0.0
    for forms, w in terms:
        total += w
        best = 0.0
        for form, credit in forms:
            if not form:
                continue
            i = f.find(form, a, b)
            while i >= 0:
                before = i + len(form) <= s
                d = s - (i + len(form)) if before else (i - e if i >= e else 0)
                inside = not before and i < e
                if d >= 0 and not (strongest and inside):  # the figure's own unit is no anchor
                    best = max(best, credit * math.exp(-max(0, d - 1) / (DECAY if before or d == 0 else after)))
                i = f.find(form, i + 1, b)
        got += w * best
        top = max(top, best)
    if strongest:
        return top
    return got / total if total else 0.0


def _clause_bounds(f: str, s: int, e: int, lo: int, hi: int) -> tuple[int, int]:
    a = s
    while a > lo and f[a - 1] not in _CLAUSE_END:
        a -= 1
    b = e
    while b < hi and f[b] not in _CLAUSE_END:
        b += 1
    return a, b


# a sentence-opening adverbial of place or occasion, "在巡察整改专题民主生活会上", which every clause after it shares:
# its words tell none of the sentence's figures apart ("…会上批评帮助5人,责令检查1人,批评教育6人")
_FRAME = re.compile(r"\s*在[^，,；;。：:！？!?\d]{2,30}?(?:会上|会议上|期间|过程中|活动中|工作中|之际)(?=[\u4e00-\u9fff])")


def frame_end(f: str, lo: int, hi: int) -> int:
    """Where the sentence f[lo:hi]'s opening frame ("在…会上", "在…期间") ends, or lo when it opens with none."""
    m = _FRAME.match(f, lo, hi)
    return m.end() if m else lo


_RESPECTIVELY = "分别"
_SUBSET = "其中"
_ITEM_SPLIT = re.compile(r"[、和及与]")
_FIGURE_LINK = re.compile(r"^\s*(?:、|和|及|与|以及|，|,)\s*$")


def respective(f: str, lo: int, hi: int, spans: list[tuple[int, int]], terms: list[Term]) -> dict[int, float]:
    """"国内汽、柴油价格每吨分别提高275元、260元": the figures after 分别 go with the items listed before it, in
    order. For each span index paired so: 1.0 when the question's terms that stand in one item only all stand in its
    item, -1.0 when they all stand in another's; 0.0 when no term tells the items apart or they disagree (which
    figure is asked is not known: "整车产销量同比分别增长10%和12.9%" for 销量增长多少).
    `spans`: the sentence f[lo:hi]'s candidate spans, in order of position. Linear in the sentence."""
    out: dict[int, float] = {}
    p = f.find(_RESPECTIVELY, lo, hi)
    while p >= 0:
        q = p + len(_RESPECTIVELY)
        idx = sorted((k for k, (s, _) in enumerate(spans) if s >= q), key=lambda k: spans[k][0])
        run: list[int] = []
        for k in idx:
            if not run:
                if spans[k][0] - q > 8:
                    break
            elif not _FIGURE_LINK.match(f[spans[run[-1]][1]:spans[k][0]]):
                break
            run.append(k)
        parts = _ITEM_SPLIT.split(f[lo:p])
        if len(run) >= 2:
            out.update({k: 0.0 for k in run})
        if len(run) >= 2 and len(parts) >= len(run):
            items = parts[-len(run):]
            items[0] = re.split(r"[，,；;：:。]", items[0])[-1]  # the first item starts after its clause's opening
            # the last runs on into what all items share ("柴油价格每吨", "韩仍为主要海外市场,占比"): only as many
            # characters as the longest other item, and one more, are its own
            items[-1] = items[-1][:max(len(it) for it in items[:-1]) + 1]
            told: set[int] = set()
            for forms, _ in terms:
                holding = {j for j, it in enumerate(items)
                           for form, credit in forms if form and credit >= 0.9 and form in it}
                if len(holding) == 1:
                    told |= holding
            if len(told) == 1:
                (j,) = told
                for i, k in enumerate(run):
                    out[k] = 1.0 if i == j else -1.0
        p = f.find(_RESPECTIVELY, q, hi)
    return out


# words that say a figure is the largest or smallest of several ("最多的达12个", "至少实现1个"): ordinary grammar
_EXTREME = re.compile(r"(最多|最高|最大|最长|至多|多达|高达)|(最少|最低|最小|最短|至少|少则)")
EXTREME_GAP = 4  # characters between such a word and its figure: "最多的达12个", "最高为"


def extreme(f: str, lo: int, hi: int, spans: list[tuple[int, int]], which: str) -> dict[int, float]:
    """For a question asking the largest (`which` "max") or smallest figure ("最多的有几个?"): 1.0 for a span the
    sentence f[lo:hi] marks so itself (最多 / 最高 / 至多 within EXTREME_GAP characters before it, no figure or
    clause break between), -1.0 for one marked the other way (至少 / 最少) and, when some span is marked the way
    asked, for every span that is not. Example: "每个至少实现1个经营主体覆盖,最多的达12个" with which="max" ->
    {0: -1.0, 1: 1.0}. Nothing when the sentence marks no figure."""
    marks: dict[int, float] = {}
    for k, (s, _) in enumerate(spans):
        before = f[max(lo, s - EXTREME_GAP - 2):s]
        found = [m for m in _EXTREME.finditer(before)
                 if len(before) - m.end() <= EXTREME_GAP and not re.search(r"[\d，,；;。：:]", before[m.end():])]
        if found:
            same = bool(found[-1].group(1)) == (which == "max")
            marks[k] = 1.0 if same else -1.0
    if any(v > 0 for v in marks.values()):
        return {k: marks.get(k, -1.0) for k in range(len(spans))}
    return marks


def _item_bounds(f: str, s: int, e: int, a: int, b: int) -> tuple[int, int]:
    """The item of a 、 list around a candidate, inside its clause [a, b): in "供水率达到91%、自来水普及率达到88%"
    the terms of one item never describe the other item's figure."""
    x = s
    while x > a and f[x - 1] != _ITEM_SEP:
        x -= 1
    y = e
    while y < b and f[y] != _ITEM_SEP:
        y += 1
    return x, y


def _with_approx(f: str, s: int, lo: int) -> int:
    """Where a figure starts with the word of approximation before it (约, 超过); a negated one keeps its 不:
    "不超过25平方米" is a limit, "超过25平方米" the opposite."""
    for w in _APPROX:
        if s - len(w) >= lo and f[s - len(w):s] == w:
            k = s - len(w)
            return k - 1 if k - 1 >= lo and f[k - 1] in NEGATION and w in NEGATABLE else k
    return s


# unit classes a dimension question accepts (question.py's _DIMENSIONS; 幅度: a change against an earlier period)
UNIT_CLASSES = {"幅度": ("%", "倍", "百分点"), "百分点": ("百分点",),
                "长度": ("米", "公里", "千米"), "面积": ("平方米", "平方公里", "亩", "公顷"), "重量": ("吨", "公斤", "千克", "斤"),
                "时长": ("天", "小时", "年", "月", "周", "分钟", "星期", "工作日")}


_CURRENCY = ("美元", "欧元", "港元", "日元", "英镑", "卢布")


# people and households are not counted with 个: 多少个 is answered by them only when it counts people or households
# ("多少个贫困户"); "几个人" asks 人 itself (question.asked_unit)
_PEOPLE_UNITS = frozenset(("人", "名", "位", "人次", "户", "户次"))
# measure words of things that the generic 个 also counts: a question asking 多少条 / 多少项 / 几件 is answered by a
# figure in 个 as one asking 多少个 is by one in 条 (0.7 either way)
_GE_STANDS_FOR = frozenset(("条", "项", "件", "起", "类", "处", "批", "笔"))
_MEASURES_RE = "|".join(sorted(COUNT_CLASSIFIERS | _PEOPLE_UNITS, key=len, reverse=True))


@lru_cache(maxsize=256)
def counted_in_things(f: str, counted: str) -> bool:
    """Does the (folded) notice count the noun a question asks without a measure word ("发现了多少问题") right after
    a figure in a measure of things, and never in a measure of people ("25个问题", not "3名问题")? Then a figure of
    people that names nothing after it ("责令检查1人") does not answer it. Example: ("反馈25个问题,…", "问题") -> True."""
    if len(counted) < 2:
        return False
    units = {m.group(1) for m in re.finditer(r"\d(?:万|亿)?(" + _MEASURES_RE + ")" + re.escape(counted), f)}
    return bool(units) and not units & _PEOPLE_UNITS


def count_fit(fig: str, unit: str | None, counted: str = "") -> float:
    """How well a figure's measure word answers the unit asked (`counted`: the noun counted, when the question
    names it after the measure word). Example: ("241件", "个") -> 0.7; ("89.6%", "%") -> 1.0; ("2019年", None) ->
    0.0 (a year is not a count); ("4.94万人", "个") -> 0.0 ("安置区有多少个" counts no people), but ("1200户", "个",
    "贫困户") -> 0.7."""
    u = figure_unit(fig)
    u = "百分点" if u == "个百分点" else u  # "11个百分点": a change of a rate, not eleven of anything
    if unit:  # 多少万人 asks for people: 万 and 亿 are magnitudes, not units ("1907万人" answers it)
        unit = re.sub(r"^[万亿]", "", unit) or unit
    if u == "年" and unit in ("年", "时长") and re.fullmatch(r"[约近超过逾多达]*\d{1,3}(?:\.\d+)?多?年", fold(fig)):
        return 1.0  # 多少年: a duration ("600年", "3年"), never a calendar year (2019年)
    if not u or u in ("年", "月", "日"):
        return 0.0
    if unit is None:
        return 0.6
    if unit in _CURRENCY:  # 多少美元 is not answered by an amount in 元
        return 1.0 if u == unit else 0.0
    if unit in UNIT_CLASSES:
        return 1.0 if u in UNIT_CLASSES[unit] else 0.0
    if unit == "个":
        if u in _PEOPLE_UNITS and not (counted and counted[-1] == u[0]):
            return 0.0
        return 1.0 if u == "个" else (0.7 if u in COUNT_CLASSIFIERS else 0.0)
    if unit.endswith("元"):  # 万元 and 亿元 asked: any amount of money answers (7.132万元, 2.56亿元, 500元)
        return 1.0 if u.endswith("元") else 0.0
    if unit in ("人", "名"):  # "129人(次)" counts people (or times)
        return 1.0 if u in ("人", "名") or times_in_brackets(fig) == "人" else (0.5 if u == "人次" else 0.0)
    if u == "个" and unit in _GE_STANDS_FOR:  # 多少条问题 / 多少项 answered in the generic 个 ("244个问题")
        return 0.7
    if u in _GE_STANDS_FOR and unit in _GE_STANDS_FOR and u != unit:  # 多少条线索 of "发现线索230件"
        return 0.5
    # 多少场 招聘会 is answered in 场次 (occurrences of the same measure), and back
    return 1.0 if u == unit or u == unit + "次" or unit == u + "次" else 0.0


# how notices print a telephone number (029—81876213, 0931-8928360, 13812345678), an e-mail address, a postcode
_PHONE = re.compile(r"(?<![\d.])(?:0\d{2,3}\s*[—\-－–]{1,2}\s*)?\d{7,8}(?![\d.])|(?<!\d)1[3-9]\d{9}(?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_POSTCODE = re.compile(r"(?<!\d)\d{6}(?!\d)")
_PREPOSITIONS = frozenset("到在对向把被于从给为是有将")  # "4人到均川镇开展…": a new predicate, not a noun phrase
_QUALIFIER = re.compile(r"^(?:以上|以下|以内|之内|内|左右|不等|之间|之多|多|余|的|了|和|及|与|等|、|其中|则|已|均|全部|共)")


# words that open a new clause or sentence; pages that lost their punctuation run them on right after a figure
_NEW_CLAUSE = re.compile(r"据悉|据了解|据介绍|据统计|据报道|据测算|此外|另外|同时|目前|截至|截止|其中|随后|今年|去年|记者")


def _predicate(run: str, follows: str, pos: Callable[[str], list[tuple[str, str]]] | None) -> bool:
    """Is `run`, the Chinese after a figure, a predicate of which the figure is the subject ("20人参加了会议",
    "13万余人受灾,"), not a noun phrase the figure counts ("11.09万户建档立卡群众签订…": a verb there modifies a
    noun)? A verb with its aspect particle (了/过/着), or a verb alone that ends its clause (`follows` is what
    comes after the run). Needs the part-of-speech tagger; False without it."""
    if pos is None:
        return False
    words = pos(run)
    if not words or not words[0][1].startswith("v") or words[0][1] == "vn":
        return False
    if len(words) > 1:
        return words[1][0] in ("了", "过", "着")
    return follows == "" or follows[0] in "，,；;。！？!?、"


_LINK_BEFORE = re.compile(r"(?:(?:仍|只|仅|还|共|一共|总共|均|都|已)+(?:有|是|为|达到|达)?|有|是|为|达到|达)?$")


def states_subject(f: str, s: int, noun: str) -> bool:
    """Is `noun`, whole, the subject the clause states the figure at f[s:] of ("其中工业项目仍只有9项", "工业项目9项")?"""
    link = _LINK_BEFORE.search(f[max(0, s - 6):s])
    k = s - len(link.group(0)) if link else s
    return f[max(0, k - len(noun)):k] == noun


# a count's figure (not a year or a day: "2019年扶贫项目34个") a few characters before a noun: the noun is that figure's
_OWN_FIGURE_BEFORE = re.compile(r"\d(?![年月日号])[^\d，,；;。：:、\s]{0,8}$")


_PLACE_END = re.compile(r"[省市县区乡镇村]")
# a count written as what is left ("剩余的3个", "尚未整改的2个") answers only a question asking what is left
_REMAINING = re.compile(r"(?:剩余|剩下|尚未|仍未|还未|仍有|还有)的?$")
_ASKS_REMAINING = re.compile(r"剩|尚未|仍未|还未|未完成|没有完成|还有|仍有|没")
_NOT_A_COUNT = re.compile(r"^(?:%|‰|个百分点|百分点)$|元$")  # a rate or an amount: what a bare "how many" never asks
_NEGATION = "非未无不"  # before a noun, the things it does not name: 非贫困村


def _counted_match(f: str, e: int, hi: int, counted: str, unit: str | None, question: str = "",
                   pos: Callable[[str], list[tuple[str, str]]] | None = None, s: int = -1) -> float:
    """Does the noun after a figure name what the question counts? "25个问题" for 多少个问题 -> 1.0.

    Without a counted noun in the question, a figure followed by a noun phrase the question does not name counts
    something more specific ("11.09万户建档立卡群众签订…" is not how many households moved): -0.5, unless that phrase
    goes on to a word of the question ("5亿美元战略投资" for 投资了多少美元) or is the figure's predicate
    ("20人参加了会议": `_predicate`, with the tagger `pos`); so does a figure that only qualifies a noun
    ("逾期贷款率1%的红线"): -0.5. A figure written after a noun of the question (`s`, its start: "扶贫项目34个建设任务"
    for 项目完成了几个, as reports write 制度12项) counts that noun: 0.0, and 1.0 when that noun is the one counted.
    """
    if _NEW_CLAUSE.match(f, e):  # web text without punctuation: "返还资金221.6万元据悉,今年3月…" ends the figure there
        return 0.0
    if not counted:
        after = f[e:min(hi, e + 8)]
        m = re.match(r"的([\u4e00-\u9fff]{2})", after) or \
            (None if _QUALIFIER.match(after) else re.match(r"([\u4e00-\u9fff]{2})", after))
        if m and m.group(1) not in question and not all(ch in question for ch in m.group(1)):
            # unless the noun phrase goes on to what was asked: "5亿美元战略投资" for 投资了多少美元
            start = e + m.start(1)
            run = re.match(r"[\u4e00-\u9fff]{2,6}", f[start:hi]).group(0)
            if m.group(0)[0] != "的" and _predicate(run, f[start + len(run):hi], pos):
                return 0.0
            if run[0] in _PREPOSITIONS or not any(run[i:i + 2] in question for i in range(1, len(run) - 1)):
                noun_before = f[max(0, s - 2):s] if s >= 2 else ""
                # a place before the figure locates it, it is not what is counted: "对叶塘镇6个省定贫困村开展了…巡察"
                # counts villages, not the problems of 叶塘镇巡察反馈的问题有多少个
                return 0.0 if re.fullmatch(r"[\u4e00-\u9fff]{2}", noun_before) and noun_before in question \
                    and not _PLACE_END.match(noun_before, 1) else -0.5
        return 0.0
    after = f[e:min(hi, e + len(counted) + 2)]
    head = counted[:2]
    if after[:1] in _NEGATION and not counted.startswith(after[:1]) and after[1:].startswith(head):
        return -1.0  # "9个非贫困村" counts the villages that are not poor: not 几个贫困村
    if after.startswith(counted) or after.startswith(head) or (len(counted) >= 3 and counted[-2:] in after):
        return 1.0
    # an attributive phrase may stand between them: "148项有针对性、可操作的整改措施"
    clause = re.match(r"[^，,；;。！？!?：:\n]{0,24}", f[e:hi]).group(0)
    k = clause.find(counted)
    if k < 0 and len(counted) >= 3:
        k = clause.find(counted[-2:])
    # or a modifier compounded with it: "151条整改措施" for 多少条措施; a figure in the phrase is one the question
    # states itself: "98个300户以上搬迁社区" for 多少个300户以上的搬迁社区 (How many communities with over 300 households)
    nums = re.findall(r"\d+(?:\.\d+)?", clause[:k])
    if k > 0 and all(re.search(rf"(?<![\d.]){re.escape(n)}(?![\d.])", question) for n in nums) \
            and (clause[k - 1] == "的" or k <= 4 or (len(nums) == 1 and k <= 10)):
        return 1.0
    # or it stands right before the figure, as reports count ("扶贫项目34个建设任务", "制度12项"): what follows then
    # qualifies the whole, it is not what the figure counts
    # — unless that noun is another figure's ("7.9万户有劳动力搬迁家庭14.89万名脱贫劳动力": 家庭 are 7.9万户's)
    if s >= 2 and f[max(0, s - len(counted)):s].endswith(counted[-2:]) \
            and not _OWN_FIGURE_BEFORE.search(f[max(0, s - len(counted) - 10):s - 2]):
        return 1.0
    # or it modifies another noun that ends right at the figure: "村干部培训班次726个" counts training sessions, not
    # 村干部 ("How many village cadres were trained": "培训村干部2.5万余人次" says how many)
    if pos is not None and s >= 0:
        back = f[max(0, s - len(counted) - 6):s]
        k = back.rfind(counted)
        between = back[k + len(counted):] if k >= 0 else ""
        if len(between) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", between) \
                and not any(tag[:1] in "vdpucmr" for _, tag in pos(between)):
            return -1.0
    m = re.match(r"[\u4e00-\u9fff]{2}", after)
    if m and not re.match(r"[的了和及与等、，,。；;以其中左右多余]", after) and m.group(0)[0] not in "的了":
        return -1.0
    return 0.0


_CHANGE_ASKED = re.compile(r"(增加|增长|减少|下降|降低|提高|提升|压缩|缩短|缩减|延长|扩大|上升)了?(多少|几)")
_FROM = re.compile(r"(?:从|由)[^，,；;。]{0,10}$")
_TO = re.compile(r"^[^，,；;。]{0,8}?(?:至|到|为)\s*[约近]?\d")


# a change written with a Chinese numeral after its verb (figure_spans reads digits only)
_CHANGE_IN_WORDS = re.compile(r"(?:增长|增加|提高|提升|上升|上涨|下降|减少|降低|下跌|翻)了?((?:约|近|超过?)?"
                              r"(?:[一二两三四五六七八九十]+(?:倍|成)|一番|[一两]?番))")


def _level_of_change(f: str, s: int, e: int, lo: int, hi: int, question: str) -> float:
    """In "从10小时30分压缩至9小时26分" both figures are levels, not the change: the first is never the answer to a
    count question, the second not to "压缩了多少". 1.0 for any other figure."""
    before = f[max(lo, s - 12):s]
    if _FROM.search(before) and _TO.match(f[e:min(hi, e + 12)]):
        return 0.2
    if _CHANGE_ASKED.search(question) and re.search(r"(?:至|到)\s*[约近]?$", f[max(lo, s - 3):s]) \
            and _FROM.search(f[max(lo, s - 40):s]):
        return 0.2
    return 1.0


def _value_after(f: str, e: int, hi: int) -> float | None:
    """The first figure after a name, inside the name's own item ("凤翔镇高达6.1%、…"): its value, 万/亿 applied."""
    lead = re.match(r"[^、，,；;。\n\d]{0,12}", f[e:hi]).end()
    amount = _amount(f[e + lead:hi]) if f[e + lead:e + lead + 1].isdigit() else None
    return amount[0] if amount else None


def _superlative(f: str, spans: list, lo: int, hi: int, which: str) -> list:
    """"其中哪个镇最高?": among names that each carry a figure, the one with the highest (lowest) figure fits;
    the others fit less. A sentence naming one place with its figure ("其中凤翔镇高达6.1%") keeps it."""
    valued = [(sp, _value_after(f, sp[1], hi)) for sp in spans]
    vals = [v for _, v in valued if v is not None]
    if not vals:
        return spans
    best = max(vals) if which == "max" else min(vals)
    return [(s, e, fit if v == best else fit * (0.5 if v is None else 0.2), c) for (s, e, fit, c), v in valued]


def _amount(text: str) -> tuple[float, float] | None:
    """(value, rounding step) of a figure as written: "15万多" -> (150000, 10000); "151396人" -> (151396, 1)."""
    m = re.match(r"\D{0,2}?(\d+(?:\.(\d+))?)\s*(万|亿)?", text)
    if not m:
        return None
    mult = {"万": 1e4, "亿": 1e8}.get(m.group(3) or "", 1.0)
    step = mult / (10 ** len(m.group(2))) if m.group(2) else mult
    return float(m.group(1)) * mult, step


def _restates(candidate: str, given: str) -> bool:
    """Is the candidate the figure the question already states, in rounder words? "15万多搬迁劳动力里已经就业的有多少人"
    states the total: 151396人 is that total, not the answer. Only for a rounded given figure (万/亿, 多/余)."""
    g, c = _amount(given), _amount(candidate)
    if g is None or c is None or g[1] < 10:
        return False
    return g[0] <= c[0] < g[0] + (2 if re.search(r"[多余]", given) else 1) * g[1]


def _spans_for(info: QuestionInfo, f: str, lo: int, hi: int, pos: Callable[[str], list[tuple[str, str]]],
               question: str = "", is_place: Callable[[str], bool] = lambda w: False,
               terms: list[Term] | None = None, whole: str = "") -> list[tuple[int, int, float, float]]:
    """(start, end, fit, counted) of every candidate of the asked kind in f[lo:hi]. Names and places come from
    the part-of-speech tagger; given the question's `terms`, only the clauses that hold one of them are tagged
    (`_term_tagged`). `whole`: the whole notice folded, for a count (how it counts the noun asked)."""
    seg = f[lo:hi]
    out: list[tuple[int, int, float, float]] = []
    dates = [(lo + s, lo + e) for s, e in date_spans(seg)]
    if info.kind == "count":
        # a question asking two counts ("围绕几个方面提出了多少条措施"): a figure answering either fits
        asks = list(info.asks) or [(info.unit, info.counted)]
        for s, e in figure_ranges(seg):
            s, e = lo + s, lo + e
            if any(ds <= s < de for ds, de in dates) and info.unit not in ("年", "月", "天"):
                continue
            if not figure_unit(f[s:e]) and (c := next((c for _, c in asks if c and f.startswith(c, e)), "")):
                out.append((_with_approx(f, s, lo), e + len(c), 1.0, 1.0))  # "走访70余农户": the noun is its measure
                continue
            level = _level_of_change(f, s, e, lo, hi, question)
            options = []
            for u, c in asks:
                unit_fit = count_fit(last_figure(f[s:e]), u, c)
                if unit_fit and u is None and info.bare_count and _NOT_A_COUNT.search(figure_unit(last_figure(f[s:e]))):
                    unit_fit = 0.0  # "How many were rectified in Fengxiang town?" against "…其中凤翔镇高达6.1%"
                if unit_fit and u is None and figure_unit(last_figure(f[s:e])) in _PEOPLE_UNITS \
                        and not f.startswith(c[:2], e) and counted_in_things(whole, c):
                    unit_fit = 0.0  # "责令检查1人" for 发现了多少问题, when the notice writes "25个问题"
                options.append((unit_fit * level, _counted_match(f, e, hi, c, u, question, pos, s) if unit_fit else -9.0, c))
            fit, counted, noun = max(options, key=lambda x: (x[0] > 0, x[1], x[0]))
            if fit > 0:
                end = e + len(noun)
                if counted > 0 and f.startswith(noun, e) \
                        and (end >= hi or not re.match(r"[\u4e00-\u9fff0-9A-Za-z]", f[end])):
                    # "8个核查组," answers 几个核查组 better than "8个" (the noun phrase ends there); not "78只个股获2家…"
                    # for 多少只个股获3家…推荐 (the question's words after its noun run on into the sentence's)
                    e = end
                out.append((_with_approx(f, s, lo), e, fit, counted))
        if info.unit == "幅度":  # a change written in words: 同比增长一倍, 提高两成, 翻了一番
            out += [(lo + m.start(1), lo + m.end(1), 1.0, 0.0) for m in _CHANGE_IN_WORDS.finditer(seg)]
    elif info.kind == "contact":
        pat = _EMAIL if re.search(r"邮箱|邮件|mail", question) else _POSTCODE if "邮" in question else _PHONE
        out += [(lo + m.start(), lo + m.end(), 1.0, 0.0) for m in pat.finditer(seg)]
    elif info.kind == "date":
        clock = re.search(r"几点|几时几分|什么时刻|\bwhat time\b", question) is not None
        i = 0
        while i < len(dates):
            s, e = dates[i]
            if i + 1 < len(dates) and _DATE_LINK.match(f[e:dates[i + 1][0]]):
                e = dates[i + 1][1]  # a range: 2018年11月26日至2019年1月26日
                i += 1
            if clock:  # 几点: a clock time answers it, a day alone only partly
                fit = 1.0 if re.search(r"\d(?:时|点|分)", f[s:e]) else 0.5
            else:
                fit = 1.0 if re.search(r"日|底|初|旬|份|\d-\d", f[s:e]) else 0.7
            out.append((s, e, fit, 0.0))
            i += 1
    elif info.kind == "body":
        if info.ordinal_of:
            for k in range(len(info.ordinal_of), 0, -1):
                pat = re.compile(rf"(?:[\u4e00-\u9fff]{{1,3}}委)?第[{_CN_NUM}\d]+{re.escape(info.ordinal_of[:k])}"
                                 rf"[\u4e00-\u9fff]{{0,2}}?(?:组|轮|批|次|届|名)?")
                found = [(lo + m.start(), lo + m.end()) for m in pat.finditer(seg)]
                if found:
                    out += [(s, e, 1.0, 0.0) for s, e in found]
                    break
        # without 第几, a body named in the sentence is no sure answer: the sentence is quoted, no short answer
    elif info.kind == "who":
        for word, flag, s in _term_tagged(pos, f, lo, hi, None if info.superlative else terms):
            # a whole name: not a piece of a transliterated one (让-皮埃尔, 安东尼·布林肯)
            # nor a place the tagger took for a name (进贤县)
            if flag == "nr" and 2 <= len(word) <= 4 and _NAME.fullmatch(word) and not _PLACE_END.search(word) \
                    and not is_place(word) \
                    and f[s - 1:s] not in ("-", "·", "•") and f[s + len(word):s + len(word) + 1] not in ("-", "·", "•"):
                out.append((s, s + len(word), 1.0, 0.0))
        taken = {(s, e) for s, e, _, _ in out}
        out += [(lo + m.start(1), lo + m.end(1), 1.0, 0.0) for m in _POST_NAME.finditer(seg)
                if (lo + m.start(1), lo + m.end(1)) not in taken and not is_place(m.group(1))]
    elif info.kind == "place":
        tagged = _term_tagged(pos, f, lo, hi, None if info.superlative else terms)
        for word, flag, s in tagged:
            if re.fullmatch(r"[\u4e00-\u9fff]{2,6}(?:省|市|州|县|区|旗|乡|镇|村|街道)|[\u4e00-\u9fff]{2,4}地区", word) \
                    or flag == "ns" and is_place(word):
                fit = 1.0 if not info.place_level or word.endswith(info.place_level) else 0.3
                out.append((s, s + len(word), fit, 0.0))
        # township and village names the tagger splits ("凤翔/镇高达"): 2-4 characters from a word start to 乡/镇/村
        starts = {s for _, _, s in tagged}
        taken = {(s, e) for s, e, _, _ in out}
        for m in re.finditer(r"(?:乡|镇|村|街道)", seg):
            e = lo + m.end()
            for s in range(max(lo, lo + m.start() - 4), lo + m.start() - 1):
                name = f[s:lo + m.start()]
                if s in starts and re.fullmatch(r"[\u4e00-\u9fff]{2,4}", name) and name[0] not in "其个各全本该每此等这那" \
                        and (s, e) not in taken and not any(ts <= s < te for ts, te in taken):
                    fit = 1.0 if not info.place_level or f[s:e].endswith(info.place_level) else 0.3
                    out.append((s, e, fit, 0.0))
                    break
    elif info.kind == "meta" and info.meta_field == "doc_number":
        out += [(lo + m.start(), lo + m.end(), 1.0, 0.0) for m in _DOC_NUMBER.finditer(seg)]
    return out


def _term_tagged(pos: Callable[[str], list[tuple[str, str]]], f: str, lo: int, hi: int,
                 terms: list[Term] | None) -> list[tuple[str, str, int]]:
    """`_tagged` over the sentence f[lo:hi], or, given `terms`, over only its clauses that hold a form of one.

    A name or place is a candidate only with a question term in its own clause (`candidates` drops it otherwise),
    so the other clauses need no tagging, the slowest step of answering who and where (jieba's HMM on unknown
    names). The tagger cuts at punctuation, and clauses end at punctuation: a clause is tagged as it would be
    within its sentence. Example: in "组长由刘冰担任,副组长由王五担任。" with the term 组长 both clauses are tagged;
    with the term 刘冰 only the first."""
    if terms is None:
        return _tagged(pos, f[lo:hi], lo)
    forms = [form for fs, _ in terms for form, _ in fs if form]
    out: list[tuple[str, str, int]] = []
    a = lo
    while a < hi:
        _, b = _clause_bounds(f, a, a, lo, hi)
        if b > a and any(f.find(form, a, b) >= 0 for form in forms):
            out += _tagged(pos, f[a:b], a)
        a = b + 1
    return out


def _tagged(pos: Callable[[str], list[tuple[str, str]]], seg: str, lo: int) -> list[tuple[str, str, int]]:
    out, i = [], 0
    for word, flag in pos(seg):
        if seg[i:i + len(word)] != word:  # the tagger dropped or changed characters: positions are unknown
            return []
        out.append((word, flag, lo + i))
        i += len(word)
    return out


def define_candidates(info: QuestionInfo, subject: list[str], f: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """For "黄色代表什么": the phrase after a subject term and 代表/是指/指/即/为 up to the end of its clause.

    Example: subject ["黄色"], "“黄色”代表正在整改事项，" -> the span of 正在整改事项.
    """
    out = []
    for term in subject:
        for m in re.finditer(re.escape(term), f[lo:hi]):
            s = lo + m.end()
            v = _DEFINE_VERB.match(f[s:hi])
            if not v:
                continue
            a = s + v.end()
            b = a
            while b < hi and f[b] not in _CLAUSE_END + "”\"」":
                b += 1
            if f[a:a + 1] in ("“", "「", "『") and b < hi and f[b] in "”」』":
                b += 1  # a quoted phrase is answered with its quotes, as the notice writes it
            if 2 <= b - a <= 40:
                out.append((a, b))
    return out


# where a list's first item starts: after a preposition that introduces the list, with two or more characters
# before it ("县委巡察组对羊岑、沙溪、马登3个乡镇"; a name may start with one: 于都县, 将乐县, 从化区) or, for 对在把给
# (which start no place name), at its start ("在民和镇、…"); or after 包括 and the like — f is folded, so
# traditional 對 is 对 here; never 和/与/的, which stand inside names (民和镇)
_LIST_OPENER = re.compile(r"^(?:.{2,}[对在把将从向于给由]|[对在把给]|.*(?:包括|包含|例如|比如))(?=[^、]{2})")
# where a list's last item ends: a figure after its name ("马登3个乡镇" counts the list) or 等
_LIST_CLOSER = re.compile(r"(?<=[\u4e00-\u9fff”])(?:\d|等)")


def list_candidates(f: str, lo: int, hi: int, n: int | None) -> list[tuple[int, int, float]]:
    """Enumerations "羊岑、沙溪、马登" (items joined by 、) in f[lo:hi]; fit 1.0 when the count matches `n`. The
    first item starts after the word that introduces the list, the last ends before a figure or 等, or at the
    character the other items end with.

    Example: "县委巡察组对羊岑、沙溪、马登3个乡镇开展了专项巡察" -> the span of 羊岑、沙溪、马登 (fit 1.0 for n=3)."""
    out = []
    for m in re.finditer(r"[\u4e00-\u9fff“”\w]{1,16}(?:、[\u4e00-\u9fff“”\w]{1,16})+", f[lo:hi]):
        s, e = lo + m.start(), lo + m.end()
        items = m.group(0).split("、")
        head = _LIST_OPENER.match(items[0])
        if head and head.end() < len(items[0]):
            s += head.end()
        last = items[-1]
        tail = _LIST_CLOSER.search(last)
        if tail and tail.start() > 0:
            e -= len(last) - tail.start()
            last = last[:tail.start()]
        # items that end alike (村, 乡, 镇): the last one ends at its first such character ("汤湖村党组织存在")
        ends = {it[-1] for it in items[:-1] if it}
        cut = next((i for i, ch in enumerate(last) if i >= 1 and ch in ends), None)
        if cut is not None and cut + 1 < len(last):
            e -= len(last) - cut - 1
        fit = 1.0 if n is not None and len(items) == n else 0.6
        out.append((s, e, fit))
    return out


_THIS_YEAR = re.compile(r"(?<![比较同])(?:今年|本年)(?!同期)")


def this_year(text: str, year: str) -> set[str]:
    """The year a dated notice's 今年 / 本年 names ("今年一季度全省共查处376件" in a notice of 2019 -> {"2019"}); not a
    comparison (比今年, 今年同期). Example: this_year("今年一季度", "2019") -> {"2019"}; this_year("今年", "") -> set()."""
    return {year} if year and _THIS_YEAR.search(text) else set()


def condition_unmet(f: str, lo: int, hi: int, given: str) -> bool:
    """Does f[lo:hi] write another figure in the unit of a figure the question states, and not that one? "有多少只
    个股获3家及以上券商推荐?" against "78只个股获2家及以上券商推荐". Dates and bare numbers are no such condition."""
    unit = figure_unit(given)
    if not unit or unit in ("年", "月", "日") or DATE_PATTERN.fullmatch(given) or given in f[lo:hi]:
        return False
    return any(figure_unit(f[lo + a:lo + b]) == unit for a, b in figure_spans(f[lo:hi]))


def bounded_other_way(f: str, lo: int, hi: int, fig: str, side: int) -> bool:
    """Does f[lo:hi] write the figure `fig` as a bound on the other side than `side`, and never on that side?"""
    sides = {bound_side(f, lo + m.start(), lo + m.end()) for m in re.finditer(re.escape(fig), f[lo:hi])}
    return -side in sides and side not in sides


def _period_end(f: str, s: int, e: int, part: str) -> tuple[int, int]:
    """The start or end of a period f[s:e] ("2022年9月16日至10月18日" -> 2022年9月16日 / 10月18日); a single date
    as it is."""
    inner = date_spans(f[s:e])
    if len(inner) < 2 or not _DATE_LINK.match(f[s + inner[0][1]:s + inner[1][0]]):
        return s, e
    return (s, s + inner[0][1]) if part == "start" else (s + inner[1][0], s + inner[1][1])


def candidates(text: str, lo: int, hi: int, info: QuestionInfo, cover: Cover, terms: list[Term],
               pos: Callable[[str], list[tuple[str, str]]], subject: list[str] | None = None,
               question: str = "", is_place: Callable[[str], bool] = lambda w: False,
               all_terms: list[Term] | None = None, folded: str | None = None, year: str = "",
               carried: list[Term] | None = None) -> list[Candidate]:
    """Scored candidates in the sentence text[lo:hi] (a notice's text and a sentence span); `question` is the
    folded question. `terms` are those the sentence itself must hold (its notice's title and headings hold the
    others); `all_terms`, every question term, may also anchor a figure (搬迁 in "共搬迁1200户" anchors it even when
    the title says 易地扶贫搬迁). `folded`: `text` with at least text[lo:hi] already folded (only that is read).
    `year`: the year the notice is dated, which its 今年 names ("" when undated). `carried`: a follow-up's terms
    from the earlier question (its own are `terms`): a figure whose clause lacks one that two or more other
    figures' clauses write is not stated."""
    f = folded if folded is not None else fold(text)
    # a count reads how the whole notice counts the noun asked: folded once per notice (fold keeps the last ones)
    whole = "" if info.kind != "count" else f if folded is None else fold(text)
    spans = _spans_for(info, f, lo, hi, pos, question, is_place, terms, whole)
    if info.kind == "define" and subject:
        spans += [(s, e, 1.0, 0.0) for s, e in define_candidates(info, subject, f, lo, hi)]
    if info.kind == "list" and info.list_size:  # "哪3个乡镇": an enumeration of exactly that many items
        spans += [(s, e, fit, 0.0) for s, e, fit in list_candidates(f, lo, hi, info.list_size) if fit == 1.0]
    if info.superlative and info.kind in ("place", "body", "who"):
        spans = _superlative(f, spans, lo, hi, info.superlative)
    clause_of = [_clause_bounds(f, s, e, lo, hi) for s, e, _, _ in spans]
    asked_days = asked_dates(question)
    paired = respective(f, lo, hi, [(s, e) for s, e, _, _ in spans], terms) if _RESPECTIVELY in f[lo:hi] else {}
    # "最多的有几个?": the figure the sentence itself marks as the most ("…至少1个,最多的达12个")
    marked = extreme(f, lo, hi, [(s, e) for s, e, _, _ in spans], info.superlative) \
        if info.superlative and info.kind == "count" else {}
    # figures in several clauses: the sentence's opening frame belongs to none of them alone
    frame = frame_end(f, lo, hi) if len(set(clause_of)) > 1 else lo
    bound = _term_clauses(f, lo, hi, terms, frame)
    # a follow-up's figure is scored on its own words ("散户呢?"); the earlier question's words it carries
    # (净流出 of "…主力资金净流出多少?") are checked only for being written for two or more other figures while its
    # own clause writes them otherwise (净流入); a clause that leaves them out ("其中凤翔镇高达6.1%") shares them
    shared = _term_clauses(f, lo, hi, carried, frame) if carried and len(set(clause_of)) > 2 else []
    # the years the sentence names (read once for all its candidates); a sentence naming none belongs to the year
    # its paragraph opened with ("2019年,截止7月底,…。实施了…10个"): the years written before it in its paragraph,
    # at most PARA_BACK characters back, so work stays linear
    years: set[str] = set()
    whole_period = False  # 2015年到2017年 asked, and the sentence names both ends of the period
    if info.years and spans:
        years = set(re.findall(r"(?:19|20)\d{2}", f[lo:hi])) | this_year(f[lo:hi], year)
        whole_period = info.year_range and all(y in f[lo:hi] for y in info.years)
        if not years:
            para = text[paragraph_start(text, lo):lo]
            years = set(re.findall(r"(?<!\d)(?:19|20)\d{2}(?=年)", para))
    # "潍城区2022年…发了多少补贴" against "上半年,潍城区…发放…911.54万元" in an article of 2023: no year written
    # by the figure, nor in its paragraph, nor the notice's own: which year the figure is of is not said
    untimed = bool(info.years) and bool(spans) and not years and not (year and year in info.years)
    # "今年二季度…" against "今年一季度全省共查处376件": a sentence naming only other quarters or halves of a year
    # holds other periods' figures, as one naming only other years does
    said = set(time_periods(f[lo:hi])) if info.periods else set()
    other_period = bool(said) and not said & set(info.periods)
    # "甬矽电子上半年营业收入多少?" against "2022年,甬矽电子实现营业收入21.77亿元": no quarter or half by the figure,
    # and the sentence names a year (a whole year's figure) or its paragraph before it names no period either
    if info.periods and spans and not said and (re.search(r"(?:19|20)\d{2}年", f[lo:hi])
                                                  or not time_periods(fold(text[paragraph_start(text, lo):lo]))):
        untimed = True
    # "潍城区去年发放…补贴资金多少?" against "上半年,潍城区…发放…911.54万元": a year asked relative to when it is asked
    # (去年, 前年) is no year a notice's figure can be matched with unless its sentence says it the same way
    relative = _RELATIVE_YEAR.findall(question)
    if relative and spans and not any(w in f[lo:hi] for w in relative):
        untimed = True
    asked_every = every_of(question) if spans else set()
    total_w = sum(w for _, w in terms) or 1.0
    # "690分以下有多少名考生" against "在690分以上的分数段,共有785名考生": the sentence speaks of the other side
    opposite = bool(spans) and (any(bounded_other_way(f, lo, hi, fig, side) for fig, side in info.bounds)
                                or info.kind == "count" and any(condition_unmet(f, lo, hi, g) for g in info.given))
    # "组长是谁": the post asked, which the name's own clause must write beside it ("樊国春同志为组长")
    # "回访督查是谁带队的": the leader, whose name stands before 一行 / 带队 ("调研员邱道鸿一行4人到均川镇开展…")
    leads = info.kind == "who" and bool(_ASKS_LEADER.search(question))
    role = fold(asked_role(pos(question))) if info.kind == "who" and spans and not leads else ""
    out = []
    bounds: dict[int, tuple[int, int]] = {}  # each candidate's clause, by its start
    for k, (s, e, fit, counted) in enumerate(spans):
        core = f[s:e]
        for w in _APPROX:
            core = core.removeprefix(w)
        bare = re.match(r"[\d.,]+", core)
        if core in info.given or info.kind in ("who", "body", "place") and core in question \
                or info.kind == "count" and any(_restates(core, g) for g in info.given) \
                or bare and bare.group(0) in info.given:  # "over 300 households": 300户 restates it
            continue  # the question states it itself: "17个问题完成整改了几个?" is not answered by 17个
        a, b = clause_of[k]
        own = frame if a < frame <= s else a  # the clause without the sentence's shared frame
        after = DECAY / 2 if info.kind == "count" else DECAY
        x, y = _item_bounds(f, s, e, own, b)
        near = proximity(f, s, e, x, y, terms, after)
        if near == 0.0 and (x, y) != (own, b):  # a shared predicate before a list: "搬迁24.93万户、84.36万人"
            # (written before the figure: a term of a later item is that item's, "集中供水率达到91%、自来水普及率达到88%")
            near = 0.6 * proximity(f, s, e, own, e, terms, after)
        anchor = proximity(f, s, e, x, y, terms, after, strongest=True)
        if all_terms:
            anchor = max(anchor, proximity(f, s, e, x, y, all_terms, after, strongest=True))
        if counted > 0 or info.kind != "count":
            anchor = max(anchor, near, 1.0 if counted > 0 else 0.0)  # the counted noun, or a date's clause, anchors it
        elif near >= 0.9:
            anchor = max(anchor, near)  # every term the sentence must hold is the figure's own unit
        if info.kind == "who" and not (leads and _LEADER.match(f, e, b) or not leads and (
                _holds_role(f, s, e, a, b, role) if role else near >= 0.6)) \
                or info.kind == "place" and near < 0.4:
            continue  # a name or place is the answer only right next to what was asked ("组长由刘冰担任")
        clause = cover(f[own:b].replace(f[s:e], " "))
        if info.kind == "date" and b < hi:  # a date often opens a clause whose predicate follows: 2023年1月17日,巡察组向…反馈
            a2, b2 = _clause_bounds(f, b + 1, b + 1, lo, hi)
            clause = max(clause, cover(f[own:b2].replace(f[s:e], " ")))
            near = max(near, proximity(f, s, e, own, b2, terms) * 0.9)
        when = 0.0
        if info.years:
            if any(y in f[a:b] for y in info.years) or this_year(f[a:b], year) & set(info.years):
                when = 1.0
            else:
                when = -1.0 if years - set(info.years) and not years & set(info.years) else 0.0
            if info.year_range:  # 2015年到2017年: the years are the ends of the period asked
                # "2015年1月至2017年12月,…230件" names the period; "2015年立案6件" one end of it, not the period
                when = 1.0 if whole_period else min(when, 0.0)
        if other_period:
            when = -1.0
        if asked_every and (said_every := every_of(f[a:b])) and not said_every & asked_every:
            when = -1.0  # "全年不得少于多少次" against "每月…不得少于4次,全年不得少于48次": 4次 is a month's
        day = dated(f, s, lo, asked_days) if info.kind != "date" else 0.0
        side = -1.0 if opposite or info.date_part == "asof" and not _ASOF.search(f[max(lo, s - 4):s]) else 0.0
        if info.kind == "count" and _REMAINING.search(f[max(lo, s - 4):s]) and not _ASKS_REMAINING.search(question):
            side = -1.0  # "已完成整改14个,剩余的3个正按照整改计划…推进": the rest, not what was done
        # "汽油…提高275元,柴油…提高260元" for 柴油涨多少: 柴油 stands only in the clause of another figure
        others = {c for j, c in enumerate(clause_of) if j != k and c != (a, b)}
        if any(len(cl) >= 2 and (a, b) not in cl and cl <= others and written_otherwise(f, (a, b), forms, cl)
               for (forms, _), cl in zip(carried or [], shared)):
            side = -1.0  # "…游资资金净流出1328.24万元,…散户资金净流入1710.58万元" for 散户呢: not the outflow asked
        rival = sum(w for (_, w), cl in zip(terms, bound) if cl and (a, b) not in cl and cl <= others) / total_w
        resp = paired.get(k, 0.0)
        unpaired = -1.0 if k in paired and resp == 0.0 else 0.0
        most = marked.get(k, 0.0)
        bounds[s] = (a, b)
        if info.date_part in ("start", "end"):  # scored as the whole period, stated as the end asked of it
            s, e = _period_end(f, s, e, info.date_part)
        out.append(Candidate(s, e, text[s:e], near, clause, fit, counted,
                             score=round(0.6 * near + 0.25 * clause + 0.3 * fit + 0.3 * counted + 0.2 * when
                                         + 0.2 * day - 0.3 * rival + 0.5 * resp + 0.5 * most + 0.3 * side, 4),
                             when=when, anchor=anchor, rival=round(rival, 4), dated=day, respective=resp,
                             unpaired=unpaired, extreme=most, untimed=-1.0 if untimed else 0.0, other_side=side))
    if info.kind == "count" and info.places and len(out) > 1:  # "总逾期率3.79%,其中凤翔镇高达6.1%" for 凤翔镇…逾期率
        for pl in info.places:
            at = [m.start() for m in re.finditer(re.escape(fold(pl)), f[lo:hi])]
            if not at:
                continue
            held = {c.start for c in out if any(bounds[c.start][0] <= lo + i < bounds[c.start][1] for i in at)}
            if held:
                out = [c if c.start in held else replace(c, elsewhere=-1.0) for c in out]
    if info.kind == "count" and info.places:  # "全区…逾期5134户…,其中凤翔镇高达6.1%" for 凤翔镇逾期多少户: the
        # place asked is named only after 其中, as a part of the whole the figure before it counts
        for pl in info.places:
            at = [m.start() for m in re.finditer(re.escape(fold(pl)), f[lo:hi])]
            out = [replace(c, elsewhere=-1.0) if at and all(
                lo + i >= bounds[c.start][1] and _SUBSET in f[c.end:lo + i] for i in at) else c for c in out]
    for pattern in (_ADMIN_LEVEL, _WHOLE_OF) if info.kind == "count" else ():
        # "省级…抽查县不低于多少": "在市级核查验收(抽查县不低于60%)的基础上" is the city level's figure; "全市…有多少名"
        # against "走访全区432名…": the district's
        asked_levels = set(pattern.findall(question))
        if asked_levels:
            levels = [(m.start(), m.group(0)) for m in pattern.finditer(f, lo, hi)]
            nearest = {c.start: next((lv for at, lv in reversed(levels) if at < c.start), "") for c in out}
            # "…就业多少人,全省呢?": the whole area asked on its own after a question is stated of it, or not at all
            unsaid = "?" if pattern is _WHOLE_OF and _WHOLE_ASKED.search(question) else ""
            out = [replace(c, elsewhere=-1.0) if nearest[c.start] not in (unsaid, *asked_levels) else c for c in out]
    if info.kind == "count" and info.counted_subject:  # "项目共103项,其中工业项目仍只有9项": 工业项目有几项 asks the part
        parts = [c for c in out if states_subject(f, c.start, info.counted_subject)]
        out = [replace(c, whole=-1.0) if c not in parts and any(
            r.start >= c.end and _SUBSET in f[c.end:r.start] for r in parts) else c for c in out]
    if info.kind == "count" and len(out) > 1:
        ordered = sorted(out, key=lambda c: c.start)  # each figure and the next one: linear in the sentence
        wholes = {c.start for c, p in zip(ordered, ordered[1:]) if _asks_part(f, c, p, bounds, question)}
        # the part is what was asked: the whole gives way to it (as a marked extreme or paired item does)
        out = [replace(c, whole=-1.0, score=round(c.score - 0.5, 4)) if c.start in wholes else c for c in out]
    return out


# an administrative level a figure is said of (省级, 村级): the nearest one written before it in its sentence
_ADMIN_LEVEL = re.compile(r"[省市县区乡镇村]级")
# the whole of an administrative area a figure is said of (全省, 全区): the nearest one written before it
_WHOLE_OF = re.compile(r"全(?:国|省|市(?!场)|州|县|区|乡|镇|村)")
# a follow-up asking about a whole area on its own ("全省呢?", read after the earlier question it follows)
_WHOLE_ASKED = re.compile(_WHOLE_OF.pattern + r"(?:的)?(?:呢|怎么样|如何)\s*[?？]?$")


# "19名教师中3名教师没有资格证": the figure before …中 is a whole, the one right after it a part of it
_PART_LINK = re.compile(r"[\u4e00-\u9fff]{0,6}中(?:有|共有)?")


_COORDINATED = re.compile(r"(?:和|及|与|以及|、|或)$")


def _asks_part(f: str, c: Candidate, p: Candidate, bounds: dict[int, tuple[int, int]], question: str) -> bool:
    """Is `c` the whole of which the next figure `p` of its clause is the part the question asks about?
    "小博士幼儿园19名教师中3名教师没有资格证" for 几名教师没有资格证: 19名 is all the teachers, and 没有资格证, said of
    3名 only, is in the question (not for 有多少名教师). "村级反馈的289个问题已完成整改259个" for 村级问题整改完成了
    多少个: the words between two figures of one unit (not the first one's own noun) are said of the second."""
    if p.start < c.end or bounds.get(p.start) != bounds.get(c.start):
        return False
    a, b = bounds[p.start]
    if _PART_LINK.fullmatch(f, c.end, p.start):
        return any(g in question and g not in f[a:p.start] for g in _pairs(f[p.end:b]))
    between = f[c.end:p.start]
    if _COORDINATED.search(between):  # "7个万人以上大型搬迁安置区和12个5000人以上安置区": two items, not a whole and part
        return False
    return len(between) <= 14 and not re.search(r"\d", between) and figure_unit(c.text) == figure_unit(p.text) \
        and any(g in question and g not in f[a:c.start] for g in _pairs(between[2:]))


def _pairs(text: str) -> list[str]:
    """The two-character Chinese pieces of a text. Example: _pairs("已完成整改") -> ["已完", "完成", "成整", "整改"]."""
    return [g for i in range(len(text) - 1) if re.fullmatch(r"[\u4e00-\u9fff]{2}", g := text[i:i + 2])]


ROLE_GAP = 8  # characters between a name and the post it holds: "刘冰同志兼任办公室主任"


def _holds_role(f: str, s: int, e: int, a: int, b: int, role: str) -> bool:
    """Does the clause f[a:b] write the post `role` within ROLE_GAP characters of the name f[s:e], as that post
    (组长, not the 组长 of 副组长)? Example: "樊国春同志为组长" holds 组长 for 樊国春, and neither 主任 nor 副组长."""
    i = f.find(role, a, b)
    while i >= 0:
        gap = s - (i + len(role)) if i + len(role) <= s else i - e
        if 0 <= gap <= ROLE_GAP and not (f[i - 1:i] == "副" and not role.startswith("副")):
            return True
        i = f.find(role, i + 1, b)
    return False


def written_otherwise(f: str, clause: tuple[int, int], forms, siblings: set[tuple[int, int]]) -> bool:
    """Does the clause f[a:b] write a term otherwise where its sibling clauses write it: after the same two
    characters, all of the term but its last character, then another one? "散户资金净流入1710.58万元" writes 流出 of
    "主力资金净流出…,游资资金净流出…" as 流入 (after 金净); "其中凤翔镇高达6.1%" leaves 逾期 out, it writes it no
    other way. Linear in the clauses' lengths."""
    a, b = clause
    for form, credit in forms:
        if credit < 0.9 or len(form) < 2:
            continue
        before = {f[i - 2:i] for sa, sb in siblings for i in _finds(f, form, sa, sb) if i - 2 >= sa}
        for ctx in before:
            for m in re.finditer(re.escape(ctx + form[:-1]) + r"([\u4e00-\u9fff])", f[a:b]):
                if m.group(1) != form[-1]:
                    return True
    return False


def _finds(f: str, form: str, lo: int, hi: int) -> list[int]:
    """Where `form` starts in f[lo:hi]."""
    out, i = [], f.find(form, lo, hi)
    while i >= 0:
        out.append(i)
        i = f.find(form, i + 1, hi)
    return out


def _term_clauses(f: str, lo: int, hi: int, terms: list[Term], frame: int | None = None) -> list[set[tuple[int, int]]]:
    """For each question term, the clauses of f[lo:hi] it occurs in (its own written forms and synonyms, not its
    parts); an occurrence in the sentence's opening frame f[lo:frame], which every clause shares, is in none.
    Linear in the sentence per term form."""
    frame = lo if frame is None else frame
    out = []
    for forms, _ in terms:
        cl: set[tuple[int, int]] = set()
        for form, credit in forms:
            if not form or credit < 0.9:
                continue
            i = f.find(form, lo, hi)
            while i >= 0:
                if i + len(form) > frame:
                    cl.add(_clause_bounds(f, i, i + len(form), lo, hi))
                i = f.find(form, i + 1, hi)
        out.append(cl)
    return out
