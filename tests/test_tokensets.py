"""Tokens taken from the build instead of tokenising again per question (format 6): the answer stage's sentence
token sets (search/tokensets.py) and the gate's passage tokens (the BM25 matrix) are exactly what the tokenizer
gives the same text, on the real notices; answers are the same with and without them."""
from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.answer.gate import passage_tokens
from assistant.search.index import indexed_text
from assistant.search.tokensets import TokenSets, scored_texts, text_key
from assistant.text import Tokenizer, fold


def test_token_sets_hold_exactly_the_tokenizers_sets_of_every_scored_text(hash_assistant):
    data, tok = hash_assistant.data, Tokenizer()
    checked = 0
    for nid in data.notices:
        n = data.notices[nid]
        for text in scored_texts(n, data.by_notice.get(nid, [])):
            assert data.token_sets.get(text) == set(tok.tokens(text)), text
            checked += 1
    assert checked > 500 and len(data.token_sets) <= checked  # each distinct text once
    assert data.token_sets.get("不是这个语料中的句子。") is None and data.token_sets.get("") is None


def test_passage_tokens_read_from_the_bm25_matrix_are_the_tokenizers(hash_assistant):
    data, tok = hash_assistant.data, Tokenizer()
    others = {"宇宙飞船", "量子", "搬迁", "户", "陕西"}
    for row, p in enumerate(data.passages):
        own = set(tok.tokens(indexed_text(data.notice_of(p), p)))
        assert data.tokens_held(row, own | others) == own | (others & own), p.id
        assert data.tokens_held(row, set()) == set()


def test_the_gates_text_reads_as_its_two_parts_and_folding_changes_nothing_the_tokenizer_reads(hash_assistant):
    """Why the gate may take a passage's tokens from the BM25 matrix and its opening's from the token sets: the
    tokens of the folded "indexed text + newline + opening" are those of the two parts together, and a text that
    `_reads_alike` has the same tokens folded or not (checked on every passage of the five notices)."""
    from assistant.answer.gate import LEAD_CHARS, _reads_alike
    data, tok = hash_assistant.data, Tokenizer()
    for p in data.passages:
        n = data.notice_of(p)
        it, lead = indexed_text(n, p), n.text[:LEAD_CHARS]
        assert set(tok.tokens(fold(it + "\n" + lead))) == set(tok.tokens(fold(it))) | set(tok.tokens(fold(lead)))
        assert _reads_alike(it) and tok.tokens(fold(it)) == tok.tokens(it)
    # pinyin in capitals is an annotation only once folded: such a passage is tokenised by the gate as before
    assert not _reads_alike("省發（Fā）改委") and tok.tokens(fold("省發（Fā）改委")) != tok.tokens("省發（Fā）改委")


def test_gate_passage_tokens_equal_the_tokenised_passages_restricted_to_what_is_asked(hash_assistant):
    """What the gate tokenised per question (the folded indexed text and the notice's opening of the top 3 hits)
    is read from the build, exactly, for the terms coverage asks about."""
    from assistant.answer.gate import LEAD_CHARS
    a, tok = hash_assistant, Tokenizer()
    wanted = {"搬迁", "户", "易地", "扶贫", "陕西", "巡察", "整改", "没有的词"}
    for q in ("易地扶贫搬迁共搬迁了多少户?", "巡察整改情况", "How many households were relocated?"):
        hits = a.retriever.search(q, 5)
        texts = [fold(indexed_text(a.data.notice_of(h.passage), h.passage) + "\n" +
                      a.data.notice_of(h.passage).text[:LEAD_CHARS]) for h in hits[:3]]
        whole = set().union(*(tok.tokens(t) for t in texts))
        got, text = passage_tokens(hits, a.data, tok, wanted)
        assert got == whole & wanted and text == "\n".join(texts), q
    hits = a.retriever.search("易地扶贫搬迁共搬迁了多少户?", 5)
    foreign = replace(hits[0], passage=replace(hits[0].passage, id="not-in-this-build"))
    assert passage_tokens([foreign], a.data, tok, wanted)[0] == passage_tokens(hits[:1], a.data, tok, wanted)[0]


def test_token_sets_round_trip_and_edge_texts(tmp_path):
    ts = TokenSets.of({"搬迁24.93万户": ["搬迁", "24.93", "万户", "户"], "": [], "。": [], "甲乙": ["甲乙", "甲乙"]})
    ts.save(tmp_path / "t")
    back = TokenSets.load(tmp_path / "t")
    for t in (ts, back):
        assert t.get("搬迁24.93万户") == {"搬迁", "24.93", "万户", "户"}
        assert t.get("") == set() and t.get("。") == set() and t.get("甲乙") == {"甲乙"}
        assert t.get("x" * 5000) is None
    assert TokenSets.of({}).get("甲") is None
    assert text_key("甲") != text_key("乙") and text_key(fold("萬戶")) == text_key("万户")


def test_token_sets_refuse_files_that_do_not_fit(tmp_path):
    import numpy as np
    TokenSets.of({"甲乙": ["甲乙"]}).save(tmp_path / "t")
    np.save(tmp_path / "t" / "offsets.npy", np.array([0, 5], dtype=np.int64))
    with pytest.raises(ValueError):
        TokenSets.load(tmp_path / "t")


@pytest.mark.parametrize("q", ["易地扶贫搬迁共搬迁了多少户?", "陕西省自然资源厅党组什么时候召开专题民主生活会?",
                               "红石桥乡整改领导小组组长是谁?", "各地如何推进旧房拆除?", "How many households were relocated?"])
def test_answers_are_the_same_without_the_token_sets(hash_assistant, q):
    a = hash_assistant
    with_sets = a.ask(q, mode="extractive")
    live = a._live
    try:
        a._live = a._make_live(replace(live.data, token_sets=None))
        without = a.ask(q, mode="extractive")
    finally:
        a._live = live
    strip = lambda ans: replace(ans, timings={})  # noqa: E731
    assert strip(with_sets) == strip(without)
