"""Reading and cleaning notices as published on the web, and extracting their metadata.

`decode` and the cleaning functions are pure; `load_corpus` is the one edge that reads files.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CorpusError
from .regions import Gazetteer
from ..types import Notice, content_hash

log = logging.getLogger(__name__)

# Lines that are web furniture, not the notice.
_LEFTOVER = re.compile(
    r"(网站地图|版权所有|ICP备|公网安备|网站标识码|责任编辑|网友评论|^\d+条评论$|^主办单位|^主管[:：]|"
    r"^打印本页|^关闭窗口|^分享到|^【字体|^扫一扫|^上一篇|^下一篇|^相关链接)"
)
# `来 源: | 达州市人民政府办公室 | 文 号: | 达市府办函〔2019〕30号 |`
_HEADER_ROW = re.compile(r"^来\s*源\s*[:：]\s*\|(?P<src>[^|]*)\|(?:\s*文\s*号\s*[:：]\s*\|(?P<num>[^|]*)\|)?")
# `2019-05-20 19:40:36 | 来源:中央纪委国家监委网站`
_PUB_LINE = re.compile(r"^(?P<date>\d{4}-\d{1,2}-\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*(?:\|\s*来源[:：]\s*(?P<src>.+))?$")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,200}>")
# `a@b.com">a@b.com">a@b.com` -> `a@b.com`
_HTML_ATTR_REPEAT = re.compile(r'([^\s">]+)(?:">\1)+')
_DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_TITLE_LINE = re.compile(r"^[^。，,:：;；]{6,60}(通报|通知|意见|公告|报告|决定|办法)$")

# Minimum size of a repeated run of lines treated as a duplicated body (not a repeated phrase).
_DUP_MIN_LINES = 5
_DUP_MIN_CHARS = 500


@dataclass
class Cleaned:
    """Result of cleaning one published file: body lines and what the header said."""

    lines: list[str]
    title: str | None = None
    source: str | None = None
    doc_number: str | None = None
    pub_date: str | None = None
    dropped: list[str] = field(default_factory=list)


def decode(data: bytes, name: str = "<bytes>") -> str:
    """Decode UTF-8 (with or without BOM) or GB18030/GBK. Raises CorpusError naming the file otherwise.

    Example: decode("通报".encode("gbk")) -> "通报".
    """
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "gb18030" and _mostly_unprintable(text):
            break
        return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ")
    raise CorpusError(f"无法识别文件编码(应为 UTF-8 或 GBK/GB18030):{name}", f"cannot decode {name}")


def _mostly_unprintable(text: str) -> bool:
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\n\r\t") or 0xE000 <= ord(ch) <= 0xF8FF)
    return bad > max(3, len(text) // 50)


def clean_lines(raw: str) -> Cleaned:
    """Drop web leftovers, lift header rows into metadata, strip HTML fragments, drop a repeated body.

    Example: "来 源: | X办 | 文 号: | X〔2019〕1号 |\\n正文。" -> lines ["正文。"], source "X办".
    """
    out = Cleaned(lines=[])
    for i, line in enumerate(raw.split("\n")):
        line = line.strip()
        if not line:
            continue
        m = _HEADER_ROW.match(line)
        if m:
            out.source = m.group("src").strip() or None
            out.doc_number = (m.group("num") or "").strip() or None
            continue
        m = _PUB_LINE.match(line)
        if m:
            y, mo, d = m.group("date").split("-")
            out.pub_date = f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"
            out.source = (m.group("src") or "").strip() or out.source
            continue
        if _LEFTOVER.search(line):
            out.dropped.append(line)
            continue
        line = _HTML_ATTR_REPEAT.sub(r"\1", _HTML_TAG.sub("", line)).strip()
        if not line:
            continue
        if not out.lines and out.title is None and _TITLE_LINE.match(line) and i < 3:
            out.title = line
            continue
        out.lines.append(line)
    out.lines = drop_repeated_body(out.lines)
    return out


def drop_repeated_body(lines: list[str]) -> list[str]:
    """Remove a long run of lines that repeats an earlier run (a body published twice); keep the first copy.

    Example: [a, b, c, d, e, f, a, b, c, d, e, f] (long lines) -> [a, b, c, d, e, f].
    """
    lines = list(lines)
    changed = True
    while changed:
        changed = False
        first_seen: dict[str, int] = {}
        for i, line in enumerate(lines):
            j = first_seen.get(line)
            if j is None:
                first_seen[line] = i
                continue
            n = 0
            while i + n < len(lines) and j + n < i and lines[j + n] == lines[i + n]:
                n += 1
            if n >= _DUP_MIN_LINES and sum(len(x) for x in lines[i:i + n]) >= _DUP_MIN_CHARS:
                del lines[i:i + n]
                changed = True
                break
    return lines


# ---------------------------------------------------------------- metadata

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
_TOWNSHIP = re.compile(r"([\u4e00-\u9fa5]{2,6}?(?:乡|镇|街道))(?:委员会|人民政府|党委|办事处)")


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


def build_notice(path_name: str, raw: str, gaz: Gazetteer) -> Notice:
    """Clean one published notice and extract its metadata (pure: no I/O)."""
    c = clean_lines(raw)
    if not c.lines:
        raise CorpusError(f"通报文件没有正文:{path_name}", f"no text in {path_name}")
    text = "\n".join(c.lines)
    issuer, sig_date, _ = find_signature(c.lines)
    if issuer is None and c.source and "网" not in c.source:
        issuer = c.source
    if issuer is None:
        issuer = derive_issuer(text, gaz)
    title = c.title or derive_title(text, issuer)
    region = gaz.resolve(issuer or title, text)
    if region["province"] is None:
        region = gaz.resolve(title, text)
    township = None
    if issuer:
        m = _TOWNSHIP.search(issuer.replace(region.get("county") or "\0", " "))
        township = m.group(1).strip() if m else None
    return Notice(
        id=content_hash(text),
        path=path_name,
        title=title,
        issuer=issuer or "",
        date=sig_date or c.pub_date,
        province=region["province"],
        city=region["city"],
        county=region["county"],
        township=township,
        doc_number=c.doc_number,
        source=c.source,
        text=text,
    )


def load_corpus(corpus_dir: Path, gaz: Gazetteer) -> list[Notice]:
    """Read every *.txt under corpus_dir; the same cleaned text is kept once. Raises CorpusError when unusable."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise CorpusError(f"找不到通报目录:{corpus_dir}", f"corpus_dir does not exist: {corpus_dir}")
    files = sorted(p for p in corpus_dir.glob("*.txt") if p.is_file())
    if not files:
        raise CorpusError(f"通报目录中没有 .txt 文件:{corpus_dir}", f"no *.txt in {corpus_dir}")
    notices: dict[str, Notice] = {}
    for f in files:
        try:
            raw = decode(f.read_bytes(), f.name)
            n = build_notice(f.name, raw, gaz)
        except CorpusError as e:
            log.warning("skipping %s: %s", f.name, e.detail or e)
            continue
        if n.id in notices:
            log.warning("%s has the same text as %s; indexed once", f.name, notices[n.id].path)
            continue
        notices[n.id] = n
    if not notices:
        raise CorpusError(f"通报目录中没有可用的通报:{corpus_dir}", f"no readable notice in {corpus_dir}")
    return list(notices.values())
