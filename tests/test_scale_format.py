"""The format of a build at scale (format 5, 6): passages as columns, the corpus's substrings, float16 IVF codes, token sets.

Each is checked against what it replaces, on the real notices: the passage table gives the same passages as the
chunker, the substring lookup the same answers as a search in the folded text of every notice.
"""
from __future__ import annotations

import json
import logging

import numpy as np
import pytest

from assistant import Assistant, Config
from assistant.answer.gate import Gate
from assistant.ingest.chunking import chunk_notice
from assistant.question import place_forms
from assistant.search.index import (
    FORMAT_VERSION,
    IVF_NPROBE,
    current_build,
    load_index,
    make_faiss_index,
)
from assistant.search.substrings import Substrings
from assistant.search.table import PassageTable
from assistant.text import fold

from .conftest import CORPUS


def test_passage_table_gives_the_chunkers_passages(notices):
    ns = {n.id: n for n in notices.values()}
    ps = [p for n in ns.values() for p in chunk_notice(n.id, n.text, 60, 360, n.heading_starts)]
    t = PassageTable.of(ps, ns)
    assert len(t) == len(ps) > 100
    assert list(t) == ps and t[-1] == ps[-1] and t[3:5] == ps[3:5]
    assert all(t.position[p.id] == i for i, p in enumerate(ps))
    assert "nope" not in t.position and t.position.get("nope") is None and 7 not in t.position
    for nid in ns:
        assert t.by_notice[nid] == [p for p in ps if p.notice_id == nid]
    assert t.problems() == []
    with pytest.raises(IndexError):
        t[len(ps)]
    assert t.by_notice.order is None and len(t.by_notice) == len(ns) and set(t.by_notice) == set(ns)
    # passages not written notice by notice (not what a build does): the groups are the same, in build order
    mixed = ps[1::2] + ps[0::2]
    m = PassageTable.of(mixed, ns)
    assert m.by_notice.order is not None and len(m.by_notice) == len(ns)
    for nid in ns:
        assert m.by_notice[nid] == [p for p in mixed if p.notice_id == nid]
    with pytest.raises(KeyError):
        m.by_notice["nope"]


def test_passage_table_names_a_span_outside_its_notice(notices):
    ns = {n.id: n for n in notices.values()}
    ps = [p for n in ns.values() for p in chunk_notice(n.id, n.text, 60, 360, n.heading_starts)]
    t = PassageTable.of(ps, ns)
    t.cols[0, 2] = 10 ** 8
    assert t.problems() == ["a passage span lies outside its notice"]


def test_substrings_answer_as_a_search_of_the_folded_text(notices):
    """Every 1-4 character piece of the notices (and some that are not in them) looked up, against `in`."""
    texts = [fold(f"{n.title}\n{n.issuer}\n{n.text}") for n in notices.values()]
    joined = "\n".join(texts)
    s = Substrings.of_texts(texts)
    rng = np.random.default_rng(0)
    for _ in range(3000):
        i = int(rng.integers(0, len(joined) - 4))
        w = int(rng.integers(1, 5))
        piece = joined[i:i + w]
        assert piece in s
        shuffled = "".join(rng.permutation(list(piece)))
        assert (shuffled in s) == (shuffled in joined), shuffled
    for term in ("粮食产量", "陕西省", "石泉县", "易地扶贫搬迁", "民和镇", "火星基地", "GDP", ""):
        assert (term in s) == (term in joined), term


def test_gate_looks_up_what_it_searched_for(hash_assistant, gaz):
    """The gate's place and term checks give what the substring search over all notice text gave."""
    data = hash_assistant.data
    gate = Gate(data, hash_assistant.tokenizer, hash_assistant.idf)
    text = fold("\n".join(f"{n.title}\n{n.issuer}\n{n.text}" for n in data.notices.values()))
    places = ["陕西省", "甘肃", "石泉县", "舒城城关镇", "红石桥乡", "海南省", "拉萨市", "民和镇"]
    for pl in places:
        assert all((f in gate._corpus) == (f in text) for f in place_forms(pl)), pl
    for q in ("陕西省粮食产量是多少?", "陕西搬迁了多少户?", "火星基地建设情况如何?", "旧宅基地腾退了多少?"):
        toks = hash_assistant.query_terms(q)
        assert all((t in gate._corpus) == (t in text) for t in toks if len(t) <= 4), q


def test_index_of_an_older_format_is_rebuilt_with_a_message(tmp_path, caplog):
    idx = tmp_path / "index"
    cfg = Config(corpus_dir=CORPUS, index_dir=idx, embedding_backend="hash")
    Assistant.load(config=cfg)
    m = current_build(idx) / "manifest.json"
    d = json.loads(m.read_text(encoding="utf-8"))
    assert d["format_version"] == FORMAT_VERSION == 6
    d["format_version"] = 5  # format 5 had no token sets (tokensets/)
    m.write_text(json.dumps(d), encoding="utf-8")
    caplog.set_level(logging.WARNING)
    a = Assistant.load(config=cfg)
    assert "索引格式版本 5 已过时(当前为 6)" in caplog.text
    assert a.data.manifest.format_version == 6 and (a.data.path / "passage_cols.npy").is_file()
    assert (a.data.path / "tokensets" / "keys.npy").is_file() and a.data.token_sets is not None
    assert not (a.data.path / "passages.jsonl").exists()


def test_large_index_keeps_float16_codes_and_finds_the_exact_neighbours():
    """Above ivf_above the vectors go into IVF lists of float16 codes; with every list probed, the neighbours are
    those of exact float32 search (recall@10 with the default nprobe is measured by benchmarks/scale.py)."""
    rng = np.random.default_rng(1)
    centres = rng.standard_normal((20, 32)).astype(np.float32)
    v = centres[rng.integers(0, 20, 3000)] + 0.3 * rng.standard_normal((3000, 32)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    idx, kind = make_faiss_index(v, ivf_above=1000)
    assert kind.startswith("ivf") and kind.endswith("-fp16") and idx.nprobe == IVF_NPROBE
    assert idx.code_size == 32 * 2  # two bytes a dimension
    q = v[:50] + 0.05 * rng.standard_normal((50, 32)).astype(np.float32)
    idx.nprobe = idx.nlist
    _, got = idx.search(q, 10)
    want = np.argsort(-(q @ v.T), axis=1)[:, :10]
    recall = np.mean([len(set(g) & set(w)) / 10 for g, w in zip(got, want)])
    assert recall >= 0.98


def test_load_maps_the_large_arrays(hash_assistant):
    data = load_index(hash_assistant.data.path)
    assert isinstance(data.vectors, np.memmap)
    assert all(isinstance(a, np.memmap) for a in data.substrings.grams.values())
    assert data.passages[0] == hash_assistant.data.passages[0]


def test_notice_store_gives_back_every_notice(notices, tmp_path):
    from assistant.search.index import _json_bytes
    from assistant.search.notices import KEEP, NoticeStore, write_notices
    from assistant.types import Filters
    ns = list(notices.values())
    write_notices(tmp_path, ns, _json_bytes)
    store = NoticeStore.load(tmp_path)
    assert list(store) == [n.id for n in ns] and len(store) == len(ns)
    assert all(store[n.id] == n for n in ns) and store[ns[0].id] is store[ns[0].id]  # made once, then kept
    assert ns[0].raw_text and store[ns[0].id].raw_text == ns[0].raw_text
    assert "nope" not in store and store.get("nope") is None
    assert store.place_names() == tuple(sorted({x for n in ns for x in (n.province, n.city, n.county, n.township)
                                                if x}))
    assert KEEP >= 1000


def test_filters_on_short_fields_allow_what_they_allowed_on_whole_notices(hash_assistant):
    from assistant.types import Filters
    data = hash_assistant.data
    whole = [data.notices[nid] for nid in data.notices]
    for f in (Filters(region="陕西"), Filters(region="甘肃"), Filters(date_from="2020-01-01"),
              Filters(date_to="2019-12-31", region="省"), Filters(notice_ids=(whole[1].id,)),
              Filters(region="没有这个地方"), Filters(notice_ids=(whole[0].id, whole[2].id), date_from="2019-05-01",
                                                 date_to="2021-12-31"),
              Filters(region="县"), Filters(region="陕西省"), Filters(region="省委"), Filters(region='5%"'),
              Filters(region=whole[3].region_text), Filters(region=whole[3].region_text + "x"),
              Filters(date_to=whole[0].date), Filters(date_from=whole[0].date, date_to=whole[0].date),
              Filters(notice_ids=("没有这份通报",))):
        assert data.allowed(f).tolist() == [f.allows(n) for n in whole], f
        ids = data.notice_ids_allowed(f)
        assert ids == [n.id for n in whole if f.allows(n)], f


def test_notice_lookup_agrees_with_filters_allows_on_awkward_texts():
    """Pairs present but never together, a character twice, one character, empty texts and dates, no notices."""
    from assistant.search.lookup import NoticeLookup
    from assistant.types import Filters, Notice
    texts = ["陕西省 石泉县 陕西", "西陕 省西", "", "𠀀陕", "陕", "甘肃省 陕"]
    dates = ["2019-04-04", "", "2021-01-01", "2019-04-04", None, "2020-12-31"]
    ns = [Notice(id=f"n{i}", path="", title=t, issuer="", date=d, province=None, city=None, county=None,
                 township=None, doc_number=None, source=None, text="") for i, (t, d) in enumerate(zip(texts, dates))]
    lk = NoticeLookup([n.id for n in ns], [n.region_text for n in ns], [n.date for n in ns])
    for f in [Filters(region=r) for r in ("陕", "陕西", "陕西省", "西陕", "省西", "陕省", "𠀀", "𠀀陕", "石泉县 陕西",
                                          "甘肃省 陕", " ")] + [
            Filters(date_from="2019-04-04"), Filters(date_to="2019-04-04"), Filters(date_from="2020-01-01",
                                                                                     date_to="2020-12-31"),
            Filters(region="陕", date_to="2020-01-01", notice_ids=("n0", "n3", "n9"))]:
        assert lk.mask(f).tolist() == [f.allows(n) for n in ns], f
    assert lk.rows(Filters()) is None and NoticeLookup([], [], []).mask(Filters(region="陕")).tolist() == []
