"""The one interface of the readers: bytes in, text plus structure out.

Each format has one module (txt, html, docx, pdf, ocr) with a `read(data, name, limits) -> Document` function.
`readers.read_document` chooses the reader by the file's content (magic bytes, markup), not by its extension.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ...config import Config


@dataclass(frozen=True)
class Limits:
    """Bounds on what one file may cost. Example: Limits.from_config(Config()).max_file_bytes -> 52428800."""

    max_file_bytes: int = 50 * 1024 * 1024
    max_pages: int = 300
    max_unzipped_bytes: int = 100 * 1024 * 1024
    ocr_page_seconds: float = 60.0

    @staticmethod
    def from_config(cfg: Config) -> "Limits":
        return Limits(max_file_bytes=int(cfg.max_file_mb * 1024 * 1024), max_pages=cfg.max_pages,
                      max_unzipped_bytes=int(cfg.max_unzipped_mb * 1024 * 1024),
                      ocr_page_seconds=float(cfg.ocr_page_seconds))


@dataclass(frozen=True)
class Document:
    """What a reader made of one file.

    text: the document's text, one paragraph or line per text line ("\\n" between lines);
    page_starts: offsets in `text` where pages 1, 2, … begin (PDF and scans), () for unpaged formats;
    headings: 0-based numbers of lines the original marks as headings (Word heading styles, HTML h1-h6);
    properties: metadata the file states outside its text (title, author, created, date), as published;
    warnings: things the user should know (replaced bytes, pages read by OCR, a skipped page);
    removed: lines of the original the reader left out, with their page and why (running headers, page numbers).

    Example: Document("一、总体要求\\n正文。", "docx", headings=(0,), properties={"title": "关于…的通知"}).
    """

    text: str
    reader: str
    page_starts: tuple[int, ...] = ()
    headings: tuple[int, ...] = ()
    properties: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    removed: tuple[tuple[int, str, str], ...] = ()  # (page, line, reason) the reader left out (page numbers…)


def mb(n: int) -> str:
    """Example: mb(3 * 1024 * 1024) -> "3.0 MB"."""
    return f"{n / 1024 / 1024:.1f} MB"
