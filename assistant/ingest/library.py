"""The corpus folder as a library staff add to and remove from: originals kept under safe names, removals moved
to a trash folder beside the corpus (so they can be restored), and an append-only log of every change.

Layout beside a corpus folder `X/`: `X-trash/` (removed originals, prefixed with the time of removal) and
`X-changes.jsonl` (one JSON object per addition or removal: time, user, action, file, notice id, title).
"""
from __future__ import annotations

import json
import os
import re
import tempfile
import time
import unicodedata
from pathlib import Path

from ..errors import FileRejected
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


def move_to_trash(corpus_dir: Path, name: str) -> Path:
    """Move an original out of the corpus folder into the trash beside it; returns where it went."""
    src = Path(corpus_dir) / Path(name).name
    dest_dir = trash_dir(corpus_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / f"{time.strftime('%Y%m%d-%H%M%S')}_{src.name}"
    k = 2
    while dest.exists():
        dest = dest_dir / f"{time.strftime('%Y%m%d-%H%M%S')}-{k}_{src.name}"
        k += 1
    os.replace(src, dest)
    return dest


def log_change(corpus_dir: Path, action: str, user: str, file: str, notice_id: str = "", title: str = "",
               **extra: str) -> dict:
    """Append one line to the changes log (and flush it to disk). Returns the record written."""
    rec = {"time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "user": user or "", "action": action, "file": file,
           "notice_id": notice_id, "title": title, **extra}
    path = changes_log(corpus_dir)
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())
    return rec


def read_log(corpus_dir: Path) -> list[dict]:
    """The changes log, oldest first (lines that do not parse are skipped)."""
    try:
        lines = changes_log(corpus_dir).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    out = []
    for line in lines:
        try:
            out.append(json.loads(line))
        except ValueError:
            continue
    return out
