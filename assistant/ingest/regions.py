"""China's administrative divisions (province / city / county) from the adcode table shipped in the `cpca` wheel.

Only the CSV is read (cpca's own module, which loads pandas, is never imported). Used to give each notice its
region and to spot place names in questions.
"""
from __future__ import annotations

import csv
import importlib.util
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..lexicon import ethnic_groups

_PROVINCE_SUFFIX = re.compile(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$")
_CITY_SUFFIX = re.compile(r"(市|地区|盟)$")
_GROUPINGS = frozenset(("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "城区", "郊区", "矿区"))


@dataclass(frozen=True)
class Place:
    code: str  # 12-digit adcode
    name: str

    @property
    def level(self) -> str:
        """'province' / 'city' / 'county'. Example: Place('610802000000', '榆阳区').level -> 'county'."""
        if self.code[2:] == "0" * 10:
            return "province"
        if self.code[4:] == "0" * 8:
            return "city"
        return "county"


def short_name(place: Place) -> str:
    """Name without its administrative suffix when that leaves 2+ characters.

    Example: 陕西省 -> 陕西; 达州市 -> 达州; 榆阳区 -> 榆阳区 (counties keep theirs: 安定 is a common word).
    """
    if place.level == "province":
        s = _PROVINCE_SUFFIX.sub("", place.name)
    elif place.level == "city":
        s = _CITY_SUFFIX.sub("", place.name)
    else:
        return place.name
    return s if len(s) >= 2 else place.name


def prefecture_forms(place: Place, groups: tuple[str, ...]) -> tuple[str, ...]:
    """How an autonomous prefecture is usually written: its name before the 民族 it is named after, with and
    without 州. Example: 凉山彝族自治州 -> (凉山州, 凉山); 黔西南布依族苗族自治州 -> (黔西南州, 黔西南); others -> ()."""
    if place.level != "city" or not place.name.endswith("自治州"):
        return ()
    alt = "|".join(sorted(groups, key=len, reverse=True))
    m = re.fullmatch(rf"([\u4e00-\u9fff]{{2,}}?)(?:{alt})+自治州", place.name) if alt else None
    return (m.group(1) + "州", m.group(1)) if m else ()


def _adcode_csv() -> Path:
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the cpca package (adcode table) is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "resources" / "adcodes.csv"


class Gazetteer:
    """Lookup of places by name. Build once and pass around (no module-level state)."""

    def __init__(self, places: list[Place], ethnic_groups: tuple[str, ...] = ()) -> None:
        self.places = places
        self.by_code = {p.code: p for p in places}
        self.ethnic_groups = ethnic_groups

    @classmethod
    def load(cls, path: Path | None = None) -> "Gazetteer":
        path = path or _adcode_csv()
        with open(path, encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        # adcode rows such as 县 (500200) or 市辖区 are statistical groupings, not places anyone names
        return cls([Place(r["adcode"], r["name"]) for r in rows if r.get("adcode") and len(r.get("name") or "") >= 2
                    and r["name"] not in _GROUPINGS], ethnic_groups())

    @cached_property
    def _names(self) -> dict[str, list[Place]]:
        out: dict[str, list[Place]] = {}
        for p in self.places:
            for n in {p.name, short_name(p)}:
                out.setdefault(n, []).append(p)
        for p in self.places:  # 凉山州, 凉山; not 海南 for 海南藏族自治州 (海南省's name)
            for n in prefecture_forms(p, self.ethnic_groups):
                if n not in out:
                    out[n] = [p]
        return out

    @cached_property
    def _pattern(self) -> re.Pattern[str]:
        names = sorted(self._names, key=len, reverse=True)
        return re.compile("|".join(re.escape(n) for n in names))

    def parents(self, place: Place) -> tuple[Place | None, Place | None]:
        """(province, city) of a place. Example: 榆阳区 -> (陕西省, 榆林市)."""
        prov = self.by_code.get(place.code[:2] + "0" * 10)
        city = self.by_code.get(place.code[:4] + "0" * 8) if place.level == "county" else None
        return prov, city

    def find(self, text: str) -> list[Place]:
        """Places named in text, in order, longest name first at each position; ambiguous names give all."""
        found: list[Place] = []
        for m in self._pattern.finditer(text):
            found.extend(self._names[m.group(0)])
        return found

    def mentions(self, text: str) -> list[tuple[str, list[Place]]]:
        """(surface form, candidate places) for each place name in text."""
        return [(m.group(0), self._names[m.group(0)]) for m in self._pattern.finditer(text)]

    def resolve(self, anchor: str, context: str = "") -> dict[str, str | None]:
        """Province / city / county of the most specific place named in `anchor` (e.g. an issuer).

        Ambiguous county names are settled by the provinces and cities the `context` mentions.
        Example: resolve("中共榆阳区红石桥乡委员会") -> {province: 陕西省, city: 榆林市, county: 榆阳区}.
        """
        out: dict[str, str | None] = {"province": None, "city": None, "county": None}
        cands = self.find(anchor)
        if not cands:
            return out
        order = {"county": 0, "city": 1, "province": 2}
        # the context is scanned only when the anchor's place is ambiguous (a long text costs a full scan)
        ctx_codes = [p.code for p in self.find(context)] if context and len(cands) > 1 else []

        def support(p: Place) -> int:
            return sum(1 for c in ctx_codes if c[:2] == p.code[:2]) + sum(1 for c in ctx_codes if c[:4] == p.code[:4])

        best = min(cands, key=lambda p: (order[p.level], -support(p), p.code))
        return self._region_of(best)

    def _region_of(self, place: Place) -> dict[str, str | None]:
        out: dict[str, str | None] = {"province": None, "city": None, "county": None}
        prov, city = self.parents(place)
        out[place.level] = place.name
        if prov is not None:
            out["province"] = prov.name
        if city is not None:
            out["city"] = city.name
        return out

    def infer(self, text: str, lead: int = 300) -> dict[str, str | None]:
        """The region a text is about when its title and issuer name none: the one city (地级市) the places it
        names point to, counted as distinct places (the city itself or its counties; names that several places
        share are left out). Given only when at least two distinct places point to it, no rival city has more
        than half as many, and one of them is named in the text's first `lead` characters (a national news item
        that later lists two districts of one city is not about that city). A report naming 汉滨区, 岚皋县 and
        白河县 is about 安康市; one naming three cities of three provinces is about none. A text whose places
        spread over several cities of one province (two or more places, the province's own name not counted)
        gets the province alone. Linear in the text.

        Example: infer("我市汉滨区大河镇…岚皋县…白河县…") -> {province: 陕西省, city: 安康市, county: None}.
        """
        out: dict[str, str | None] = {"province": None, "city": None, "county": None}
        places: dict[str, Place] = {}
        lead_codes: set[str] = set()
        for m in self._pattern.finditer(text):
            ps = self._names[m.group(0)]
            if len(ps) == 1:
                places[ps[0].code] = ps[0]
                if m.start() < lead:
                    lead_codes.add(ps[0].code)
        by_city: dict[str, int] = {}
        by_prov: dict[str, int] = {}
        for code, p in places.items():
            if p.level != "province":  # a province's own name says little: 广东省 in "广东省佛山市的企业"
                by_prov[code[:2]] = by_prov.get(code[:2], 0) + 1
                by_city[code[:4]] = by_city.get(code[:4], 0) + 1
        for counts, pad in ((by_city, 8), (by_prov, 10)):
            ranked = sorted(counts.items(), key=lambda kv: -kv[1])
            if ranked and ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[1][1] * 2 <= ranked[0][1]) \
                    and any(c.startswith(ranked[0][0]) for c in lead_codes):
                home = self.by_code.get(ranked[0][0] + "0" * pad)
                if home is not None:
                    return self._region_of(home)
        return out
