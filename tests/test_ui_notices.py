"""The 通报 tab's library pieces, rendered without a server: upload reports, files not indexed, where each
metadata field came from, the link to the original (at a PDF's page), and who may add or remove."""
from assistant.app.ui_notices import can_edit, notice_extras_html, problems_html, reports_table
from assistant.ingest.corpus import ingest_bytes
from assistant.ingest.readers import Limits
from assistant.types import FileReport

from . import docs


def test_who_may_edit():
    assert can_edit("127.0.0.1", None) and can_edit("localhost", None)
    assert not can_edit("0.0.0.0", None) and can_edit("0.0.0.0", [("u", "p")])


def test_reports_and_extras(gaz, tmp_path):
    n, r = ingest_bytes("linhe.pdf", docs.make_pdf(), gaz, Limits())
    bad = FileReport(path="<x>.txt", status="error", error="文件是空的:<x>.txt", code="empty-file")
    table = reports_table([r, bad], {n.id: n})
    assert docs.PDF_TITLE in table and "已收录" in table and "&lt;x&gt;.txt" in table and "<x>" not in table
    extras = notice_extras_html(tmp_path, n, r, page=2)
    assert "打开原件(第 2 页)" in extras and "#page=2" in extras and "/gradio_api/file=" in extras
    assert "落款" in extras and "2023年7月10日" in extras and "页眉、页脚或页码" in extras
    assert "empty-file" not in problems_html([bad]) and "文件是空的" in problems_html([bad])
    assert problems_html([r]) == ""
