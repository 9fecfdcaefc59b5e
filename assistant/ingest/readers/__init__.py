"""Readers, one module per format behind one interface (`base.Document`): bytes in, text plus structure out.

`read_document` picks the reader by what the bytes are (magic numbers, markup), not by the file name; a name
that disagrees with the content gets a warning.

Example: read_document(b"%PDF-1.4 ...", "a.txt", Limits()) reads a PDF (and warns that the name says .txt).
"""
from __future__ import annotations

import logging
from dataclasses import replace

from ...errors import FileRejected
from .base import Document, Limits, mb

log = logging.getLogger(__name__)

# Extensions read from the corpus folder and accepted as uploads (case-insensitive).
EXTENSIONS = {".txt": "txt", ".text": "txt", ".htm": "html", ".html": "html", ".docx": "docx", ".pdf": "pdf",
              ".png": "image", ".jpg": "image", ".jpeg": "image"}
_NAMES = {"txt": "文本", "html": "网页", "docx": "Word 文档", "pdf": "PDF", "image": "图片"}


def sniff(data: bytes, name: str) -> str:
    """The kind of a file by its content: txt, html, docx, pdf or image. Raises FileRejected for other kinds.

    Example: sniff(b"\\x89PNG\\r\\n\\x1a\\n...", "scan.jpg") -> "image".
    """
    if not data:
        raise FileRejected(f"文件是空的:{name}", "0 bytes", "empty-file")
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        if b"word/document.xml" in data[:200_000] or b"[Content_Types].xml" in data[:2000]:
            if b"OFD.xml" in data[:2000]:
                raise FileRejected(f"OFD 版式文件暂不支持,请另存为 PDF 后再添加:{name}", "OFD", "unsupported-type")
            return "docx"
        if b"OFD.xml" in data[:200_000]:
            raise FileRejected(f"OFD 版式文件暂不支持,请另存为 PDF 后再添加:{name}", "OFD", "unsupported-type")
        raise FileRejected(f"压缩文件不是 Word 文档,不支持:{name}", "zip archive", "unsupported-type")
    if data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")):
        return "image"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRejected(f"旧版 Word(.doc)或 WPS 文件暂不支持,请另存为 .docx 或 PDF:{name}", "OLE2 file",
                           "unsupported-type")
    if data.startswith((b"GIF8", b"BM", b"II*\x00", b"MM\x00*", b"RIFF")):
        raise FileRejected(f"不支持的图片格式(请用 PNG 或 JPG):{name}", "image format", "unsupported-type")
    from .html import looks_like_html
    from .txt import decode_bytes
    text = decode_bytes(data[:65536] if len(data) > 65536 else data, name).text if _textual(data) else None
    if text is None:
        raise FileRejected(f"不是文本文件,也不是支持的文档格式(文本、网页、Word、PDF、图片):{name}", "binary",
                           "binary")
    if looks_like_html(text) or (name.lower().endswith((".htm", ".html")) and "</" in text):
        return "html"
    return "txt"


def _textual(data: bytes) -> bool:
    from .txt import decode_bytes
    try:
        decode_bytes(data[:65536], "")
        return True
    except FileRejected:
        # the first 64 KB may end inside a character; try the whole file before calling it binary
        try:
            decode_bytes(data, "")
            return True
        except FileRejected:
            return False


def read_document(data: bytes, name: str, limits: Limits) -> Document:
    """Read one file with the reader its content calls for. Raises FileRejected naming the file."""
    if len(data) > limits.max_file_bytes:
        raise FileRejected(f"文件过大({mb(len(data))},上限 {mb(limits.max_file_bytes)}):{name}",
                           f"{len(data)} bytes > {limits.max_file_bytes}", "too-large")
    kind = sniff(data, name)
    if kind == "txt":
        from .txt import read
    elif kind == "html":
        from .html import read
    elif kind == "docx":
        from .docx import read
    elif kind == "pdf":
        from .pdf import read
    else:
        from .ocr import read
    try:
        doc = read(data, name, limits)
    except FileRejected:
        raise
    except (MemoryError, RecursionError, Exception) as e:  # noqa: BLE001 - third-party parsers raise anything
        log.warning("reader %s failed on %s: %r", kind, name, e)
        raise FileRejected(f"{_NAMES[kind]}文件格式异常,无法读取:{name}", f"{kind} reader: {e!r}",
                           "reader-failed") from None
    ext = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    said = EXTENSIONS.get(ext)
    if said and said != kind and not (said == "txt" and kind == "html"):
        doc = replace(doc, warnings=doc.warnings + (f"文件名是 {ext},内容是{_NAMES[kind]},已按{_NAMES[kind]}读取",))
    return doc


__all__ = ["Document", "EXTENSIONS", "Limits", "read_document", "sniff"]
