"""Every index file truncated, emptied, randomised, replaced by a folder, of another type, and deleted.

Each case damages a copy of a built index and loads it the way the app does (ensure_index): the damage must be
named in the log, the index rebuilt, the known question answered right, and every notice's passages as before.
The embedding cache is damaged and then read by a rebuild: a bad vector must never be reused (the rebuilt
vectors equal the pristine ones).
"""
from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.search.index import current_build

from .conftest import KNOWN_A, KNOWN_Q, assistant_of, build, outcome_of, passages_digest

BUILD_FILES = ("manifest.json", "notices.jsonl", "notice_texts.bin", "notice_cols.npy", "notice_cards.json",
               "passage_ids.npy", "passage_cols.npy", "passage_sorted.npy",
               "sections.json", "ingest.jsonl", "vectors.npy", "faiss.index",
               "bm25/params.index.json", "bm25/vocab.index.json", "bm25/data.csc.index.npy",
               "bm25/indices.csc.index.npy", "bm25/indptr.csc.index.npy", "substrings/g1.npy", "substrings/g4.npy")
CACHE_FILES = ("keys.json", "vectors.npy", "meta.json")
FAULTS = ("truncated", "emptied", "randomised", "folder", "other-type", "deleted")


def _other_type(p: Path) -> None:
    """Valid content of another kind where the file was: another dtype and shape for an array, another JSON
    shape for JSON, an index of another dimension for FAISS, a symlink out of the folder for CURRENT."""
    name = p.name
    if name.endswith(".npy"):
        np.save(p, np.arange(7, dtype=np.int64), allow_pickle=False)
    elif name == "faiss.index":
        import faiss
        faiss.write_index(faiss.IndexFlatL2(3), str(p))
    elif name == "CURRENT":
        p.unlink()
        p.symlink_to("/etc/hostname")
    elif name.endswith(".bin"):  # text of another kind: bytes that are not UTF-8
        p.write_bytes(bytes(range(128, 256)))
    elif name.endswith(".jsonl"):
        p.write_text('{"k1": "x"}\n[1, 2, 3]\n', encoding="utf-8")
    else:  # .json
        p.write_text('{"k1": "x"}' if json.loads(p.read_text(encoding="utf-8")).__class__ is list else "[1, 2, 3]",
                     encoding="utf-8")


def damage(p: Path, fault: str, seed: int = 0) -> None:
    data = p.read_bytes()
    if fault == "truncated":
        p.write_bytes(data[: len(data) // 2])
    elif fault == "emptied":
        p.write_bytes(b"")
    elif fault == "randomised":
        p.write_bytes(np.random.default_rng(seed).integers(0, 256, len(data), dtype=np.uint8).tobytes())
    elif fault == "folder":
        p.unlink()
        p.mkdir()
        (p / "inside.txt").write_text("not an index file", encoding="utf-8")
    elif fault == "other-type":
        _other_type(p)
    elif fault == "deleted":
        p.unlink()


def _copy(pristine, tmp_path) -> Path:
    idx = tmp_path / "index"
    shutil.copytree(pristine[0], idx, symlinks=True)
    return idx


def _check(tools, small_corpus, idx, pristine, record, caplog, must_name: str | None, rebuild=False):
    _, digest, vectors = pristine
    caplog.set_level(logging.WARNING)
    kind, msg, res = outcome_of(lambda: build(tools, small_corpus, idx, rebuild=rebuild))
    if kind != "answered":
        record(kind, msg)
        pytest.fail(msg)
    cfg, data = res
    ans = assistant_of(tools, cfg, data).ask(KNOWN_Q)
    live = current_build(idx)
    lost = passages_digest(data) != digest or live is None
    right = KNOWN_A in ans.text and np.allclose(data.vectors, vectors)
    record("data-lost" if lost else ("recovered" if right else "wrong-answer"), ans.text[:80])
    assert not lost
    assert right, ans.text
    if must_name:
        logged = "\n".join(r.getMessage() for r in caplog.records)
        assert must_name in logged, logged


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("rel", BUILD_FILES)
def test_build_file(tools, small_corpus, pristine, tmp_path, record, caplog, rel, fault):
    idx = _copy(pristine, tmp_path)
    damage(current_build(idx) / rel, fault)
    _check(tools, small_corpus, idx, pristine, record, caplog, must_name=rel if rel != "manifest.json" else "manifest")


@pytest.mark.parametrize("fault", FAULTS)
def test_current(tools, small_corpus, pristine, tmp_path, record, caplog, fault):
    idx = _copy(pristine, tmp_path)
    damage(idx / "CURRENT", fault)
    _check(tools, small_corpus, idx, pristine, record, caplog, must_name=None if fault == "deleted" else "CURRENT")
    assert (idx / "CURRENT").is_file()
    if fault == "folder":  # moved aside with its content, not deleted
        aside = [p for p in idx.iterdir() if p.name.startswith("CURRENT.broken-")]
        assert aside and (aside[0] / "inside.txt").read_text(encoding="utf-8") == "not an index file"
    if fault == "other-type":
        assert Path("/etc/hostname").exists()  # the link was replaced, never what it pointed at


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("rel", CACHE_FILES)
def test_cache_file(tools, small_corpus, pristine, tmp_path, record, caplog, rel, fault):
    idx = _copy(pristine, tmp_path)
    (cache,) = [p for p in (idx / "cache").iterdir() if p.is_dir()]
    damage(cache / rel, fault)
    # the cache is read by a build: force one
    _check(tools, small_corpus, idx, pristine, record, caplog,
           must_name=None if fault == "deleted" else "嵌入缓存", rebuild=True)


def test_cache_of_another_dimension_is_never_used(tools, small_corpus, pristine, tmp_path, record, caplog):
    """The old bug: a cache of the wrong dimension was reused by every rebuild and every ask failed in FAISS."""
    idx = _copy(pristine, tmp_path)
    (cache,) = [p for p in (idx / "cache").iterdir() if p.is_dir()]
    keys = json.loads((cache / "keys.json").read_text(encoding="utf-8"))
    np.save(cache / "vectors.npy", np.ones((len(keys), 64), dtype=np.float32))
    _check(tools, small_corpus, idx, pristine, record, caplog, must_name="嵌入缓存", rebuild=True)


def test_cache_entries_that_are_not_unit_vectors_are_dropped(tools, small_corpus, pristine, tmp_path, record,
                                                             caplog):
    """A cache whose checksums were rewritten to match bad vectors: each bad entry is dropped and embedded again."""
    import hashlib
    idx = _copy(pristine, tmp_path)
    (cache,) = [p for p in (idx / "cache").iterdir() if p.is_dir()]
    arr = np.load(cache / "vectors.npy")
    arr[::3] = np.nan
    arr[1::3] *= 7.0
    np.save(cache / "vectors.npy", arr)
    meta = json.loads((cache / "meta.json").read_text(encoding="utf-8"))
    meta["sha256"]["vectors.npy"] = hashlib.sha256((cache / "vectors.npy").read_bytes()).hexdigest()
    (cache / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    _check(tools, small_corpus, idx, pristine, record, caplog, must_name="无效向量", rebuild=True)


@pytest.mark.parametrize("target,fault", [("builds", "file"), ("cache", "file"), ("build.lock", "folder"),
                                          ("build.lock", "garbage"), ("bm25", "deleted"), ("bm25", "file")])
def test_folders(tools, small_corpus, pristine, tmp_path, record, caplog, target, fault):
    idx = _copy(pristine, tmp_path)
    p = current_build(idx) / target if target == "bm25" else idx / target
    if fault == "deleted":
        shutil.rmtree(p)
    elif fault == "file":
        shutil.rmtree(p)
        p.write_text("not a folder", encoding="utf-8")
    elif fault == "folder":
        p.unlink(missing_ok=True)
        p.mkdir()
    elif fault == "garbage":
        p.write_bytes(b"\xff\xfe not a pid \x00")
    rebuild = target == "cache"  # the cache is read by a build
    _check(tools, small_corpus, idx, pristine, record, caplog, must_name=None, rebuild=rebuild)
    if fault == "file" and target != "bm25":
        aside = [q for q in idx.iterdir() if q.name.startswith(f"{target}.broken-")]
        assert aside and aside[0].read_text(encoding="utf-8") == "not a folder"


def test_index_dir_that_is_a_file_is_named_and_left_alone(tools, small_corpus, tmp_path, record):
    f = tmp_path / "index"
    f.write_text("my notes", encoding="utf-8")
    kind, msg, _ = outcome_of(lambda: build(tools, small_corpus, f))
    record(kind, msg)
    assert kind == "refused" and str(f) in msg and "不是文件夹" in msg
    assert f.read_text(encoding="utf-8") == "my notes"


def test_older_format_is_rebuilt_with_a_message(tools, small_corpus, pristine, tmp_path, record, caplog):
    idx = _copy(pristine, tmp_path)
    m = current_build(idx) / "manifest.json"
    d = json.loads(m.read_text(encoding="utf-8"))
    d["format_version"] = 2
    d.pop("checksums")
    m.write_text(json.dumps(d), encoding="utf-8")
    _check(tools, small_corpus, idx, pristine, record, caplog, must_name="索引格式版本 2 已过时")
