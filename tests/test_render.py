from assistant.app.render import (CardContext, answer_body_html, display_text, highlight_spans, marked_html,
                                  notice_html, sources_html)
from assistant.question import QuestionInfo
from assistant.types import Answer, Citation, Notice, Passage

EVIL = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '![pic](http://evil.example/x.png)']


def _notice(text):
    return Notice("n1", "a.txt", "标题<b>", "单位", "2020-01-01", None, None, None, None, None, None, text)


def _ctx(notices, section=None, details=False):
    return CardContext(notices, lambda nid, start: section, lambda q: (["onerror"], None), details)


def test_answer_and_cards_escape_user_and_corpus_text():
    text = "\n".join(EVIL) + "\n搬迁24.93万户。"
    n = _notice(text)
    quote = EVIL[1]
    c = Citation(1, "n1", n.title, n.issuer, n.date, "一、<i>节</i>", quote, text.index(quote),
                 text.index(quote) + len(quote))
    ans = Answer(EVIL[0], f"{EVIL[0]}“{quote}”[1][7]", False, "q", (c,))
    body = answer_body_html(ans, "t1")
    assert "<script" not in body and "<img" not in body and "&lt;img" in body
    assert "href='#src-t1-1'" in body and "[7]" in body and "#src-t1-7" not in body  # only real citations link
    html = sources_html(ans, "t1", _ctx({"n1": n}, text, details=True))
    assert "<img" not in html and "<script" not in html and "<i>" not in html and "标题<b>" not in html
    assert "&lt;img" in html and "id='src-t1-1'" in html and "data-act='cite'" in html
    page = notice_html(n, [], (text.index("搬迁"), len(text)))
    assert "<script" not in page and "&lt;script&gt;" in page and "<mark id='focus'" in page


def test_short_answer_bold_only_when_set_and_heading_path_cut_in_the_answer():
    text = "一、总体\n全省共搬迁24.93万户。"
    n = _notice(text)
    path = "一、总体 > (二)搬迁 > 整改成效"
    q = "全省共搬迁24.93万户。"
    c = Citation(1, "n1", n.title, n.issuer, n.date, path, q, text.index(q), len(text))
    ans = Answer("搬迁了多少户?", f"24.93万户\n\n据《甲》(2020-01-01),{path}:“{q}”[1]", False, "q", (c,),
                 short_answer="24.93万户")
    body = answer_body_html(ans, "t2")
    assert body.startswith("<p><strong class='short'>24.93万户</strong></p>")
    assert path not in body and "整改成效" in body  # the answer names the last heading only
    assert path.replace(">", "&gt;") in sources_html(ans, "t2", _ctx({"n1": n}))  # the full path: in the card
    unset = answer_body_html(Answer("q", "最相关的原文是:“24.93万户”[1]", False, "q", (c,)), "t3")
    assert "<strong" not in unset
    english = Answer("How many?", f"Answer: 24.93万户 (249,300 households) [1]\n\nSource: 《甲》: “{q}”[1]",
                     False, "q", (c,), short_answer="24.93万户")
    assert "Answer: <strong class='short'>24.93万户</strong> (249,300 households)" in answer_body_html(english, "t4")
    assert display_text(ans).count("整改成效") == 1


def test_a_removed_or_changed_notice_is_said_so_on_its_card():
    text = "全省共搬迁24.93万户。"
    c = Citation(1, "n1", "甲", "单位", "2020-01-01", "一、总体", text, 0, len(text))
    ans = Answer("q", f"“{text}”[1]", False, "q", (c,))
    gone = sources_html(ans, "t1", _ctx({}))
    changed = sources_html(ans, "t1", _ctx({"n1": _notice("全省共搬迁25.00万户。")}))
    for html in (gone, changed):
        assert "该通报已删除或已更新" in html and "data-act='cite'" not in html and "24.93万户" in html
    assert "该通报已删除或已更新" not in sources_html(ans, "t1", _ctx({"n1": _notice(text)}))


def test_notice_outline_links_and_search_marks():
    text = "一、总体\n搬迁群众搬迁。\n二、措施\n再搬迁。"
    n = _notice(text)
    p1 = Passage("p1", "n1", ("一、总体",), 0, 12, text[:12])
    p2 = Passage("p2", "n1", ("二、措施",), 13, len(text), text[13:])
    page = notice_html(n, [p1, p2], search="搬迁")
    assert "data-go='sec-0'" in page and "data-go='sec-1'" in page and "id='sec-1'" in page
    assert page.count("class='hit'") == 3 and "找到 3 处" in page and "data-act='hit-next'" in page
    assert "找到 0 处" in notice_html(n, [p1, p2], search="北京")


def test_highlight_figures_in_asked_unit():
    q = "易地扶贫搬迁24.93万户84.36万人搬迁对象"
    spans = highlight_spans(q, [], QuestionInfo("count", "户", ()))
    assert [q[s:e] for s, e in spans] == ["24.93万户"]
    assert marked_html("a<b", [(0, 1)]) == "<mark>a</mark>&lt;b"


def test_a_metadata_answer_cites_the_raw_header_line_and_stays_current():
    from assistant.app.render import is_current
    from assistant.types import Citation, Notice
    raw = "来 源: | 某某县人民政府办公室 | 文 号: | 某府办函〔2019〕30号 |\n正文"
    n = Notice("n1", "a.txt", "通知", "某某县人民政府办公室", None, None, None, None, None, "某府办函〔2019〕30号", None,
               "正文", raw_text=raw)
    line = raw.split("\n")[0]
    c = Citation(n=1, notice_id="n1", title="通知", issuer="", date=None, section="文件头", quote=line, start=0,
                 end=len(line), origin="raw")
    assert is_current(c, {"n1": n})
    assert not is_current(Citation(**{**c.__dict__, "origin": "text"}), {"n1": n})
