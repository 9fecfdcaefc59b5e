"""Rewriting elliptical follow-up questions from the conversation, without an LLM.

"甘肃呢?" after "陕西搬迁了多少户?" -> "甘肃搬迁了多少户?": the topic is carried, the new place substituted.
"那婺城文旅体局的呢?" after "宣化镇村级反馈问题的整改完成率是多少?" -> the same question about that body.
"其中哪个镇逾期率最高?" after a question -> the earlier question followed by this one.
"""
from __future__ import annotations

import re

from ..ingest.regions import Gazetteer
from ..lexicon import table
from ..question import question_places

_TAIL = re.compile(r"^(?:那么?|那|还有|再问一下|请问)?\s*(?P<x>.+?)\s*(?:呢|的呢|怎么样|如何)?\s*[?？。!！]*$")
_ELLIPTIC_START = re.compile(r"^(那么?|其中|其|该|这些|这个|那个|它|他们|还有|另外|同样|相应|分别|具体|"
                             r"what about|how about|and\b|in that|among them|of these|of them)", re.IGNORECASE)
_WHAT_ABOUT = re.compile(r"^(?:what|how) about\s+(?P<x>.+?)\s*[?？.]*$", re.IGNORECASE)
# a body's name as Chinese writes it, by the kind of office it ends with (婺城文旅体局, 叶塘镇党委, 县住建局):
# "那婺城文旅体局的呢?" asks the same about another body, like "甘肃呢?" about another place
_BODY = re.compile(r"[\u4e00-\u9fff]{2,14}(?:局|委|办|厅|部|院|署|处|所|站|中心|党委|党组|政府|公司|集团|街道|社区)")
# an administrative level (村级) or the whole of an area (全省): a follow-up naming one asks the same thing over it
_ADMIN_LEVEL = re.compile(r"[省市县区乡镇村]级")
_WHOLE_AREA = re.compile(r"全(?:国|省|市|州|县|区|乡|镇|村)")
_SCOPE = re.compile(f"{_ADMIN_LEVEL.pattern}|{_WHOLE_AREA.pattern}")
# the same in English: "village-level", "town level", "provincial level"
_LEVEL_EN = re.compile(r"\b(province|provincial|city|municipal|prefecture|county|district|township|town|village)"
                       r"[- ]level\b", re.IGNORECASE)
_QUESTION_WORD = re.compile(r"多少|几|什么|哪|谁|何|怎|如何|是否|吗|多大|多长|多久")


def _places(text: str, gaz: Gazetteer) -> list[str]:
    return list(question_places(text, gaz))


def another_thing(q: str, places: tuple[str, ...], prev: str) -> bool:
    """Does the follow-up `q` name something other than a place or the earlier question's own words? "土鸡呢?"
    after "…多少头黑毛土猪?" asks about another thing (perhaps counted in another unit); "那叶塘镇党委呢?" after
    "均川镇党委被反馈了多少个问题?" asks the same of another town's 党委.

    Example: another_thing("土鸡呢?", (), "养了多少头黑毛土猪?") -> True.
    """
    rest = re.sub(r"(?:19|20)\d{2}\s*年?|[\s?？。!！,，呢那的吗]", "", q)  # "2016年呢?": another year, the same thing
    rest = _SCOPE.sub("", rest)  # "全省呢?", "镇级的呢?": the same thing over another area or level
    for pl in places:
        rest = rest.replace(pl, "")
    return bool(rest) and rest not in prev


_ORDINAL = re.compile(r"第([一二三四五六七八九十\d]{1,3})([批轮次期届个])")


def counterpart(prev: str, item: str, places: tuple[str, ...] | list[str] = ()) -> str:
    """The words of the earlier question `prev` that a follow-up's `item` stands in for: the same noun negated
    (非贫困村 for 贫困村), or the one other noun phrase of its length ending in the same head character and no
    more of it, at least four characters long and no part of the `places` it names (贪污挪用案 for 虚报冒领案), or
    another ordinal of the same thing (第二批 for 第一批); "" when there is none, or more than one.

    Example: counterpart("漳县查处贪污挪用案多少件?", "虚报冒领案") -> "贪污挪用案"."""
    if not re.fullmatch(r"[\u4e00-\u9fff]{2,8}", item) or _QUESTION_WORD.search(item):
        return ""
    negated = {m.group(0) for m in re.finditer(f"[非未无不]{re.escape(item)}", prev)}
    if negated:
        return next(iter(negated)) if len(negated) == 1 and item not in prev.replace(next(iter(negated)), "") else ""
    if item in prev:
        return ""
    ordinal = _ORDINAL.fullmatch(item)  # 第一批 for 第二批, 第三轮 for 第二轮
    if ordinal:
        others = {m.group(0) for m in _ORDINAL.finditer(prev) if m.group(2) == ordinal.group(2)}
        return next(iter(others)) if len(others) == 1 else ""
    n = len(item)
    taken = {i for pl in places for m in re.finditer(re.escape(pl), prev) for i in range(m.start(), m.end())}
    spans = {prev[j - n + 1:j + 1] for j in range(n - 1, len(prev)) if prev[j] == item[-1]
             and not taken & set(range(j - n + 1, j + 1))}  # not part of a place: "肃集中供水率" of 甘肃…
    spans = {sp for sp in spans if re.fullmatch(r"[\u4e00-\u9fff]+", sp) and sp[-2] != item[-2]
             and not _QUESTION_WORD.search(sp) and n >= 4}
    return next(iter(spans)) if len(spans) == 1 else ""


def english_places(text: str) -> list[tuple[tuple[int, int], str]]:
    """The provincial-level names an English text writes (data/places_en.tsv), as (span, name as the table writes
    it), in the order written. Example: english_places("What about Gansu?") -> [((11, 16), "Gansu")]."""
    found = []
    for row in table("places_en.tsv"):
        m = re.search(rf"\b{re.escape(row[0])}\b", text, re.IGNORECASE)
        if m:
            found.append((m.span(), row[0]))
    return sorted(found)


def _own_question(core: str, places: list[str]) -> bool:
    """Does a follow-up that names a place ask a whole question of its own: a question word and at least four more
    Chinese characters besides the place ("那安康呢?近两年培训搬迁群众多少人次"), not just "甘肃呢?" or "安康的多少"?"""
    rest = core
    for pl in places:
        rest = rest.replace(pl, "")
    m = _QUESTION_WORD.search(rest)
    if not m:
        return False
    words = re.sub(r"[^\u4e00-\u9fff]|呢|的|那|是", "", rest.replace(m.group(0), ""))
    return len(words) >= 4


# "那个搞红黄蓝三色标注的镇,…是多少?", "那个推行4+N模式的县规划建设了多少个安置点?": a question opening with 那个 + what
# that thing did + 的 + a noun describes what it means, and asks its own question after it
_DESCRIBED_START = re.compile(r"^(?:那|这)(?:个|篇|份|起|次|家|所)[^,，;；?？]{2,30}的[\u4e00-\u9fff]{1,6}"
                              r"(?:[,，][^?？]*|[^,，?？]{4,})(?:多少|几|什么|哪|谁|如何|怎么)")


def is_elliptical(q: str) -> bool:
    """Example: "甘肃呢?" -> True; "陕西省搬迁了多少户?" -> False; "那个搞三色标注的镇,整改完成率是多少?" -> False."""
    s = q.strip()
    if _DESCRIBED_START.match(s) and not re.search(r"呢\s*[?？]?$", s):
        return False
    return bool(re.search(r"呢\s*[?？]?$", s) or _ELLIPTIC_START.match(s) or _WHAT_ABOUT.match(s)
                or len(re.sub(r"[\s?？。!！,，]", "", s)) <= 4)


_YEAR = re.compile(r"(?:19|20)\d{2}")
_YEAR_ONLY = re.compile(r"^(?:19|20)\d{2}\s*年?(?:度)?$")
# a follow-up that asks which places, or about all of them, is about no one place of the earlier question
_ASKS_PLACES = re.compile(r"哪些地方|各地|哪里|哪儿|哪(?:个|些|一个)?(?:省|市|县|区|镇|乡|村|地)|全国|全省|其他地方")
CARRY_MAX = 10  # Chinese characters of a follow-up's own besides its question words: "已经整改完成多少个?" has 7


def continues(q: str, prev: str, gaz: Gazetteer) -> bool:
    """Is a question that is not elliptical still about the place of the question before it? A short Chinese
    question naming no place, asked right after one that names a place: "整改完成了几个?" after
    "民和镇巡察反馈的问题有多少个?" asks about 民和镇 (searched alone, it quoted another town's figure). Not a question
    asking which places, or one of more than CARRY_MAX characters of its own (a new topic, told in full).

    Example: continues("持续了多少天?", "莲都区扶贫领域专项督查是从哪天开始的?", gaz) -> True."""
    if not re.search(r"[\u4e00-\u9fff]", q) or _ASKS_PLACES.search(q) or _places(q, gaz) or not _places(prev, gaz):
        return False
    return len(re.findall(r"[\u4e00-\u9fff]", _QUESTION_WORD.sub("", q))) <= CARRY_MAX


def rewrite(question: str, history: list[str], gaz: Gazetteer) -> str:
    """The question to search for, given the earlier user questions (oldest first).

    Each earlier question is first rewritten against the ones before it, oldest first (a loop, not recursion:
    a long history never exhausts the stack). Example: ["陕西搬迁了多少户?", "甘肃呢?"] then "宁夏呢?" ->
    "宁夏搬迁了多少户?".
    """
    q = question.strip()
    if not history:
        return q
    prev = history[0].strip()
    for h in history[1:]:
        prev = _rewrite_one(h.strip(), prev, gaz)
    return _rewrite_one(q, prev, gaz)


def _rewrite_one(q: str, prev: str, gaz: Gazetteer) -> str:
    """`q` read after the (already rewritten) question `prev`."""
    if not prev:
        return q
    prev_core = re.sub(r"[?？。!！]+$", "", prev)
    if not is_elliptical(q):
        return f"{prev_core},{q}" if continues(q, prev, gaz) else q
    m = _WHAT_ABOUT.match(q)
    core = m.group("x") if m else (_TAIL.match(q).group("x") if _TAIL.match(q) else q)
    year = re.sub(r"^那|的$", "", core.strip())
    if _YEAR_ONLY.match(year) and len(_YEAR.findall(prev)) == 1:  # "2016年呢?" after a question on 2017年
        return _YEAR.sub(_YEAR.match(year).group(0), prev, count=1)
    lv_new, lv_old = _LEVEL_EN.search(core), _LEVEL_EN.search(prev)
    if lv_new and lv_old and lv_new.group(1).lower() != lv_old.group(1).lower():  # "What about the town level?"
        return prev[:lv_old.start()] + lv_new.group(0) + prev[lv_old.end():]
    en_new, en_old = english_places(core), english_places(prev)
    if en_new and en_old and en_new[0][1] != en_old[0][1]:  # "What about Gansu?" after "…relocated in Shaanxi?"
        (s, e), _ = en_old[0]
        return prev[:s] + en_new[0][1] + prev[e:]
    new_places, old_places = _places(core, gaz), _places(prev, gaz)
    if new_places and _own_question(core, new_places):
        return core  # "那甘肃日报说的那个县投资规模多大?": a question of its own about the place it names
    if new_places and old_places:
        return prev.replace(old_places[0], new_places[0], 1)
    if new_places and not old_places:
        return f"{new_places[0]} {prev}"
    body = re.sub(r"的$", "", core.strip())
    if _SCOPE.fullmatch(body):  # "镇级的呢?" after "…村级反馈问题的整改完成率是多少?": the level asked instead
        kind = _ADMIN_LEVEL if _ADMIN_LEVEL.fullmatch(body) else _WHOLE_AREA
        old = kind.search(prev)
        if old and old.group(0) != body:
            return prev[:old.start()] + body + prev[old.end():]
    span = counterpart(prev, body, old_places) if not new_places else ""
    if span:  # "贫困村呢?" after "…几个非贫困村?", "虚报冒领案呢?" after "…贪污挪用案多少件?": that item instead
        return prev.replace(span, body, 1)
    if old_places and _BODY.fullmatch(body) and not _QUESTION_WORD.search(body):
        return prev.replace(old_places[0], body, 1)
    return f"{prev_core},{q}"
