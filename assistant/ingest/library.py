"""The corpus folder as a library staff add to and remove from: originals kept under safe names, removals moved
to a trash folder beside the corpus (so they can be restored), and an append-only log of every change.

Layout beside a corpus folder `X/`: `X-trash/` (removed originals, prefixed with the time of removal) and
`X-changes.jsonl` (one JSON object per addition or removal: time, user, action, file, notice id, title); with
`shared_dir` set, both live there instead (Config.staff_paths), so several workers share them.

Several processes may write at once: a log line is one write() of an O_APPEND file (whole lines, never
interleaved), an original is linked into place (never replacing a file another worker stored under the same
name), a trashed file is linked into the trash under a name nobody took. `library_lock` (flock) lets one worker
at a time add or remove notices.
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import tempfile
import time
import unicodedata
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..errors import CorpusError, FileRejected
from .readers import EXTENSIONS

_UNSAFE = re.compile(r"[^\w\u4e00-\u9fff()（）\-.]+")
_MAX_NAME = 120


def trash_dir(corpus_dir: Path) -> Path:
    """Example: trash_dir(Path("/srv/corpus")) -> Path("/srv/corpus-trash")."""
    corpus_dir = Path(corpus_dir).resolve()
    return corpus_dir.parent / f"{corpus_dir.name}-trash"


def changes_log(corpus_dir: Path) -> Path:
    """Example: changes_log(Path("/srv/corpus")) -> Path("/srv/corpus-changes.jsonl")."""
    corpus_dir = Path(corpus_dir).resolve()
    return corpus_dir.parent / f"{corpus_dir.name}-changes.jsonl"


def safe_name(name: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A file name that stays inside the folder and is not yet taken: no directories, no leading dots,
    no control or path characters, a supported extension in lower case, at most 120 characters.

    Example: safe_name("../../etc/通报 (1).PDF", {"通报_(1).pdf"}) -> "通报_(1)-2.pdf".
    Raises FileRejected when the extension is not one the readers take.
    """
    base = unicodedata.normalize("NFKC", str(name)).replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    ext = "." + ext.lower() if ext else ""
    if ext not in EXTENSIONS:
        kinds = " ".join(sorted(EXTENSIONS))
        raise FileRejected(f"不支持的文件类型 {ext or '(无扩展名)'}(支持 {kinds}):{base}", f"extension {ext!r}",
                           "unsupported-type")
    stem = _UNSAFE.sub("_", stem).strip("._-")[: _MAX_NAME - len(ext) - 4] or "notice"
    out = stem + ext
    k = 2
    while out in taken:
        out = f"{stem}-{k}{ext}"
        k += 1
    return out


def store(corpus_dir: Path, name: str, data: bytes) -> Path:
    """Write an original into the corpus folder under `name` (already safe) without replacing any file:
    written to a temporary file, then linked into place (fails if the name was taken meanwhile)."""
    corpus_dir = Path(corpus_dir)
    final = corpus_dir / name
    fd, tmp = tempfile.mkstemp(dir=corpus_dir, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.link(tmp, final)  # atomic and never overwrites
    finally:
        os.unlink(tmp)
    return final


def move_to_trash(corpus_dir: Path, name: str, dest_dir: Path | None = None) -> Path:
    """Move an original out of the corpus folder into the trash (beside the corpus, or `dest_dir`); returns where it
    went. The name in the trash is one no other worker took: the file is linked there, then unlinked here."""
    src = Path(corpus_dir) / Path(name).name
    dest_dir = Path(dest_dir) if dest_dir is not None else trash_dir(corpus_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime('%Y%m%d-%H%M%S')
    k = 1
    while True:
        dest = dest_dir / (f"{stamp}_{src.name}" if k == 1 else f"{stamp}-{k}_{src.name}")
        try:
            os.link(src, dest, follow_symlinks=False)  # never replaces: another worker's file keeps its name
            break
        except FileExistsError:
            k += 1
        except OSError as e:
            if e.errno not in (errno.EXDEV, errno.EPERM, errno.EOPNOTSUPP):
                raise
            if dest.exists():  # no hard links here (another file system): a rename, names checked first
                k += 1
                continue
            os.replace(src, dest)
            return dest
    os.unlink(src)
    return dest


def append_line(path: Path, line: str) -> None:
    """Append one line to a file that several processes append to: one write() of an O_APPEND descriptor, so lines
    are whole and never interleaved, then fsync."""
    data = (line.rstrip("\n") + "\n").encode("utf-8")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        written = os.write(fd, data)
        if written != len(data):  # a full disk: say so rather than leave half a line unexplained
            raise OSError(errno.ENOSPC, f"wrote {written} of {len(data)} bytes to {path}")
        os.fsync(fd)
    finally:
        os.close(fd)


def log_change(corpus_dir: Path, action: str, user: str, file: str, notice_id: str = "", title: str = "",
               log_path: Path | None = None, **extra: str) -> dict:
    """Append one line to the changes log (beside the corpus, or `log_path`) and flush it to disk. Returns the
    record written."""
    rec = {"time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "user": user or "", "action": action, "file": file,
           "notice_id": notice_id, "title": title, **extra}
    append_line(Path(log_path) if log_path is not None else changes_log(corpus_dir), json.dumps(rec, ensure_ascii=False))
    return rec


@contextmanager
def library_lock(path: Path, wait_seconds: float = 600.0, poll: float = 0.1) -> Iterator[None]:
    """Held while notices are added or removed: one change at a time across the workers sharing a corpus (flock on
    `path`; released when the holder exits, even when it is killed). Raises CorpusError after `wait_seconds`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise CorpusError(f"另一个进程正在添加或删除通报,等待 {wait_seconds:.0f} 秒后仍未完成,请稍后再试",
                                      f"library lock {path} held") from None
                time.sleep(poll)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def read_log(corpus_dir: Path, log_path: Path | None = None) -> list[dict]:
    """The changes log, oldest first (lines that do not parse are skipped)."""
    try:
        path = Path(log_path) if log_path is not None else changes_log(corpus_dir)
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    out = []
    for line in lines:
        try:
            out.append(json.loads(line))
        except ValueError:
            continue
    return out
