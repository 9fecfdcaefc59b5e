"""Scanned pages and images (.png, .jpg): OCR with rapidocr-onnxruntime, whose PP-OCRv4 Chinese models ship
inside its wheel (the optional `ocr` extra; nothing is downloaded). Without it, a scan is reported as
"扫描件,需要安装 OCR 组件" and not silently skipped."""
from __future__ import annotations

import importlib.util
import io
import time
from functools import lru_cache

from ...errors import FileRejected
from .base import Document, Limits
from .layout import Line, assemble

_MAX_SIDE = 2400  # longer images are scaled down first: OCR time grows with the pixel count
_MAX_PIXELS = 100_000_000  # refuse decompression bombs before decoding them
_RENDER_SCALE = 2.0  # PDF points -> pixels for scanned pages (144 dpi)


def available() -> bool:
    """Whether the OCR extra is installed. Example: available() -> False without `pip install .[ocr]`."""
    return importlib.util.find_spec("rapidocr_onnxruntime") is not None


@lru_cache(maxsize=1)
def _engine():
    """The OCR engine, loaded on first use and kept: a read-only model (about 1.5 s to load)."""
    from rapidocr_onnxruntime import RapidOCR
    return RapidOCR()


def _bounded(img, name: str):
    w, h = img.size
    if w * h > _MAX_PIXELS:
        raise FileRejected(f"图片过大({w}×{h} 像素):{name}", f"{w}x{h} pixels", "image-too-large")
    scale = min(1.0, _MAX_SIDE / max(w, h))
    if scale < 1.0:
        img = img.resize((max(1, int(w * scale)), max(1, int(h * scale))))
    return img.convert("RGB")


def image_lines(img, page: int, limits: Limits, name: str) -> list[Line]:
    """OCR one page image (a PIL image) into lines, top to bottom. Raises FileRejected when the page takes
    longer than limits.ocr_page_seconds."""
    import numpy as np

    img = _bounded(img, name)
    t = time.perf_counter()
    result, _ = _engine()(np.asarray(img)[:, :, ::-1])  # RGB -> BGR, as OpenCV expects
    took = time.perf_counter() - t
    if took > limits.ocr_page_seconds:
        raise FileRejected(f"第 {page} 页的文字识别超时({took:.0f} 秒,上限 {limits.ocr_page_seconds:.0f} 秒):{name}",
                           f"OCR {took:.1f}s > {limits.ocr_page_seconds}", "ocr-timeout")
    boxes = []
    for box, text, _score in result or []:
        xs = [p[0] for p in box]
        ys = [p[1] for p in box]
        if text.strip():
            boxes.append(Line(text.strip(), min(xs), max(xs), min(ys), max(ys), page))
    return _rows(boxes)


def _rows(boxes: list[Line]) -> list[Line]:
    """Boxes on one visual line (vertical centres within half a line height) become one line, left to right."""
    rows: list[list[Line]] = []
    for b in sorted(boxes, key=lambda b: (b.top + b.bottom) / 2):
        mid = (b.top + b.bottom) / 2
        if rows:
            r = rows[-1]
            rmid = sum((x.top + x.bottom) / 2 for x in r) / len(r)
            if abs(mid - rmid) < 0.5 * max(1.0, b.bottom - b.top):
                r.append(b)
                continue
        rows.append([b])
    out = []
    for r in rows:
        r.sort(key=lambda b: b.x0)
        out.append(Line("".join(b.text for b in r), r[0].x0, max(b.x1 for b in r), min(b.top for b in r),
                        max(b.bottom for b in r), r[0].page))
    return out


def render_pdf_pages(data: bytes, pages: list[int]):
    """PIL images of the given 1-based pages of a PDF (pypdfium2)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        return [doc[p - 1].render(scale=_RENDER_SCALE).to_pil() for p in pages]
    finally:
        doc.close()


def read(data: bytes, name: str, limits: Limits) -> Document:
    """An image of a page of text (.png, .jpg)."""
    if not available():
        raise FileRejected(f"扫描件,需要安装 OCR 组件:{name}", "image without an OCR engine", "scan-needs-ocr")
    from PIL import Image, UnidentifiedImageError

    try:
        img = Image.open(io.BytesIO(data))
        if img.size[0] * img.size[1] > _MAX_PIXELS:
            raise FileRejected(f"图片过大({img.size[0]}×{img.size[1]} 像素):{name}", "too many pixels",
                               "image-too-large")
        img.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as e:
        raise FileRejected(f"图片已损坏或格式不支持:{name}", repr(e), "corrupt") from None
    lines = image_lines(img, 1, limits, name)
    text, _, _ = assemble([lines])
    if not text.strip():
        raise FileRejected(f"图片中没有识别出文字:{name}", "OCR found no text", "no-text")
    return Document(text=text, reader="ocr",
                    warnings=("文字由 OCR 识别,请核对原件",))
