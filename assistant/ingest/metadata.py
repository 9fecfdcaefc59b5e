"""Metadata of a cleaned notice: its 落款 (issuer and date), the level it speaks as, a derived issuer and title.

Pure functions over the cleaned lines and text. Every pattern is matched on the folded text (`text.fold`: the
same length, traditional characters simplified, full-width digits and punctuation folded), so a notice written
in traditional characters (發文字號, 現將…情況予以公布) has the same metadata; values are taken from the text as
written.
"""
from __future__ import annotations

import re

from ..text import CN_DIGIT, as_written, fold
from .chunking import heading_level
from .regions import Gazetteer

_DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
# a web page's date line under its title: 2023.09.11, 2023-09-11 08:46, 2023/9/11
_NUM_DATE_LINE = re.compile(r"^(\d{4})([-./])(\d{1,2})\2(\d{1,2})(?:\s+\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?$")
_CN_DATE_LINE = re.compile(r"^([〇零○Ｏ0一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$")
# 发文字号 on a line of its own: 达市府办函〔2019〕30号, 国办发[2019]5号, 甘政办发【2020】12号
_DOC_NO = r"[\u4e00-\u9fa5A-Za-z]{1,16}\s*[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d{1,5}\s*号"
_DOC_NO_LINE = re.compile(rf"^(?:(?:文\s*号|发文字号)\s*[:：]\s*)?({_DOC_NO})$")
_DOC_NO_INLINE = re.compile(rf"(?:文\s*号|发文字号)\s*[:：]\s*({_DOC_NO})")
# 红头: 达州市人民政府办公室文件
_RED_HEADER = re.compile(r"^([\u4e00-\u9fa5（）()]{4,30}?)\s*文\s*件$")
# 发布时间:2019-04-04 / 日期:2023-05-04 08:46:31 来源:… (a date line of a web page, kept in the text)
_DATE_FIELD = re.compile(r"(?:发布时间|发布日期|发文日期|成文日期|日期|时间)\s*[:：]\s*(\d{4})[-年/.](\d{1,2})[-月/.](\d{1,2})")
_HEAD_LINES = 8  # the header of a document: where 文号, 红头 and date lines are looked for
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
# what a report on an inspection speaks of: derive_title names it "…整改情况的通报"
_INSPECTION_WORD = re.compile(r"巡视|巡察|整改")


def cn_number(s: str) -> int:
    """A month or day in Chinese numerals. Example: cn_number("十二") -> 12; cn_number("二十一") -> 21."""
    if "十" not in s:
        return CN_DIGIT.get(s, 0)
    tens, _, ones = s.partition("十")
    return (CN_DIGIT.get(tens, 0) if tens else 1) * 10 + (CN_DIGIT.get(ones, 0) if ones else 0)


def date_of_line(line: str) -> str | None:
    """ISO date of a 成文日期 line in Arabic or Chinese numerals.

    Example: date_of_line("二〇一九年四月四日") -> "2019-04-04"; date_of_line("2019年6月10日") -> "2019-06-10";
    date_of_line("2023.09.11") -> "2023-09-11".
    """
    line = fold(line)
    m = _DATE_LINE.match(line)
    n = None if m else _NUM_DATE_LINE.match(line)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    elif n:
        y, mo, d = int(n.group(1)), int(n.group(3)), int(n.group(4))
    else:
        m = _CN_DATE_LINE.match(line)
        if not m:
            return None
        y = int("".join(str(CN_DIGIT[c]) for c in m.group(1)))
        mo, d = cn_number(m.group(2)), cn_number(m.group(3))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def signature(lines: list[str]) -> tuple[str | None, int | None, str | None, int | None]:
    """The 落款 among the last lines: (issuer, its line index, ISO date, its line index).

    Example: [..., "中共榆阳区红石桥乡委员会", "2019年6月10日"] -> ("中共榆阳区红石桥乡委员会", n-2, "2019-06-10", n-1).
    """
    for k in range(len(lines) - 1, max(-1, len(lines) - 6), -1):
        date = date_of_line(lines[k])
        if date is None:
            continue
        if k > 0 and len(lines[k - 1]) <= 40 and not re.search(r"[。，,:：;；]", lines[k - 1]):
            return lines[k - 1], k - 1, date, k
        return None, None, date, k
    return None, None, None, None


def find_signature(lines: list[str]) -> tuple[str | None, str | None, int | None]:
    """The 落款: (issuer, ISO date, index of the issuer line) from the last lines.

    Example: [..., "中共榆阳区红石桥乡委员会", "2019年6月10日"] -> ("中共榆阳区红石桥乡委员会", "2019-06-10", n-2).
    """
    issuer, k, date, _ = signature(lines)
    return issuer, date, k


def find_doc_number(lines: list[str]) -> tuple[str | None, int | None]:
    """发文字号 in the header lines: a line of its own, or after 文号:. Example: ["达市府办函〔2019〕30号", …] ->
    ("达市府办函〔2019〕30号", 0)."""
    for k, line in enumerate(lines[:_HEAD_LINES]):
        f = fold(line)
        m = _DOC_NO_LINE.match(f) or _DOC_NO_INLINE.search(f)
        if m:
            return re.sub(r"\s+", "", as_written(line, m, 1)), k
    return None, None


def find_red_header(lines: list[str]) -> tuple[str | None, int | None]:
    """Issuer named by a 红头 line. Example: ["达州市人民政府办公室文件", …] -> ("达州市人民政府办公室", 0)."""
    for k, line in enumerate(lines[:3]):
        m = _RED_HEADER.match(fold(line))
        if m:
            return as_written(line, m, 1), k
    return None, None


def find_date_field(lines: list[str]) -> tuple[str | None, int | None]:
    """A publication date stated in the header lines: a labelled field, or a line that is only a date (a web
    page's date under its title). Example: ["日期:2023-05-04 08:46:31 来源:区文旅体局"] -> ("2023-05-04", 0);
    ["数据统计", "贵州铜仁:…", "2023.09.11"] -> ("2023-09-11", 2)."""
    for k, line in enumerate(lines[:_HEAD_LINES]):
        m = _DATE_FIELD.search(fold(line))
        if m and 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31:
            return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}", k
        iso = date_of_line(line.strip())
        if iso:
            return iso, k
    return None, None


def self_level(text: str) -> str | None:
    """Which level the notice speaks as, from 我省/全省, 我市/全市, …

    Example: "全区共有…我区…" -> "county".
    """
    counts = {lvl: 0 for _, lvl in _SELF_LEVEL}
    text = fold(text)
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
    """Issuer of a notice without a 落款: the party committee of the place that was inspected (a name the
    gazetteer writes)."""
    text = fold(text)
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
    f = fold(text)
    m = _NOTICE_SUBJECT.search(f)
    if "通知如下" in f and m:
        return f"{who}关于{as_written(text, m, 1)}的通知"
    subject = ""
    for pat in _SUBJECTS:
        m = pat.search(f)
        if m:
            subject = "".join(as_written(text, m, g) for g in range(1, (m.re.groups or 0) + 1))
            break
    rp = _REPORT_PHRASE.search(f)
    phrase = as_written(text, rp, 1) if rp else "整改情况"
    if subject and fold(phrase[:2]) in ("巡视", "巡察"):
        phrase = phrase[2:]
    return f"{who}关于{subject}{phrase}的通报"


def township_of(issuer: str | None, county: str | None) -> str | None:
    """The township an issuer speaks for. Example: ("中共榆阳区红石桥乡委员会", "榆阳区") -> "红石桥乡"."""
    if not issuer:
        return None
    f = fold(issuer)
    if county:  # blanked out, keeping the length: spans of f are spans of the issuer
        f = f.replace(county, " " * len(county))
    m = _TOWNSHIP.search(f)
    return as_written(issuer, m, 1).strip() if m else None


# 新华社北京8月16日电 / IT之家 8 月 16 日消息 / 本报讯: the dateline clause that opens a news article
_DATELINE = re.compile(r"^[^，,。！？!?]{0,30}?(?:消息|电|讯)(?=[\s（(，,：:])\s*(?:[（(][^）)]{0,20}[）)])?\s*[，,：:]?\s*")
_FIRST_SENT_END = re.compile(r"[。！？!?；;]")
DERIVED_TITLE_MAX = 40


def reports_on_inspection(text: str) -> bool:
    """Whether the text reports on an inspection or announces a campaign in the way derive_title and
    derive_issuer understand (开展了…巡视, …巡察组对…进行了巡察, 现将…情况予以公布, 决定…开展…通知如下).

    Example: reports_on_inspection("IT之家 8 月 16 日消息，新款车型上市。") -> False.
    """
    text = fold(text)
    if "通知如下" in text and _NOTICE_SUBJECT.search(text):
        return True
    if not _INSPECTION_WORD.search(text):  # "…开展了急诊急救知识培训。" in a news item is no rectification report
        return False
    return any(p.search(text) for p in _SUBJECTS) or _REPORT_PHRASE.search(text) is not None


def title_from_first_sentence(lines: list[str]) -> tuple[str, int] | None:
    """An honest title for a text that states none: its first sentence (after a news dateline), at most
    DERIVED_TITLE_MAX characters; label lines (新闻稿) are passed over. Returns (title, line index) or None.

    Example: ["新闻稿", "IT之家 8 月 16 日消息，新款雷克萨斯 LC 500h 运动版日前已经正式上市，售价为 129.6 万元。"]
    -> ("新款雷克萨斯 LC 500h 运动版日前已经正式上市，售价为 129.6 万元", 1).
    """
    for k, line in enumerate(lines[:_HEAD_LINES]):
        if len(line) < 8 and not _FIRST_SENT_END.search(line):
            continue
        m = _DATELINE.match(fold(line))
        body = line[m.end():] if m else line
        if fold(body[:1]) == "据" and "，" in body[:20]:  # 据…消息，
            body = body.split("，", 1)[1]
        m = _FIRST_SENT_END.search(body)
        sent = (body[:m.start()] if m else body).strip() or line.strip()
        if len(sent) > DERIVED_TITLE_MAX:
            sent = sent[:DERIVED_TITLE_MAX - 1] + "…"
        return sent, k
    return None


# A title line kept in the text: a document-type word at its end, no sentence or clause punctuation.
_TITLE_WORDS = re.compile(r"^[•·●\s]*[^。，,:：;；！？!?]{4,58}(通报|通知|意见|公告|报告|决定|办法|公示|通告|批复|纪要|方案|规定|总结"
                          r"|情况|简报)$")


def find_title_line(lines: list[str]) -> int | None:
    """Index of a title line among the header lines (not a section heading such as 一、…情况), or None.

    Example: ["东坝村关于产业奖补资金发放情况的公示", "为支持…。"] -> 0; ["一、党组履行整改责任情况"] -> None.
    """
    for k, line in enumerate(lines[:_HEAD_LINES]):
        if _TITLE_WORDS.match(fold(line)) and heading_level(line.lstrip("•·● ")) is None:
            return k
    return None
