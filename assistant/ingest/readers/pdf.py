"""PDF with a text layer (pdfplumber, MIT): lines with their positions, running headers / footers / page numbers
removed, wrapped lines joined, the page of each line kept. Pages without a text layer are scans: they are read
by OCR when the `ocr` extra is installed, else the file is reported as "扫描件,需要安装 OCR 组件"."""
from __future__ import annotations

import io
import logging

from ...errors import FileRejected
from . import ocr
from .base import Document, Limits
from .layout import Line, assemble

log = logging.getLogger(__name__)

_MIN_TEXT_CHARS = 10  # a page with fewer characters in its text layer is treated as a scan


def _page_lines(page, pno: int) -> list[Line]:
    rows = page.extract_text_lines(layout=False, strip=True, return_chars=False)
    return [Line(r["text"], float(r["x0"]), float(r["x1"]), float(r["top"]), float(r["bottom"]), pno)
            for r in sorted(rows, key=lambda r: (round(float(r["top"])), float(r["x0"])))]


def read(data: bytes, name: str, limits: Limits) -> Document:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PDFSyntaxError, Exception) as e:  # noqa: BLE001 - pdfminer raises several kinds on broken files
        raise FileRejected(f"PDF 文件已损坏,无法打开:{name}", repr(e), "corrupt") from None
    warnings: list[str] = []
    with pdf:
        n = len(pdf.pages)
        if n > limits.max_pages:
            raise FileRejected(f"PDF 页数过多({n} 页,上限 {limits.max_pages} 页):{name}",
                               f"{n} pages > {limits.max_pages}", "too-many-pages")
        pages: list[list[Line]] = []
        scanned: list[int] = []
        for i, page in enumerate(pdf.pages, start=1):
            try:
                lines = _page_lines(page, i)
            except Exception as e:  # noqa: BLE001 - one broken page must not lose the others
                log.warning("%s page %d: %r", name, i, e)
                warnings.append(f"第 {i} 页无法读取文字层")
                lines = []
            if sum(len(ln.text) for ln in lines) < _MIN_TEXT_CHARS:
                scanned.append(i)
            pages.append(lines)
    if scanned:
        if not ocr.available():
            if len(scanned) == n:
                raise FileRejected(f"扫描件,需要安装 OCR 组件:{name}", "no text layer and no OCR engine",
                                   "scan-needs-ocr")
            warnings.append(f"第 {', '.join(map(str, scanned))} 页是扫描页,需要安装 OCR 组件才能读取")
        else:
            images = ocr.render_pdf_pages(data, scanned)
            for pno, img in zip(scanned, images):
                pages[pno - 1] = ocr.image_lines(img, pno, limits, name)
            warnings.append(f"第 {', '.join(map(str, scanned))} 页是扫描页,已用 OCR 识别(请核对识别结果)")
    text, starts, removed = assemble(pages)
    reader = "pdf+ocr" if scanned and ocr.available() else "pdf"
    return Document(text=text, reader=reader, page_starts=starts, warnings=tuple(warnings),
                    removed=tuple((ln.page, ln.text, "页眉、页脚或页码") for ln in removed))
