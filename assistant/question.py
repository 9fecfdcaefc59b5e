"""What a question asks for: its kind, the unit and the thing a count counts, the places and years it names,
whether it asks for an extreme (最高) or for the notice's own metadata (文号). Pure functions over the text.

Kinds: count (多少/几 + a measure word), date (什么时候), who (谁), body (哪个部门 / 第几巡察组), place (在哪个县),
define (…代表什么 / 是指什么), list (哪些 / 哪几), how (怎么 / 采取了哪些措施), meta (the notice's 文号, issuer, date or
title), fact (anything else). English questions get the same kinds from English question words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from .text import (COUNT_CLASSIFIERS, FIGURE_UNITS, bound_side, date_spans, figure_spans, fold, normalise,
                   time_periods)

if TYPE_CHECKING:  # the gazetteer is passed in; question analysis never loads it
    from .ingest.regions import Gazetteer

# Measure words (量词) that can follow 多少 / 几; 个 is the generic one and counts anything.
MEASURE_WORDS = FIGURE_UNITS + ("万元", "亿元", "万人", "万户", "万亩", "万人次", "组", "届")
_MEASURE = "|".join(sorted(set(MEASURE_WORDS), key=len, reverse=True))
# 个 of 个体 (self-employed: 个体经营, 个体工商户) is no measure word: "多少个体经营主体" counts 个体经营主体, while
# "几个体检中心" counts 体检中心
_GE_NOUN = "个体(?:经营|工商|户|经济|私营|劳动)"
_ASK_COUNT = re.compile(rf"(?:多少|(?<![哪第])几)(?:(?!{_GE_NOUN})个(?!小时|月|星期|百分点)|"
                        rf"(?!{_GE_NOUN})(?P<unit>{_MEASURE}))?")
_COUNT = re.compile(r"(多少|(?<![哪第])几(?!乎|月|号|日|点|时)|多久|多长时间|数量|"
                    r"(?:人|户|件|次|家|项|条|名)数(?![\u4e00-\u9fff])|"
                    r"多大|多长|多高|比例|比重|百分之|占比|\w率是|\w率为|\w率有|how many|how much|"
                    r"number of|percentage|what share|what proportion|\bcount\b|"
                    r"what (?:is|was|are|were) the (?:[\w-]+ ){0,5}?"
                    r"(?:rate|percentage|proportion|ratio|total|amount|sum|"
                    r"income|investment|revenue|cost|budget|value|output|population|area|size|scale|length|height|"
                    r"price|salary|wage)s?\b)")
_DATE = re.compile(r"(什么时候|什么时间|啥时候|何时|哪天|哪一天|哪日|哪年|哪一年|几月|几号|几日|几点|日期|时间段|哪段时间|起止时间|"
                   r"\bwhen\b|what date|which date|what year|which year)")
# which part of a period a date question asks: its start, its end, or the day a status is given as of (截至哪天:
# "截至2023年9月21日,…先后6次专题研究", not the period "6月24日至8月10日" another sentence opens with)
_DATE_PART = (("asof", re.compile(r"截至|\bas of\b")),
              ("start", re.compile(r"开始|起始|始于|启动|(?:哪天|何时|什么时候|哪一天)起|\b(?:start|begin|began|begun)")),
              ("end", re.compile(r"结束|截止|止于|为止|(?:哪天|何时|什么时候|哪一天)止|\b(?:end|ended|finish|finished)\b")))
_WHO = re.compile(r"(谁|什么人|哪位|哪个人|姓名|名字|(?:书记|主任|[\u4e00-\u9fff]长|委员|部长|负责人)叫什么|\bwho\b|\bwhom\b)")
_BODY = re.compile(r"(哪个(?:部门|单位|机构|组|小组|巡察组|巡视组|督查组|机关|委员会|领导小组)|哪家|哪级|第几(?!年)|"
                   r"which (?:[a-z-]+ ){0,3}?(?:department|office|body|agency|team|group|unit|organi[sz]ation|"
                   r"committee|bureau|commission)s?\b)")
# "哪个巡察组 / 哪个小组": a team of a numbered series
_WHICH_TEAM = re.compile(r"哪(?:个|一个)((?:巡察|巡视|督查|督导|检查|工作|调研|考核)?(?:小组|组))")
_PLACE = re.compile(r"(在哪[里儿个]?|哪个(?:省|市|县|区|乡|镇|村|街道|地方|地区)|哪里|何地|\bwhere\b|which (?:county|city|"
                    r"town|township|village|province|district))")
_DEFINE = re.compile(r"(代表什么|代表的是|代表哪|表示什么|表示的是|表示哪|指什么|指的是什么|是指什么|是什么意思|什么意思|含义|是什么|指哪|what does .+ "
                     r"(?:stand for|mean|refer to)|what is meant|what (?:is|are) the)")
_LIST = re.compile(r"(哪些|各地|哪几|哪\d+个|都有什么|有什么|列举|which places|what measures|which regions|"
                   r"\bwhere\b.*\b(used|use|did)\b|in which)")
_HOW = re.compile(r"(怎么|怎样|如何|做法|措施|办法|\bhow (did|do|does|were|was|are|is)\b|what did .* do)")
# asking for the notice's own date (issued / published), answered from its 落款 line
_ISSUED = re.compile(r"(印发|发布|发文|公布|出台|落款|签发|发出|成文|刊发|刊登|发表|发的|\bissued\b|\bpublished\b|\bdated\b)")
# what a notice is called when the question asks about it: a formal document or, in this genre, a published report
_DOCUMENT = re.compile(r"(通报|通知|文件|意见|报告|报道|文章|新闻|消息|稿件|\bnotice\b|\bdocument\b|\breport\b|\barticle\b)")
# asking how to reach someone: a telephone number, an e-mail address or a postcode, as notices end with them
# (电话 alone may be how something was done: 每月电话抽查多少户)
_CONTACT = re.compile(r"(联系电话|电话号码|举报电话|热线电话|电话(?:是|为)?(?:多少|什么)|手机号|联系方式|邮箱|电子邮件|邮件地址|"
                      r"邮政编码|邮编|phone number|\btelephone\b|\be-?mail\b)", re.IGNORECASE)
# questions about the notice itself: its 文号, issuer, title
_META = (("doc_number", re.compile(r"(文号|发文字号|字号|document number|reference number)")),
         ("issuer", re.compile(r"(发文(?:单位|机关)|印发单位|谁发的|谁印发|哪个单位(?:发|印发|发布)的?|落款单位|"
                               r"who issued|which (?:body|office|department) issued)")),
         ("title", re.compile(r"(标题|题目|全称|文件名称?|what is the title)")))
_SUPER = re.compile(r"(最高|最多|最大|最长|最快|最好|highest|most|largest|biggest)|(最低|最少|最小|最短|lowest|least|"
                    r"smallest|fewest)")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年?")
_YEAR_RANGE = re.compile(r"(?:19|20)\d{2}\s*年?\s*(?:到|至|—|-|－|~|～)\s*(?:19|20)\d{2}")
# What a dimension is measured in: the unit class a count_fit accepts (answer/short.py), general physics.
_DIMENSIONS = (("高度", "长度"), ("长度", "长度"), ("宽度", "长度"), ("深度", "长度"), ("距离", "长度"), ("里程", "长度"),
               ("多高", "长度"), ("多长", "长度"), ("多宽", "长度"), ("多深", "长度"), ("多远", "长度"), ("面积", "面积"),
               ("多大面积", "面积"), ("重量", "重量"), ("多重", "重量"), ("多久", "时长"), ("多长时间", "时长"), ("时长", "时长"))
# what a count may ask that is no number of things: a rate, a change, a dimension (money: any unit ending in 元)
MEASURES = frozenset(unit for _, unit in _DIMENSIONS) | {"%", "幅度"}
# "how many" and its noun phrase, up to the verb or preposition that follows it ("How many communities with over 300
# households" -> "communities")
HOW_MANY = re.compile(r"\bhow many\s+((?:[A-Za-z][\w-]*\s+){0,3}?[A-Za-z][\w-]*)(?=\s+(?:were|was|are|is|did|do|does|"
                      r"have|has|had|will|would|can|could|in|at|of|for|on|by|with|from|to|that|which|who|under|"
                      r"during|across|per)\b|\s*[?,.;]|\s*$)", re.I)
# "how many" with no noun after it, right before its verb ("How many were rectified?")
_BARE_HOW_MANY = re.compile(r"\bhow many\s+(?:were|was|are|is|have|has|had|did|do|does|will|would|can|could)\b", re.I)
# A count question's English noun -> the unit a notice counts it in (general measure words, not corpus terms)
EN_UNITS = {"household": "户", "people": "人", "person": "人", "persons": "人", "yuan": "元", "mu": "亩",
            "percent": "%", "percentage": "%", "rate": "%", "share": "%", "proportion": "%", "day": "天",
            "days": "天", "time": "次", "times": "次", "round": "轮", "rounds": "轮", "case": "件", "cases": "件",
            "item": "项", "items": "项"}


@dataclass(frozen=True)
class QuestionInfo:
    kind: str  # count | date | who | body | place | define | list | how | meta | contact | fact
    unit: str | None  # for a count: the measure word asked ("户", "%", "元"; "个" is generic)
    places: tuple[str, ...]  # surface forms of place names in the question
    about_issue_date: bool = False  # "…是哪天印发的?": the notice's own date
    counted: str = ""  # what a count question counts: "多少名中小学教师" -> "中小学教师"
    # `counted` is a dictionary translation of an English question's noun (secretaries -> 部长, where the notice
    # says 书记): it scores the figures, but a quote is not required to hold it
    counted_translated: bool = False
    superlative: str = ""  # "max" or "min" for 哪个镇最高 / 最少
    meta_field: str = ""  # doc_number | issuer | title | date, for questions about the notice itself
    years: tuple[str, ...] = ()  # years the question names: "2016年立了几个案" -> ("2016",)
    ordinal_of: str = ""  # "第几巡察组" -> "巡察组": the answer is 第<numeral>巡察组
    list_size: int = 0  # "哪3个乡镇" -> 3
    place_level: str = ""  # "在哪个县开的" -> "县": the level a place answer must have
    given: tuple[str, ...] = ()  # figures and dates the question itself states ("反馈的17个问题"): never the answer
    year_range: bool = False  # "2015年到2017年…一共": the years are the ends of one period, not alternatives
    # (unit, counted noun) of each count a question asks when it asks several ("几个方面…多少条措施"): read from the
    # question's own words, so a follow-up ("其中建档立卡的有多少人?") does not inherit the earlier question's asks
    asks: tuple[tuple[str | None, str], ...] = ()
    subject: str = ""  # what a define question asks about: "标注里黄色代表什么" -> the words before 代表 ("标注里黄色")
    # places named only to locate another place the question names, which lies inside them: 湖北 of "湖北随县…"
    qualifiers: tuple[str, ...] = ()
    # a count naming no noun after 多少/几 + classifier may count its subject ("…的工业项目有几项" -> 工业项目): read
    # only to tell a part after 其中 from the whole before it (answer/short.py), not as `counted`
    counted_subject: str = ""
    periods: tuple[str, ...] = ()  # quarters and halves the question names: "今年二季度查处了多少件" -> ("二季度",)
    # an English question's verb (-ed, -ing) maps to no word of the index ("…were deregistered…"): what was done to
    # the things counted is not understood, so no figure is stated (set by the pipeline, which has the index)
    predicate_unread: bool = False
    date_part: str = ""  # a date question's "start", "end" or "asof" (截至哪天) of a period, else ""
    # figures the question states as a bound, with its side: "690分以下有多少名考生" -> (("690", -1),)
    bounds: tuple[tuple[str, int], ...] = ()
    # "How many were rectified?": "how many" with no noun after it counts things or people, never a rate or an amount
    bare_count: bool = False

    @property
    def wants_figure(self) -> bool:
        return self.kind == "count"


def asked_unit(q: str) -> str | None:
    """Unit right after 多少/几, or implied by the question. Example: "搬迁了多少户" -> "户"; "几个人" -> "人";
    "整改完成率是多少" -> "%"; "追缴了多少钱" -> "元"; "机构目标均价是多少" -> "元" (a price, not 90天 of "过去90天内")."""
    q = fold(q)
    m = _ASK_COUNT.search(q)
    if m and m.group("unit"):
        return "百分点" if m.group("unit") == "个百分点" else m.group("unit")  # 提升了几个百分点
    m1 = re.search(r"(?:多少|(?<![哪第])几)个(人(?![员才口数家民大事])|户(?![籍口型]))", q)  # 几个人: people are counted in 人
    if m1:
        return m1.group(1)
    m2 = re.search(r"(人|户|件|次|天|个|家|项|条|名)数", q)  # 死亡人数, 户数, 天数
    if m2:
        return m2.group(1)
    for word, unit in sorted(_DIMENSIONS, key=lambda x: -len(x[0])):  # 多长时间 before 多长
        # a dimension noun asks its measure only where it is asked ("深度是多少", "面积有多大"): 深度贫困地区 is no depth
        if word in q and (word.startswith("多") or re.search(
                rf"{word}(?:是|为|有|达|约|共|一共|大概|大约)?(?:多少|几|多大|多长|多高|多宽|多深|多远|多久)", q)):
            return unit
    if re.search(r"(同比|环比|比上年|较上年|比去年|较去年|比上月|较上月|比上季度|较上季度|比上年同期|较上年同期)[^,，。;；?？]{0,8}?"
                 r"(增长|下降|增加|减少|上涨|下跌|提高|降低|上升|回落|增|降)了?(多少|几)(?![\u4e00-\u9fff])", q):
        return "幅度"  # "收入同比增长了多少": a rate or a multiple (12.5%, 1.5倍), not the amount itself
    if re.search(r"(比例|比重|百分之|占比|百分比|\w率|percent|percentage|\bshare\b|proportion|\brate\b)", q):
        return "%"
    if re.search(r"占(?![地用有据领])[^,，。?？多少几]{1,10}?的?(?:多少|几)(?![\u4e00-\u9fff])", q):
        return "%"  # "占结案数的多少": a share of a whole (not 占地多少亩, 占用耕地多少亩)
    if re.search(r"(?:完成|达到|相当于)了?[^,，。?？多少几]{1,12}?的(?:多少|几成)(?![\u4e00-\u9fff])", q):
        return "%"  # "完成年度目标任务的多少": a share of the target (105%), not the count done (51.9万人)
    if re.search(r"(多少钱|花了多少|投入了?多少|资金多少|投资多少|总投资|投资额|投资总额|投资(?:是|为|达|约|有)多少|"
                 r"金额|投资规模|资金规模|多少[\u4e00-\u9fff]{0,8}?(?:资金|款项?|钱|补贴|补助|奖金|罚款|赔偿金|经费)|"
                 r"收入|经费|费用|成本|价格|均价|单价|(?<![评代比])价(?:是|为|约|在|每[\u4e00-\u9fff])?(?:多少|几)|工资|"
                 r"\bspend(?:s|ing)?\b|\bspent\b|\bcosts?\b|"
                 r"\bbudgets?\b|\binvest(?:s|ed|ing|ment|ments)?\b|how much money|how much funding)", q):
        return "元"  # 万元 and 亿元 end in 元
    if m:
        return "个" if re.search(rf"(?:多少|几)(?!{_GE_NOUN})个", q) else None
    # "how many X": X's unit only ("How many communities with over 300 households" counts communities, not 户)
    many = HOW_MANY.search(q)
    if not many and re.search(r"\b(?:incomes?|revenues?|salar(?:y|ies)|wages?|prices?)\b", q):
        return "元"  # "What was the average income of relocated people?": money, not people
    scope = many.group(1) if many else q
    for word, unit in EN_UNITS.items():
        if re.search(rf"\b{word}s?\b", scope):
            return unit
    return None


def count_asks(q: str) -> list[tuple[str | None, str]]:
    """(unit, counted noun) of each 多少/几 of a question that asks for more than one count, as `asked_unit` and
    `_counted` read the first. Example: "围绕几个方面提出了多少条具体措施" -> [("个", "方面"), ("条", "具体措施")];
    a question with one ask -> []. Read once per question, by `analyse` (QuestionInfo.asks)."""
    q = fold(q)
    starts = [m.start() for m in _ASK_COUNT.finditer(q)]
    if len(starts) < 2:
        return []
    return [(asked_unit(q[s:]), _counted(q[s:])) for s in starts]


_SUBJECT_COUNTED = re.compile(r"(?:^|(?<=[的年月日,，、:：]))([\u4e00-\u9fff]{2,8}?)(?:一共|总共|共|还|仍|都)?(?:有|是|为)"
                              r"(?:多少|几)(?:" + "|".join(sorted(COUNT_CLASSIFIERS, key=len, reverse=True)) + ")")


def subject_counted(q: str) -> str:
    """A count question naming no noun after 多少/几 + a classifier may count its subject: "…的工业项目有几项?" ->
    "工业项目" (two to eight characters after 的, a date or the question's start, before 有/是 + 多少/几); not a
    place ("均川镇有多少个?"), nothing without such a subject, and nothing for a measure ("完成率是多少", "高度是多少":
    no classifier)."""
    m = _SUBJECT_COUNTED.search(q)
    if not m:
        return ""
    noun = m.group(1).split("的")[-1]
    if len(noun) < 2 or re.search(r"(?:省|市|县|区|乡|镇|村|街道|哪|什么|这|那|其中|他们)", noun):
        return ""
    return noun


def _counted(q: str) -> str:
    """The noun a count question counts: the Chinese characters after 多少/几 + measure word, up to a verb
    or particle. Example: "多少名中小学教师?" -> "中小学教师"; "反馈了几个问题" -> "问题"."""
    m = re.search(rf"(?:多少|几)(?:(?!{_GE_NOUN})(?:个|{_MEASURE}))?([\u4e00-\u9fff]{{1,12}})", q)
    if not m:
        return ""
    noun = re.split(r"[的了吗呢啊?？,，。是被在有和与及、]", m.group(1))[0]
    if re.match(r"(内|以内|之内|后|以后|之后|前|以前|左右|多|余|以上|以下)", noun):
        return ""  # "几天内动态清零": 内 ends the figure, nothing is counted
    if any(noun.startswith(u) for u in MEASURE_WORDS if len(u) >= 2):
        return ""  # "多少小时": the measure word itself, not a noun after it
    return noun if len(noun) >= 2 else ""


# townships the gazetteer does not list: two to four characters and 乡/镇/街道 (叶塘镇, 红石桥乡, 均川镇)
_TOWNSHIP = re.compile(r"([\u4e00-\u9fff]{2,4}?(?:乡|镇|街道))")  # the first suffix ends it: 宣化镇 of "宣化镇镇级"


# a suffix followed by one of these characters is part of a common noun (乡镇, 乡村), not the end of a name
_NOUN_AFTER_SUFFIX = {"乡": "镇村"}
# characters that end the word before a place name in a question (给民和镇, 巡察叶塘镇, 对羊岑乡)
_BEFORE_PLACE = set("那这该在对向给与和及的把被从是到于让由为跟同察视访督查问去来")


def question_places(text: str, gaz: Gazetteer | None, common: Callable[[str], bool] | None = None
                    ) -> tuple[str, ...]:
    """Place names in a question: the gazetteer's (provinces, cities, counties; of two-character county names only
    those ending in 县 — 漳县, 岷县 — as 东区, 西区 are also common words), then township names it does not list
    (叶塘镇). `common` says whether a word is an everyday word of the tokenizer's dictionary: a common word ending
    in 乡 or 镇 (城镇, 返乡, 下乡) right after another common word or a preposition ("通过城镇", "群众返乡",
    "安置到城镇") is that word, not a township's name; after a name's piece (青山镇, 花城镇) it stays one.
    Example: "那叶塘镇党委呢" -> ("叶塘镇",); "漳县2016年立了几个案" -> ("漳县",)."""
    found: list[str] = []
    if gaz is not None:
        found = [s for s, cands in gaz.mentions(text)
                 if len(s) >= 2 and not (len(s) == 2 and all(c.level == "county" for c in cands)
                                         and not s.endswith("县"))]
    for m in _TOWNSHIP.finditer(text):  # may still carry a word before the name: place_forms allows for it
        w = m.group(1)
        nxt = text[m.end():m.end() + 1]
        if nxt and nxt in _NOUN_AFTER_SUFFIX.get(w[-1], ""):
            continue  # "哪些单位和乡镇", "推进乡村振兴": common nouns, not the end of a name
        while len(w) > 3 and (w[0] in _BEFORE_PLACE or w[1] in _BEFORE_PLACE):
            w = w[1:]
        w = w.rsplit("的", 1)[-1]  # "三色标注的镇": no name holds 的
        # "安定区凤翔镇": a county or district written right before the township ends before it (not 新市镇: the
        # name after the level character needs two characters of its own)
        cut = max((i for i, ch in enumerate(w[:-1]) if ch in "省市县区" and len(re.sub(r"(乡|镇|街道)$", "", w[i + 1:])) >= 2),
                  default=-1)
        w = w[cut + 1:]
        name = re.sub(r"(乡|镇|街道)$", "", w)
        if len(name) < 2 or name[0] in "个各全本该每此我其等数多几两哪" or re.search("[乡镇]", name):
            continue
        if common is not None and len(w) >= 3 and common(w[-2:]) and not common(w[-3:]) \
                and (w[-3] in _BEFORE_PLACE or len(w) >= 4 and common(w[-4:-2])):
            continue  # "陕西通过城镇安置", "搬迁群众返乡创业": an everyday word, not the end of a name
        if not any(w in f or f in w for f in found):
            found.append(w)
    return tuple(dict.fromkeys(found))


def place_qualifiers(places: tuple[str, ...], gaz: Gazetteer | None) -> tuple[str, ...]:
    """The provinces and cities among `places` that contain another of them (by the gazetteer's codes): a user
    writes "湖北随县均川镇…" where the notice only ever says 随县; the inner place says which notice is meant.
    Example: ("湖北", "随县") -> ("湖北",); ("陕西", "甘肃") -> ()."""
    if gaz is None or len(places) < 2:
        return ()
    found = {p: gaz.find(p) for p in places}
    out = []
    for outer in places:
        prefixes = {c.code[:2] if c.level == "province" else c.code[:4] for c in found[outer] if c.level != "county"}
        if any(i.code.startswith(pre) and i.code[len(pre):].strip("0")
               for inner in places if inner != outer for i in found[inner] for pre in prefixes):
            out.append(outer)
    return tuple(out)


def place_forms(place: str) -> set[str]:
    """Ways a notice may write a place a question names: the name, without its suffix, and for a township its
    shorter tails (a question's "给民和镇" or "舒城城关镇" is found as 民和镇, 城关镇).

    Example: "舒城城关镇" -> {"舒城城关镇", "舒城城关", "城城关镇", "城关镇"}.
    """
    place = fold(place)
    forms = {place}
    bare = re.sub(r"(省|市|自治区|州|县|区|乡|镇|街道)$", "", place)
    if len(bare) >= 2:
        forms.add(bare)
    if re.search(r"(乡|镇|街道)$", place):
        forms |= {place[i:] for i in range(1, len(place) - 2)}
    return forms


def _subject(q: str) -> str:
    """What a define question asks about: the words right before 代表/表示/是指/指/是 after the last 里/中/的, or a
    quoted term that leads up to that verb (no comma between). Example: "红黄蓝标注里黄色代表什么" -> "黄色";
    "“红黄蓝”三色标注中,黄色代表什么" -> "黄色"; "“131”就业帮扶模式是指什么" -> "131"."""
    m = re.search(r"([\u4e00-\u9fff]{1,12}?)(?:代表的?是?|表示的?是?|是指|指的是|的意思是|指|是)(?:什么|啥|哪些|哪类|哪种|何)", q)
    quoted = re.search(r"[“\"]([^”\"]{1,12})[”\"]", q)
    if quoted and (m is None or not re.search(r"[,，;；。、]", q[quoted.end():m.start(1)])):
        return quoted.group(1)
    return re.split(r"[里中的、]", m.group(1))[-1] if m else ""


# "…的那个县", "那篇报道": what comes before names which one is meant (not the question's first words, which refer
# back to an earlier answer: "那个县呢?")
_WHICH_ONE = re.compile(r"那(?:个|篇|份|起|次|家|所)(?:[^,，;；?？]{0,30}(?=[,，;；])|[\u4e00-\u9fff]{0,4}?(?=里|中|的|在|有|是|一共|共))")


def described_span(q: str) -> str:
    """The part of a question that only says which notice or thing is meant: everything up to and including a "那个X"
    after the question's start. Example: described_span("推行“4+N”模式的那个甘肃县,建档立卡户什么时候全部搬迁到位的?")
    -> "推行“4+N”模式的那个甘肃县"; described_span("那个县投资了多少?") -> ""."""
    m = _WHICH_ONE.search(q, 1)
    return q[:m.end()] if m else ""


# the question word of a "what X" question, and what may stand between it and X ("什么类型的皮肤")
_WHAT = {"什么", "什么样", "哪个", "哪些", "哪种", "哪类", "哪一类", "哪一种", "何种", "哪家"}
_WHAT_FILLER = {"的", "类型", "种类", "样", "一种", "一类", "种", "类"}
_NOUNISH = ("n", "vn", "nz", "j", "l", "b", "an")


def asked_head(tagged: list[tuple[str, str]]) -> str:
    """The noun a "what X" question asks an instance of — the answer's type word, the last word of the noun
    phrase right after 什么 / 哪个 / 哪些 / 什么样的 (a verb closing the question counts: 需要什么支持).
    `tagged`: the question's (word, part of speech) pairs (`Tokenizer.tagged`).
    Example: 召开了什么会议 -> "会议"; 对哪个海军基地实施袭击 -> "海军基地"; 建立什么样的交流机制 -> "机制";
    适合什么类型的皮肤 -> "皮肤"; 多少户 -> ""."""
    for i, (w, _) in enumerate(tagged):
        if w not in _WHAT:
            continue
        j = i + 1
        while j < len(tagged) and tagged[j][0] in _WHAT_FILLER:
            j += 1
        run: list[str] = []
        while j < len(tagged):
            word, flag = tagged[j]
            last = j + 1 == len(tagged) or not re.search(r"[\u4e00-\u9fff\w]", tagged[j + 1][0])
            if not (flag.startswith(_NOUNISH) or flag == "v" and last) or not re.fullmatch(r"[\u4e00-\u9fff]+", word):
                break
            run.append(word)
            j += 1
        if run:
            return run[-1]
    return ""


def asked_role(tagged: list[tuple[str, str]]) -> str:
    """The post a who question asks the holder of: the word right before 是谁 / 叫什么名字 or after 谁担任 / 由谁担任
    ("" when that word is no post: 的, a figure). `tagged`: the question's (word, part of speech) pairs.
    Example: 领导小组的组长是谁 -> "组长"; 办公室主任是谁 -> "主任"; 谁担任组长 -> "组长"; 谁去的 -> ""."""
    words = [w for w, _ in tagged]
    for i, w in enumerate(words):
        if w == "谁" and i >= 2 and words[i - 1] == "是" or w == "叫" and words[i + 1:i + 2] == ["什么"]:
            j = i - 2 if w == "谁" else i - 1
            if j >= 0 and re.fullmatch(r"[\u4e00-\u9fff]{2,4}", words[j]) and words[j] != "的":
                return words[j]
        if w == "谁" and words[i + 1:i + 2] == ["担任"] and i + 2 < len(words) \
                and re.fullmatch(r"[\u4e00-\u9fff]{2,4}", words[i + 2]):
            return words[i + 2]
    return ""


def date_part(q: str) -> str:
    """Which part of a period a date question asks: "截至哪天" -> "asof"; "从哪天开始" -> "start"; "哪天结束" ->
    "end"; both ends ("从哪天开始到哪天结束") or none -> "" (the whole period)."""
    parts = [part for part, pat in _DATE_PART if pat.search(q)]
    return parts[0] if len(parts) == 1 else ""


def analyse(question: str, gaz: Gazetteer | None = None, terms: list[str] | None = None,
            common: Callable[[str], bool] | None = None) -> QuestionInfo:
    """Example: analyse("陕西搬迁了多少户?") -> QuestionInfo(kind="count", unit="户", places=("陕西",)). `common`:
    the tokenizer's everyday words (`Tokenizer.common_word`), which no township name ends in (question_places)."""
    q = normalise(question)
    fq = fold(question)
    meta = next((name for name, pat in _META if pat.search(q)), "")
    sup = _SUPER.search(q)
    if meta:
        kind = "meta"
    elif _CONTACT.search(q):
        kind = "contact"
    elif _DATE.search(q) and not _COUNT.search(q):
        kind = "date"
    elif _COUNT.search(q):
        kind = "count"
    elif _DATE.search(q):
        kind = "date"
    elif _WHO.search(q) and not re.search(r"[与和跟同]谁", q):  # 与谁合作 asks for a partner, often a body
        kind = "who"
    elif _BODY.search(q):
        kind = "body"
    elif re.search(r"哪\d+个", q):
        kind = "list"
    elif _PLACE.search(q) and not _LIST.search(q):
        kind = "place"
    elif _DEFINE.search(q) and not _HOW.search(q):
        kind = "define"
    elif _LIST.search(q):
        kind = "list"
    elif _HOW.search(q):
        kind = "how"
    else:
        kind = "fact"
    if kind == "date" and _ISSUED.search(q) and _DOCUMENT.search(q):
        meta = "date"
    # `terms` carries translations of English words, so "Gansu" counts as naming 甘肃
    places = question_places(" ".join([fq, *(terms or [])]), gaz, common)
    ordinal = ""
    m = re.search(r"第几([\u4e00-\u9fff]{1,6})", q)
    if m:
        ordinal = re.split(r"[的了吗呢是在]", m.group(1))[0]
    elif kind == "body" and (m := _WHICH_TEAM.search(q)):
        ordinal = m.group(1)  # "哪个巡察组": teams are told apart by number (区委第二巡察组), answered like 第几巡察组
    return QuestionInfo(
        kind=kind, unit=asked_unit(q) if kind == "count" else None, places=places,
        qualifiers=place_qualifiers(places, gaz),
        about_issue_date=kind == "date" and bool(_ISSUED.search(q)), counted=_counted(q) if kind == "count" else "",
        superlative=("max" if sup.group(1) else "min") if sup else "", meta_field=meta,
        years=tuple(dict.fromkeys(_YEAR.findall(q))), ordinal_of=ordinal, year_range=bool(_YEAR_RANGE.search(q)),
        asks=tuple(count_asks(q)) if kind == "count" else (),
        counted_subject=subject_counted(q) if kind == "count" and not _counted(q) else "",
        periods=time_periods(q),
        list_size=int(m.group(1)) if (m := re.search(r"哪(\d+)个", q)) else 0,
        place_level=m.group(1) if (m := re.search(r"哪(?:个|一个|些)?(省|市|县|区|乡|镇|村|街道)", q)) else "",
        given=tuple(dict.fromkeys(fq[s:e] for s, e in figure_spans(question) + date_spans(question))),
        subject=_subject(q) if kind == "define" else "",
        date_part=date_part(q) if kind == "date" else "",
        bounds=tuple((fq[a:b], side) for a, b in figure_spans(fq) if (side := bound_side(fq, a, b))),
        bare_count=kind == "count" and bool(_BARE_HOW_MANY.search(q)))
