"""The field's word lists, read from data files in assistant/data/ (each entry says where it came from):

- places_en.tsv: official English names of the provincial-level divisions;
- field_words.tsv: words jieba keeps whole;
- synonyms.tsv: field synonym groups;
- furniture.tsv: patterns of web furniture lines;
- ethnic_groups.tsv: the 56 民族, to read the names of autonomous prefectures (凉山彝族自治州 -> 凉山州).

Files are read on first use and kept (they are read-only data); nothing is read at import.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files


@lru_cache(maxsize=None)
def table(name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of a tab-separated data file, without comment (#) and blank lines.

    Example: table("synonyms.tsv")[0] -> ("旧宅,旧房,旧宅基地,宅基地", "used by dev questions …").
    """
    text = files("assistant").joinpath("data", name).read_text(encoding="utf-8")
    return tuple(tuple(line.split("\t")) for line in text.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=None)
def field_words() -> tuple[str, ...]:
    """Example: "易地扶贫搬迁" in field_words() -> True."""
    return tuple(row[0] for row in table("field_words.tsv"))


@lru_cache(maxsize=None)
def ethnic_groups() -> tuple[str, ...]:
    """Example: "彝族" in ethnic_groups() -> True."""
    return tuple(row[0] for row in table("ethnic_groups.tsv"))


@lru_cache(maxsize=None)
def synonyms() -> dict[str, tuple[str, ...]]:
    """Each term of a group -> the other terms of its groups. Example: synonyms()["旧宅"] -> ("旧房", "旧宅基地", "宅基地")."""
    out: dict[str, tuple[str, ...]] = {}
    for row in table("synonyms.tsv"):
        group = row[0].split(",")
        for w in group:
            out[w] = tuple(dict.fromkeys(out.get(w, ()) + tuple(x for x in group if x != w)))
    return out


@lru_cache(maxsize=None)
def furniture_patterns() -> tuple[str, ...]:
    """Regular expressions of web furniture lines. Example: "网站地图" in furniture_patterns() -> True."""
    return tuple(row[0] for row in table("furniture.tsv"))


@lru_cache(maxsize=None)
def furniture_rules() -> tuple[tuple[str, str], ...]:
    """(pattern, where) of web furniture; where is "line" or "tail" (see data/furniture.tsv).

    Example: ("网站地图", "line") in furniture_rules() -> True.
    """
    return tuple((row[0], row[1]) for row in table("furniture.tsv"))


@lru_cache(maxsize=None)
def confidence_model() -> dict:
    """The short-answer confidence model: logistic weights over the answer stage's features and the threshold
    above which a short answer is stated, with where they were fitted (data/confidence.json)."""
    return json.loads(files("assistant").joinpath("data", "confidence.json").read_text(encoding="utf-8"))
