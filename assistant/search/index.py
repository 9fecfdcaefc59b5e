"""The on-disk index: FAISS vectors, BM25 over jieba tokens, passages and notices as JSON lines, a manifest.

Layout under index_dir:
    CURRENT                    name of the live build (replaced atomically with os.replace)
    builds/<name>/manifest.json, notices.jsonl, passages.jsonl, vectors.npy, faiss.index, bm25/
    cache/<model>/keys.json + vectors.npy    embeddings by content hash, reused across rebuilds

A build is written into a fresh folder and only then named in CURRENT, so a crash never leaves half an index.
"""
from __future__ import annotations

import json
import logging
import os
import re
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from ..config import Config
from ..errors import IndexError_
from ..ingest.corpus import INGEST_VERSION, corpus_fingerprint
from ..ingest.readers import Limits
from ..text import Tokenizer
from ..types import FileReport, Notice, Passage, content_hash

log = logging.getLogger(__name__)

FORMAT_VERSION = 3  # 3: notices carry raw_text, provenance and pages; ingest.jsonl holds the file reports
CHUNKER_VERSION = 1  # bump when chunking rules change, so indexes built by older rules are rebuilt
IVF_ABOVE = 200_000  # exact search up to this many vectors, IVF above (benchmarks/bench.py measures both)
IVF_NPROBE = 64  # lists searched per query; recall@10 against exact search is measured by the benchmark


def indexed_text(notice: Notice, passage: Passage) -> str:
    """What BM25 and the embedder see: title, heading path, then the passage. Users are shown passage.text."""
    return f"{notice.title}\n{passage.section_label}\n{passage.text}"


def corpus_hash(fingerprint: dict[str, str]) -> str:
    return content_hash(json.dumps(fingerprint, sort_keys=True, ensure_ascii=False))


@dataclass(frozen=True)
class Manifest:
    format_version: int
    chunker_version: int
    embedding_backend: str
    embedding_model: str
    dim: int
    chunk_min_chars: int
    chunk_max_chars: int
    tokenizer: str  # Tokenizer.signature(): BM25 tokens depend on it
    corpus_hash: str
    files: dict[str, str]
    notice_count: int
    passage_count: int
    faiss_kind: str
    built_at: str
    build_seconds: float
    embedded_passages: int  # how many were embedded in this build (the rest came from the cache)
    ingest_version: int = 0  # reading and cleaning rules the notices were made by (ingest.corpus.INGEST_VERSION)


@dataclass
class IndexData:
    """A loaded index. Read-only after loading; safe to share between threads."""

    manifest: Manifest
    notices: dict[str, Notice]
    passages: list[Passage]
    vectors: np.ndarray
    faiss_index: Any
    bm25: Any
    path: Path
    reports: list[FileReport] = field(default_factory=list)  # one per entry of the corpus folder

    def notice_of(self, p: Passage) -> Notice:
        return self.notices[p.notice_id]

    @cached_property
    def by_notice(self) -> dict[str, list[Passage]]:
        """Passages of each notice, in text order."""
        out: dict[str, list[Passage]] = {}
        for p in self.passages:
            out.setdefault(p.notice_id, []).append(p)
        return out


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)[:120]


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _save_npy(path: Path, arr: np.ndarray) -> None:
    import io
    buf = io.BytesIO()
    np.save(buf, arr, allow_pickle=False)
    _atomic_write_bytes(path, buf.getvalue())


class EmbeddingCache:
    """Embeddings keyed by the hash of the exact text embedded, one folder per model."""

    def __init__(self, root: Path, model_name: str) -> None:
        self.dir = Path(root) / _safe(model_name)
        self.vectors: dict[str, np.ndarray] = {}
        try:
            keys = json.loads((self.dir / "keys.json").read_text(encoding="utf-8"))
            arr = np.load(self.dir / "vectors.npy", allow_pickle=False)
            if len(keys) == len(arr):
                self.vectors = {k: arr[i] for i, k in enumerate(keys)}
        except (OSError, ValueError):
            self.vectors = {}  # no cache, or a damaged one: embed again

    def embed(self, texts: Sequence[str], embed_fn: Callable[[list[str]], np.ndarray], dim: int,
              progress: Callable[[int], None] | None = None, batch: int = 16) -> tuple[np.ndarray, int]:
        """Vectors for texts, embedding only those not cached. Returns (matrix, number embedded now)."""
        keys = [content_hash(t, 24) for t in texts]
        missing = [i for i, k in enumerate(keys) if k not in self.vectors]
        for b in range(0, len(missing), batch):
            idx = missing[b:b + batch]
            vecs = embed_fn([texts[i] for i in idx])
            for i, v in zip(idx, vecs):
                self.vectors[keys[i]] = np.asarray(v, dtype=np.float32)
            if progress:
                progress(len(idx))
        out = np.stack([self.vectors[k] for k in keys]) if keys else np.zeros((0, dim), dtype=np.float32)
        # keep only what the current corpus uses, so removed notices leave nothing behind
        self.vectors = {k: self.vectors[k] for k in keys}
        return out.astype(np.float32), len(missing)

    def save(self) -> None:
        keys = list(self.vectors)
        arr = np.stack([self.vectors[k] for k in keys]) if keys else np.zeros((0, 1), dtype=np.float32)
        _save_npy(self.dir / "vectors.npy", arr)
        _atomic_write_bytes(self.dir / "keys.json", json.dumps(keys).encode("utf-8"))


class TokenCache:
    """BM25 tokens keyed by the hash of the exact text tokenised, one file per tokenizer signature: adding a
    notice tokenises only its passages (jieba over a whole corpus takes seconds per thousand passages)."""

    def __init__(self, root: Path, signature: str) -> None:
        self.path = Path(root) / f"tokens-{content_hash(signature, 12)}.json"
        self.tokens: dict[str, list[str]] = {}
        try:
            d = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(d, dict) and d.get("signature") == signature and isinstance(d.get("tokens"), dict):
                self.tokens = {k: v for k, v in d["tokens"].items()
                               if isinstance(v, list) and all(isinstance(x, str) for x in v)}
        except (OSError, ValueError):
            self.tokens = {}  # no cache, or a damaged one: tokenise again
        self.signature = signature

    def tokenize(self, texts: Sequence[str], fn: Callable[[str], list[str]]) -> list[list[str]]:
        keys = [content_hash(t, 24) for t in texts]
        out = []
        for k, t in zip(keys, texts):
            toks = self.tokens.get(k)
            if toks is None:
                toks = self.tokens[k] = list(fn(t))
            out.append(toks)
        self.tokens = {k: self.tokens[k] for k in keys}  # only what the current corpus uses
        return out

    def save(self) -> None:
        data = json.dumps({"signature": self.signature, "tokens": self.tokens}, ensure_ascii=False)
        _atomic_write_bytes(self.path, data.encode("utf-8"))


def new_faiss_index(dim: int, n: int, train: np.ndarray | None = None, ivf_above: int = IVF_ABOVE):
    """An empty index for `n` vectors: exact inner product up to `ivf_above`, else IVF with 4·sqrt(n) lists
    trained on `train` (a sample of the vectors). Returns (index, kind)."""
    import faiss
    if n <= ivf_above:
        return faiss.IndexFlatIP(dim), "flat"
    nlist = int(4 * np.sqrt(n))
    quantizer = faiss.IndexFlatIP(dim)
    idx = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
    sample = train if train is not None else np.zeros((0, dim), dtype=np.float32)
    idx.train(np.ascontiguousarray(sample[: 64 * nlist], dtype=np.float32))
    idx.nprobe = IVF_NPROBE
    return idx, f"ivf{nlist}"


def make_faiss_index(vectors: np.ndarray, ivf_above: int = IVF_ABOVE):
    """Index these vectors (exact search for small corpora, IVF above `ivf_above`)."""
    n, d = vectors.shape if vectors.ndim == 2 else (0, 1)
    idx, kind = new_faiss_index(d, n, vectors if n > ivf_above else None, ivf_above)
    if n:
        idx.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return idx, kind


def build_index(cfg: Config, notices: list[Notice], passages: list[Passage], embedder, tokenizer,
                show_progress: bool = True, reports: list[FileReport] | None = None,
                files: dict[str, str] | None = None, progress=None) -> Path:
    """Embed (reusing the cache), index and write a new build; point CURRENT at it. Returns its folder.

    `files` is the corpus fingerprint the notices were read from (computed again when not given); `progress`
    is called with (done, total) passages embedded."""
    import bm25s
    import faiss
    from tqdm import tqdm

    t0 = time.time()
    index_dir = Path(cfg.index_dir)
    (index_dir / "builds").mkdir(parents=True, exist_ok=True)
    by_id = {n.id: n for n in notices}
    texts = [indexed_text(by_id[p.notice_id], p) for p in passages]
    cache = EmbeddingCache(index_dir / "cache", embedder.name)
    bar = tqdm(total=len(texts), desc="向量化段落", unit="段", disable=not show_progress)
    done = [sum(1 for t in texts if content_hash(t, 24) in cache.vectors)]
    bar.update(done[0])

    def step(n: int) -> None:
        bar.update(n)
        done[0] += n
        if progress:
            progress(done[0], len(texts))
    vectors, embedded = cache.embed(texts, embedder.embed_passages, embedder.dim, progress=step)
    bar.close()
    cache.save()

    fidx, kind = make_faiss_index(vectors)
    bm25 = bm25s.BM25()
    tok_cache = TokenCache(index_dir / "cache", tokenizer.signature())
    corpus_tokens = [t or ["\u2400"] for t in tok_cache.tokenize(texts, tokenizer.tokens)]
    tok_cache.save()
    bm25.index(corpus_tokens, show_progress=False)

    fp = files if files is not None else corpus_fingerprint(cfg.corpus_dir, Limits.from_config(cfg))
    manifest = Manifest(
        format_version=FORMAT_VERSION, chunker_version=CHUNKER_VERSION, embedding_backend=cfg.embedding_backend,
        embedding_model=embedder.name, dim=int(vectors.shape[1]) if len(vectors) else int(embedder.dim),
        chunk_min_chars=cfg.chunk_min_chars, chunk_max_chars=cfg.chunk_max_chars,
        tokenizer=tokenizer.signature(), corpus_hash=corpus_hash(fp),
        files=fp, notice_count=len(notices), passage_count=len(passages), faiss_kind=kind,
        built_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"), build_seconds=0.0, embedded_passages=embedded,
        ingest_version=INGEST_VERSION,
    )
    tmp = Path(tempfile.mkdtemp(dir=index_dir / "builds", prefix=".tmp-"))
    try:
        (tmp / "notices.jsonl").write_text(
            "".join(json.dumps(n.to_dict(), ensure_ascii=False) + "\n" for n in notices), encoding="utf-8")
        (tmp / "ingest.jsonl").write_text(
            "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in reports or ()), encoding="utf-8")
        (tmp / "passages.jsonl").write_text(
            "".join(json.dumps(p.to_dict(), ensure_ascii=False) + "\n" for p in passages), encoding="utf-8")
        np.save(tmp / "vectors.npy", vectors, allow_pickle=False)
        faiss.write_index(fidx, str(tmp / "faiss.index"))
        bm25.save(str(tmp / "bm25"), show_progress=False)
        manifest = Manifest(**{**asdict(manifest), "build_seconds": round(time.time() - t0, 2)})
        (tmp / "manifest.json").write_text(json.dumps(asdict(manifest), ensure_ascii=False, indent=1),
                                           encoding="utf-8")
        base = f"{time.strftime('%Y%m%d-%H%M%S')}-{manifest.corpus_hash[:8]}-{os.getpid()}"
        name, k = base, 1
        while (index_dir / "builds" / name).exists():  # a rebuild of the same corpus within the same second
            k += 1
            name = f"{base}-{k}"
        final = index_dir / "builds" / name
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _atomic_write_bytes(index_dir / "CURRENT", name.encode("utf-8"))
    for old in (index_dir / "builds").iterdir():
        if old.name != name:
            shutil.rmtree(old, ignore_errors=True)
    return final


def current_build(index_dir: Path) -> Path | None:
    try:
        name = (Path(index_dir) / "CURRENT").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    p = Path(index_dir) / "builds" / name
    return p if name and p.is_dir() else None


def read_manifest(build: Path) -> Manifest:
    try:
        d = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
        return Manifest(**d)
    except (OSError, ValueError, TypeError) as e:
        raise IndexError_("索引清单文件损坏或缺失,需要重建索引", f"bad manifest in {build}: {e!r}") from e


def stale_reason(m: Manifest, cfg: Config, embedder_name: str) -> str | None:
    """Why an index cannot serve this config and corpus, or None when it can."""
    if m.format_version != FORMAT_VERSION:
        return f"index format {m.format_version} != {FORMAT_VERSION}"
    if m.chunker_version != CHUNKER_VERSION:
        return f"chunker version {m.chunker_version} != {CHUNKER_VERSION}"
    if m.embedding_model != embedder_name:
        return f"embedding model {m.embedding_model!r} != {embedder_name!r}"
    if (m.chunk_min_chars, m.chunk_max_chars) != (cfg.chunk_min_chars, cfg.chunk_max_chars):
        return "chunk bounds changed"
    if m.tokenizer != Tokenizer.signature():
        return "tokenizer changed"
    if m.ingest_version != INGEST_VERSION:
        return f"ingest rules {m.ingest_version} != {INGEST_VERSION}"
    if m.corpus_hash != corpus_hash(corpus_fingerprint(cfg.corpus_dir, Limits.from_config(cfg))):
        return "corpus changed"
    return None


def load_index(build: Path) -> IndexData:
    """Load a build folder. Any missing, truncated or inconsistent file raises IndexError_ (never a traceback)."""
    import bm25s
    import faiss

    m = read_manifest(build)
    try:
        notices = [Notice.from_dict(json.loads(line)) for line in
                   (build / "notices.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
        reports = [FileReport.from_dict(json.loads(line)) for line in
                   (build / "ingest.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
        passages = [Passage.from_dict(json.loads(line)) for line in
                    (build / "passages.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
        vectors = np.load(build / "vectors.npy", allow_pickle=False)
        fidx = faiss.read_index(str(build / "faiss.index"))
        bm25 = bm25s.BM25.load(str(build / "bm25"), load_corpus=False)
    except Exception as e:  # noqa: BLE001 - json, numpy, faiss and bm25s each raise their own kinds
        raise IndexError_("索引文件损坏或不完整,需要重建索引", f"cannot load {build}: {e!r}") from e
    by_id = {n.id: n for n in notices}
    problems = []
    if len(passages) != m.passage_count or vectors.shape[0] != len(passages) or fidx.ntotal != len(passages):
        problems.append(f"counts differ: manifest {m.passage_count}, passages {len(passages)}, "
                        f"vectors {vectors.shape[0]}, faiss {fidx.ntotal}")
    if len(passages) and vectors.shape[1] != m.dim:
        problems.append(f"dimension {vectors.shape[1]} != manifest {m.dim}")
    for p in passages:
        n = by_id.get(p.notice_id)
        if n is None or n.text[p.start:p.end] != p.text:
            problems.append(f"passage {p.id} does not match its notice")
            break
    if problems:
        raise IndexError_("索引文件不一致,需要重建索引", "; ".join(problems))
    return IndexData(m, by_id, passages, vectors, fidx, bm25, build, reports)


def read_ingested(build: Path) -> tuple[list[Notice], list[FileReport]]:
    """The notices and file reports of a build, without its vectors (to reuse unchanged files when the corpus
    changes). Raises IndexError_ when they cannot be read."""
    try:
        notices = [Notice.from_dict(json.loads(line)) for line in
                   (build / "notices.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
        reports = [FileReport.from_dict(json.loads(line)) for line in
                   (build / "ingest.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, ValueError, TypeError, KeyError) as e:
        raise IndexError_("索引文件损坏或不完整,需要重建索引", f"cannot read notices of {build}: {e!r}") from e
    return notices, reports
