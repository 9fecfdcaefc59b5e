"""Stores of passages: one small interface (base.Store), the build's files by default (files.FileStore),
Milvus when `milvus_uri` is set (milvus.MilvusStore, imported only then)."""
from __future__ import annotations

from pathlib import Path

from ...config import Config
from .base import Scored, Store, fuse
from .files import FileStore

__all__ = ["FileStore", "Scored", "Store", "fuse", "make_store"]


def make_store(cfg: Config, data, tokenizer, previous: Store | None = None) -> Store:
    """The store the config asks for, holding exactly the passages of `data` (a loaded IndexData).

    A Milvus store reuses the connection of `previous` (the store of the build being replaced) and syncs the
    collection to the new build: only notices that changed are upserted or deleted."""
    if not cfg.milvus_uri:
        return FileStore(data)
    from ..index import TokenCache
    from .milvus import MilvusStore

    cache = TokenCache(Path(cfg.index_dir) / "cache", tokenizer.signature())

    def tokens_of(texts: list[str]) -> list[list[str]]:
        return cache.tokenize(texts, tokenizer.tokens)

    client = previous.client if isinstance(previous, MilvusStore) else None
    return MilvusStore(cfg, data, tokens_of, client=client)
