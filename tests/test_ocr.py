"""Scans: an image of a page of Chinese text (drawn in the test) is read by OCR and answers a question with a
verbatim citation; without the OCR extra, a scan is reported as such, never skipped silently.
CI installs the `ocr` extra; under CI=true a skip here is a failure (conftest)."""
import pytest

from assistant.errors import FileRejected
from assistant.ingest.readers import Limits, ocr, read_document

from . import docs

needs_ocr = pytest.mark.skipif(not ocr.available(), reason="the ocr extra (rapidocr-onnxruntime) is not installed")
pytestmark = pytest.mark.ocr


@needs_ocr
def test_image_answers_with_citation(tmp_path):
    from assistant import Assistant, Config
    c = tmp_path / "corpus"
    c.mkdir()
    docs.make_scan_png(c / "baisha.png")
    (c / "dongba.txt").write_bytes(docs.GBK_TEXT.encode("gbk"))
    a = Assistant.load(config=Config(corpus_dir=c, index_dir=tmp_path / "index", embedding_backend="hash"))
    n = next(n for n in a.data.notices.values() if n.path == "baisha.png")
    assert n.reader == "ocr" and "集中安置点5个" in n.text
    rep = next(r for r in a.data.reports if r.path == "baisha.png")
    assert any("OCR" in w for w in rep.warnings)
    ans = a.ask(docs.OCR_QUESTION)
    assert not ans.abstained and "5个" in ans.text
    cit = ans.citations[0]
    assert a.data.notices[cit.notice_id].path == "baisha.png" and n.text[cit.start:cit.end] == cit.quote


@needs_ocr
def test_scanned_pdf_is_read_by_ocr_with_pages(tmp_path):
    """A PDF whose page is only an image: the page is rendered and read by OCR."""
    from PIL import Image
    png = docs.make_scan_png(tmp_path / "page.png")
    pdf = tmp_path / "scan.pdf"
    Image.open(png).convert("RGB").save(pdf)
    doc = read_document(pdf.read_bytes(), "scan.pdf", Limits())
    assert doc.reader == "pdf+ocr" and "集中安置点5个" in doc.text and doc.page_starts == (0,)


def test_without_ocr_a_scan_is_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    png = docs.make_scan_png(tmp_path / "page.png")
    with pytest.raises(FileRejected) as e:
        read_document(png.read_bytes(), "扫描.png", Limits())
    assert e.value.zh.startswith("扫描件,需要安装 OCR 组件") and "扫描.png" in e.value.zh
    from PIL import Image
    pdf = tmp_path / "scan.pdf"
    Image.open(png).convert("RGB").save(pdf)
    with pytest.raises(FileRejected) as e:
        read_document(pdf.read_bytes(), "scan.pdf", Limits())
    assert e.value.code == "scan-needs-ocr" and "scan.pdf" in e.value.zh
