"""Text utilities: folding and normalisation, jieba tokens for BM25, sentences, figures and dates.

`Tokenizer` owns its jieba instance (no global jieba state); everything else is a pure function.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .lexicon import field_words, synonyms

_PUNCT = re.compile(r"^[\W_]+$", re.UNICODE)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_UNIT_TOKEN = re.compile(r"^(万|亿|千|百)(户|人|元|亩|个|名|间|套|所|家|公里|平方米)$")
STOPWORDS = frozenset(
    "的 了 是 在 有 和 与 及 等 也 都 就 对 把 被 为 以 于 从 这 那 其 之 中 上 下 吗 呢 吧 啊 呀 么 "
    "多少 几 几个 什么 哪些 哪个 哪里 哪 怎么 怎样 如何 是否 有没有 请问 一下 情况 问题 关于 我们 你们 他们 "
    "请 说说 告诉 给 查 查询 一共 总共 共计 共 总计 啥 啥时候 里 那个 这个 这次 那次 本身 不算 搞 弄 到底 究竟 具体 大概 大约 呢 的话 有没有 是不是 各地 地方 哪些地方 什么地方 谁 由谁 时候 何时 哪天 哪年 多久 日期 意思 含义 名字 叫 "
    "我 想 知道 帮 帮我 我查 帮忙 麻烦 问 问下 问问 数量 人数 户数 件数 次数 个数 "
    "what which who whom when where why how many much the a an of in on at to for by is are was were be been "
    "do does did and or with from that this these those it its as please tell me about there".split()
)


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """Per-character folding: traditional -> simplified (OpenCC's TSCharacters table, shipped in the
    opencc-python-reimplemented wheel; the first simplified form of each character), then NFKC and lower case
    where they give exactly one character (full-width digits and letters, ideographic space)."""
    from importlib.resources import files
    table: dict[int, str] = {}
    ts = files("opencc").joinpath("dictionary/TSCharacters.txt").read_text(encoding="utf-8")
    for line in ts.splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and len(parts[0]) == 1 and parts[1].split() and len(parts[1].split()[0]) == 1:
            table[ord(parts[0])] = parts[1].split()[0]
    for cp in list(range(0x3000, 0x3001)) + list(range(0xFF01, 0xFF5F)) + list(range(ord("A"), ord("Z") + 1)):
        c = unicodedata.normalize("NFKC", chr(cp)).lower()
        if len(c) == 1:
            table[cp] = c
    return table


@lru_cache(maxsize=1)
def _simplify_table() -> dict[int, str]:
    """Traditional-only characters -> their first simplified form (OpenCC's TSCharacters, less the characters that
    STCharacters also lists as simplified ones: 乾 of 乾隆 stays)."""
    from importlib.resources import files
    simple = {line.split("\t", 1)[0] for line in
              files("opencc").joinpath("dictionary/STCharacters.txt").read_text(encoding="utf-8").splitlines()}
    return {cp: ch for cp, ch in _fold_table().items()
            if ch != chr(cp) and _CJK_IDEOGRAPH.match(chr(cp)) and chr(cp) not in simple}


_CJK_IDEOGRAPH = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
TRADITIONAL_MIN = 3  # traditional-only characters that make a text one written in traditional characters


def simplified(text: str) -> str:
    """A text written in traditional characters (at least TRADITIONAL_MIN traditional-only characters, and at least
    one in fifty of its characters), in simplified characters, the same length; any other text unchanged (a
    simplified notice quoting a 乾 or a 後 is embedded as written). What the embedding model reads: it matches a
    simplified or English question to a notice better in the script most of its training text is written in.
    Example: simplified("易地扶貧搬遷民眾475.98萬人實現就業") -> "易地扶贫搬迁民众475.98万人实现就业";
    simplified("乾隆年间") -> "乾隆年间"."""
    table = _simplify_table()
    n = sum(1 for ch in text if ord(ch) in table)
    if n < TRADITIONAL_MIN or n * 50 < len(text):
        return text
    return text.translate(table)


def fold(text: str) -> str:
    """A length-preserving comparison form: traditional characters simplified, full-width folded, lower case.
    `fold(t)[i]` corresponds to `t[i]`, so spans found in the folded text are spans of the original.

    Example: fold("易地搬遷１.13萬戶") -> "易地搬迁1.13万户".
    """
    if len(text) > _CACHE_MAX_CHARS:
        return _fold_long(text)
    return _fold_cached(text)


@lru_cache(maxsize=32)
def _fold_long(text: str) -> str:
    """Whole notices are folded once per question and sentence: keep the last few (a str caches its hash, so a
    lookup of the same notice text costs no rehashing)."""
    return text.translate(_fold_table())


COMMON_FREQ = 40  # jieba dictionary count from which a word is everyday: 返乡 49, 城镇 2194; 关镇 8, 口镇 4
_CACHE_MAX_CHARS = 2000  # longer texts are not kept by the caches below (they bound memory, not correctness)


@lru_cache(maxsize=65536)
def _fold_cached(text: str) -> str:
    """The same sentences are folded for question after question: keep the most recent ones."""
    return text.translate(_fold_table())


def as_written(text: str, m: re.Match[str], g: int | str = 0) -> str:
    """Group g of a match found on fold(text), as `text` writes it ("" when the group is unset): fold keeps
    lengths, so the match's span is the same in both. Example: for m = re.search("来源:(.+)", fold("來源:某縣")),
    as_written("來源:某縣", m, 1) -> "某縣"."""
    s, e = m.span(g)
    return text[s:e] if s >= 0 else ""


def normalise(text: str) -> str:
    """NFKC, lower case, full-width punctuation folded, traditional characters simplified.
    Example: "ＧＤＰ？" -> "gdp?"; "萬戶" -> "万户"."""
    return unicodedata.normalize("NFKC", fold(text)).lower()


# Chinese digits as a year or a date line writes them (二〇一九年, 二零二三年), read as numbers
CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0, "0": 0}
# parts of a year a figure may be reported for: quarters and halves (calendar words, any report's)
_PERIOD = re.compile(r"第?([一二三四1-4])季度|前([二三两2-3])季度|上半年|下半年")
_PERIOD_DIGIT = {"1": "一", "2": "二", "3": "三", "4": "四", "两": "二"}


def time_periods(text: str) -> tuple[str, ...]:
    """The quarters and halves of a year a text names, written alike. Example: "今年第1季度…上半年" ->
    ("一季度", "上半年"); "前三季度" -> ("前三季度",)."""
    out = []
    for m in _PERIOD.finditer(text):
        if m.group(1):
            out.append(_PERIOD_DIGIT.get(m.group(1), m.group(1)) + "季度")
        elif m.group(2):
            out.append("前" + _PERIOD_DIGIT.get(m.group(2), m.group(2)) + "季度")
        else:
            out.append(m.group(0))
    return tuple(dict.fromkeys(out))


_CN_YEAR = re.compile(r"(?<![〇○零一二三四五六七八九十])([一二][〇○零一二三四五六七八九]{3})(?=年)")


def arabic_years(text: str) -> str:
    """Years written in Chinese digits as the notices write most years, in Arabic digits.
    Example: "漳县二〇一七年给了多少人处分" -> "漳县2017年给了多少人处分"; "十二年" is left alone."""
    return _CN_YEAR.sub(lambda m: "".join(str(CN_DIGIT[c]) for c in m.group(1)), text)


def squash(text: str) -> str:
    """NFKC without any whitespace: the comparison form used by evaluation. Example: "24.93 万户" -> "24.93万户"."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


TOKENIZER_VERSION = 3  # bump when `tokens` changes behaviour (2: traditional characters simplified, 3: pinyin annotations skipped)

# Pinyin a web page prints after a character to show its reading (搬遷後續(xù)): the notice keeps it as published
# (quotes are verbatim) but words are read without it. Only a syllable with a tone mark right after a Chinese
# character: "(PDF)", "(a)" and "(一)" stay.
_TONE = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹ"
_RUBY = re.compile(rf"(?<=[\u3400-\u9fff])[(（]([a-zü{_TONE}]{{1,6}})[)）]")


def strip_ruby(text: str) -> str:
    """The text without pinyin reading annotations. Linear in the text. Example: "省發(fā)改委" -> "省發改委"."""
    if "(" not in text and "（" not in text:
        return text
    return _RUBY.sub(lambda m: "" if any(ch in _TONE for ch in m.group(1)) else m.group(0), text)


class Tokenizer:
    """jieba search-mode tokens plus unit splits (24.93万户 -> 万户, 户), with the field words kept whole."""

    @staticmethod
    def signature() -> str:
        """Changes whenever indexed tokens would: the rules' version, jieba's version and the field words."""
        import hashlib
        from importlib.metadata import version
        blob = f"{TOKENIZER_VERSION}|{version('jieba')}|{'|'.join(field_words())}"
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:12]

    def __init__(self) -> None:
        self._jieba = None
        self._pos = None
        # the same sentences are tokenised and tagged for question after question: keep the most recent ones
        self._tokens_cached = lru_cache(maxsize=65536)(self._tokens)
        self._tagged_cached = lru_cache(maxsize=16384)(self._tagged)

    @property
    def jieba(self):
        if self._jieba is None:
            import jieba
            tk = jieba.Tokenizer()
            for w in field_words():
                tk.add_word(w, freq=20000)
            self._jieba = tk
        return self._jieba

    @property
    def pos(self):
        """jieba's part-of-speech tokenizer over the same dictionary; built on first use."""
        if self._pos is None:
            import jieba.posseg
            self._pos = jieba.posseg.POSTokenizer(self.jieba)
        return self._pos

    def warm_up(self) -> None:
        """Load jieba, its part-of-speech tables and pypinyin now, so no question pays for loading them."""
        self.pos.lcut("易地扶贫搬迁")
        _same_sound("搬", "搬")

    def is_noun(self, word: str) -> bool:
        """jieba's part of speech says noun: n* (nouns, place and organisation names), l (set phrases such as
        粮食产量), j (abbreviations such as 中小学). Example: 粮食产量 -> True; 提到 -> False; 几家 -> False."""
        tags = [p.flag for p in self.pos.lcut(word)]
        return bool(tags) and all(t.startswith(("n", "v", "l", "j")) and t != "vn" for t in tags) \
            and tags[-1].startswith(("n", "l", "j"))

    def common_word(self, word: str) -> bool:
        """Is `word` an everyday word: jieba's dictionary gives it at least COMMON_FREQ occurrences. Example: 城镇,
        返乡, 通过, 群众 -> True; 关镇 (of 城关镇), 塘镇 -> False."""
        self.jieba.check_initialized()
        return self.jieba.FREQ.get(word, 0) >= COMMON_FREQ

    def words(self, text: str) -> list[str]:
        """jieba's words of a text in accurate mode (not search mode), folded. Example: "那叶塘镇党委呢" -> [..., "叶塘镇", ...]."""
        return [w for w in self.jieba.lcut(fold(text)) if w.strip()]

    def tagged(self, text: str) -> list[tuple[str, str]]:
        """(word, part of speech) pairs covering `text` exactly, in order (jieba's POS tags: nr person, ns place,
        nt organisation…). Example: "由刘冰兼任" -> [("由", "p"), ("刘冰", "nr"), ("兼任", "v")]."""
        return list(self._tagged(text) if len(text) > _CACHE_MAX_CHARS else self._tagged_cached(text))

    def _tagged(self, text: str) -> tuple[tuple[str, str], ...]:
        return tuple((p.word, p.flag) for p in self.pos.lcut(text))

    def leading_noun_phrase(self, text: str) -> list[str]:
        """Words at the start of text up to the first one that is not noun-like (nouns, set phrases,
        abbreviations, distinguishing words). Example: "贫困县党政正职去浦东培训" -> ["贫困县", "党政", "正职"]."""
        out = []
        for p in self.pos.lcut(normalise(text)):
            if not p.flag.startswith(("n", "l", "j", "b")) or p.flag == "nr" and len(p.word) == 1:
                break
            out.append(p.word)
        return out

    def tokens(self, text: str) -> list[str]:
        """Tokens for BM25. Example: "搬迁24.93万户" -> ["搬迁", "24.93", "万户", "户"]."""
        return list(self._tokens(text) if len(text) > _CACHE_MAX_CHARS else self._tokens_cached(text))

    def _tokens(self, text: str) -> tuple[str, ...]:
        t = normalise(strip_ruby(text))
        out: list[str] = []
        for w in self.jieba.lcut_for_search(t):
            w = w.strip()
            if not w or _PUNCT.match(w):
                continue
            out.append(w)
            m = _UNIT_TOKEN.match(w)
            if m:
                out.append(m.group(2))
        return tuple(out)

    def query_tokens(self, text: str) -> list[str]:
        """Question tokens, stopwords dropped. English words are mapped to Chinese by search/english.py."""
        return [w for w in self.tokens(text) if w not in STOPWORDS]

    def expansions(self, tokens: list[str]) -> list[str]:
        """The field synonyms of the tokens (旧宅 -> 旧房, 宅基地), for BM25 recall."""
        return [x for t in tokens for x in synonyms().get(t, ()) if x not in tokens]


def sound(text: str) -> tuple[str, ...]:
    """Its pinyin, tones ignored. Example: sound("钧川") == sound("均川") == ("jun", "chuan")."""
    from pypinyin import lazy_pinyin
    return tuple(lazy_pinyin(text))


def _same_sound(a: str, b: str) -> bool:
    """Same pinyin, tones ignored. Example: ("滕", "腾") -> True; ("房", "班") -> False."""
    return sound(a) == sound(b)


class VocabCorrector:
    """Maps a question term the index has never seen to an indexed term that differs in one character of the
    same sound (pinyin, tones ignored), the commonest such term. Catches near-homophone typos staff make with
    pinyin input: 滕退 -> 腾退, 复恳 -> 复垦; leaves real words alone (房子 is not 班子).

    Example: VocabCorrector({"腾退": 5}).correct("滕退") -> "腾退".
    """

    def __init__(self, df: dict[str, int]) -> None:
        self.df = df
        self.keys: dict[str, list[str]] = {}
        for w in df:
            if 2 <= len(w) <= 4 and has_cjk(w):
                for i in range(len(w)):
                    self.keys.setdefault(w[:i] + "\0" + w[i + 1:], []).append(w)

    def correct(self, token: str) -> str | None:
        if token in self.df or not (2 <= len(token) <= 4) or not has_cjk(token):
            return None
        cands = {w for i in range(len(token)) for w in self.keys.get(token[:i] + "\0" + token[i + 1:], [])
                 if _same_sound(w[i], token[i])}
        return max(sorted(cands), key=lambda w: self.df[w]) if cands else None


_SENT = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+|\n|$)")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Spans of sentences (ending in 。！？；) in text, stripped of surrounding blanks.

    Example: sentence_spans("甲。乙!") -> [(0, 2), (2, 4)].
    """
    spans = []
    for m in _SENT.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s] in " \n":
            s += 1
        while e > s and text[e - 1] in " \n":
            e -= 1
        if e > s:
            spans.append((s, e))
    return spans


# A number with its measure word as notices write them: 24.93万户, 7000多亩, 89.6%, 1.13万人次, 241件.
# Chinese measure words (量词) and units of statistics: general grammar, not the words of any notice.
FIGURE_UNITS = ("人次", "户次", "公里", "平方米", "平方公里", "立方米", "小时", "公顷", "千瓦", "千米", "公斤", "千克", "课时",
                "学时", "户", "人", "元", "亩", "个", "名", "间", "套", "所", "家", "项", "次", "条", "件", "台", "座", "%",
                "倍", "期", "天", "年", "月", "日", "起", "批", "处", "轮", "场", "篇", "份", "本", "辆", "吨", "周", "类",
                "支", "位", "张", "笔", "村", "镇", "乡", "县", "区", "栋", "层", "头", "只", "匹", "棵", "株", "口", "眼",
                "顶", "架", "艘", "部", "册", "块", "片", "根", "斤", "米", "床", "首", "门", "节", "班次", "架次", "班",
                "美元", "欧元", "港元", "日元", "英镑", "卢布", "场次", "批次", "车次", "台次", "件次", "航次", "股",
                "个百分点", "百分点")  # a rate's change: "较2019年同期提升11个百分点" is one figure, not 11个
# a rate's denominator written after the unit is part of the figure: 4019元/月, 75美元/桶, 3000元/亩
_PER = "|".join(sorted("月 年 天 日 周 人 户 吨 亩 平方米 公斤 千克 斤 小时 次 辆 桶 升 千瓦时 度 床 间 套 台 个 人次 股".split(),
                      key=len, reverse=True))
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*\s*(?:个(?:多|半)?(?=小时|月|星期|钟头|工作日)|(?:万|亿|千|百)?\s*(?:多|余)?)\s*(?:(?:"
                     + "|".join(sorted(FIGURE_UNITS + ("星期", "钟头", "工作日", "分钟"), key=len, reverse=True))
                     + rf")(?:/(?:{_PER})|(?<=[人户])\(次\))?)?")


def figure_spans(text: str) -> list[tuple[int, int]]:
    """Spans of numbers with their units, also in traditional or full-width writing (matched on `fold`).

    Example: "共 24.93万户" -> [(2, 9)]; "1.13萬人次" -> [(0, 7)].
    """
    out: list[tuple[int, int]] = []
    f = fold(text)
    for m in _FIGURE.finditer(f):
        g = m.group(0)
        if g.strip():
            s = m.start() + len(g) - len(g.lstrip())
            e = s + len(g.strip())
            # a compound duration or angle is one figure: "10小时30分", "3年6个月", "9时26分"
            if out and out[-1][1] == s and _COMPOUND_HEAD.fullmatch(f, out[-1][0], out[-1][1]):
                tail = _COMPOUND_TAIL.match(f, e)
                out[-1] = (out[-1][0], tail.end() if tail else e)
                continue
            out.append((s, e))
    return out


_COMPOUND_HEAD = re.compile(r"\d{1,3}(?:小时|时|天|年|个月|度)")  # 3年 (a duration), not 2019年 (a year)
_COMPOUND_TAIL = re.compile(r"(?:分钟|分|秒|个月|天)")


def figures(text: str) -> list[str]:
    """Numbers with their units as written. Example: "24.93万户84.36万人" -> ["24.93万户", "84.36万人"]."""
    return [text[s:e] for s, e in figure_spans(text)]


# two figures of one unit joined as a range ("300元到3000元不等"); dates have their own link (answer/short.py)
_RANGE_LINK = re.compile(r"\s*(?:到|至|~|～|－|—|–|-)\s*$")


def figure_ranges(text: str) -> list[tuple[int, int]]:
    """figure_spans, with a range of two figures in one unit as one span: "补助金额从300元到3000元不等" ->
    [(…"300元到3000元")]; stating 300元 alone would say less than the notice. Example: figure_ranges("300元到3000元")
    -> [(0, 10)]; figure_ranges("300元、3000人") -> [(0, 4), (5, 10)]."""
    spans = figure_spans(text)
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(spans):
        s, e = spans[i]
        if i + 1 < len(spans) and _RANGE_LINK.match(text[e:spans[i + 1][0]]) \
                and figure_unit(text[s:e]) in ("", figure_unit(text[spans[i + 1][0]:spans[i + 1][1]])):
            out.append((s, spans[i + 1][1]))
            i += 2
            continue
        out.append((s, e))
        i += 1
    return out


def last_figure(text: str) -> str:
    """The last figure of a range ("300元到3000元" -> "3000元"), whose unit is the range's; a figure itself else."""
    spans = figure_spans(text)
    return text[spans[-1][0]:spans[-1][1]] if len(spans) > 1 else text


# Units that count the same thing: a question about 多少名 is answered by a figure in 人, and back.
UNIT_ALIASES = {"名": ("名", "人"), "人": ("人", "名"), "人次": ("人次",), "户": ("户",)}
# Classifiers that count items: a question asking 几个 is answered by a figure in any of them (241件, 2轮).
COUNT_CLASSIFIERS = frozenset(("个", "件", "项", "条", "起", "次", "人", "名", "户", "家", "所", "座", "处", "批", "期", "轮",
                               "场", "篇", "份", "本", "台", "辆", "间", "套", "类", "支", "位", "张", "笔", "村", "镇",
                               "乡", "县", "区", "栋", "人次", "户次", "班", "班次", "架次"))


_PAREN_TIMES = re.compile(r"([人户])\(次\)$")  # "问责129人(次)": people or times, counted as 人次


def times_in_brackets(figure: str) -> str:
    """The 人 or 户 of a figure written "129人(次)" (people, or person-times), else "". Example: "129人(次)" -> "人"."""
    m = _PAREN_TIMES.search(fold(figure))
    return m.group(1) if m else ""


def _unit_text(figure: str) -> str:
    """A figure as its measure word is read: folded, 129人(次) as 129人次."""
    return _PAREN_TIMES.sub(r"\1次", fold(figure))


def figure_unit(figure: str) -> str:
    """The measure word a figure ends with ("" for a bare number). Example: "1.13萬人次" -> "人次"; "7000多亩" -> "亩"."""
    f = _unit_text(figure.split("/")[0])  # 4019元/月 is counted in 元; 129人(次) in 人次
    for u in sorted(FIGURE_UNITS, key=len, reverse=True):
        if f.endswith(u):
            return u
    return ""


def unit_ok(figure: str, unit: str) -> bool:
    """Example: unit_ok("221人", "名") -> True; unit_ok("230个", "名") -> False; unit_ok("5萬戶", "户") -> True."""
    return _unit_text(figure).endswith(UNIT_ALIASES.get(unit, (unit,)))


# Dates as notices write them: 2019年4月10日, 4月17日, 9月底, 2018年底, 2019-05-20. Match on `fold(text)`.
_DAYTIME = "凌晨|早晨|早上|上午|中午|下午|傍晚|晚上|夜间|夜里|白天"
DATE_PATTERN = re.compile(r"(?:(?:\d{1,2}日)?\d{1,2}时\d{1,2}分|\d{1,2}日\d{1,2}时|"  # a clock time: 28日9时55分, 9时26分
                          rf"(?<![\d月])\d{{1,2}}日(?:{_DAYTIME})(?:(?:到|至)(?:{_DAYTIME}))?|"  # news: 28日早晨到上午
                          r"\d{4}年\d{1,2}月(?:\d{1,2}日|底|初|上旬|中旬|下旬)?|\d{1,2}月(?:\d{1,2}日|底|初|上旬|中旬|下旬|份)|"
                          r"\d{4}年(?:底|初)?|\d{4}-\d{1,2}-\d{1,2}|\d{4}\.\d{1,2}\.\d{1,2})(?:以前|之前|前|以后|之后|后)?")


def date_spans(text: str) -> list[tuple[int, int]]:
    """Spans of dates (also in full-width digits). Example: "于2019年10月底全部" -> [(1, 10)]."""
    return [m.span() for m in DATE_PATTERN.finditer(fold(text))]


# which side of a figure a phrase speaks of: "690分以上" (+1), "不足5万元" / "300户以下" (-1)
_ABOVE_AFTER = re.compile(r"(?:及|或)?(?:以上|之上)")
_BELOW_AFTER = re.compile(r"(?:及|或)?(?:以下|之下|以内|之内)")
_ABOVE_BEFORE = re.compile(r"(?<!不)(?:超过|高于|大于|多于)$")
_BELOW_BEFORE = re.compile(r"(?:不足|低于|小于|少于|不到|不超过|不高于)$")


def bound_side(f: str, s: int, e: int) -> int:
    """+1 when the figure f[s:e] is the lower bound of what is spoken of (以上, 超过 before it), -1 the upper bound
    (以下, 以内, 不足, 不超过), 0 neither; a bare number's unit may stand between ("690分以上"). `f` folded."""
    if f[e - 1:e].isdigit() and re.match(r"[\u4e00-\u9fff](?:以|之|及|或)", f[e:e + 2]):
        e += 1
    after, before = f[e:e + 3], f[max(0, s - 3):s]
    if _ABOVE_AFTER.match(after) or _ABOVE_BEFORE.search(before):
        return 1
    if _BELOW_AFTER.match(after) or _BELOW_BEFORE.search(before):
        return -1
    return 0


def bare_numbers(text: str) -> list[str]:
    """The digits of each figure, for checking an answer against its quotes. Example: "共24.93万户" -> ["24.93"]."""
    return re.findall(r"\d+(?:\.\d+)?", text)
