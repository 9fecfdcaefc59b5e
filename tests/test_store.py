"""The store interface: the default files and embedded Milvus Lite give the same passages, with filters pushed
down; adding and removing a notice is an upsert or delete by notice id. Milvus Lite runs in-process (no
server); CI installs it (the milvus extra), so under CI=true a skip here is a failure."""
import shutil
from pathlib import Path

import pytest

from assistant import Assistant, Config
from assistant.errors import BadConfig
from assistant.evaluate import read_set
from assistant.search.stores.base import fuse, rank_map
from assistant.types import Filters

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
pytestmark = pytest.mark.milvus


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """The hash-embedder pipeline twice over one build: on its files, and on Milvus Lite (client BM25)."""
    pytest.importorskip("pymilvus")
    d = tmp_path_factory.mktemp("store")
    cfg = Config(corpus_dir=CORPUS, index_dir=d / "index", embedding_backend="hash")
    files = Assistant.load(config=cfg)
    milvus = Assistant.load(config=cfg.with_overrides(milvus_uri=str(d / "lite" / "m.db")))
    return files, milvus, d


def _questions(n: int) -> list[str]:
    items, _ = read_set(ROOT / "evals" / "questions.jsonl")
    picked = [it.question for it in items if not it.history]
    return picked[:: max(1, len(picked) // n)][:n]


def _ranked(a: Assistant, q: str, mode: str, filters: Filters | None = None):
    qtokens = a.query_terms(q) + a.query_terms.expansions(q)  # as the pipeline searches (English via the dictionary)
    return [(h.passage.id, round(h.score, 4), h.bm25_rank, h.dense_rank)
            for h in a.retriever.search(q, 10, filters, mode=mode, qtokens=qtokens)][:10]


def test_milvus_lite_retrieves_as_the_files(pair):
    files, milvus, _ = pair
    assert type(milvus.retriever.store).__name__ == "MilvusStore"
    assert type(files.retriever.store).__name__ == "FileStore"
    for q in _questions(5) + ["How many households were relocated in Shaanxi?", "整改"]:
        for mode in ("bm25", "dense", "hybrid"):
            a, b = _ranked(files, q, mode), _ranked(milvus, q, mode)
            assert a and [x[0] for x in a] == [x[0] for x in b], (q, mode)
            assert [x[1:] for x in a] == [x[1:] for x in b], (q, mode)


def test_filters_are_pushed_down_to_milvus(pair):
    files, milvus, _ = pair
    gansu = next(n for n in files.data.notices.values() if (n.province or "").startswith("甘肃"))
    for f in (Filters(region="甘肃"), Filters(notice_ids=(gansu.id,)), Filters(date_from="2021-01-01",
              date_to="2021-12-31"), Filters(region="陕西", date_to="2020-12-31"), Filters(region='"%_')):
        a, b = _ranked(files, "易地扶贫搬迁", "hybrid", f), _ranked(milvus, "易地扶贫搬迁", "hybrid", f)
        assert a == b, f
        assert all(f.allows(files.data.notices[milvus.retriever.store.fetch([i])[0].notice_id]) for i, *_ in b)
    assert milvus.retriever.search("易地扶贫搬迁", 5, Filters(region="西藏")) == []


def test_answers_are_the_same_on_milvus(pair):
    files, milvus, _ = pair
    for q in ["红石桥乡社会扶贫网注册了多少爱心人士?", "各地怎么处理旧宅腾退拆除?", "北京市2023年的GDP是多少?"]:
        a, b = files.ask(q), milvus.ask(q)
        assert (a.text, a.abstained) == (b.text, b.abstained)
        assert [(p.notice_id, p.start, p.end) for p in a.passages] == [(p.notice_id, p.start, p.end)
                                                                      for p in b.passages]


def test_fetch_by_id_returns_passages_from_milvus(pair):
    files, milvus, _ = pair
    want = files.data.passages[3:6]
    got = milvus.retriever.store.fetch([p.id for p in reversed(want)] + ["no-such-id"])
    assert got == list(reversed(want))


def test_adding_and_removing_a_notice_is_an_upsert_and_a_delete(tmp_path):
    pytest.importorskip("pymilvus")
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    extra = next(corpus.glob("*dazhou*"))
    moved = tmp_path / extra.name
    extra.rename(moved)  # start without one notice
    cfg = Config(corpus_dir=corpus, index_dir=tmp_path / "index", embedding_backend="hash",
                 milvus_uri=str(tmp_path / "m.db"))
    a = Assistant.load(config=cfg)
    store = a.retriever.store
    before = len(a.data.passages)
    reports = a.add_files([(extra.name, moved.read_bytes())])
    assert reports[0].status == "ok"
    new = a.retriever.store
    assert new.client is store.client  # one connection, the collection synced in place
    nid = reports[0].notice_id
    added = [p for p in a.data.passages if p.notice_id == nid]
    assert len(a.data.passages) == before + len(added)
    assert _rows(new, f'notice_id == "{nid}"') == len(added)
    assert _rows(new, 'notice_id != ""') == len(a.data.passages)
    hits = a.retriever.search("达州", 10, Filters(notice_ids=(nid,)))
    assert hits and all(h.passage.notice_id == nid for h in hits)

    a.remove_notice(nid)
    assert _rows(a.retriever.store, f'notice_id == "{nid}"') == 0
    assert _rows(a.retriever.store, 'notice_id != ""') == before
    assert all(h.passage.notice_id != nid for h in a.retriever.search("达州 通川区", 50))
    # a store opened again on the same file finds nothing to write
    again = Assistant.load(config=cfg)
    assert again.retriever.store.sync(again.data) == {"upserted_notices": 0, "deleted_notices": 0,
                                                      "passages_written": 0}


def _rows(store, expr: str) -> int:
    return len(store.client.query(store.name, filter=expr, output_fields=["id"], limit=16_384))


def test_milvus_bm25_function_with_jieba_finds_chinese(pair):
    """The other BM25 source: Milvus's own BM25 function over the passage text with its jieba analyzer."""
    files, _, d = pair
    a = Assistant.load(config=files.cfg.with_overrides(milvus_uri=str(d / "fn.db"), milvus_bm25="milvus"))
    hits = a.retriever.search("红石桥乡社会扶贫网注册了多少爱心人士?", 5, mode="bm25")
    assert "爱心人士" in hits[0].passage.text  # Milvus Lite returns BM25 scores negated: the store turns them back
    shaanxi = a.retriever.search("易地扶贫搬迁", 20, Filters(region="陕西"), mode="bm25")
    assert shaanxi and all("陕西" in a.data.notices[h.passage.notice_id].region_text for h in shaanxi)


def test_filter_expression_and_token_ids():
    from assistant.search.stores.milvus import filter_expr, tf_vector, token_id
    regions = {"陕西": ["n1", "n2"]}.get
    ids = lambda region: regions(region, [])  # noqa: E731 - the build's lookup (search/lookup.py)
    assert filter_expr(Filters(), ids) == ""
    assert filter_expr(Filters(region="陕西", date_from="2019-01-01"), ids) == \
        'notice_id in ["n1", "n2"] and date > 0 and date >= 20190101'
    assert filter_expr(Filters(notice_ids=("a", 'b"')), ids) == 'notice_id in ["a", "b\\""]'
    assert filter_expr(Filters(region='5%"'), ids) == 'notice_id in [""]'  # resolved on the client: no match
    assert token_id("搬迁") == token_id("搬迁") != token_id("搬迁户")
    v = tf_vector(["a", "a", "b"], avgdl=3.0)
    assert v[token_id("a")] == pytest.approx(2 / (2 + 1.5)) and v[token_id("b")] == pytest.approx(1 / (1 + 1.5))


def test_fusion_and_ranks_are_pure():
    assert fuse({"1": 10, "2": 5}, {"2": .9, "3": .8}, .6, .4) == pytest.approx({"1": .6, "2": .4, "3": 0.0})
    assert rank_map({"a": 1.0, "b": 2.0, "c": 2.0}, {"c": 0, "b": 1}) == {"c": 1, "b": 2, "a": 3}


@pytest.mark.parametrize("field,value,word", [("milvus_uri", "notes.txt", "milvus_uri"),
                                              ("milvus_bm25", "lucene", "milvus_bm25"),
                                              ("milvus_collection", "a-b", "milvus_collection"),
                                              ("milvus_token_env", "sk-123 456", "milvus_token_env")])
def test_bad_milvus_config_is_named(field, value, word):
    with pytest.raises(BadConfig) as e:
        Config(**{field: value})
    assert word in str(e.value)


def test_milvus_config_from_environment():
    cfg = Config.from_env({"ASSISTANT_MILVUS_URI": "http://milvus.internal:19530", "ASSISTANT_MILVUS_BM25": "milvus"})
    assert (cfg.milvus_uri, cfg.milvus_bm25) == ("http://milvus.internal:19530", "milvus")
