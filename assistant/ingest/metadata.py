"""Metadata of a cleaned notice: its 落款 (issuer and date), the level it speaks as, a derived issuer and title.

Pure functions over the cleaned lines and text.
"""
from __future__ import annotations

import re

from .regions import Gazetteer

_DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_TOWNSHIP = re.compile(r"([\u4e00-\u9fa5]{2,6}?(?:乡|镇|街道))(?:委员会|人民政府|党委|办事处)")
_SELF_LEVEL = (("省", "province"), ("市", "city"), ("区", "county"), ("县", "county"), ("乡", "township"),
               ("镇", "township"))
_REPORT_PHRASE = re.compile(r"现将([^,，。]{0,14}?情况)(?:予以公布|通报如下|公布如下|报告如下)")
_SUBJECTS = (
    re.compile(r"开展了([^。,，]{2,30}?)。"),
    re.compile(r"([^,，。、;；]{2,12}?巡[视察]组)对[^,，。]{1,20}?进行了(巡[视察])"),
    re.compile(r"((?:[一二三四五六七八九十]+届)?[省市区县]委第[一二三四五六七八九十]+轮巡[视察])"),
)
_NOTICE_SUBJECT = re.compile(r"决定(?:在[^,，。]{1,10}?)?(开展[^。]{2,40}?)。")
_FEEDBACK_TO = re.compile(r"向([^,，。]{2,10}?[省市区县]委)反馈")


def find_signature(lines: list[str]) -> tuple[str | None, str | None, int | None]:
    """The 落款: (issuer, ISO date, index of the issuer line) from the last lines.

    Example: [..., "中共榆阳区红石桥乡委员会", "2019年6月10日"] -> ("中共榆阳区红石桥乡委员会", "2019-06-10", n-2).
    """
    for k in range(len(lines) - 1, max(-1, len(lines) - 6), -1):
        m = _DATE_LINE.match(lines[k])
        if not m:
            continue
        date = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
        if k > 0 and len(lines[k - 1]) <= 40 and not re.search(r"[。，,:：;；]", lines[k - 1]):
            return lines[k - 1], date, k - 1
        return None, date, None
    return None, None, None


def self_level(text: str) -> str | None:
    """Which level the notice speaks as, from 我省/全省, 我市/全市, …

    Example: "全区共有…我区…" -> "county".
    """
    counts = {lvl: 0 for _, lvl in _SELF_LEVEL}
    for ch, lvl in _SELF_LEVEL:
        counts[lvl] += text.count("我" + ch) + text.count("全" + ch)
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else None


def party_committee(place: dict[str, str | None], level: str) -> str | None:
    """Name of the party committee of a place. Example: ({province: 甘肃省}, province) -> 中共甘肃省委员会."""
    if level == "province" and place.get("province"):
        return f"中共{place['province']}委员会"
    if level == "city" and place.get("city"):
        return f"中共{place['city']}委员会"
    if level == "county" and place.get("county"):
        return f"中共{place.get('city') or ''}{place['county']}委员会"
    return None


def derive_issuer(text: str, gaz: Gazetteer) -> str | None:
    """Issuer of a notice without a 落款: the party committee of the place that was inspected."""
    m = _FEEDBACK_TO.search(text)
    level = self_level(text)
    if m:
        place = gaz.resolve(m.group(1), text)
        for lvl in ("county", "city", "province"):
            if place[lvl]:
                return party_committee(place, lvl)
    if level is None:
        return None
    counts: dict[str, int] = {}
    for p in gaz.find(text):
        # two-character county names (城区, 郊区, 矿区) are ordinary words in running text
        if len(p.name) >= 3 and (p.level == level or (level == "township" and p.level == "county")):
            counts[p.name] = counts.get(p.name, 0) + 1
    if not counts:
        return None
    top = max(counts, key=lambda k: counts[k])
    return party_committee(gaz.resolve(top, text), "county" if level == "township" else level)


def derive_title(text: str, issuer: str | None) -> str:
    """A title from issuer and subject when the notice has none of its own.

    Example: issuer 中共陕西省自然资源厅党组, "…开展了脱贫攻坚专项巡视“回头看”。…现将巡视整改情况予以公布"
    -> 中共陕西省自然资源厅党组关于脱贫攻坚专项巡视“回头看”整改情况的通报.
    """
    who = issuer or ""
    m = _NOTICE_SUBJECT.search(text)
    if "通知如下" in text and m:
        return f"{who}关于{m.group(1)}的通知"
    subject = ""
    for pat in _SUBJECTS:
        m = pat.search(text)
        if m:
            subject = "".join(g for g in m.groups() if g)
            break
    rp = _REPORT_PHRASE.search(text)
    phrase = rp.group(1) if rp else "整改情况"
    if subject and phrase[:2] in ("巡视", "巡察") and subject.endswith(phrase[:2]):
        phrase = phrase[2:]
    elif subject and phrase[:2] in ("巡视", "巡察"):
        phrase = phrase[2:]
    return f"{who}关于{subject}{phrase}的通报"


def township_of(issuer: str | None, county: str | None) -> str | None:
    """The township an issuer speaks for. Example: ("中共榆阳区红石桥乡委员会", "榆阳区") -> "红石桥乡"."""
    if not issuer:
        return None
    m = _TOWNSHIP.search(issuer.replace(county or "\0", " "))
    return m.group(1).strip() if m else None
