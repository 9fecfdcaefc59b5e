"""Bad corpora: a bad entry beside good notices, or a corpus folder that is unusable as a whole.

Each case adds one bad entry to a copy of the small corpus and builds. The good notices' passages must be
exactly what they were; the bad entry must become a correct notice or be reported (named, with its reason,
in the ingest report or the log), never a junk notice; nothing may hang (the risky cases build in a
subprocess with a generous timeout) or raise anything but a named error. When the whole corpus is unusable
the build is refused with a message naming it, and the index that was there is left whole.

Several cases depend on the ingestion work of issue 10 (linear cleaning, symlinks, reports of skipped files,
责任编辑 on one line, furniture-only files, a stray GBK word): they fail until that work is merged.
"""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.search.index import current_build, load_index

from .conftest import CORPUS, KNOWN_A, KNOWN_Q, ROOT, SMALL, assistant_of, build, outcome_of, passages_digest

HSQ = SMALL[0]  # the 红石桥乡 notice
EXTRA = "2021-03-23_shaanxi-natural-resources-dept_xunshi-huitoukan-rectification.txt"
BODY = "一、基本情况\n全县共有易地扶贫搬迁安置点12个,搬迁群众3456户。\n二、整改措施\n落实后续扶持,建设扶贫车间7个。"


def _text(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


def symlink_outside(d: Path) -> str:
    (d / "x.txt").symlink_to("/etc/passwd")
    return "x.txt"


def symlink_inside(d: Path) -> str:
    (d / "link.txt").symlink_to(d / HSQ)
    return "link.txt"


def dangling_symlink(d: Path) -> str:
    (d / "gone.txt").symlink_to(d / "nothing-here.txt")
    return "gone.txt"


def zeren_one_line(d: Path) -> str:
    (d / "oneline.txt").write_text("关于易地扶贫搬迁后续扶持工作的通报 全县共有安置点12个,搬迁群众3456户,"
                                   "建设扶贫车间7个。 责任编辑:张三 【打印本页】【关闭窗口】", encoding="utf-8")
    return "oneline.txt"


def furniture_only(d: Path) -> str:
    (d / "menu.txt").write_text("首页\n网站地图 | 联系我们\n版权所有 © 2019 某县人民政府\n网站标识码:6100000001\n"
                                "陕ICP备12345678号\n陕公网安备 61010202000001号\n", encoding="utf-8")
    return "menu.txt"


def utf8_with_gbk_word(d: Path) -> str:
    raw = BODY.encode("utf-8")
    cut = raw.index("搬迁群众".encode("utf-8"))
    (d / "mixed.txt").write_bytes(raw[:cut] + "搬迁群众".encode("gbk") + raw[cut + len("搬迁群众".encode()):])
    return "mixed.txt"


def upper_case_suffix(d: Path) -> str:
    shutil.copy(CORPUS / EXTRA, d / "NOTICE.TXT")
    return "NOTICE.TXT"


def subfolder(d: Path) -> str:
    (d / "sub").mkdir()
    shutil.copy(CORPUS / EXTRA, d / "sub" / "inner.txt")
    return "sub"


def empty_file(d: Path) -> str:
    (d / "empty.txt").write_bytes(b"")
    return "empty.txt"


def blank_file(d: Path) -> str:
    (d / "blank.txt").write_text(" \n\u3000\n\t\n", encoding="utf-8")
    return "blank.txt"


def binary_file(d: Path) -> str:
    import numpy as np
    (d / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + np.random.default_rng(1).integers(0, 256, 4000,
                                                                                          dtype=np.uint8).tobytes())
    return "image.txt"


def utf16_file(d: Path) -> str:
    (d / "utf16.txt").write_bytes(BODY.encode("utf-16"))
    return "utf16.txt"


def nul_bytes(d: Path) -> str:
    (d / "nul.txt").write_text("\x00".join(BODY[i:i + 10] for i in range(0, len(BODY), 10)), encoding="utf-8")
    return "nul.txt"


def duplicate_copy(d: Path) -> str:
    shutil.copy(d / HSQ, d / "copy-of-hongshiqiao.txt")
    return "copy-of-hongshiqiao.txt"


def crlf_rewrite(d: Path) -> str:
    (d / HSQ).write_bytes(_text(HSQ).replace("\n", "\r\n").encode("utf-8"))
    return HSQ


def gbk_rewrite(d: Path) -> str:
    (d / HSQ).write_bytes(_text(HSQ).encode("gbk"))
    return HSQ


def bom_rewrite(d: Path) -> str:
    (d / HSQ).write_bytes(_text(HSQ).encode("utf-8-sig"))
    return HSQ


def folder_named_txt(d: Path) -> str:
    (d / "folder.txt").mkdir()
    return "folder.txt"


def undecodable_name(d: Path) -> str:
    name = os.fsdecode(b"\xff\xfe-notice.txt")
    (d / name).write_text(BODY, encoding="utf-8")
    return name


def title_only(d: Path) -> str:
    (d / "title.txt").write_text("关于区委第四巡察组巡察整改情况的通报\n", encoding="utf-8")
    return "title.txt"


def no_punctuation(d: Path) -> str:
    """90,000 characters with no sentence end and no line break (cleaning was quadratic on such a line: about
    8 minutes; linear, a second or two)."""
    (d / "long.txt").write_text("一、情况\n" + "搬迁群众安置点后续扶持产业就业" * 6000, encoding="utf-8")
    return "long.txt"


def long_name(d: Path) -> str:
    name = "通" * 80 + ".txt"  # 244 bytes
    (d / name).write_text(BODY, encoding="utf-8")
    return name


def old_mac_newlines(d: Path) -> str:
    (d / "cr.txt").write_bytes(BODY.replace("\n", "\r").encode("utf-8"))
    return "cr.txt"


def has_body(n, orig) -> bool:
    return "3456户" in n.text and "建设扶贫车间7个" in n.text


def same_as_original(n, orig) -> bool:
    """The rewritten file gives the very notice the original gave (same text, so same id)."""
    return n.id == orig[HSQ][0]

# (id, maker, expectation): "indexed" with a check of the notice, "reported", "either" (indexed and right, or
# reported), "once" (a second copy: indexed once, the copy reported)
CASES = [
    ("symlink-out-of-corpus", symlink_outside, ("reported", None)),
    ("symlink-inside-corpus", symlink_inside, ("once", None)),
    ("dangling-symlink", dangling_symlink, ("reported", None)),
    ("zeren-bianji-one-line", zeren_one_line, ("indexed", lambda n, o: "3456户" in n.text and "扶贫车间7个" in n.text)),
    ("furniture-only", furniture_only, ("reported", None)),
    ("utf8-with-a-gbk-word", utf8_with_gbk_word, ("indexed", lambda n, o: "建设扶贫车间7个" in n.text)),
    ("upper-case-TXT", upper_case_suffix, ("either", lambda n, o: "回头看" in n.text or "自然资源" in n.text)),
    ("subfolder", subfolder, ("either", lambda n, o: "自然资源" in n.text)),
    ("empty-file", empty_file, ("reported", None)),
    ("blank-file", blank_file, ("reported", None)),
    ("binary-file", binary_file, ("reported", None)),
    ("utf16-file", utf16_file, ("either", has_body)),
    ("nul-bytes", nul_bytes, ("either", lambda n, o: "\x00" not in n.text and "3456" in n.text)),
    ("duplicate-copy", duplicate_copy, ("once", None)),
    ("crlf-line-ends", crlf_rewrite, ("indexed", same_as_original)),
    ("gbk-encoded", gbk_rewrite, ("indexed", same_as_original)),
    ("utf8-bom", bom_rewrite, ("indexed", same_as_original)),
    ("folder-named-txt", folder_named_txt, ("reported", None)),
    ("undecodable-file-name", undecodable_name, ("either", has_body)),
    ("title-only", title_only, ("reported", None)),
    ("long-file-name", long_name, ("indexed", has_body)),
    ("old-mac-newlines", old_mac_newlines, ("indexed", has_body)),
]


def report_for(data, records, name: str) -> str:
    """The reason the bad entry was not indexed, from the ingest report when there is one, else the log. A name
    that is not UTF-8 may be reported as shown (undecodable bytes as U+FFFD) or escaped."""
    shown = {name, name.encode("utf-8", "surrogateescape").decode("utf-8", "replace"),
             name.encode("utf-8", "backslashreplace").decode("utf-8")}
    for r in getattr(data, "reports", None) or ():
        if any(r.path == n or r.path.startswith(n.rstrip("/") + "/") for n in shown) and r.status != "ok":
            return r.error or r.code or r.status
    for rec in records:
        if rec.levelno >= logging.WARNING and any(n in rec.getMessage() for n in shown):
            return rec.getMessage()
    return ""


@pytest.mark.parametrize("case,maker,expect", CASES, ids=[c[0] for c in CASES])
def test_bad_entry(tools, small_corpus, pristine, tmp_path, caplog, record, case, maker, expect):
    corpus = tmp_path / "corpus"
    shutil.copytree(small_corpus, corpus)
    name = maker(corpus)
    caplog.set_level(logging.WARNING)
    kind, msg, res = outcome_of(lambda: build(tools, corpus, tmp_path / "index"))
    if kind != "answered":
        record(kind, msg)
        pytest.fail(msg)
    cfg, data = res
    mine = [n for n in data.notices.values() if n.path == name or n.path.startswith(name + "/")]
    others = {k: v for k, v in passages_digest(data).items() if k != name and not k.startswith(name + "/")}
    unchanged = all(others.get(k) == v for k, v in pristine[1].items() if k != name)
    reason = report_for(data, caplog.records, name)
    want, check = expect
    if want == "indexed":
        ok = len(mine) == 1 and check(mine[0], pristine[1])
    elif want == "reported":
        ok = not mine and bool(reason)
    elif want == "once":
        ok = not mine and bool(reason) and len(data.notices) == len(SMALL)
    else:
        ok = (len(mine) == 1 and check(mine[0], pristine[1])) or (not mine and bool(reason))
    junk = [n for n in data.notices.values() if n.path not in pristine[1] and n not in mine]
    ans = assistant_of(tools, cfg, data).ask(KNOWN_Q)
    record("data-lost" if not unchanged else ("recovered" if ok else "wrong-answer"), reason or msg)
    assert unchanged
    assert not junk, [n.path for n in junk]
    assert ok, (want, [n.text[:80] for n in mine], reason)
    assert KNOWN_A in ans.text


# ------------------------------------------------------------------ in a subprocess: they could hang

# Not a timing test: a guard against a hang. Linear work finishes these builds in well under a minute even on a
# busy machine; quadratic work takes from minutes (90k characters) to hours (1 MB).
HANG_SECONDS = 120

def _build_in_subprocess(corpus: Path, idx: Path, timeout: float):
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-m", "assistant", "build", "--corpus", str(corpus), "--index", str(idx),
                           "--backend", "hash"], cwd=ROOT, env=env, capture_output=True, timeout=timeout)


def huge_one_line(d: Path) -> str:
    """A web page saved without line breaks: 1 MB of notice text on one line. The old cleaning pattern was
    quadratic in line length (10k characters 2.8 s, 20k 11.9 s): this would take hours; linear, seconds."""
    one = "".join(_text(EXTRA).split())
    (d / "oneline-1mb.txt").write_text(one * (1_000_000 // len(one) // 3 + 1), encoding="utf-8")
    return "oneline-1mb.txt"


def fifo(d: Path) -> str:
    os.mkfifo(d / "pipe.txt")
    return "pipe.txt"


@pytest.mark.parametrize("case,maker", [("huge-one-line", huge_one_line), ("no-punctuation", no_punctuation),
                                        ("fifo", fifo)])
def test_entry_that_could_hang(small_corpus, pristine, tmp_path, record, case, maker):
    corpus = tmp_path / "corpus"
    shutil.copytree(small_corpus, corpus)
    name = maker(corpus)
    idx = tmp_path / "index"
    try:
        r = _build_in_subprocess(corpus, idx, timeout=HANG_SECONDS)
    except subprocess.TimeoutExpired:
        record("hang", f"{case}: no result in {HANG_SECONDS} s")
        pytest.fail(f"{case}: the build did not finish in {HANG_SECONDS} s")
    err = r.stderr.decode("utf-8")
    if r.returncode != 0 or "Traceback" in err:
        record("traceback" if "Traceback" in err or r.returncode != 1 else "refused", err[-300:])
        pytest.fail(err[-1000:])
    data = load_index(current_build(idx))
    digest = passages_digest(data)
    unchanged = all(digest.get(k) == v for k, v in pristine[1].items())
    mine = [n for n in data.notices.values() if n.path == name]
    reported = name in err or name in r.stdout.decode("utf-8") or bool(report_for(data, [], name))
    record("data-lost" if not unchanged else "recovered", err[-200:])
    assert unchanged
    assert mine or reported


# ------------------------------------------------------------------ the corpus as a whole

def _missing(d: Path) -> Path:
    return d / "no-such-folder"


def _empty(d: Path) -> Path:
    (d / "empty").mkdir()
    return d / "empty"


def _a_file(d: Path) -> Path:
    (d / "corpus.txt").write_text(BODY, encoding="utf-8")
    return d / "corpus.txt"


def _all_bad(d: Path) -> Path:
    c = d / "bad"
    c.mkdir()
    empty_file(c)
    blank_file(c)
    folder_named_txt(c)
    return c


@pytest.mark.parametrize("case,maker", [("missing", _missing), ("empty", _empty), ("a-file", _a_file),
                                        ("all-bad", _all_bad)])
def test_unusable_corpus_keeps_the_old_index(tools, small_corpus, pristine, tmp_path, record, case, maker):
    idx = tmp_path / "index"
    shutil.copytree(pristine[0], idx)
    live = current_build(idx)
    corpus = maker(tmp_path)
    kind, msg, _ = outcome_of(lambda: build(tools, corpus, idx))
    data = load_index(current_build(idx))
    lost = current_build(idx) != live or passages_digest(data) != pristine[1]
    record("data-lost" if lost else kind, msg)
    assert not lost
    assert kind == "refused" and corpus.name in msg, msg
