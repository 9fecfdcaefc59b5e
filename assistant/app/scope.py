"""The search scope (检索范围) as staff set it: read from the controls with dates checked, and said in words —
on chips above the input and under each answer — with the undated notices a date range leaves out. Pure.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..errors import BadFilter
from ..search.retrieve import Filters
from ..types import Notice

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def staff_date(text: Any, label: str = "日期") -> str:
    """An ISO date (YYYY-MM-DD) from what staff type, "" for empty; BadFilter naming the value otherwise.
    Dates are compared as ISO text further on, so "2019/5/1" must become "2019-05-01" here, never be compared as is.

    Example: staff_date("2019/5/1") -> "2019-05-01"; staff_date("2019年5月1日") -> "2019-05-01";
    staff_date("2019-13-01", "起始日期") -> BadFilter("起始日期“2019-13-01”不是有效日期……").
    """
    raw = unicodedata.normalize("NFKC", str(text or "")).strip()
    if not raw:
        return ""
    m = _DATE.match(raw)
    try:
        if not m:
            raise ValueError(raw)
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        raise BadFilter(f"{label}“{raw}”不是有效日期,请写成 2019-05-01 这样的格式。",
                        f"{label} {raw!r} is not a date") from None


def date_range(date_from: Any, date_to: Any) -> tuple[str, str]:
    """Both ends of a date range as ISO dates; BadFilter when one is not a date or the range is reversed (the
    message says so: the notices are not to blame).

    Example: date_range("2019/5/1", "") -> ("2019-05-01", ""); date_range("2020-01-01", "2019-01-01") -> BadFilter.
    """
    a, b = staff_date(date_from, "起始日期"), staff_date(date_to, "截止日期")
    if a and b and a > b:
        raise BadFilter(f"起始日期 {a} 晚于截止日期 {b},请调换两个日期。", f"date_from {a} > date_to {b}")
    return a, b


def filters_of(notice_ids, region, date_from, date_to) -> Filters:
    """Filters from the controls; BadFilter (Chinese, naming the value) for a bad date or a reversed range.

    Example: filters_of([], "甘肃省", "2019/5/1", "") -> Filters((), "甘肃省", "2019-05-01", "").
    """
    a, b = date_range(date_from, date_to)
    return Filters(tuple(notice_ids or ()), (region or "").strip(), a, b)


@dataclass(frozen=True)
class ScopeSummary:
    in_scope: int  # notices the question is searched in
    total: int
    undated_left_out: int  # notices that pass the other filters but have no date, with a date range set
    parts: tuple[str, ...]  # one phrase per active filter, e.g. "地区:甘肃省"
    text: str  # one sentence for the answer, "" when every notice is searched


def summarise(f: Filters, notices: list[Notice]) -> ScopeSummary:
    """Example: region 甘肃省 over five notices, one of them about 甘肃 ->
    ScopeSummary(1, 5, 0, ("地区:甘肃省",), "仅在甘肃省的通报中查找(1 份)。")."""
    total = len(notices)
    if not f.active:
        return ScopeSummary(total, total, 0, (), "")
    in_scope = sum(1 for n in notices if f.allows(n))
    undated = 0
    if f.date_from or f.date_to:
        no_dates = Filters(f.notice_ids, f.region)
        undated = sum(1 for n in notices if not n.date and no_dates.allows(n))
    parts, quals = [], []
    base = "通报"
    if f.notice_ids:
        titles = [n.title for n in notices if n.id in f.notice_ids]
        parts.append(f"通报:{len(f.notice_ids)} 份")
        base = (f"选定的 {len(f.notice_ids)} 份通报(" + "、".join(f"《{t}》" for t in titles[:3])
                + ("等" if len(titles) > 3 else "") + ")")
    if f.region:
        parts.append(f"地区:{f.region}")
        quals.append(f.region)
    if f.date_from or f.date_to:
        span = (f"{f.date_from} 至 {f.date_to}" if f.date_from and f.date_to else
                f"{f.date_from} 以后" if f.date_from else f"{f.date_to} 以前")
        parts.append(f"日期:{span}")
        quals.append(f"日期在 {span}")
    text = "仅在" + ("、".join(quals) + "的" if quals else "") + base + f"中查找({in_scope} 份)。"
    if undated:
        text += f"另有 {undated} 份通报未注明日期,设了日期范围时不在查找范围内。"
    return ScopeSummary(in_scope, total, undated, tuple(parts), text)


@dataclass(frozen=True)
class Coverage:
    """What the notices cover, for the first screen."""

    count: int
    issuers: tuple[str, ...]
    regions: tuple[str, ...]
    years: tuple[int, ...]
    undated: int


def coverage(notices: list[Notice]) -> Coverage:
    """Example: five notices of 2019-2021 (one undated) -> Coverage(5, (...), ("陕西省", ...), (2019, 2021), 1)."""
    issuers = tuple(dict.fromkeys(n.issuer for n in notices if n.issuer))
    regions = tuple(dict.fromkeys(n.region for n in notices if n.region))
    years = tuple(sorted({int(n.date[:4]) for n in notices if n.date and n.date[:4].isdigit()}))
    return Coverage(len(notices), issuers, regions, years, sum(1 for n in notices if not n.date))


def region_choices(notices: list[Notice]) -> list[tuple[str, str]]:
    """The region list of the scope panel: 全部地区 first, then each province, city, county and township named
    by a notice. Example: [("全部地区", ""), ("甘肃省", "甘肃省"), …]."""
    names = sorted({x for n in notices for x in (n.province, n.city, n.county, n.township) if x})
    return [("全部地区", "")] + [(x, x) for x in names]
