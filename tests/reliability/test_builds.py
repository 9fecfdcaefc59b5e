"""Builds killed with SIGKILL after named steps (the ASSISTANT_FAULT_AFTER hook, not timing), and builds at once.

A killed build must leave the live index whole (the old one until CURRENT is switched, the new one after), and
the next start must finish the work: the new notice indexed, every other notice's passages as before, no
temporary folder left, the dead builder's lock taken over.
"""
from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys

import pytest

from assistant.search.index import BUILD_STEPS, FAULT_ENV, BuildLock, current_build, load_index

from .conftest import CORPUS, KNOWN_A, KNOWN_Q, ROOT, assistant_of, build, cli_outcome, outcome_of, passages_digest

NEW = "2021-03-23_shaanxi-natural-resources-dept_xunshi-huitoukan-rectification.txt"
KILL_AT = ("locked", "cache-saved", "vectors-written", "bm25-written", "manifest-written", "renamed",
           "current-switched")


def _cli(args, env=None, timeout=180):
    e = {**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "assistant", *args], cwd=ROOT, env=e, capture_output=True,
                          timeout=timeout)


def _args(corpus, idx):
    return ["--corpus", str(corpus), "--index", str(idx), "--backend", "hash"]


def test_kill_points_are_build_steps():
    assert set(KILL_AT) <= set(BUILD_STEPS)


@pytest.mark.parametrize("step", KILL_AT)
def test_sigkill_during_build(tools, small_corpus, pristine, tmp_path, record, caplog, step):
    corpus = tmp_path / "corpus"
    shutil.copytree(small_corpus, corpus)
    idx = tmp_path / "index"
    shutil.copytree(pristine[0], idx)
    old_build = current_build(idx)
    shutil.copy(CORPUS / NEW, corpus / NEW)  # a changed corpus: the next start builds

    r = _cli(["build", *_args(corpus, idx)], env={FAULT_ENV: step})
    assert r.returncode == -signal.SIGKILL, r.stderr.decode()[-500:]

    live = current_build(idx)  # whole, whichever it is
    kind, msg, data = outcome_of(lambda: load_index(live))
    whole = kind == "answered" and (live == old_build) == (BUILD_STEPS.index(step) < BUILD_STEPS.index("current-switched"))
    caplog.set_level(logging.INFO)
    kind2, msg2, res = outcome_of(lambda: build(tools, corpus, idx))
    if kind2 != "answered":
        record(kind2, msg2)
        pytest.fail(msg2)
    cfg, data = res
    after = passages_digest(data)
    kept = all(after.get(k) == v for k, v in pristine[1].items())
    ans = assistant_of(tools, cfg, data).ask(KNOWN_Q)
    leftovers = [p.name for p in (idx / "builds").iterdir() if p.name != current_build(idx).name]
    record("data-lost" if not (whole and kept) else ("recovered" if KNOWN_A in ans.text else "wrong-answer"),
           msg or ans.text[:60])
    assert whole, (step, live, old_build, msg)
    assert kept and NEW in after and KNOWN_A in ans.text
    assert leftovers == []
    if step == "locked":  # killed holding the lock: the next build took it over, naming the dead owner
        assert any("接管" in r.getMessage() for r in caplog.records)


def test_two_builds_at_once(small_corpus, pristine, tmp_path, record):
    corpus = tmp_path / "corpus"
    shutil.copytree(small_corpus, corpus)
    shutil.copy(CORPUS / NEW, corpus / NEW)
    idx = tmp_path / "index"
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    procs = [subprocess.Popen([sys.executable, "-m", "assistant", "build", *_args(corpus, idx)], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    results = [cli_outcome(p.returncode, o.decode("utf-8"), e.decode("utf-8")) for p, (o, e) in zip(procs, outs)]
    data = load_index(current_build(idx))
    digest = passages_digest(data)
    kept = all(digest.get(k) == v for k, v in pristine[1].items()) and NEW in digest
    record("data-lost" if not kept else ("answered" if all(k == "answered" for k, _ in results) else results[0][0]),
           "; ".join(m for _, m in results))
    assert [p.returncode for p in procs] == [0, 0], [e.decode()[-400:] for _, e in outs]
    assert kept
    assert len(list((idx / "builds").iterdir())) == 1
    waited = [e.decode() for _, e in outs if "正在建立索引" in e.decode()]
    assert waited, "neither build saw the other"  # the second waited for the first, and said so


def test_second_build_says_one_is_running(small_corpus, tmp_path, record):
    idx = tmp_path / "index"
    with BuildLock(idx):  # this process builds
        r = _cli(["build", *_args(small_corpus, idx)], env={"ASSISTANT_BUILD_WAIT_SECONDS": "0.5"})
    err = r.stderr.decode("utf-8")
    kind, msg = cli_outcome(r.returncode, r.stdout.decode("utf-8"), err)
    record(kind, msg)
    assert kind == "refused" and f"pid {os.getpid()}" in err and "正在建立索引" in err
    assert not (idx / "CURRENT").exists()


def test_build_with_a_dead_owner_in_the_lock_file(tools, small_corpus, tmp_path, record, caplog):
    idx = tmp_path / "index"
    idx.mkdir()
    (idx / "build.lock").write_text("999999999\n2020-01-01T00:00:00\n", encoding="utf-8")  # no such process
    caplog.set_level(logging.INFO)
    kind, msg, res = outcome_of(lambda: build(tools, small_corpus, idx))
    record("recovered" if kind == "answered" else kind, msg)
    assert kind == "answered"
    assert any("999999999" in r.getMessage() for r in caplog.records)
