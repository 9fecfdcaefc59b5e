"""Reading a folder of notices: each file is decoded, cleaned and given its metadata.

`build_notice` is pure; `load_corpus` is the one edge that reads files.
"""
from __future__ import annotations

import logging
from pathlib import Path

from ..errors import CorpusError
from ..types import Notice, content_hash
from .clean import clean_lines, decode
from .metadata import derive_issuer, derive_title, find_signature, township_of
from .regions import Gazetteer

log = logging.getLogger(__name__)


def build_notice(path_name: str, raw: str, gaz: Gazetteer) -> Notice:
    """Clean one published notice and extract its metadata (pure: no I/O)."""
    c = clean_lines(raw)
    if not c.lines:
        raise CorpusError(f"通报文件没有正文:{path_name}", f"no text in {path_name}")
    text = "\n".join(c.lines)
    issuer, sig_date, _ = find_signature(c.lines)
    if issuer is None and c.source and "网" not in c.source:
        issuer = c.source
    if issuer is None:
        issuer = derive_issuer(text, gaz)
    title = c.title or derive_title(text, issuer)
    region = gaz.resolve(issuer or title, text)
    if region["province"] is None:
        region = gaz.resolve(title, text)
    township = township_of(issuer, region.get("county"))
    return Notice(
        id=content_hash(text),
        path=path_name,
        title=title,
        issuer=issuer or "",
        date=sig_date or c.pub_date,
        province=region["province"],
        city=region["city"],
        county=region["county"],
        township=township,
        doc_number=c.doc_number,
        source=c.source,
        text=text,
    )


def load_corpus(corpus_dir: Path, gaz: Gazetteer) -> list[Notice]:
    """Read every *.txt under corpus_dir; the same cleaned text is kept once. Raises CorpusError when unusable."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise CorpusError(f"找不到通报目录:{corpus_dir}", f"corpus_dir does not exist: {corpus_dir}")
    files = sorted(p for p in corpus_dir.glob("*.txt") if p.is_file())
    if not files:
        raise CorpusError(f"通报目录中没有 .txt 文件:{corpus_dir}", f"no *.txt in {corpus_dir}")
    notices: dict[str, Notice] = {}
    for f in files:
        try:
            raw = decode(f.read_bytes(), f.name)
            n = build_notice(f.name, raw, gaz)
        except CorpusError as e:
            log.warning("skipping %s: %s", f.name, e.detail or e)
            continue
        if n.id in notices:
            log.warning("%s has the same text as %s; indexed once", f.name, notices[n.id].path)
            continue
        notices[n.id] = n
    if not notices:
        raise CorpusError(f"通报目录中没有可用的通报:{corpus_dir}", f"no readable notice in {corpus_dir}")
    return list(notices.values())
