"""Word documents (.docx, python-docx): paragraphs and tables in document order, heading styles marked as
headings, table rows as lines of cells joined by " | ", core properties (title, author, created) as metadata
candidates. The archive is checked before it is opened: its unpacked size is bounded (a zip bomb is refused)."""
from __future__ import annotations

import io
import zipfile

from ...errors import FileRejected
from .base import Document, Limits, mb


def check_zip(data: bytes, name: str, limits: Limits) -> zipfile.ZipFile:
    """Open a zip archive after bounding its unpacked size. Raises FileRejected naming the file."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise FileRejected(f"Word 文件已损坏,无法打开:{name}", repr(e), "corrupt") from None
    total = sum(i.file_size for i in infos)
    if total > limits.max_unzipped_bytes or len(infos) > 10_000:
        raise FileRejected(f"Word 文件解压后过大({mb(total)},上限 {mb(limits.max_unzipped_bytes)}):{name}",
                           f"unzipped size {total} > {limits.max_unzipped_bytes}", "zip-too-large")
    return z


def _is_heading(style_name: str) -> bool:
    s = (style_name or "").lower()
    return s.startswith(("heading", "title")) or s.startswith(("标题",))


def read(data: bytes, name: str, limits: Limits) -> Document:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    check_zip(data, name, limits)
    try:
        d = docx.Document(io.BytesIO(data))
    except Exception as e:  # noqa: BLE001 - python-docx raises many kinds on broken packages
        raise FileRejected(f"Word 文件已损坏,无法打开:{name}", repr(e), "corrupt") from None
    lines: list[str] = []
    headings: list[int] = []
    body = d.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = Paragraph(child, d)
            t = p.text.strip()
            if not t:
                continue
            if _is_heading(p.style.name if p.style is not None else ""):
                headings.append(len(lines))
            lines.extend(x.strip() for x in t.split("\n") if x.strip())
        elif tag == "tbl":
            for row in Table(child, d).rows:
                cells: list[str] = []
                for c in row.cells:
                    ct = " ".join(c.text.split())
                    if ct and (not cells or cells[-1] != ct):  # merged cells repeat their text
                        cells.append(ct)
                if cells:
                    lines.append(" | ".join(cells))
    cp = d.core_properties
    props = {}
    if cp.title:
        props["title"] = cp.title.strip()
    if cp.author:
        props["author"] = cp.author.strip()
    if cp.created:
        props["created"] = cp.created.date().isoformat()
    return Document(text="\n".join(lines), reader="docx", headings=tuple(headings), properties=props)
