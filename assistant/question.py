"""What a question asks for: its kind (count / date / list / how / fact), the unit a count is in, the places
it names. Pure functions over the question text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .text import normalise

if TYPE_CHECKING:  # the gazetteer is passed in; question analysis never loads it
    from .ingest.regions import Gazetteer

_UNITS = ("户", "人次", "人", "万元", "亿元", "元", "亩", "个", "名", "间", "套", "所", "家", "公里", "项", "次",
          "条", "件", "天", "%")
_COUNT = re.compile(r"(多少|几[个名户人家所项次条件天年]?|数量|多大|比例|百分之|how many|how much|number of|"
                    r"percentage|what share|what proportion|\bcount\b)")
_DATE = re.compile(r"(什么时候|何时|哪天|哪一天|哪年|哪一年|几月|日期|时间|\bwhen\b|what date|which date|what year)")
_LIST = re.compile(r"(哪些|各地|哪几|都有什么|列举|which places|what measures|which regions|"
                   r"\bwhere\b.*\b(used|use|did)\b|in which)")
_HOW = re.compile(r"(怎么|怎样|如何|做法|措施|办法|\bhow (did|do|does|were|was|are|is)\b|what did .* do)")
# asking for the notice's own date (issued / published), answered from its 落款 line
_ISSUED = re.compile(r"(印发|发布|发文|公布|出台|落款|签发|发出|\bissued\b|\bpublished\b|\bdated\b)")
_EN_UNITS = {"household": "户", "people": "人", "persons": "人", "person": "人", "yuan": "元", "mu": "亩",
             "percent": "%", "percentage": "%", "villages": "个", "projects": "个", "meetings": "个"}


@dataclass(frozen=True)
class QuestionInfo:
    kind: str  # "count" | "date" | "list" | "how" | "fact"
    unit: str | None
    places: tuple[str, ...]  # surface forms of place names in the question
    about_issue_date: bool = False  # "…是哪天印发的?": the notice's own date
    counted: str = ""  # what a count question counts: "多少名中小学教师" -> "中小学教师"

    @property
    def wants_figure(self) -> bool:
        return self.kind == "count"


def asked_unit(q: str) -> str | None:
    """Unit right after 多少/几, or implied by an English noun. Example: "搬迁了多少户" -> "户"; "几个人" -> "人"."""
    m = re.search(r"(?:多少|几)个?(万元|亿元|人次|公里|[户人元亩名间套所家项次条件天])", q) or \
        re.search(r"(?:多少|几)(个)", q)
    if m:
        return m.group(1)
    if re.search(r"(比例|百分之|占比|percent|percentage|share|proportion|rate)", q):
        return "%"
    if re.search(r"(多少钱|花了多少|投入了?多少|资金多少|投资多少|金额|\bspend|\bspent|\bcost|\bbudget|\binvest|"
                 r"how much money)", q):
        return "元"  # 万元 and 亿元 end in 元
    for word, unit in _EN_UNITS.items():
        if re.search(rf"\b{word}s?\b", q):
            return unit
    return None


def analyse(question: str, gaz: Gazetteer | None = None, terms: list[str] | None = None) -> QuestionInfo:
    """Example: analyse("陕西搬迁了多少户?") -> QuestionInfo(kind="count", unit="户", places=("陕西",))."""
    q = normalise(question)
    if _COUNT.search(q):
        kind = "count"
    elif _DATE.search(q):
        kind = "date"
    elif _LIST.search(q):
        kind = "list"
    elif _HOW.search(q):
        kind = "how"
    else:
        kind = "fact"
    places: tuple[str, ...] = ()
    if gaz is not None:
        # `terms` carries the glossary's translations, so "Gansu" counts as naming 甘肃
        places = tuple(dict.fromkeys(s for s, cands in gaz.mentions(" ".join([question, *(terms or [])]))
                                     if len(s) >= 2 and not (len(s) == 2 and all(c.level == "county" for c in cands))))
    counted = ""
    if kind == "count":
        m = re.search(r"(?:多少|几)个?(?:万元|亿元|人次|公里|[户人元亩名间套所家项次条件天个])([\u4e00-\u9fff]{2,12})", q)
        counted = m.group(1) if m else ""
    return QuestionInfo(kind, asked_unit(q) if kind == "count" else None, places,
                        kind == "date" and bool(_ISSUED.search(q)), counted)
