from assistant.question import QuestionInfo
from assistant.app.render import answer_markdown, highlight_spans, marked_html, md_escape, notice_html, source_cards_html
from assistant.types import Answer, Citation, Notice

EVIL = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '![pic](http://evil.example/x.png)']


def _notice(text):
    return Notice("n1", "a.txt", "标题<b>", "单位", "2020-01-01", None, None, None, None, None, None, text)


def test_md_escape_neutralises_markup():
    for s in EVIL:
        out = md_escape(s)
        assert "<script" not in out and "<img" not in out and "![" not in out


def test_cards_and_notice_escape_corpus_text():
    text = "\n".join(EVIL) + "\n搬迁24.93万户。"
    n = _notice(text)
    quote = EVIL[1]
    c = Citation(1, "n1", n.title, n.issuer, n.date, "一、<i>节</i>", quote, text.index(quote),
                 text.index(quote) + len(quote))
    ans = Answer("q", f"“{quote}”[1]", False, "q", (c,))
    html = source_cards_html(ans, 1, {"n1": n}, {("n1", c.start): text}, ["onerror"], None, details=True)
    assert "<img" not in html and "<script" not in html and "<i>" not in html and "标题<b>" not in html
    assert "&lt;img" in html
    md = answer_markdown(ans, 1)
    assert "<img" not in md and "(#src-1-1)" in md
    page = notice_html(n, [], (text.index("搬迁"), len(text)))
    assert "<script" not in page and "&lt;script&gt;" in page and "<mark id='focus'" in page


def test_highlight_figures_in_asked_unit():
    q = "易地扶贫搬迁24.93万户84.36万人搬迁对象"
    spans = highlight_spans(q, [], QuestionInfo("count", "户", ()))
    assert [q[s:e] for s, e in spans] == ["24.93万户"]
    assert marked_html("a<b", [(0, 1)]) == "<mark>a</mark>&lt;b"
