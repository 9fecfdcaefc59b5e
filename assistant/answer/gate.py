"""Abstention rules: when the retrieved passages cannot answer the question at all, say so instead of quoting.

A question abstains when a place it names occurs in no notice, when a key noun of it occurs nowhere in the
index, or when the best passages cover too little of its terms (IDF-weighted).
"""
from __future__ import annotations

import re

from ..lexicon import synonyms
from ..question import QuestionInfo, place_forms
from ..search.index import IndexData, indexed_text
from ..search.scoring import Idf, coverage, term_groups
from ..search.substrings import Substrings
from ..search.tokensets import LEAD_CHARS
from ..text import Tokenizer, fold, has_cjk, normalise, sound, strip_ruby
from ..types import Hit


def _reads_alike(text: str) -> bool:
    """Does the tokenizer read the folded text as it reads the text? Tokenizer.tokens folds anyway, so nearly
    always; not when folding makes a pinyin annotation of what was not one. Example: "易地搬遷" -> True;
    "省發（Fā）改委" -> False (its capital F is folded to lower case first)."""
    return normalise(strip_ruby(fold(text))) == normalise(strip_ruby(text))


def passage_tokens(hits: list[Hit], data: IndexData, tok: Tokenizer, wanted: set[str], depth: int = 3
                   ) -> tuple[set[str], str]:
    """Which of the `wanted` tokens the folded indexed text (title, heading path, passage) of the first `depth`
    hits and their notices' openings hold, and that folded text: "市委第二巡察组对民和镇党委开展了巡察" says
    which town a passage of that notice is about.

    Nothing is tokenised again when the build holds the tokens: a passage's are read from the BM25 matrix
    (IndexData.tokens_held: the tokenizer's tokens of its indexed text, the same as of the folded text when
    `_reads_alike`), an opening's from the build's token sets (search/tokensets.py); the text and its opening are
    joined by a newline, where jieba's words always end, so the tokens of the whole are the two sets together."""
    out: set[str] = set()
    texts = []
    pos, sets = data.position, data.token_sets
    for h in hits[:depth]:
        n = data.notice_of(h.passage)
        it = indexed_text(n, h.passage)
        lead = fold(n.text[:LEAD_CHARS])
        texts.append(fold(it) + "\n" + lead)  # fold works character by character: fold(it + "\n" + opening)
        row = pos.get(h.passage.id)
        if row is not None and _reads_alike(it):
            out |= data.tokens_held(row, wanted)
        else:
            out |= set(tok.tokens(fold(it))) & wanted
        got = sets.get(lead) if sets is not None else None
        out |= (got if got is not None else set(tok.tokens(lead))) & wanted
    return out, "\n".join(texts)


_TOWN_END = re.compile(r"乡|镇")
_CJK_NAME = re.compile(r"[\u4e00-\u9fff]+")


class Gate:
    """Built once per index. Whether a string occurs in any notice (title, issuer, text; folded) is looked up in
    the build's substrings (search/substrings.py), not searched for in the text of every notice per question."""

    def __init__(self, data: IndexData, tokenizer: Tokenizer, idf: Idf) -> None:
        self.data = data
        self.tokenizer = tokenizer
        self.idf = idf
        self._corpus = data.substrings if data.substrings is not None else Substrings.of_texts(
            fold(f"{n.title}\n{n.issuer}\n{n.text}") for n in data.notices.values())
        self._sounds: dict[tuple[tuple[str, ...], str], set[str]] | None = None  # `_township_sounds`, on first need
        # the regions the notices are about (read from their issuers and places at ingestion): a notice of 进贤县
        # is about 江西省 though its text never writes 江西
        self._regions = {form for n in data.notices.values() for name in (n.province, n.city, n.county) if name
                         for form in place_forms(name)}

    def _township_sounds(self) -> dict[tuple[tuple[str, ...], str], set[str]]:
        """(sound of the two or three characters before 乡/镇, the suffix) -> those names as the notices write them;
        built on first use, once per index (one pass over the notices' text)."""
        if self._sounds is None:
            sounds: dict[tuple[tuple[str, ...], str], set[str]] = {}
            for n in self.data.notices.values():
                t = fold(f"{n.title}\n{n.text}")
                for m in _TOWN_END.finditer(t):
                    for k in (2, 3):
                        name = t[m.start() - k:m.start()]
                        if len(name) == k and _CJK_NAME.fullmatch(name):
                            sounds.setdefault((sound(name), m.group(0)), set()).add(name + m.group(0))
            self._sounds = sounds
        return self._sounds

    def sounds_like(self, place: str) -> str | None:
        """The notices' township a question's township no notice writes sounds like, tones ignored, when exactly one
        does: 宣华镇 -> 宣化镇, 钧川镇 -> 均川镇 (typed by pinyin). Its last two or three characters before the suffix
        are compared (a question's township may carry a word before it). None for any other place."""
        m = re.fullmatch(r"(.*?)(乡|镇)", fold(place))
        if not m or any(form in self._corpus for form in place_forms(place)):
            return None
        for k in (3, 2):
            name = m.group(1)[-k:]
            if len(name) == k:
                found = self._township_sounds().get((sound(name), m.group(2)), set())
                if len(found) == 1:
                    return next(iter(found))
        return None

    def unknown_place(self, info: QuestionInfo) -> str | None:
        """A place the question names that no notice mentions at all, nor is about; a province or city named only
        to locate another place of the question (湖北 of 湖北随县, `QuestionInfo.qualifiers`) is not checked."""
        for pl in info.places:
            if pl in info.qualifiers:
                continue
            if not any(form in self._corpus or form in self._regions for form in place_forms(pl)):
                return pl
        return None

    def missing_term(self, qtokens: list[str]) -> str | None:
        """A key question term that no notice contains: a noun of 3+ Chinese characters (a two-character word is
        often a colloquial form: 房子 for 房屋), none of whose parts or
        field synonyms occur either, carrying at least a quarter of the question's weight (粮食产量, GDP-like
        subjects). 陕西省委 does not count: its parts 陕西省 and 省委 occur."""
        groups = term_groups(qtokens)
        total = sum(self.idf(t) for t, _ in groups)
        for t, parts in groups:
            if (t in self.idf.df or len(t) < 3 or not has_cjk(t) or not total or self.idf(t) / total < 0.25
                    or any(x in self.idf.df for x in synonyms().get(t, ()))
                    or any(u in self.idf.df for u in parts)):
                continue
            if t in self._corpus or (len(t) >= 3 and any(t[i:i + 2] in self.idf.df for i in range(len(t) - 1))
                                      and sum(t[i:i + 2] in self._corpus for i in range(len(t) - 1)) >= len(t) - 2):
                continue  # written inside longer words, or mostly present as its two-character pieces
            if self.tokenizer.is_noun(t):
                return t
        return None

    def why_not(self, info: QuestionInfo, qtokens: list[str], hits: list[Hit], min_coverage: float
                ) -> tuple[bool, str | None]:
        """(abstain?, the missing place or term when that is the reason)."""
        # coverage asks only whether each question term, or one of its synonyms, is a token of the passages
        wanted = set(qtokens) | {x for t in qtokens for x in synonyms().get(t, ())}
        tokens, text = passage_tokens(hits, self.data, self.tokenizer, wanted)
        cov = coverage(qtokens, tokens, self.idf, synonyms(), text=text)
        missing = self.unknown_place(info) or (self.missing_term(qtokens) if info.kind != "meta" else None)
        return bool(missing) or cov < min_coverage, missing
