"""The scale-out store: passages in a Milvus collection, through pymilvus's MilvusClient.

`milvus_uri` picks the engine with the same code: a local path ending in .db runs embedded Milvus Lite (no
server); `http://host:19530` reaches a Milvus standalone server or a cluster. Dense vectors get a FLAT index in
Lite (exact, as the default store's FAISS below 200k passages) and HNSW on a server.

BM25 has two sources (`milvus_bm25`):
- "client" (default): sparse vectors from our own jieba tokens (field words, synonyms, the query expansions),
  so Milvus ranks exactly as bm25s does. A passage's sparse vector holds the BM25 term-frequency part of each
  token, tf / (tf + k1 (1 - b + b dl / avgdl)); the query vector holds each query token's IDF (times its count),
  taken from the loaded build's statistics at query time, so IDF follows every upsert. avgdl is fixed when the
  collection is written whole and kept in its meta row; when the corpus's average passage length has moved by
  more than AVGDL_DRIFT, the next sync writes the collection again.
- "milvus": Milvus's BM25 function with its jieba analyzer over the passage text (Milvus keeps the statistics).
  Its default jieba dictionary lacks our field words; the query is our tokens joined by spaces.
Fusion is ours (min-max weighted, stores/base.fuse) over both candidate lists: Milvus's WeightedRanker
normalises scores differently (arctan), so it cannot reproduce today's ranking.

Two collections: `<name>` holds one row per passage (id, notice id, region text, date as yyyymmdd, the
passage as JSON, dense and sparse vectors); `<name>_notices` one row per notice with the digest of what was
written for it, plus a meta row (model, dimension, BM25 source and avgdl). A sync compares digests and
upserts or deletes by notice id; a notice whose digest is unchanged is not touched.
"""
from __future__ import annotations

import hashlib
import json
import logging
from typing import Any, Callable, Sequence

import numpy as np

from ...config import Config
from ...errors import IndexError_
from ...types import Filters, Notice, Passage, content_hash
from .base import Store

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1  # bump when rows change shape; a collection of another version is written again
AVGDL_DRIFT = 0.05  # rewrite the collection when the average passage length moved by more than this share
META_ID = "__meta__"
K1, B = 1.5, 0.75  # bm25s's defaults (the default store's BM25)
BATCH = 500  # rows per insert call
QUERY_LIMIT = 16_384  # the most rows one Milvus query returns
MAX_RECORD = 60_000  # bytes of one passage's JSON (the VARCHAR field holds at most 65,535)


def token_id(tok: str) -> int:
    """A stable sparse-vector dimension for a token: 32 bits of its blake2b hash (the same in every process;
    a collision merges two tokens' weights, about one pair in a vocabulary of 90k tokens).
    Example: token_id("搬迁") is the same number on every machine."""
    return int.from_bytes(hashlib.blake2b(tok.encode("utf-8"), digest_size=4).digest(), "big") % (2 ** 32 - 1)


def tf_vector(tokens: Sequence[str], avgdl: float, k1: float = K1, b: float = B,
              ids: dict[str, int] | None = None) -> dict[int, float]:
    """The document side of BM25 as a sparse vector: tf / (tf + k1 (1 - b + b dl / avgdl)) per token. `ids`
    remembers token ids across calls (a sync of 100k passages hashes ~12M tokens, ~90k of them distinct).
    Example: tf_vector(["a", "a", "b"], avgdl=3) -> {id(a): 2/3.5, id(b): 1/2.5}."""
    counts: dict[str, int] = {}
    for t in tokens:
        counts[t] = counts.get(t, 0) + 1
    norm = k1 * (1 - b + b * len(tokens) / avgdl)
    ids = {} if ids is None else ids
    out: dict[int, float] = {}
    for t, tf in counts.items():
        i = ids.get(t)
        if i is None:
            i = ids[t] = token_id(t)
        out[i] = out.get(i, 0.0) + tf / (tf + norm)
    return out


def _date_int(date: str | None) -> int:
    """20190404 for "2019-04-04"; 0 for no date (a date range leaves it out, as Filters.allows does)."""
    return int(date.replace("-", "")) if date else 0


def _quote(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def filter_expr(filters: Filters, region_ids: Callable[[str], Sequence[str]]) -> str:
    """A Milvus boolean expression for the filters ("" when none). The region is resolved on the client to the
    ids of the notices whose region text holds it (`region_ids`: the build's lookup, search/lookup.py), not a
    `like "%…%"` that Milvus tests on every row.
    Example: Filters(region="陕西", date_from="2019-01-01") with region_ids("陕西") == ["a"] ->
    'notice_id in ["a"] and date > 0 and date >= 20190101'."""
    parts = []
    if filters.notice_ids:
        parts.append(f"notice_id in [{', '.join(_quote(i) for i in filters.notice_ids)}]")
    if filters.region:
        ids = list(region_ids(filters.region)) or [""]
        parts.append(f"notice_id in [{', '.join(_quote(i) for i in ids)}]")
    if filters.date_from or filters.date_to:
        parts.append("date > 0")
        if filters.date_from:
            parts.append(f"date >= {_date_int(filters.date_from)}")
        if filters.date_to:
            parts.append(f"date <= {_date_int(filters.date_to)}")
    return " and ".join(parts)


def connect(uri: str, token: str = ""):
    """A MilvusClient for a Milvus Lite file (…/name.db) or a server URL. Raises IndexError_ naming the URI."""
    try:
        from pymilvus import MilvusClient
    except ImportError as e:
        raise IndexError_("使用 Milvus 需要安装 pymilvus 和 milvus-lite(pip install -e '.[milvus]')",
                          repr(e)) from e
    if not uri.startswith(("http://", "https://")):
        from pathlib import Path
        Path(uri).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
    import warnings
    try:
        with warnings.catch_warnings():  # milvus-lite 2.5 reads its version through pkg_resources, which warns
            warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
            return MilvusClient(uri=uri, token=token) if token else MilvusClient(uri=uri)
    except Exception as e:  # noqa: BLE001 - pymilvus raises MilvusException and grpc errors
        raise IndexError_(f"无法连接 Milvus:{uri}({str(e)[:200]})", repr(e)) from e


class MilvusStore(Store):
    kind = "milvus"

    def __init__(self, cfg: Config, data, tokens_of: Callable[[list[str]], list[list[str]]], client=None) -> None:
        """`tokens_of` maps passage texts (index.indexed_text) to their BM25 tokens (the build's token cache)."""
        super().__init__(data.position)
        self.cfg = cfg
        self.name = cfg.milvus_collection
        self.meta_name = f"{cfg.milvus_collection}_notices"
        self.lite = not cfg.milvus_uri.startswith(("http://", "https://"))
        self.source = cfg.milvus_bm25
        self.tokens_of = tokens_of
        self.client = client if client is not None else connect(cfg.milvus_uri, self._token())
        self.data = data
        self.sync(data)

    def _region_ids(self, region: str) -> list[str]:
        """Ids of the loaded build's notices whose region text holds `region` (looked up: search/lookup.py)."""
        ids = self.data.notices.ids
        return [ids[r] for r in self.data.lookup.region_rows(region).tolist()]

    def _token(self) -> str:
        import os
        return os.environ.get(self.cfg.milvus_token_env, "") if self.cfg.milvus_token_env else ""

    # ------------------------------------------------------------------ schema

    def _want_meta(self, dim: int, avgdl: float) -> dict[str, Any]:
        return {"schema": SCHEMA_VERSION, "model": self.data.manifest.embedding_model, "dim": dim,
                "bm25": self.source, "tokenizer": self.data.manifest.tokenizer, "avgdl": avgdl, "k1": K1, "b": B}

    def _create(self, dim: int) -> None:
        from pymilvus import DataType, Function, FunctionType
        c = self.client
        s = c.create_schema(auto_id=False, enable_dynamic_field=False)
        s.add_field("id", DataType.VARCHAR, is_primary=True, max_length=64)
        s.add_field("notice_id", DataType.VARCHAR, max_length=64)
        s.add_field("region", DataType.VARCHAR, max_length=2048)
        s.add_field("date", DataType.INT64)
        s.add_field("record", DataType.VARCHAR, max_length=65535)
        s.add_field("dense", DataType.FLOAT_VECTOR, dim=dim)
        ip = c.prepare_index_params()
        if self.lite:
            ip.add_index("dense", index_type="FLAT", metric_type="IP")
        else:
            ip.add_index("dense", index_type="HNSW", metric_type="IP", params={"M": 16, "efConstruction": 200})
        if self.source == "milvus":
            s.add_field("text", DataType.VARCHAR, max_length=65535, enable_analyzer=True,
                        analyzer_params={"tokenizer": "jieba"})
            s.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
            s.add_function(Function(name="bm25", function_type=FunctionType.BM25, input_field_names=["text"],
                                    output_field_names=["sparse"]))
            ip.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25",
                         params={"bm25_k1": K1, "bm25_b": B})
        else:
            s.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
            ip.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="IP")
        c.create_collection(self.name, schema=s, index_params=ip)
        m = c.create_schema(auto_id=False, enable_dynamic_field=False)
        m.add_field("notice_id", DataType.VARCHAR, is_primary=True, max_length=64)
        m.add_field("digest", DataType.VARCHAR, max_length=4096)
        m.add_field("v", DataType.FLOAT_VECTOR, dim=2)  # Milvus needs a vector field in every collection
        mp = c.prepare_index_params()
        mp.add_index("v", index_type="FLAT", metric_type="L2")
        c.create_collection(self.meta_name, schema=m, index_params=mp)

    def _drop(self) -> None:
        for name in (self.name, self.meta_name):
            if self.client.has_collection(name):
                self.client.drop_collection(name)

    def _remote(self) -> dict[str, str]:
        """notice id -> digest of what was written for it (the meta row under META_ID)."""
        expr, fields = 'notice_id != ""', ["notice_id", "digest"]
        rows = self.client.query(self.meta_name, filter=expr, output_fields=fields, limit=QUERY_LIMIT)
        if len(rows) >= QUERY_LIMIT:  # more notices than one query returns: page through them
            rows, it = [], self.client.query_iterator(self.meta_name, batch_size=QUERY_LIMIT // 4, filter=expr,
                                                      output_fields=fields)
            while batch := it.next():
                rows += batch
            it.close()
        return {r["notice_id"]: r["digest"] for r in rows}

    # ------------------------------------------------------------------ sync

    def sync(self, data) -> dict[str, int]:
        """Upsert the notices whose rows changed, delete those no longer in the build (by notice id); write the
        collection whole when it is new, of another schema, model, tokenizer or dimension, or when avgdl drifted.
        A collection that already holds this build (another worker synced it, or this one before a restart) is
        only checked: no passage is tokenised and nothing is written."""
        from ..index import indexed_text
        self.data = data
        self.order = data.position
        dim = int(data.manifest.dim)
        local, rows_of = self._digests(data)
        try:
            remote = None
            if self.client.has_collection(self.meta_name) and self.client.has_collection(self.name):
                for name in (self.name, self.meta_name):  # a collection written before (by another process, or
                    self.client.load_collection(name)     # before a restart) is released until loaded
                remote = self._remote()
            meta = json.loads(remote.get(META_ID, "{}")) if remote is not None else {}
            same_kind = remote is not None and {k: meta.get(k) for k in self._want_meta(dim, 0.0) if k != "avgdl"} \
                == {k: v for k, v in self._want_meta(dim, 0.0).items() if k != "avgdl"}
            if same_kind and {k: v for k, v in remote.items() if k != META_ID} == local:
                self._idf = self._idf_table(data)  # the corpus is the one last synced: so is its avgdl
                return {"upserted_notices": 0, "deleted_notices": 0, "passages_written": 0}
            texts = [indexed_text(data.notices[p.notice_id], p) for p in data.passages]
            tokens = [t or ["\u2400"] for t in self.tokens_of(texts)]  # as the build gives bm25s
            avgdl = float(np.mean([len(t) for t in tokens])) if tokens else 1.0
            want = self._want_meta(dim, meta.get("avgdl", avgdl))
            if not same_kind or abs(want["avgdl"] / avgdl - 1) > AVGDL_DRIFT:
                if remote is not None:
                    log.warning("Milvus 集合 %s 与当前索引不符(%s),将整体重写", self.name,
                                "平均段长变化" if same_kind else "结构、模型或分词不同")
                self._drop()
                self._create(dim)
                remote, want = {}, self._want_meta(dim, avgdl)
            return self._apply(data, tokens, texts, remote, want, local, rows_of)
        except IndexError_:
            raise
        except Exception as e:  # noqa: BLE001 - pymilvus and grpc raise their own kinds
            raise IndexError_(f"Milvus 同步失败:{str(e)[:200]}", repr(e)) from e

    def _digests(self, data) -> tuple[dict[str, str], dict[str, list[int]]]:
        """Per notice, the hash of what its rows hold (passage ids, region, date), and its passages' positions."""
        local: dict[str, str] = {}
        rows_of: dict[str, list[int]] = {}
        for i, p in enumerate(data.passages):
            rows_of.setdefault(p.notice_id, []).append(i)
        for nid, n in data.notices.items():
            ids = [data.passages[i].id for i in rows_of.get(nid, [])]
            local[nid] = content_hash(json.dumps([SCHEMA_VERSION, self.source, n.region_text, n.date, ids],
                                                 ensure_ascii=False), 32)
        return local, rows_of

    def _apply(self, data, tokens, texts, remote: dict[str, str], meta: dict, local: dict[str, str],
               rows_of: dict[str, list[int]]) -> dict[str, int]:
        gone = [nid for nid in remote if nid != META_ID and local.get(nid) != remote[nid]]
        new = [nid for nid in local if remote.get(nid) != local[nid]]
        for nid in gone:  # delete by notice id (also a changed notice, before its new rows)
            self.client.delete(self.name, filter=f"notice_id == {_quote(nid)}")
            self.client.delete(self.meta_name, ids=[nid])
        vecs = data.vectors
        written = 0
        batch: list[dict] = []
        ids: dict[str, int] = {}
        for nid in new:
            n = data.notices[nid]
            for i in rows_of.get(nid, []):
                p = data.passages[i]
                record = json.dumps(p.to_dict(), ensure_ascii=False)
                if len(record.encode("utf-8")) > MAX_RECORD:
                    raise IndexError_(f"段落 {p.id} 过长,无法写入 Milvus", f"{len(record)} chars")
                row = {"id": p.id, "notice_id": nid, "region": n.region_text[:680], "date": _date_int(n.date),
                       "record": record, "dense": vecs[i].astype(np.float32).tolist()}
                if self.source == "milvus":
                    row["text"] = texts[i]
                else:
                    row["sparse"] = tf_vector(tokens[i], meta["avgdl"], ids=ids)
                batch.append(row)
                if len(batch) >= BATCH:
                    self.client.upsert(self.name, batch)
                    written += len(batch)
                    batch = []
        if batch:
            self.client.upsert(self.name, batch)
            written += len(batch)
        notice_rows = [{"notice_id": nid, "digest": local[nid], "v": [0.0, 0.0]} for nid in new]
        if notice_rows or remote.get(META_ID) != json.dumps(meta):  # a worker loading a synced build writes nothing
            notice_rows.append({"notice_id": META_ID, "digest": json.dumps(meta), "v": [0.0, 0.0]})
            self.client.upsert(self.meta_name, notice_rows)
        self._idf = self._idf_table(data)
        if written or gone:
            # seal what was written: Milvus Lite searches unsealed rows one by one in Python (17 s per BM25 search
            # at 10k passages), and builds a sealed segment's index on its first search, done here, not by a user
            for name in (self.name, self.meta_name):
                self.client.flush(name)
            self._warm_up(data)
        return {"upserted_notices": len(new), "deleted_notices": len([g for g in gone if g not in local]),
                "passages_written": written}

    @staticmethod
    def _idf_table(data) -> dict[str, float]:
        """IDF per token of the build's BM25 statistics (bm25s's Lucene formula)."""
        import math
        vocab = getattr(data.bm25, "vocab_dict", None) or {}
        indptr = data.bm25.scores["indptr"]
        n = int(data.bm25.scores.get("num_docs", len(data.passages)))
        return {t: math.log(1 + (n - int(indptr[i + 1] - indptr[i]) + 0.5) / (int(indptr[i + 1] - indptr[i]) + 0.5))
                for t, i in vocab.items() if i + 1 < len(indptr)}

    def _warm_up(self, data) -> None:
        """One search of each kind, so indexes are built and loaded before the first question."""
        if data.passages:
            self.dense(np.asarray(data.vectors[0], dtype=np.float32), Filters(), 1)
            toks = sorted(self._idf, key=self._idf.get)[:2]  # the commonest tokens
            self.bm25(toks, Filters(), 1)

    # ------------------------------------------------------------------ search

    def _search(self, data: list, field: str, metric: str, filters: Filters, k: int, params: dict) -> dict[str, float]:
        try:
            res = self.client.search(self.name, data=data, anns_field=field, limit=k,
                                     filter=filter_expr(filters, self._region_ids), output_fields=[],
                                     search_params={"metric_type": metric, "params": params})
        except Exception as e:  # noqa: BLE001
            raise IndexError_(f"Milvus 检索失败:{str(e)[:200]}", repr(e)) from e
        hits = {h["id"]: float(h["distance"]) for h in res[0]}
        if metric == "BM25" and hits and next(iter(hits.values())) < 0:
            # Milvus Lite returns BM25 scores negated (best first, most negative); a server returns them positive
            hits = {i: -d for i, d in hits.items()}
        return hits

    def dense(self, qvec: np.ndarray, filters: Filters, k: int) -> dict[str, float]:
        if not self.data.passages:
            return {}
        params = {} if self.lite else {"ef": max(64, k)}
        return self._search([np.asarray(qvec, dtype=np.float32).ravel().tolist()], "dense", "IP", filters, k, params)

    def bm25(self, tokens: list[str], filters: Filters, k: int) -> dict[str, float]:
        toks = [t for t in tokens if t in self._idf]  # as the default store: tokens the corpus holds
        if not toks or not self.data.passages:
            return {}
        if self.source == "milvus":
            return self._search([" ".join(toks)], "sparse", "BM25", filters, k, {})
        q: dict[int, float] = {}
        for t in toks:
            q[token_id(t)] = q.get(token_id(t), 0.0) + self._idf[t]
        hits = self._search([q], "sparse", "IP", filters, k, {"drop_ratio_search": 0.0})
        return {i: s for i, s in hits.items() if s > 0}

    def fetch(self, ids: Sequence[str]) -> list[Passage]:
        if not ids:
            return []
        try:
            rows = self.client.get(self.name, ids=list(ids), output_fields=["record"])
        except Exception as e:  # noqa: BLE001
            raise IndexError_(f"Milvus 读取段落失败:{str(e)[:200]}", repr(e)) from e
        by_id = {r["id"]: Passage.from_dict(json.loads(r["record"])) for r in rows}
        return [by_id[i] for i in ids if i in by_id]

    def problem(self) -> str | None:
        """None when the collection is there and answers; else why not, in Chinese (for the health check)."""
        try:
            if not self.client.has_collection(self.name):
                return f"Milvus 集合 {self.name} 不存在(被删除了?重启本进程会重新写入)"
        except Exception as e:  # noqa: BLE001 - pymilvus and grpc raise their own kinds
            return f"无法连接 Milvus:{str(e)[:200]}"
        return None

    def close(self) -> None:
        try:
            self.client.close()
        except Exception:  # noqa: BLE001 - closing twice or after the server went away
            pass
