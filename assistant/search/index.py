"""The on-disk index: FAISS vectors, BM25 over jieba tokens, passages and notices as JSON lines, a manifest.

Layout under index_dir:
    CURRENT                    name of the live build (replaced atomically with os.replace)
    build.lock                 held (flock) by the one process building; holds its pid
    builds/<name>/manifest.json, vectors.npy, faiss.index, bm25/
    builds/<name>/notices.jsonl, notice_texts.bin, notice_cols.npy, notice_cards.json   notices (search/notices.py)
    builds/<name>/passage_ids.npy, passage_cols.npy, passage_sorted.npy, sections.json   passages as columns
    builds/<name>/substrings/g1..g4.npy   pieces of the corpus text, for the answer stage's "occurs anywhere?"
    builds/<name>/tokensets/   token sets of the sentences the answer stage scores (search/tokensets.py)
    builds/<name>/ingest.jsonl the report of every entry of the corpus folder
    cache/<model>-d<dim>/keys.json + vectors.npy + meta.json    embeddings by content hash, reused across rebuilds
    cache/tokens-<signature>.json                               BM25 tokens by content hash, with their sha256

Loading reads columns and maps large arrays (vectors, BM25, substrings) from disk rather than parsing a record per
passage: a million passages load in seconds (search/table.py, search/substrings.py).

A build is written into a fresh folder and only then named in CURRENT, so a crash never leaves half an index.
The manifest holds the sha256 of every other file of its build, checked at load: a damaged file is found
before it can give a wrong answer. One build at a time per folder (`build_lock`). The test hook `fault_point`
stops a build after a named step (ASSISTANT_FAULT_AFTER), to prove a killed build loses nothing.

The helpers for checksums, the lock and the cache are small functions with no other dependency, so the files
can move behind a storage interface unchanged.
"""
from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import re
import shutil
import signal
import tempfile
import time
from dataclasses import asdict, dataclass, field
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from ..config import Config
from ..errors import IndexBusy, IndexError_
from ..ingest.corpus import INGEST_VERSION, corpus_fingerprint
from ..ingest.readers import Limits
from ..text import Tokenizer, fold, simplified
from ..types import FileReport, Notice, Passage, content_hash
from .lookup import NoticeLookup
from .notices import NoticeStore, write_notices
from .substrings import WIDTHS, Substrings
from .table import PassageTable
from .tokensets import TokenSets, scored_texts, text_key

log = logging.getLogger(__name__)

# 3: notices carry raw_text, provenance and pages; ingest.jsonl holds the file reports
# 4: sha256 of every build file in the manifest; embedding cache keyed by model and dimension
# 5: notices read when asked for (metadata lines, texts apart, offsets), passages as columns (text taken from the
#    notice), FAISS IVF with float16 codes above IVF_ABOVE, vectors.npy in the dtype FAISS searches, the corpus's
#    substrings for the answer stage
# 6: the token sets of the texts the answer stage scores (sentences, contexts, openings), search/tokensets.py
FORMAT_VERSION = 6
CHUNKER_VERSION = 3  # bump when chunking rules change, so indexes built by older rules are rebuilt (2: headings
# read on folded lines: 問題3, １．; 3: passages in traditional characters embedded in simplified ones)
IVF_ABOVE = 200_000  # exact search up to this many vectors, IVF above (benchmarks/bench.py measures both)
IVF_NPROBE = 64  # lists searched per query; recall@10 against exact search is measured by the benchmark
# IVF lists hold float16 codes (faiss ScalarQuantizer QT_fp16): half the memory of float32 and the same recall@10
# against exact float32 search (benchmarks/scale.py --vector-recall measured fp16, 8-bit and PQ codes)


def indexed_text(notice: Notice, passage: Passage) -> str:
    """What BM25 and the embedder see: title, heading path, then the passage, in simplified characters when they are
    written in traditional ones (`text.simplified`; BM25 folds its tokens anyway). Users are shown passage.text."""
    return simplified(f"{notice.title}\n{passage.section_label}\n{passage.text}")


def corpus_hash(fingerprint: dict[str, str]) -> str:
    """sha256 of the fingerprint as JSON (file names that were not UTF-8 included), first 16 hex digits."""
    return hashlib.sha256(_json_bytes(fingerprint, sort_keys=True)).hexdigest()[:16]


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
    # sha256 of every other file of the build, by path relative to the build folder
    checksums: dict[str, str] = field(default_factory=dict)


@dataclass
class IndexData:
    """A loaded index. Read-only after loading; safe to share between threads."""

    manifest: Manifest
    notices: NoticeStore  # a Mapping of notice id -> Notice
    passages: PassageTable  # a Sequence[Passage]
    vectors: np.ndarray  # memory-mapped; what FAISS holds (float32, or float16 above IVF_ABOVE)
    faiss_index: Any
    bm25: Any
    path: Path
    reports: list[FileReport] = field(default_factory=list)  # one per entry of the corpus folder
    substrings: Substrings | None = None  # pieces of the folded corpus text (answer/gate.py)
    token_sets: TokenSets | None = None  # token sets of the texts the answer stage scores (search/tokensets.py)

    def notice_of(self, p: Passage) -> Notice:
        return self.notices[p.notice_id]

    @property
    def position(self):
        """Passage id -> its position in the build (stores break ties by it): a Mapping."""
        return self.passages.position

    @property
    def by_notice(self):
        """Passages of each notice, in text order: a Mapping of notice id -> list of passages."""
        return self.passages.by_notice

    def tokens_held(self, row: int, tokens) -> set[str]:
        """Which of `tokens` the indexed text (title, heading path, passage) of passage `row` holds, read from the
        BM25 matrix: a token's column lists the passages whose tokens include it, in order (a binary search each),
        so nothing is tokenised again. Example: tokens_held(0, {"搬迁", "没有的词"}) -> {"搬迁"}."""
        vocab = getattr(self.bm25, "vocab_dict", None) or {}
        indptr, indices = self.bm25.scores["indptr"], self.bm25.scores["indices"]
        out = set()
        for t in tokens:
            v = vocab.get(t)
            if v is None or v + 1 >= len(indptr):
                continue
            a, b = int(indptr[v]), int(indptr[v + 1])
            j = a + int(np.searchsorted(indices[a:b], row))
            if j < b and int(indices[j]) == row:
                out.add(t)
        return out

    @cached_property
    def cards(self) -> dict[str, Notice]:
        """Every notice's short fields (id, title, issuer, date, places) as a Notice without its texts, made once
        from the build's columns: what filters and clarifying replies look at for every notice."""
        c = self.notices.cards
        return {nid: Notice(id=nid, path="", title=c["title"][i], issuer=c["issuer"][i], date=c["date"][i],
                            province=c["province"][i], city=c["city"][i], county=c["county"][i],
                            township=c["township"][i], doc_number=None, source=None, text="")
                for i, nid in enumerate(c["id"])}

    @cached_property
    def lookup(self) -> NoticeLookup:
        """Notice rows by region piece, date and id (search/lookup.py), made once from the notices' short fields:
        a filter is then a few binary searches, not a test of every notice."""
        cards, ids = self.cards, list(self.notices.ids)
        return NoticeLookup(ids, [cards[n].region_text for n in ids], [cards[n].date for n in ids])

    def allowed(self, filters) -> np.ndarray:
        """Which notices (rows of the build) the filters allow, as a boolean mask: what Filters.allows says of
        each notice's short fields (tests/test_scale_format.py checks they agree), looked up."""
        return self.lookup.mask(filters)

    def notice_ids_allowed(self, filters) -> list[str] | None:
        """The ids of the notices the filters allow (None: no filter, every notice)."""
        rows = self.lookup.rows(filters)
        ids = self.notices.ids
        return None if rows is None else [ids[r] for r in rows.tolist()]


# ------------------------------------------------------------------ small file helpers

def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)[:120]


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write a file of the index: a temporary file, then os.replace. A folder in its place is moved aside."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir() and not path.is_symlink():
        _move_aside(path)
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


def _json_bytes(obj: Any, **kw: Any) -> bytes:
    """JSON as UTF-8; escaped as ASCII when it holds a lone surrogate (a file name that was not UTF-8), which
    json.loads turns back into the same string."""
    try:
        return json.dumps(obj, ensure_ascii=False, **kw).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(obj, ensure_ascii=True, **kw).encode("ascii")


def _npy_bytes(arr: np.ndarray) -> bytes:
    import io
    buf = io.BytesIO()
    np.save(buf, arr, allow_pickle=False)
    return buf.getvalue()


def _move_aside(path: Path) -> None:
    """Something of the wrong kind sits where the index keeps a file or folder (a folder named CURRENT, a file
    named builds): rename it out of the way, keeping its content, and say so."""
    aside = path.with_name(f"{path.name}.broken-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}")
    os.rename(path, aside)
    log.warning("索引目录中的 %s 类型不对,已改名为 %s 并重建", path.name, aside.name)


def _ensure_dir(path: Path) -> None:
    """Create a folder the index owns (builds/, cache/…), first moving aside a file (or broken link) that has
    its name. Never used on index_dir itself: that is the user's choice (`_ensure_index_dir`)."""
    if (path.exists() or path.is_symlink()) and not path.is_dir():
        _move_aside(path)
    path.mkdir(parents=True, exist_ok=True)


def _ensure_index_dir(index_dir: Path) -> None:
    """Create the index folder; something else with its name is left alone and named in the error."""
    if index_dir.exists() and not index_dir.is_dir():
        raise IndexError_(f"索引目录 {index_dir} 不是文件夹,请换一个目录(--index)",
                          f"index_dir is not a folder: {index_dir}")
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise IndexError_(f"无法创建索引目录 {index_dir}:{e.strerror or e}", repr(e)) from e


def sha256_file(path: Path) -> str:
    """sha256 of a file, read into one reused 8 MB buffer (a new bytes object per block read was 2x slower)."""
    h = hashlib.sha256()
    buf = bytearray(8 << 20)
    view = memoryview(buf)
    with open(path, "rb", buffering=0) as f:
        while n := f.readinto(buf):
            h.update(view[:n])
    return h.hexdigest()


def file_checksums(folder: Path, skip: tuple[str, ...] = ("manifest.json",)) -> dict[str, str]:
    """sha256 of every file under folder, by posix path relative to it. Example: {"vectors.npy": "9f…"}."""
    out = {}
    for p in sorted(Path(folder).rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if p.is_file() and rel not in skip:
            out[rel] = sha256_file(p)
    return out


def checksum_problem(folder: Path, expected: dict[str, str]) -> str | None:
    """The first file of `expected` that is missing, not a file, or not what was written; None when all match.
    Files are hashed two at a time (hashlib and file reads release the GIL). At a million passages the build's
    3.5 GB of files are most of the load time: 3-5 s on two cores at load average 2 (benchmarks/scale.py)."""
    items = sorted(expected.items())
    for rel, _ in items:
        p = Path(folder) / rel
        if not p.is_file() or p.is_symlink():
            return f"索引文件 {rel} 缺失或不是普通文件"

    def digest(rel: str) -> str | OSError:
        try:
            return sha256_file(Path(folder) / rel)
        except OSError as e:
            return e
    def size(rel: str) -> int:
        try:
            return (Path(folder) / rel).stat().st_size
        except OSError:
            return 0
    big_first = sorted(items, key=lambda kv: -size(kv[0]))
    with ThreadPoolExecutor(max_workers=2) as pool:
        got = dict(zip((rel for rel, _ in big_first), pool.map(digest, (rel for rel, _ in big_first))))
    for rel, want in items:
        if isinstance(got[rel], OSError):
            return f"索引文件 {rel} 无法读取({got[rel].strerror})"
        if got[rel] != want:
            return f"索引文件 {rel} 已损坏(校验和不符)"
    return None


# ------------------------------------------------------------------ fault injection (tests)

FAULT_ENV = "ASSISTANT_FAULT_AFTER"
BUILD_STEPS = ("locked", "cache-saved", "notices-written", "passages-written", "vectors-written", "faiss-written",
               "bm25-written", "manifest-written", "renamed", "current-switched", "cleaned")


def fault_point(step: str) -> None:
    """Test hook: when the environment variable ASSISTANT_FAULT_AFTER names this build step, the process kills
    itself with SIGKILL right here, as a power cut or an OOM kill would. Unset (always, in use), it does nothing."""
    if os.environ.get(FAULT_ENV) == step:
        os.kill(os.getpid(), signal.SIGKILL)


# ------------------------------------------------------------------ one build at a time

class BuildLock:
    """An exclusive lock on index_dir/build.lock (flock), whose content is the owner's pid.

    The kernel releases a flock when its process dies, however it dies, so a lock left by a killed build is
    stale by construction and the next build takes it over (saying whose it was). A second build waits for the
    first, up to `wait_seconds`, then raises IndexBusy naming the pid that holds it.
    """

    def __init__(self, index_dir: Path, wait_seconds: float = 600.0, poll: float = 0.2, announce: bool = True) -> None:
        self.path = Path(index_dir) / "build.lock"
        self.wait_seconds = wait_seconds
        self.poll = poll
        self.announce = announce
        self.waited = False  # True when another build held the lock first
        self._fd: int | None = None

    def owner(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8", errors="replace").split("\n")[0].strip() or "?"
        except OSError:
            return "?"

    def __enter__(self) -> "BuildLock":
        import fcntl
        _ensure_index_dir(self.path.parent)
        if self.path.is_dir() or self.path.is_symlink():
            _move_aside(self.path)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.wait_seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as e:
                if e.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    os.close(fd)
                    raise
            if not self.waited:
                self.waited = True
                if self.announce:
                        log.warning("另一个进程(pid %s)正在建立索引 %s,等待它完成(最多 %.0f 秒)……",
                                self.owner(), self.path.parent, self.wait_seconds)
            if time.monotonic() >= deadline:
                os.close(fd)
                raise IndexBusy(f"另一个进程(pid {self.owner()})正在建立索引,请稍后再试。",
                                f"{self.path} held by pid {self.owner()} after {self.wait_seconds}s")
            time.sleep(self.poll)
        stale = os.pread(fd, 64, 0).decode("utf-8", "replace").split("\n")[0].strip()
        if stale and stale != str(os.getpid()):
            log.info("接管了进程 %s 留下的建索引锁(该进程已不在)", stale)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n{time.strftime('%Y-%m-%dT%H:%M:%S')}\n".encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            os.close(self._fd)  # releases the flock
            self._fd = None


def build_lock(index_dir: Path, wait_seconds: float = 600.0) -> BuildLock:
    return BuildLock(index_dir, wait_seconds)


# ------------------------------------------------------------------ embedding cache

CACHE_FORMAT = 1


class EmbeddingCache:
    """Embeddings keyed by the hash of the exact text embedded, one folder per model and dimension.

    meta.json holds the model, the dimension and the sha256 of both files; a cache whose files do not match
    is dropped whole, and an entry of the wrong shape, not finite or not unit length (every backend
    normalises) is dropped alone, so a bad vector is embedded again rather than reused.
    """

    def __init__(self, root: Path, model_name: str, dim: int) -> None:
        self.root = Path(root)
        self.model_name = model_name
        self.dim = int(dim)
        self.dir = self.root / f"{_safe(model_name)}-d{self.dim}"
        self.vectors: dict[str, np.ndarray] = {}
        self.dropped = 0
        if (self.dir / "meta.json").exists() or not (self.root / _safe(model_name)).is_dir():
            keys, arr = self._read(self.dir, check_meta=True)
        else:  # the layout before format 3 (one folder per model, no meta): read it once, entry by entry
            keys, arr = self._read(self.root / _safe(model_name), check_meta=False)
        for k, v in zip(keys, arr):
            if self._good(k, v):
                self.vectors[k] = np.asarray(v, dtype=np.float32)
            else:
                self.dropped += 1
        if self.dropped:
            log.warning("嵌入缓存中有 %d 条无效向量,已丢弃,将重新向量化", self.dropped)

    def _good(self, key: Any, v: np.ndarray) -> bool:
        if not isinstance(key, str) or len(v) != self.dim or not np.all(np.isfinite(v)):
            return False
        n = float(np.linalg.norm(v))
        return abs(n - 1.0) < 1e-3 or n == 0.0

    def _read(self, folder: Path, check_meta: bool) -> tuple[list, np.ndarray]:
        empty: tuple[list, np.ndarray] = ([], np.zeros((0, self.dim), dtype=np.float32))
        if not folder.exists():
            return empty
        try:
            if check_meta:
                meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
                want = {"format": CACHE_FORMAT, "model": self.model_name, "dim": self.dim}
                if not isinstance(meta, dict) or {k: meta.get(k) for k in want} != want:
                    raise ValueError(f"meta {str(meta)[:120]} does not match {want}")
                for name in ("keys.json", "vectors.npy"):
                    if sha256_file(folder / name) != (meta.get("sha256") or {}).get(name):
                        raise ValueError(f"{name} checksum mismatch")
            keys = json.loads((folder / "keys.json").read_text(encoding="utf-8"))
            arr = np.load(folder / "vectors.npy", allow_pickle=False)
            if not isinstance(keys, list) or arr.ndim != 2 or len(keys) != len(arr) or arr.shape[1] != self.dim:
                raise ValueError(f"shape {arr.shape} for {len(keys) if isinstance(keys, list) else '?'} keys")
            return keys, arr
        except (OSError, ValueError, TypeError, UnicodeDecodeError) as e:
            log.warning("嵌入缓存 %s 无法使用(%s),将重新向量化", folder.name, str(e)[:200])
            return empty

    def embed(self, texts: Sequence[str], embed_fn: Callable[[list[str]], np.ndarray], dim: int,
              progress: Callable[[int], None] | None = None, batch: int = 16) -> tuple[np.ndarray, int]:
        """Vectors for texts, embedding only those not cached. Returns (matrix, number embedded now)."""
        keys = [content_hash(t, 24) for t in texts]
        missing = [i for i, k in enumerate(keys) if k not in self.vectors]
        for b in range(0, len(missing), batch):
            idx = missing[b:b + batch]
            vecs = np.asarray(embed_fn([texts[i] for i in idx]), dtype=np.float32)
            if vecs.ndim != 2 or vecs.shape != (len(idx), self.dim):
                raise IndexError_(f"向量模型返回的向量形状不对:{vecs.shape},应为 ({len(idx)}, {self.dim})",
                                  f"embedder returned {vecs.shape}, expected ({len(idx)}, {self.dim})")
            for i, v in zip(idx, vecs):
                self.vectors[keys[i]] = v
            if progress:
                progress(len(idx))
        out = np.stack([self.vectors[k] for k in keys]) if keys else np.zeros((0, dim), dtype=np.float32)
        # keep only what the current corpus uses, so removed notices leave nothing behind
        self.vectors = {k: self.vectors[k] for k in keys}
        return out.astype(np.float32), len(missing)

    def save(self) -> None:
        """Write both files, then meta.json with their checksums (a crash in between leaves a cache that fails
        its check and is rebuilt from the notices, never a wrong vector)."""
        _ensure_dir(self.root)
        _ensure_dir(self.dir)
        keys = list(self.vectors)
        arr = np.stack([self.vectors[k] for k in keys]) if keys else np.zeros((0, self.dim), dtype=np.float32)
        kb, vb = json.dumps(keys).encode("utf-8"), _npy_bytes(arr.astype(np.float32))
        _atomic_write_bytes(self.dir / "vectors.npy", vb)
        _atomic_write_bytes(self.dir / "keys.json", kb)
        meta = {"format": CACHE_FORMAT, "model": self.model_name, "dim": self.dim, "count": len(keys),
                "sha256": {"keys.json": hashlib.sha256(kb).hexdigest(), "vectors.npy": hashlib.sha256(vb).hexdigest()}}
        _atomic_write_bytes(self.dir / "meta.json", json.dumps(meta, ensure_ascii=False).encode("utf-8"))


class TokenCache:
    """BM25 tokens keyed by the hash of the exact text tokenised, one file per tokenizer signature: adding a
    notice tokenises only its passages (jieba over a whole corpus takes seconds per thousand passages).

    The file holds the sha256 of its tokens: a file changed after it was written is dropped whole (tokenised
    again), never used for BM25."""

    def __init__(self, root: Path, signature: str) -> None:
        self.path = Path(root) / f"tokens-{content_hash(signature, 12)}.json"
        self.tokens: dict[str, list[str]] = {}
        self.signature = signature
        if not self.path.exists() and not self.path.is_symlink():
            return
        try:
            d = json.loads(self.path.read_text(encoding="utf-8"))
            if not (isinstance(d, dict) and d.get("signature") == signature and isinstance(d.get("tokens"), dict)
                    and d.get("sha256") == self._digest(d["tokens"])):
                raise ValueError("signature or checksum mismatch")
            self.tokens = {k: v for k, v in d["tokens"].items()
                           if isinstance(v, list) and all(isinstance(x, str) for x in v)}
        except (OSError, ValueError, TypeError, UnicodeDecodeError) as e:
            log.warning("分词缓存 %s 无法使用(%s),将重新分词", self.path.name, str(e)[:120])
            self.tokens = {}

    @staticmethod
    def _digest(tokens: dict) -> str:
        return hashlib.sha256(json.dumps(tokens, sort_keys=True, ensure_ascii=True).encode("ascii")).hexdigest()

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
        data = {"signature": self.signature, "sha256": self._digest(self.tokens), "tokens": self.tokens}
        _atomic_write_bytes(self.path, json.dumps(data, ensure_ascii=False).encode("utf-8"))


# ------------------------------------------------------------------ FAISS

def new_faiss_index(dim: int, n: int, train: np.ndarray | None = None, ivf_above: int = IVF_ABOVE):
    """An empty index for `n` vectors: exact inner product up to `ivf_above`, else IVF with 4·sqrt(n) lists
    trained on `train` (a sample of the vectors). Returns (index, kind)."""
    import faiss
    if n <= ivf_above:
        return faiss.IndexFlatIP(dim), "flat"
    nlist = int(4 * np.sqrt(n))
    quantizer = faiss.IndexFlatIP(dim)
    idx = faiss.IndexIVFScalarQuantizer(quantizer, dim, nlist, faiss.ScalarQuantizer.QT_fp16,
                                        faiss.METRIC_INNER_PRODUCT)
    sample = train if train is not None else np.zeros((0, dim), dtype=np.float32)
    idx.train(np.ascontiguousarray(sample[: 64 * nlist], dtype=np.float32))
    idx.nprobe = IVF_NPROBE
    return idx, f"ivf{nlist}-fp16"


def make_faiss_index(vectors: np.ndarray, ivf_above: int = IVF_ABOVE):
    """Index these vectors (exact search for small corpora, IVF above `ivf_above`)."""
    n, d = vectors.shape if vectors.ndim == 2 else (0, 1)
    idx, kind = new_faiss_index(d, n, vectors if n > ivf_above else None, ivf_above)
    if n:
        idx.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return idx, kind


# ------------------------------------------------------------------ building

def build_index(cfg: Config, notices: list[Notice], passages: list[Passage], embedder, tokenizer,
                show_progress: bool = True, reports: list[FileReport] | None = None,
                files: dict[str, str] | None = None, progress=None, lock: BuildLock | None = None) -> Path:
    """Embed (reusing the cache), index and write a new build; point CURRENT at it. Returns its folder.

    `files` is the corpus fingerprint the notices were read from (computed again when not given); `progress`
    is called with (done, total) passages embedded. Takes the folder's build lock unless the caller holds it
    (`lock`). A folder that cannot be written raises IndexError_ naming it."""
    if lock is None:
        with build_lock(cfg.index_dir, cfg.build_wait_seconds) as held:
            return build_index(cfg, notices, passages, embedder, tokenizer, show_progress, reports, files,
                               progress, held)
    fault_point("locked")
    try:
        return _build(cfg, notices, passages, embedder, tokenizer, show_progress, reports, files, progress)
    except OSError as e:
        raise IndexError_(f"无法写入索引目录 {cfg.index_dir}:{e.strerror or e}",
                          f"cannot write the index: {e!r}") from e


def _build(cfg: Config, notices: list[Notice], passages: list[Passage], embedder, tokenizer,
           show_progress: bool, reports: list[FileReport] | None, files: dict[str, str] | None, progress) -> Path:
    import bm25s
    import faiss
    from tqdm import tqdm

    t0 = time.time()
    index_dir = Path(cfg.index_dir)
    _ensure_dir(index_dir / "builds")
    by_id = {n.id: n for n in notices}
    texts = [indexed_text(by_id[p.notice_id], p) for p in passages]
    cache = EmbeddingCache(index_dir / "cache", embedder.name, embedder.dim)
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
    fault_point("cache-saved")

    fidx, kind = make_faiss_index(vectors)
    if kind != "flat":  # vectors.npy holds what FAISS searches: float16 codes decode to exactly these
        vectors = vectors.astype(np.float16)
    for p in passages:  # a passage's text is not written: it is read back from its notice
        if by_id[p.notice_id].text[p.start:p.end] != p.text:
            raise IndexError_("段落与通报原文不一致,无法建立索引", f"passage {p.id} is not its notice's text")
    table = PassageTable.of(passages, by_id)
    if len(set(table.ids.tolist())) != len(passages):
        raise IndexError_("段落编号重复,无法建立索引", "passage ids are not unique")
    substrings = Substrings.of_texts(fold(f"{n.title}\n{n.issuer}\n{n.text}") for n in notices)
    bm25 = bm25s.BM25()
    tok_cache = TokenCache(index_dir / "cache", tokenizer.signature())
    groups: dict[str, list[Passage]] = {}
    for p in passages:
        groups.setdefault(p.notice_id, []).append(p)
    # the texts the answer stage scores, each distinct one tokenised once (with the passages: one cache)
    pieces = list(dict.fromkeys(t for n in notices for t in scored_texts(n, groups.get(n.id, ()))))
    all_tokens = tok_cache.tokenize(texts + pieces, tokenizer.tokens)
    tok_cache.save()
    corpus_tokens = [t or ["\u2400"] for t in all_tokens[:len(texts)]]
    token_sets = TokenSets.of_pairs((text_key(t), toks) for t, toks in zip(pieces, all_tokens[len(texts):]))
    del all_tokens, pieces, groups
    bm25.index(corpus_tokens, show_progress=False)

    fp = files if files is not None else corpus_fingerprint(cfg.corpus_dir, Limits.from_config(cfg))
    tmp = Path(tempfile.mkdtemp(dir=index_dir / "builds", prefix=".tmp-"))
    try:
        write_notices(tmp, notices, _json_bytes)
        (tmp / "ingest.jsonl").write_bytes(b"".join(_json_bytes(r.to_dict()) + b"\n" for r in reports or ()))
        fault_point("notices-written")
        np.save(tmp / "passage_ids.npy", table.ids, allow_pickle=False)
        np.save(tmp / "passage_cols.npy", table.cols, allow_pickle=False)
        np.save(tmp / "passage_sorted.npy", table.sorted_rows, allow_pickle=False)
        (tmp / "sections.json").write_bytes(_json_bytes([list(x) for x in table.sections]))
        fault_point("passages-written")
        (tmp / "substrings").mkdir()
        for w in WIDTHS:
            np.save(tmp / "substrings" / f"g{w}.npy", substrings.grams[w], allow_pickle=False)
        token_sets.save(tmp / "tokensets")
        np.save(tmp / "vectors.npy", vectors, allow_pickle=False)
        fault_point("vectors-written")
        faiss.write_index(fidx, str(tmp / "faiss.index"))
        fault_point("faiss-written")
        bm25.save(str(tmp / "bm25"), show_progress=False)
        fault_point("bm25-written")
        manifest = Manifest(
            format_version=FORMAT_VERSION, chunker_version=CHUNKER_VERSION, embedding_backend=cfg.embedding_backend,
            embedding_model=embedder.name, dim=int(vectors.shape[1]) if len(vectors) else int(embedder.dim),
            chunk_min_chars=cfg.chunk_min_chars, chunk_max_chars=cfg.chunk_max_chars,
            tokenizer=tokenizer.signature(), corpus_hash=corpus_hash(fp),
            files=fp, notice_count=len(notices), passage_count=len(passages), faiss_kind=kind,
            built_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"), build_seconds=round(time.time() - t0, 2),
            embedded_passages=embedded, ingest_version=INGEST_VERSION, checksums=file_checksums(tmp),
        )
        (tmp / "manifest.json").write_bytes(_json_bytes(asdict(manifest), indent=1))
        fault_point("manifest-written")
        base = f"{time.strftime('%Y%m%d-%H%M%S')}-{manifest.corpus_hash[:8]}-{os.getpid()}"
        name, k = base, 1
        while (index_dir / "builds" / name).exists():  # a rebuild of the same corpus within the same second
            k += 1
            name = f"{base}-{k}"
        final = index_dir / "builds" / name
        os.rename(tmp, final)
        fault_point("renamed")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    write_current(index_dir, name)
    fault_point("current-switched")
    _remove_other_builds(index_dir / "builds", keep=name)
    fault_point("cleaned")
    return final


def tidy_builds(index_dir: Path, live: Path) -> None:
    """Remove what a killed build left beside the live one (a temporary folder, the build it replaced), when no
    build is running; if one is, it tidies up itself when it finishes."""
    builds = Path(index_dir) / "builds"
    try:
        if not any(p.name != live.name for p in builds.iterdir()):
            return
        with BuildLock(index_dir, wait_seconds=0, announce=False):
            if current_build(index_dir) == live:
                _remove_other_builds(builds, keep=live.name)
    except (IndexBusy, OSError):
        pass


def _remove_other_builds(builds: Path, keep: str) -> None:
    """Old builds and the temporary folders of killed builds (only ever called under the build lock)."""
    for old in builds.iterdir():
        if old.name == keep:
            continue
        try:
            if old.is_dir() and not old.is_symlink():
                shutil.rmtree(old, ignore_errors=True)
            else:
                old.unlink()
        except OSError as e:
            log.warning("无法删除旧索引 %s(%s)", old.name, e.strerror)


# ------------------------------------------------------------------ CURRENT and loading

_BUILD_NAME = re.compile(r"[A-Za-z0-9._-]{1,200}")


def write_current(index_dir: Path, name: str) -> None:
    """Point CURRENT at a build, atomically (a folder named CURRENT is moved aside first)."""
    _atomic_write_bytes(Path(index_dir) / "CURRENT", name.encode("utf-8"))


def current_stamp(index_dir: Path) -> tuple[int, int, int] | None:
    """What CURRENT is now, in one stat() (inode, size, mtime in ns): a switched-in build replaces CURRENT
    (os.replace gives a new inode), so workers sharing index_dir compare stamps on every question to notice another
    worker's build cheaply. None when CURRENT is missing or unreadable."""
    try:
        st = os.stat(Path(index_dir) / "CURRENT")
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def current_build(index_dir: Path) -> Path | None:
    """The live build folder, or None when CURRENT is missing, unreadable, not UTF-8, not a plain build name
    (no path may lead out of builds/) or names no folder. Every None but a missing CURRENT is logged."""
    cur = Path(index_dir) / "CURRENT"
    try:
        raw = cur.read_bytes()
    except FileNotFoundError:
        if cur.is_symlink():
            log.warning("索引目录中的 CURRENT 是指向不存在文件的链接,将重建索引")
        return None
    except OSError as e:
        log.warning("索引目录中的 CURRENT 无法读取(%s),将重建索引", e.strerror)
        return None
    try:
        name = raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        log.warning("索引目录中的 CURRENT 内容无效(不是 UTF-8 文字),将重建索引")
        return None
    if not _BUILD_NAME.fullmatch(name) or name in (".", ".."):
        log.warning("索引目录中的 CURRENT 内容无效(%r),将重建索引", name[:60])
        return None
    p = Path(index_dir) / "builds" / name
    if not p.is_dir():
        log.warning("CURRENT 指向的索引 %s 不存在,将重建索引", name)
        return None
    return p


_MANIFEST_TYPES = {"format_version": int, "chunker_version": int, "embedding_backend": str, "embedding_model": str,
                   "dim": int, "chunk_min_chars": int, "chunk_max_chars": int, "tokenizer": str,
                   "corpus_hash": str, "files": dict, "notice_count": int, "passage_count": int, "faiss_kind": str,
                   "built_at": str, "build_seconds": (int, float), "embedded_passages": int, "ingest_version": int,
                   "checksums": dict}


def read_manifest(build: Path) -> Manifest:
    """The manifest of a build; IndexError_ naming what is wrong when it is missing, damaged, of another
    format version or has a field of the wrong type."""
    try:
        d = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise IndexError_("索引清单文件 manifest.json 损坏或缺失,需要重建索引", f"bad manifest in {build}: {e!r}") from e
    if not isinstance(d, dict):
        raise IndexError_("索引清单文件 manifest.json 损坏,需要重建索引", f"manifest is {type(d).__name__}")
    version = d.get("format_version")
    if version != FORMAT_VERSION:
        raise IndexError_(f"索引格式版本 {version!r} 已过时(当前为 {FORMAT_VERSION}),需要重建索引",
                          f"index format {version!r} != {FORMAT_VERSION}")
    bad = [k for k, t in _MANIFEST_TYPES.items() if not isinstance(d.get(k), t) or isinstance(d.get(k), bool)]
    extra = sorted(set(d) - set(_MANIFEST_TYPES))
    if bad or extra:
        raise IndexError_(f"索引清单文件 manifest.json 的字段 {', '.join(bad + extra)} 无效,需要重建索引",
                          f"manifest fields of the wrong type {bad}, unknown {extra}")
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in d["checksums"].items()):
        raise IndexError_("索引清单文件 manifest.json 的校验和无效,需要重建索引", "checksums must be str: str")
    return Manifest(**d)


def stale_reason(m: Manifest, cfg: Config, embedder_name: str) -> str | None:
    """Why an index cannot serve this config and corpus (in Chinese, for the log), or None when it can."""
    if m.format_version != FORMAT_VERSION:
        return f"索引格式版本 {m.format_version} 已过时(当前为 {FORMAT_VERSION})"
    if m.chunker_version != CHUNKER_VERSION:
        return f"分段规则已更新(版本 {m.chunker_version} -> {CHUNKER_VERSION})"
    if m.embedding_model != embedder_name:
        return f"向量模型不同({m.embedding_model} -> {embedder_name})"
    if (m.chunk_min_chars, m.chunk_max_chars) != (cfg.chunk_min_chars, cfg.chunk_max_chars):
        return "分段长度设置已改变"
    if m.tokenizer != Tokenizer.signature():
        return "分词规则已更新"
    if m.ingest_version != INGEST_VERSION:
        return f"读取与清理规则已更新(版本 {m.ingest_version} -> {INGEST_VERSION})"
    if m.corpus_hash != corpus_hash(corpus_fingerprint(cfg.corpus_dir, Limits.from_config(cfg))):
        return "通报目录中的文件有变化"
    return None


def load_index(build: Path) -> IndexData:
    """Load a build folder. Any missing, damaged or inconsistent file raises IndexError_ naming it (never a
    traceback): checksums first, so a file that was changed after the build is never used.

    Large arrays (vectors, BM25 matrix, substrings) are memory-mapped: pages are read when a search touches them,
    and the operating system may drop them again (vectors.npy is read only by a Milvus sync)."""
    import bm25s
    import faiss

    m = read_manifest(build)
    _verify(build, m)
    try:
        by_id = NoticeStore.load(build)
        reports = [FileReport.from_dict(json.loads(line)) for line in
                   (build / "ingest.jsonl").read_bytes().splitlines() if line.strip()]
        sections = json.loads((build / "sections.json").read_bytes())
        table = PassageTable(_array(build / "passage_ids.npy", "U", 1), _array(build / "passage_cols.npy", "i", 2),
                             _array(build / "passage_sorted.npy", "i", 1),
                             [tuple(str(h) for h in x) for x in sections], list(by_id), by_id)
        vectors = _array(build / "vectors.npy", "f", 2, mmap=True)
        fidx = faiss.read_index(str(build / "faiss.index"), faiss.IO_FLAG_MMAP_IFC)  # codes mapped, not copied
        bm25 = bm25s.BM25.load(str(build / "bm25"), load_corpus=False, mmap=True, show_progress=False)
        substrings = Substrings({w: _array(build / "substrings" / f"g{w}.npy", "u", 1, mmap=True) for w in WIDTHS})
        token_sets = TokenSets.load(build / "tokensets")
        problems = _inconsistencies(m, table, vectors, fidx)
    except Exception as e:  # noqa: BLE001 - json, numpy, faiss and bm25s each raise their own kinds
        raise IndexError_("索引文件损坏或不完整,需要重建索引", f"cannot load {build}: {e!r}") from e
    if problems:
        raise IndexError_("索引文件不一致,需要重建索引", "; ".join(problems))
    return IndexData(m, by_id, table, vectors, fidx, bm25, build, reports, substrings, token_sets)


def _array(path: Path, kind: str, ndim: int, mmap: bool = False) -> np.ndarray:
    """An .npy file of the expected kind ("U" text, "i" integers, "u" unsigned, "f" floats) and dimensions."""
    arr = np.load(path, allow_pickle=False, mmap_mode="r" if mmap else None)
    if arr.dtype.kind != kind or arr.ndim != ndim:
        raise ValueError(f"{path.name}: {arr.dtype} with {arr.ndim} dimensions, expected kind {kind}, {ndim}-d")
    return arr


def _verify(build: Path, m: Manifest, only: tuple[str, ...] | None = None) -> None:
    """IndexError_ naming the first file of the build (or of `only`) that is not what the manifest says."""
    expected = m.checksums if only is None else {k: v for k, v in m.checksums.items() if k in only}
    problem = checksum_problem(build, expected)
    if problem is None and (not m.checksums or (only and len(expected) != len(only))):
        problem = "索引清单中没有校验和"
    if problem:
        raise IndexError_(f"{problem},需要重建索引", f"build {build.name}")


def _inconsistencies(m: Manifest, table: PassageTable, vectors: np.ndarray, fidx) -> list[str]:
    problems = []
    n = len(table)
    if n != m.passage_count or vectors.shape[0] != n or fidx.ntotal != n:
        problems.append(f"counts differ: manifest {m.passage_count}, passages {n}, "
                        f"vectors {vectors.shape[0]}, faiss {fidx.ntotal}")
    if vectors.shape[1] != m.dim or fidx.d != m.dim:
        problems.append(f"dimension {vectors.shape[1]} / faiss {fidx.d} != manifest {m.dim}")
    if len(table.notice_ids) != m.notice_count:
        problems.append(f"notices {len(table.notice_ids)} != manifest {m.notice_count}")
    return problems + table.problems()


NOTICE_FILES = ("notices.jsonl", "notice_texts.bin", "notice_cols.npy", "notice_cards.json")


def read_ingested(build: Path) -> tuple[list[Notice], list[FileReport]]:
    """The notices and file reports of a build, without its vectors (to reuse unchanged files when the corpus
    changes), checked against the manifest's checksums first. Raises IndexError_ when they cannot be read."""
    _verify(build, read_manifest(build), only=NOTICE_FILES + ("ingest.jsonl",))
    try:
        store = NoticeStore.load(build)
        notices = [store.make(i) for i in range(len(store))]
        reports = [FileReport.from_dict(json.loads(line)) for line in
                   (build / "ingest.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, ValueError, TypeError, KeyError) as e:
        raise IndexError_("索引文件损坏或不完整,需要重建索引", f"cannot read notices of {build}: {e!r}") from e
    return notices, reports
