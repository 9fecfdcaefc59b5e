"""Question terms for search and coverage, repaired against the index's own vocabulary.

Typos one character from an indexed term are corrected; a Chinese token the index has never seen that is a
segmentation artefact of the question (多少名村 -> 名村) is replaced by its characters the index knows; English
words are mapped to the index's Chinese words by search/english.py (the others are left out).
"""
from __future__ import annotations

import re

from ..text import STOPWORDS, Tokenizer, VocabCorrector, has_cjk
from .english import EnglishTerms
from .scoring import Idf

# Measure words and place suffixes that jieba glues onto a neighbour in questions (多少名村, 红石桥乡种)
_GLUE = set("名个户亩套家所只头人次项条件乡镇村区县市省几")


class QueryTerms:
    """Built once per index: the tokenizer, the index's document frequencies and a typo corrector over them."""

    def __init__(self, tokenizer: Tokenizer, idf: Idf, names: tuple[str, ...] = ()) -> None:
        self.tokenizer = tokenizer
        self.idf = idf
        self.corrector = VocabCorrector(idf.df)
        self.english = EnglishTerms(idf.df, names=names)

    def __call__(self, question: str) -> list[str]:
        """Example: "滕退旧宅" over an index that has 腾退 -> ["腾退", "旧宅"]."""
        out: list[str] = []
        for t in self.tokenizer.query_tokens(question):
            fixed = self.corrector.correct(t)
            if fixed:
                out.append(fixed)
            elif t in self.idf.df:
                out.append(t)
            elif t.isascii() and t.isalpha():
                continue
            elif has_cjk(t) and len(t) >= 2 and (not self.tokenizer.is_noun(t) or t[0] in _GLUE or t[-1] in _GLUE):
                out.extend(ch for ch in t if ch in self.idf.df and ch not in STOPWORDS)
            else:
                out.append(t)
        if re.search(r"[a-zA-Z]{2,}", question):
            for t in self.english.translate(question):
                if t in self.idf.df:
                    out.append(t)
                else:  # a place name jieba splits (红石桥乡): its own words, and the name for place checks
                    out += [t, *(w for w in self.tokenizer.tokens(t) if w in self.idf.df and len(w) >= 2)]
        return list(dict.fromkeys(out))

    def expansions(self, question: str) -> list[str]:
        """Words for BM25 recall only: the other dictionary translations of an English question's words."""
        return self.english.expansions(question) if re.search(r"[a-zA-Z]{2,}", question) else []
