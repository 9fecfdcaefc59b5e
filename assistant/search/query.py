"""Question terms for search and coverage, repaired against the index's own vocabulary.

Typos one character from an indexed term are corrected; a Chinese token the index has never seen that is a
segmentation artefact of the question (多少名村 -> 名村) is replaced by its characters the index knows; English
words are mapped to the index's Chinese words by search/english.py (the others are left out).
"""
from __future__ import annotations

import re

from ..text import STOPWORDS, Tokenizer, VocabCorrector, fold, has_cjk
from .english import EnglishTerms
from .scoring import Idf

# Measure words and place suffixes that jieba glues onto a neighbour in questions (多少名村, 红石桥乡种)
_GLUE = set("名个户亩套家所只头人次项条件乡镇村区县市省几")


# "百分之多少 / 百分之几": the unit asked (%), not a word a passage holds
_PERCENT_ASKED = re.compile(r"百分之(?=多少|几)")
# "规模有多大?", "判了多长时间?", "离县城多远?": how + an adjective asks for a figure, as 多少 does; its words are no
# terms a sentence must hold (jieba cuts 有多大 into 多 / 大, 多长时间 into 多长 / 长时间). Not 很多大型 (很 before 多)
_HOW_ASKED = re.compile(r"(?<![很许诸众较更最太好繁])多(?:大|长|高|远|久|重|宽|深|厚|快)(?:时间)?"
                        r"(?=$|[?？。!！,，、的呢吗了啊呀]|程度|时间|年纪|岁数)")


class QueryTerms:
    """Built once per index: the tokenizer, the index's document frequencies and a typo corrector over them."""

    def __init__(self, tokenizer: Tokenizer, idf: Idf, names: tuple[str, ...] = ()) -> None:
        self.tokenizer = tokenizer
        self.idf = idf
        self.corrector = VocabCorrector(idf.df)
        self.english = EnglishTerms(idf.df, names=names)

    def __call__(self, question: str) -> list[str]:
        """Example: "滕退旧宅" over an index that has 腾退 -> ["腾退", "旧宅"]; "完成了百分之多少" -> ["完成"] (百分之
        names the unit asked, which notices write as %, and question.asked_unit reads it)."""
        out: list[str] = []
        for t in self.tokenizer.query_tokens(_HOW_ASKED.sub(" ", _PERCENT_ASKED.sub("", question))):
            fixed = self.corrector.correct(t)
            if fixed:
                out.append(fixed)
            elif t in self.idf.df:
                out.append(t)
            elif t.isascii() and t.isalpha():
                continue
            elif has_cjk(t) and len(t) >= 2 and (not self.tokenizer.is_noun(t) or t[0] in _GLUE or t[-1] in _GLUE):
                out.extend(ch for ch in t if ch in self.idf.df and ch not in STOPWORDS)
            elif (pieces := self.resegment(t)):
                out.extend(pieces)
            else:
                out.append(t)
        if re.search(r"[a-zA-Z]{2,}", question):
            for t in self.english.translate(question):
                if t in self.idf.df:
                    out.append(t)
                else:  # a place name jieba splits (红石桥乡): its own words, and the name for place checks
                    out += [t, *(w for w in self.tokenizer.tokens(t) if w in self.idf.df and len(w) >= 2)]
        return list(dict.fromkeys(out))

    def corrected(self, question: str) -> str:
        """The question with each word the index has never seen and the corrector reads as a same-sound typo of an
        indexed word written as that word, longest first; what `__call__` searches for, as text, so that a place
        name with a typo is read as the notice's (钧川镇 -> 均川镇, 叶堂镇 -> 叶塘镇). Example: "钧川镇有多少个问题"
        over an index that has 均川镇 -> "均川镇有多少个问题"."""
        # not the question words (多大 is no typo of 多答)
        fixes = {t: f for t in self.tokenizer.query_tokens(_HOW_ASKED.sub(" ", question))
                 if (f := self.corrector.correct(t))}
        for t in sorted(fixes, key=len, reverse=True):
            question = question.replace(t, fixes[t])
        return question

    def in_context(self, question: str, terms: list[str], texts: list[str]) -> list[str]:
        """An English question's terms with each word's translation chosen by the passages retrieved for it: of a
        word's dictionary translations, the one most of `texts` hold (the multilingual dense search reads English
        well; the dictionary's first sense may not be the notices' word). Other questions' terms are unchanged.

        Example: "inspect" -> 核查 by the dictionary's order; 巡视 (another of its translations) when the top
        passages say 巡视 and not 核查. A word none of whose translations they hold is left out (at most a third
        of the words): "team" -> 团队, which a notice's 巡察组 never writes."""
        if not re.search(r"[a-zA-Z]{2,}", question) or not texts:
            return terms
        out = list(terms)
        texts = [fold(t) for t in texts]  # traditional passages (穩定) hold the simplified words (稳定)
        cut: list[list[str]] = []

        def tokens() -> list[list[str]]:  # the passages' words, cut once and only when a one-character word asks
            if not cut:
                cut.extend(self.tokenizer.tokens(t) for t in texts)
            return cut
        unheld = []
        for alts in self.english.alternatives(question):
            if alts[0] not in out:
                continue
            # a one-character translation replaces a longer one only where it ends a word (网 of 扶贫网, a kind of
            # 网), not inside one (处 of 处分); among one-character translations any occurrence counts
            held = [sum(a in t for t in texts) if len(a) > 1 or len(alts[0]) == 1 else
                    sum(any(w.endswith(a) for w in words) for words in tokens()) for a in alts]
            if not any(held):
                unheld.append(alts[0])
                continue
            best = max(range(len(alts)), key=lambda i: (held[i], -i))
            if best and held[best] > held[0] and alts[best] not in out:
                out[out.index(alts[0])] = alts[best]
        # a word none of whose translations the retrieved passages hold is likely mistranslated (bureau: 办公室 for
        # the notices' 局): not counted against them, as long as most of the question's words are held
        if unheld and len(unheld) * 3 <= len(out):
            out = [t for t in out if t not in unheld]
        return out

    def resegment(self, token: str) -> list[str]:
        """An unseen token of 3+ characters that jieba cut across two words of the index ("婺城文旅体局" -> 婺城文,
        旅体局) written as the index's own words: the split into indexed words with the fewest pieces, at most one of
        them a single character. [] when there is none (a real unknown word is kept, so the gate can name it).

        Example: over an index with 婺城 and 文: "婺城文" -> ["婺城", "文"]."""
        n = len(token)
        if n < 3 or not has_cjk(token):
            return []
        # best[i]: (pieces, single characters used, split) for token[:i]; O(n^2) lookups for a token of n characters
        best: list[tuple[int, int, list[str]] | None] = [None] * (n + 1)
        best[0] = (0, 0, [])
        for i in range(1, n + 1):
            for j in range(max(0, i - 8), i):
                w = token[j:i]
                if best[j] is None or w not in self.idf.df or (len(w) == 1 and w in STOPWORDS):
                    continue
                cand = (best[j][0] + 1, best[j][1] + (len(w) == 1), best[j][2] + [w])
                if best[i] is None or cand[:2] < best[i][:2]:
                    best[i] = cand
        got = best[n]
        if got is None or got[0] < 2 or got[1] > 1:
            return []
        return got[2]

    def expansions(self, question: str) -> list[str]:
        """Words for BM25 recall only: the other dictionary translations of an English question's words."""
        return self.english.expansions(question) if re.search(r"[a-zA-Z]{2,}", question) else []
