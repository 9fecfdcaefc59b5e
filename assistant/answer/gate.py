"""Abstention rules: when the retrieved passages cannot answer the question at all, say so instead of quoting.

A question abstains when a place it names occurs in no notice, when a key noun of it occurs nowhere in the
index, or when the best passages cover too little of its terms (IDF-weighted).
"""
from __future__ import annotations

from ..lexicon import synonyms
from ..question import QuestionInfo, place_forms
from ..search.index import IndexData, indexed_text
from ..search.scoring import Idf, coverage, term_groups
from ..search.substrings import Substrings
from ..text import Tokenizer, fold, has_cjk
from ..types import Hit


LEAD_CHARS = 160  # a notice's opening says who and what it is about (its 导语)


def passage_tokens(hits: list[Hit], data: IndexData, tok: Tokenizer, depth: int = 3) -> tuple[set[str], str]:
    """Tokens and folded text of the indexed text (title, heading path, passage) of the first `depth` hits, with
    their notices' openings: "市委第二巡察组对民和镇党委开展了巡察" says which town a passage of that notice is about."""
    out: set[str] = set()
    texts = []
    for h in hits[:depth]:
        n = data.notice_of(h.passage)
        t = fold(indexed_text(n, h.passage) + "\n" + n.text[:LEAD_CHARS])
        out |= set(tok.tokens(t))
        texts.append(t)
    return out, "\n".join(texts)


class Gate:
    """Built once per index. Whether a string occurs in any notice (title, issuer, text; folded) is looked up in
    the build's substrings (search/substrings.py), not searched for in the text of every notice per question."""

    def __init__(self, data: IndexData, tokenizer: Tokenizer, idf: Idf) -> None:
        self.data = data
        self.tokenizer = tokenizer
        self.idf = idf
        self._corpus = data.substrings if data.substrings is not None else Substrings.of_texts(
            fold(f"{n.title}\n{n.issuer}\n{n.text}") for n in data.notices.values())

    def unknown_place(self, info: QuestionInfo) -> str | None:
        """A place the question names that no notice mentions at all."""
        for pl in info.places:
            if not any(form in self._corpus for form in place_forms(pl)):
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
        tokens, text = passage_tokens(hits, self.data, self.tokenizer)
        cov = coverage(qtokens, tokens, self.idf, synonyms(), text=text)
        missing = self.unknown_place(info) or (self.missing_term(qtokens) if info.kind != "meta" else None)
        return bool(missing) or cov < min_coverage, missing
