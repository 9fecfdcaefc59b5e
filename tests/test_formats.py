"""Every format answers a known question through the real pipeline (hash embedder, real BM25, real answer
stage): the answer cites the right file with a verbatim quote, and a PDF citation names its page."""
import pytest

from . import docs


@pytest.fixture(scope="module")
def formats(tmp_path_factory):
    from assistant import Assistant, Config
    root = tmp_path_factory.mktemp("formats")
    c = root / "corpus"
    c.mkdir()
    docs.make_docx(c / "qingshi.docx")
    docs.make_pdf(c / "linhe.pdf")
    docs.make_html(c / "xiling.html")
    (c / "beichuan.txt").write_text(docs.one_line_article(), encoding="utf-8")
    (c / "dongba.txt").write_bytes(docs.GBK_TEXT.encode("gbk"))
    (c / "nanping.txt").write_bytes(docs.UTF16_TEXT.encode("utf-16"))
    (c / "empty.txt").write_bytes(b"")
    (c / "binary.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20)
    return Assistant.load(config=Config(corpus_dir=c, index_dir=root / "index", embedding_backend="hash"))


CASES = [
    ("qingshi.docx", docs.DOCX_QUESTION, "6个", None),
    ("linhe.pdf", docs.PDF_QUESTION, "9876人", 1),
    ("linhe.pdf", docs.PDF_QUESTION2, "3200万元", 2),
    ("xiling.html", docs.HTML_QUESTION, "3个", None),
    ("beichuan.txt", docs.ONE_LINE_QUESTION, "1,240套", None),
    ("dongba.txt", docs.GBK_QUESTION, "86户", None),
    ("nanping.txt", docs.UTF16_QUESTION, "4期", None),
]


@pytest.mark.parametrize("path,question,figure,page", CASES)
def test_format_answers_with_verbatim_citation(formats, path, question, figure, page):
    ans = formats.ask(question)
    assert not ans.abstained, ans.text
    c = ans.citations[0]
    n = formats.data.notices[c.notice_id]
    assert n.path == path
    assert figure in c.quote and figure in ans.text
    assert n.text[c.start:c.end] == c.quote
    assert c.page == page


def test_pdf_running_header_and_page_numbers_are_gone_and_lines_joined(formats):
    n = next(n for n in formats.data.notices.values() if n.path == "linhe.pdf")
    assert n.title == docs.PDF_TITLE and docs.PDF_TITLE not in n.text
    assert "- 1 -" not in n.text and "- 2 -" not in n.text
    assert docs.PDF_FACT in n.text  # broken across a line and a page, joined
    assert docs.PDF_FACT2 in n.text
    assert n.reader == "pdf" and len(n.page_starts) == 2
    rep = next(r for r in formats.data.reports if r.path == "linhe.pdf")
    assert sum("页眉、页脚或页码" in d.reason for d in rep.dropped) == 4


def test_html_navigation_and_footer_are_gone(formats):
    n = next(n for n in formats.data.notices.values() if n.path == "xiling.html")
    assert n.title == "西岭乡关于易地扶贫搬迁安置点后续扶持情况的通报"
    for junk in ("网站地图", "联系我们", "版权所有", "ICP备", "当前位置"):
        assert junk not in n.text
    assert n.date == "2021-09-18" and n.issuer == "西岭乡人民政府"


def test_bad_files_reported_others_indexed(formats):
    st = {r.path: r for r in formats.data.reports}
    assert st["empty.txt"].status == "error" and "empty.txt" in st["empty.txt"].error
    assert st["binary.pdf"].status == "error" and "binary.pdf" in st["binary.pdf"].error
    assert len(formats.data.notices) == 6
