import json

import numpy as np
import pytest

from assistant import Assistant, Config
from assistant.search.embed import HashEmbedder
from assistant.search.index import current_build, load_index
from assistant.errors import IndexError_


class CountingEmbedder(HashEmbedder):
    """The hash embedder, counting how many passages it embeds."""

    def __init__(self):
        super().__init__()
        self.embedded = 0

    def embed_passages(self, texts):
        self.embedded += len(texts)
        return super().embed_passages(texts)


def _load(corpus, idx, emb=None, **kw):
    cfg = Config(corpus_dir=corpus, index_dir=idx, embedding_backend="hash", **kw)
    return Assistant.load(config=cfg, embedder=emb or CountingEmbedder())


def test_build_and_load_round_trip(corpus_copy, tmp_path):
    idx = tmp_path / "index"
    a = _load(corpus_copy, idx)
    build = current_build(idx)
    m = json.loads((build / "manifest.json").read_text())
    for key in ("format_version", "embedding_backend", "embedding_model", "dim", "corpus_hash", "passage_count",
                "built_at"):
        assert key in m
    assert m["passage_count"] == len(a.data.passages) > 100
    again = load_index(build)
    assert [p.id for p in again.passages] == [p.id for p in a.data.passages]
    assert np.allclose(again.vectors, a.data.vectors)


def test_reload_does_not_rebuild(corpus_copy, tmp_path):
    idx = tmp_path / "index"
    _load(corpus_copy, idx)
    e = CountingEmbedder()
    _load(corpus_copy, idx, e)
    assert e.embedded == 0


def test_changed_corpus_rebuilds_and_embeds_only_new_passages(corpus_copy, tmp_path):
    idx = tmp_path / "index"
    a = _load(corpus_copy, idx)
    n_before = len(a.data.passages)
    victim = next(corpus_copy.glob("*hongshiqiao*"))
    victim.unlink()
    e = CountingEmbedder()
    b = _load(corpus_copy, idx, e)
    assert e.embedded == 0  # removal: everything left is cached
    assert len(b.data.passages) < n_before
    assert not any("红石桥" in n.issuer for n in b.data.notices.values())
    (corpus_copy / "new.txt").write_text("一、新增通报\n全县搬迁123户456人。\n二、下一步\n继续巩固。", encoding="utf-8")
    e2 = CountingEmbedder()
    c = _load(corpus_copy, idx, e2)
    assert 0 < e2.embedded <= 3
    assert "全县搬迁123户456人。" in c.data.passages[-1].text or any("123户" in p.text for p in c.data.passages)
    assert len(list((idx / "builds").iterdir())) == 1  # old builds are removed


def test_other_model_triggers_rebuild(corpus_copy, tmp_path):
    idx = tmp_path / "index"
    _load(corpus_copy, idx)

    class Other(CountingEmbedder):
        def __init__(self):
            super().__init__()
            self.name = "other-model"
    e = Other()
    a = _load(corpus_copy, idx, e)
    assert e.embedded == len(a.data.passages)
    assert a.data.manifest.embedding_model == "other-model"


@pytest.mark.parametrize("victim", ["vectors.npy", "passage_cols.npy", "faiss.index", "manifest.json",
                                    "substrings/g3.npy"])
def test_corrupt_index_is_detected_and_rebuilt(corpus_copy, tmp_path, victim):
    idx = tmp_path / "index"
    _load(corpus_copy, idx)
    build = current_build(idx)
    data = (build / victim).read_bytes()
    (build / victim).write_bytes(data[: len(data) // 2])
    with pytest.raises(IndexError_) as e:
        load_index(build)
    assert "重建" in str(e.value)
    a = _load(corpus_copy, idx)  # rebuilt, no traceback
    assert len(a.data.passages) > 100


def test_crash_during_build_leaves_old_index(corpus_copy, tmp_path, monkeypatch):
    idx = tmp_path / "index"
    _load(corpus_copy, idx)
    old = current_build(idx)
    (corpus_copy / "new.txt").write_text("一、新增\n内容内容内容。", encoding="utf-8")

    import assistant.search.index as ix

    def boom(*a, **k):
        raise RuntimeError("disk full")
    monkeypatch.setattr(ix.faiss if hasattr(ix, "faiss") else __import__("faiss"), "write_index", boom)
    with pytest.raises(RuntimeError):
        _load(corpus_copy, idx)
    assert current_build(idx) == old
    assert load_index(old).passages
    assert not [p for p in (idx / "builds").iterdir() if p.name.startswith(".tmp")]
