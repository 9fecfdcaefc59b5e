"""Reading a folder of notices: each file is read by the reader its content calls for, cleaned, and given its
metadata with where each field came from; every file gets a report (kept, dropped, skipped and why).

`ingest_document` and `build_notice` are pure; `list_corpus` and `read_corpus` are the edges that touch files.
"""
from __future__ import annotations

import hashlib
import logging
import os
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CorpusError, FileRejected
from ..text import fold
from ..types import DroppedLine, FileReport, MetaSource, Notice, content_hash
from .clean import clean_lines
from .metadata import (
    derive_issuer,
    derive_title,
    find_date_field,
    find_doc_number,
    find_red_header,
    find_title_line,
    reports_on_inspection,
    signature,
    title_from_first_sentence,
    township_of,
)
from .readers import EXTENSIONS, Document, Limits, read_document
from .regions import Gazetteer

log = logging.getLogger(__name__)

# Bump when reading or cleaning rules change: notices of an index built by older rules are read again.
INGEST_VERSION = 7  # 3: a notice whose title and issuer name no place gets the region its text points to; 4: 凉山州-like
# prefecture names; 5: a header line that is only a date (2023.09.11) dates the notice; 6: cleaning, metadata and
# headings read on folded text (a notice in traditional characters or full-width digits reads as in simplified);
# 7: a page's view counter row (日期:… 来源:… 浏览量:) is furniture
_SENT_END = ("。", "！", "？", "；", "!", "?", ";")
_MIN_BODY_CHARS = 30  # a body of short label lines without any sentence end is what a header leaves behind


@dataclass(frozen=True)
class Corpus:
    """The notices of a folder, a report for every entry of it, and the fingerprint of the files read."""

    notices: list[Notice]
    reports: list[FileReport]
    files: dict[str, str] = field(default_factory=dict)  # file name -> hash of its bytes (or skip:<code>)


def file_hash(data: bytes) -> str:
    """Example: file_hash(b"abc") -> "ba7816bf8f01cfea4141"."""
    return hashlib.sha256(data).hexdigest()[:20]


def _line_starts(raw: str) -> list[int]:
    starts = [0]
    pos = raw.find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = raw.find("\n", pos + 1)
    return starts


def _has_body(lines: list[str]) -> bool:
    """Something beyond a header or label lines is left. Example: ["新闻稿"] -> False; ["同意。"] -> True."""
    return any(line.endswith(_SENT_END) or any(m in line for m in _SENT_END) for line in lines) or \
        sum(len(line) for line in lines) >= _MIN_BODY_CHARS


def ingest_document(path_name: str, doc: Document, gaz: Gazetteer) -> tuple[Notice, FileReport]:
    """Clean what a reader read and extract metadata with provenance. Raises FileRejected naming the file when
    nothing but header or furniture is left. Pure: no I/O."""
    raw = doc.text
    c = clean_lines(raw)
    if not c.lines or not _has_body(c.lines):
        left = "只剩页首信息或网页杂项" if c.dropped or c.lines else "没有文字"
        raise FileRejected(f"通报文件没有正文({left}):{path_name}", f"no body text in {path_name}", "empty-body")
    text = "\n".join(c.lines)
    raw_lines = raw.split("\n")
    starts = _line_starts(raw)

    def page_of_raw(pos: int) -> int | None:
        return max(1, bisect_right(doc.page_starts, pos)) if doc.page_starts else None

    def src(field_: str, value: str, kind: str, raw_line: int | None) -> MetaSource:
        if raw_line is None:
            return MetaSource(field_, value, kind)
        s = starts[raw_line]
        line = raw_lines[raw_line]
        return MetaSource(field_, value, kind, line, raw_line + 1, s, s + len(line), page_of_raw(s))

    def body_src(field_: str, value: str, kind: str, k: int) -> MetaSource:
        return src(field_, value, kind, c.origins[k][0])

    prov: dict[str, MetaSource] = {}
    for key, f in c.found.items():
        prov[key] = src(key, f.value, "title-line" if key == "title" else "header", f.line)
    # 落款 (signature), 红头, 文号 line, date field: from the document's own lines
    issuer, issuer_k, sig_date, date_k = signature(c.lines)
    if issuer is not None:
        prov["issuer"] = body_src("issuer", issuer, "signature", issuer_k)
    if sig_date is not None:
        prov["date"] = body_src("date", sig_date, "signature", date_k)
    doc_number = c.doc_number
    if doc_number is None:
        doc_number, k = find_doc_number(c.lines)
        if doc_number:
            prov["doc_number"] = body_src("doc_number", doc_number, "doc-number-line", k)
    if issuer is None:
        red, k = find_red_header(c.lines)
        if red:
            issuer = red
            prov["issuer"] = body_src("issuer", red, "red-header", k)
    if issuer is None and c.source and "网" not in fold(c.source):
        issuer = c.source
        prov["issuer"] = src("issuer", issuer, "header", c.found["source"].line)
    inspection = reports_on_inspection(text)
    if issuer is None and inspection:
        issuer = derive_issuer(text, gaz)
        if issuer:
            prov["issuer"] = MetaSource("issuer", issuer, "derived")
    pub_date = c.pub_date
    if pub_date is None:
        pub_date, k = find_date_field(c.lines)
        if pub_date:
            prov["pub_date"] = body_src("pub_date", pub_date, "date-line", k)
    if pub_date is None and doc.properties.get("date"):
        pub_date = doc.properties["date"][:10]
        prov["pub_date"] = MetaSource("pub_date", pub_date, "document-property")
    date = sig_date or pub_date
    if sig_date is None and pub_date:
        prov["date"] = MetaSource("date", pub_date, prov["pub_date"].kind, prov["pub_date"].line,
                                  prov["pub_date"].line_no, prov["pub_date"].start, prov["pub_date"].end,
                                  prov["pub_date"].page)
    title = c.title
    if title is None and doc.headings and c.origins and c.origins[0][0] in doc.headings \
            and len(c.lines[0]) <= 60 and not any(m in c.lines[0] for m in _SENT_END) and len(c.lines) > 1:
        title = c.lines[0]  # a heading-styled first line of a Word document or page
        prov["title"] = body_src("title", title, "title-line", 0)
    if title is None:
        k = find_title_line(c.lines)
        if k is not None:  # a title line that stays in the text (its ending is not one _TITLE_LINE lifts)
            title = c.lines[k].lstrip("•·● ")
            prov["title"] = body_src("title", title, "title-line", k)
    if title is None and doc.properties.get("title") and any("\u4e00" <= ch <= "\u9fff" for ch in
                                                               doc.properties["title"]):
        title = doc.properties["title"]
        k = next((k for k, line in enumerate(c.lines[:12]) if line == title), None)
        prov["title"] = body_src("title", title, "title-line", k) if k is not None else \
            MetaSource("title", title, "document-property")
    if title is None:
        if inspection:
            title = derive_title(text, issuer)
            prov["title"] = MetaSource("title", title, "derived")
        else:
            first = title_from_first_sentence(c.lines)
            title = first[0] if first else path_name.rsplit(".", 1)[0]
            prov["title"] = body_src("title", title, "derived", first[1]) if first else \
                MetaSource("title", title, "derived")
    if c.source:
        prov.setdefault("source", src("source", c.source, "header", c.found["source"].line))
    region = gaz.resolve(fold(issuer or title), fold(text))
    if region["province"] is None:
        region = gaz.resolve(fold(title), fold(text))
    if region["province"] is None:  # neither names a place: the place the text itself is about, if it is clear
        region = gaz.infer(fold(text))
    township = township_of(issuer, region.get("county"))
    page_starts = _clean_page_starts(c.lines, c.origins, starts, doc.page_starts)
    marked = set(doc.headings)
    heading_starts, pos = [], 0
    for line, (ri, _) in zip(c.lines, c.origins):
        if ri in marked:
            heading_starts.append(pos)
        pos += len(line) + 1
    notice = Notice(
        id=content_hash(text), path=path_name, title=title, issuer=issuer or "", date=date,
        province=region["province"], city=region["city"], county=region["county"], township=township,
        doc_number=doc_number, source=c.source, text=text, raw_text=raw, provenance=prov,
        page_starts=page_starts, reader=doc.reader, heading_starts=tuple(heading_starts),
    )
    dropped = tuple(c.dropped) + tuple(DroppedLine(0, t, f"第 {p} 页的{why}") for p, t, why in doc.removed)
    report = FileReport(path=path_name, status="ok", reader=doc.reader, chars_read=len(raw), chars_kept=len(text),
                        notice_id=notice.id, dropped=dropped, warnings=doc.warnings)
    return notice, report


def _clean_page_starts(lines: list[str], origins: list[tuple[int, int]], raw_starts: list[int],
                       raw_page_starts: tuple[int, ...]) -> tuple[int, ...]:
    """Offsets in the cleaned text where each page begins: a page that begins inside a kept line begins at the
    same place in it; a page with no kept text begins where the next kept text does. Linear."""
    if not raw_page_starts:
        return ()
    out: list[int] = []
    k = 0
    pos = 0  # offset of lines[k] in the cleaned text
    total = sum(len(x) for x in lines) + max(0, len(lines) - 1)
    for r in raw_page_starts:
        while k < len(lines) and raw_starts[origins[k][0]] + origins[k][1] + len(lines[k]) <= r:
            pos += len(lines[k]) + 1
            k += 1
        if k >= len(lines):
            out.append(total)
            continue
        line_raw = raw_starts[origins[k][0]] + origins[k][1]
        out.append(pos + min(len(lines[k]), max(0, r - line_raw)))
    out[0] = 0
    return tuple(out)


def build_notice(path_name: str, raw: str, gaz: Gazetteer, doc: Document | None = None) -> Notice:
    """Clean one published text and extract its metadata (pure: no I/O). Raises CorpusError without a body."""
    return ingest_document(path_name, doc or Document(text=raw, reader="txt"), gaz)[0]


def ingest_bytes(path_name: str, data: bytes, gaz: Gazetteer, limits: Limits) -> tuple[Notice, FileReport]:
    """Read (by content), clean and describe one file's bytes. Raises FileRejected naming the file."""
    return ingest_document(path_name, read_document(data, path_name, limits), gaz)


def rejected_report(path_name: str, e: FileRejected, status: str = "error") -> FileReport:
    return FileReport(path=path_name, status=status, error=e.zh, code=e.code)


def list_corpus(corpus_dir: Path, limits: Limits) -> tuple[list[Path], list[FileReport]]:
    """The files of the corpus folder to read, and a report for every entry that is not read (and why).
    Symlinks are followed only to files inside the folder. Raises CorpusError when the folder is missing."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise CorpusError(f"找不到通报目录:{corpus_dir}", f"corpus_dir does not exist: {corpus_dir}")
    root = corpus_dir.resolve()
    files: list[Path] = []
    skipped: list[FileReport] = []

    def skip(p: Path, code: str, zh: str) -> None:
        skipped.append(FileReport(path=p.name, status="skipped", error=zh, code=code))

    for p in sorted(corpus_dir.iterdir(), key=lambda x: x.name):
        name = p.name
        try:
            name.encode("utf-8")
        except UnicodeEncodeError:  # bytes that are not UTF-8 in the file name (os.fsdecode's surrogates)
            shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            skipped.append(FileReport(path=shown, status="skipped", code="bad-name",
                                      error=f"文件名不是有效的 UTF-8,请改名后再放入:{shown}"))
            continue
        if name.startswith((".", "~$")):
            skip(p, "hidden", f"隐藏文件或临时文件,不读取:{name}")
            continue
        if p.is_symlink():
            try:
                target = p.resolve(strict=True)
            except (OSError, RuntimeError):
                skip(p, "broken-symlink", f"符号链接指向的文件不存在:{name}")
                continue
            if not target.is_relative_to(root):
                skip(p, "symlink-outside", f"符号链接指向通报目录之外,不读取:{name}")
                continue
        if p.is_dir():
            skip(p, "subfolder", f"子文件夹不读取(只读取通报目录中的文件):{name}")
            continue
        if not p.is_file():
            skip(p, "not-a-file", f"不是普通文件,不读取:{name}")
            continue
        ext = p.suffix.lower()
        if ext not in EXTENSIONS:
            kinds = " ".join(sorted(EXTENSIONS))
            skip(p, "unsupported-type", f"不支持的文件类型 {ext or '(无扩展名)'}(支持 {kinds}):{name}")
            continue
        try:
            size = p.stat().st_size
        except OSError:
            skip(p, "unreadable", f"无法读取文件:{name}")
            continue
        if size > limits.max_file_bytes:
            skip(p, "too-large", f"文件过大({size / 1024 / 1024:.1f} MB,上限 "
                                 f"{limits.max_file_bytes / 1024 / 1024:.1f} MB):{name}")
            continue
        files.append(p)
    return files, skipped


def _read_bytes(p: Path, limits: Limits) -> bytes:
    """Read at most the size limit (a file that grew since it was listed is refused, not read whole)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) if not p.is_symlink() else os.O_RDONLY
    fd = os.open(p, flags)
    with os.fdopen(fd, "rb") as f:
        data = f.read(limits.max_file_bytes + 1)
    if len(data) > limits.max_file_bytes:
        raise FileRejected(f"文件过大:{p.name}", "grew past the limit", "too-large")
    return data


def corpus_fingerprint(corpus_dir: Path, limits: Limits | None = None) -> dict[str, str]:
    """{file name: hash of its bytes} for every file read, and {name: skip:<code>} for every entry skipped."""
    limits = limits or Limits()
    files, skipped = list_corpus(corpus_dir, limits)
    out = {r.path: f"skip:{r.code}" for r in skipped}
    for p in files:
        try:
            out[p.name] = file_hash(_read_bytes(p, limits))
        except (OSError, FileRejected):
            out[p.name] = "skip:unreadable"
    return out


def read_corpus(corpus_dir: Path, gaz: Gazetteer, limits: Limits | None = None,
                previous: dict[str, tuple[str, FileReport, Notice | None]] | None = None) -> Corpus:
    """Read every supported file of corpus_dir; a report for each entry. The same body text is indexed once.

    `previous` maps a file name to (hash of its bytes, report, notice) from an earlier build with the same rules:
    an unchanged file is not read again (a scan is not OCR'd again when another notice is added).
    Raises CorpusError when the folder is missing or holds no usable notice.
    """
    limits = limits or Limits()
    files, reports = list_corpus(corpus_dir, limits)
    fingerprint = {r.path: f"skip:{r.code}" for r in reports}
    previous = previous or {}
    notices: dict[str, Notice] = {}
    for f in files:
        try:
            data = _read_bytes(f, limits)
        except OSError as e:
            reports.append(FileReport(path=f.name, status="error", error=f"无法读取文件:{f.name}", code="unreadable"))
            log.warning("cannot read %s: %r", f.name, e)
            continue
        except FileRejected as e:
            reports.append(rejected_report(f.name, e, "skipped"))
            continue
        h = file_hash(data)
        fingerprint[f.name] = h
        prev = previous.get(f.name)
        if prev is not None and prev[0] == h and prev[1].status in ("ok", "duplicate") and prev[2] is not None:
            n, rep = prev[2], prev[1]
        else:
            try:
                n, rep = ingest_bytes(f.name, data, gaz, limits)
            except FileRejected as e:
                log.warning("skipping %s: %s", f.name, e.detail or e)
                reports.append(rejected_report(f.name, e))
                continue
        if n.id in notices and notices[n.id].path != f.name:
            log.warning("%s has the same text as %s; indexed once", f.name, notices[n.id].path)
            reports.append(FileReport(**{**rep.to_dict(), "status": "duplicate", "duplicate_of": notices[n.id].path,
                                         "dropped": rep.dropped, "warnings": rep.warnings}))
            continue
        notices[n.id] = n
        reports.append(FileReport(**{**rep.to_dict(), "status": "ok", "duplicate_of": "",
                                     "dropped": rep.dropped, "warnings": rep.warnings}))
    reports.sort(key=lambda r: r.path)
    return Corpus(list(notices.values()), reports, fingerprint)


def load_corpus(corpus_dir: Path, gaz: Gazetteer, limits: Limits | None = None) -> list[Notice]:
    """The notices of corpus_dir (see read_corpus). Raises CorpusError when there is none."""
    c = read_corpus(corpus_dir, gaz, limits)
    if not c.notices:
        raise CorpusError(f"通报目录中没有可用的通报:{corpus_dir}", f"no readable notice in {corpus_dir}")
    return c.notices
