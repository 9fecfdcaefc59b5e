"""Body-text rules and the reading of a corpus folder: web furniture goes only as a short line, a furniture line
or a line's tail; nothing else is lost; every file gets a report, every skipped entry a reason."""
import codecs
import os

import pytest

from assistant.errors import CorpusError, FileRejected
from assistant.ingest.clean import REASON_LINE, REASON_TAIL, clean_lines, collapse_attr_repeats, furniture_cut
from assistant.ingest.corpus import ingest_bytes, read_corpus
from assistant.ingest.metadata import date_of_line, find_doc_number, title_from_first_sentence
from assistant.ingest.readers import Limits, sniff
from assistant.ingest.readers.txt import decode_bytes

from . import docs
from .conftest import CORPUS

LIMITS = Limits()


# ---------------------------------------------------------------- furniture

def test_editor_line_in_the_middle_keeps_the_body(gaz):
    n, r = ingest_bytes("a.txt", docs.one_line_article().encode("utf-8"), gaz, LIMITS)
    assert docs.ONE_LINE_FACT in n.text
    assert "镇里的责任编辑制度要求每篇通报由专人审核。" in n.text  # 责任编辑 inside a sentence stays
    assert "返回搜狐" not in n.text and "张三" not in n.text  # the furniture tail goes
    assert n.date == "2023-08-16" and n.provenance["date"].line_no == 2
    assert [d.reason for d in r.dropped] == ["页首信息行(已记入元数据)", REASON_TAIL]


@pytest.mark.parametrize("line,kept,reason", [
    ("责任编辑:韩绪光", "", REASON_LINE),
    ("网站地图 | 联系我们 | 信息公开入口 某市人民政府版权所有 蜀ICP备05031156号", "", REASON_LINE),
    ("全县搬迁2.65万户。【责任编辑：曹竞】", "全县搬迁2.65万户。", REASON_TAIL),
    ("他曾任责任编辑多年,审核稿件上千篇。", "他曾任责任编辑多年,审核稿件上千篇。", None),
    ("严禁侵犯版权所有人的权益。", "严禁侵犯版权所有人的权益。", None),
    ("首页", "", REASON_LINE),
    ("首页 > 政务公开 > 通知公告", "", REASON_LINE),
    ("首页面设计要简洁。", "首页面设计要简洁。", None),
    ("日期:2023-05-04 08:46:31 来源:区文旅体局 浏览量:", "", REASON_LINE),  # a page header row with its counter
    ("本文阅读量超过10万次,引发广泛讨论。", "本文阅读量超过10万次,引发广泛讨论。", None),
])
def test_furniture_forms(line, kept, reason):
    assert furniture_cut(line) == (kept, reason)


def test_furniture_only_file_is_an_error_naming_it(gaz):
    for body in ("首页\n", "网站地图 | 联系我们\n版权所有\n", "新闻稿\n2023-08-16，正文：返回搜狐，查看更多责任编辑："):
        with pytest.raises(FileRejected) as e:
            ingest_bytes("只有杂项.txt", body.encode("utf-8"), gaz, LIMITS)
        assert "只有杂项.txt" in e.value.zh and e.value.code == "empty-body"


def test_empty_body_never_counts_as_duplicate(tmp_path, gaz):
    (tmp_path / "a.txt").write_text("新闻稿\n2023-01-01，正文：责任编辑：甲", encoding="utf-8")
    (tmp_path / "b.txt").write_text("新闻稿\n2023-01-02，正文：责任编辑：乙", encoding="utf-8")
    (tmp_path / "c.txt").write_text(docs.GBK_TEXT, encoding="utf-8")
    c = read_corpus(tmp_path, gaz)
    st = {r.path: (r.status, r.code) for r in c.reports}
    assert st == {"a.txt": ("error", "empty-body"), "b.txt": ("error", "empty-body"), "c.txt": ("ok", "")}


def test_html_attribute_repeats_collapse_linearly():
    assert collapse_attr_repeats('邮箱:a@b.com">a@b.com">a@b.com') == "邮箱:a@b.com"
    assert collapse_attr_repeats('ab">b') == "ab"
    assert collapse_attr_repeats('x">y') == 'x">y'
    long_line = "易地扶贫搬迁后续扶持" * 50_000 + '">'  # 500k characters: quadratic code never returns
    assert collapse_attr_repeats(long_line) == long_line


@pytest.mark.parametrize("unit", ["全县共搬迁2.65万户8.1万人，建成集中安置点47个。", "易地扶贫搬迁后续扶持稳步推进",
                                  '邮箱a@b.com">a@b.com">联系电话'])
def test_one_very_long_line_is_read(gaz, unit):
    """A 300,000-character one-line file is read and chunked (the old attribute pattern took hours)."""
    from assistant.ingest.chunking import chunk_notice
    line = unit * (300_000 // len(unit))
    n, r = ingest_bytes("long.txt", line.encode("utf-8"), gaz, LIMITS)
    ps = chunk_notice(n.id, n.text)
    assert r.chars_read == len(line) and len(ps) > 500
    assert all(n.text[p.start:p.end] == p.text for p in ps)


# ---------------------------------------------------------------- encodings and kinds

def test_text_encodings(gaz):
    for data in (docs.GBK_TEXT.encode("gbk"), docs.GBK_TEXT.encode("gb18030"), docs.GBK_TEXT.encode("utf-8-sig"),
                 docs.GBK_TEXT.encode("utf-16"), codecs.BOM_UTF16_BE + docs.GBK_TEXT.encode("utf-16-be")):
        n, r = ingest_bytes("x.txt", data, gaz, LIMITS)
        assert "本年度共向86户搬迁户发放产业奖补资金27.5万元。" in n.text, data[:4]
        assert r.warnings == ()


def test_utf8_with_one_gbk_word_is_kept_with_a_warning(gaz):
    data = docs.UTF16_TEXT.encode("utf-8").replace("技能培训班".encode("utf-8"), "技能培训班".encode("gbk"))
    n, r = ingest_bytes("mixed.txt", data, gaz, LIMITS)
    assert "培训搬迁群众168人次" in n.text and "\ufffd" in n.text
    assert len(r.warnings) == 1 and "UTF-8" in r.warnings[0]


def test_empty_and_binary_files_are_named_errors(tmp_path, gaz):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "blank.txt").write_text("  \n\n", encoding="utf-8")
    (tmp_path / "good.txt").write_text(docs.GBK_TEXT, encoding="utf-8")
    c = read_corpus(tmp_path, gaz)
    st = {r.path: r for r in c.reports}
    assert st["empty.txt"].code == "empty-file" and "empty.txt" in st["empty.txt"].error
    assert st["binary.txt"].code in ("binary", "undecodable") and "binary.txt" in st["binary.txt"].error
    assert st["blank.txt"].code == "empty-body"
    assert st["good.txt"].status == "ok" and [n.path for n in c.notices] == ["good.txt"]


def test_kind_is_chosen_by_content(tmp_path):
    assert sniff(docs.make_pdf(), "notice.txt") == "pdf"
    assert sniff(docs.make_docx(tmp_path / "a.docx").read_bytes(), "a.pdf") == "docx"
    assert sniff(docs.make_html(tmp_path / "a.html").read_bytes(), "a.txt") == "html"
    assert sniff("正文<span>一段</span>。".encode(), "a.txt") == "txt"
    with pytest.raises(FileRejected) as e:
        sniff(b"\xd0\xcf\x11\xe0" + b"\0" * 100, "old.doc")
    assert "old.doc" in e.value.zh


def test_decode_undecodable_names_file():
    with pytest.raises(CorpusError) as e:
        decode_bytes(bytes([0xFF, 0xFE, 0x00, 0xD8]) * 50 + b"\x00\x01\x02" * 100, "bad.txt")
    assert "bad.txt" in str(e.value)


# ---------------------------------------------------------------- the folder

def test_every_skipped_entry_has_a_reason(tmp_path, gaz):
    c_dir = tmp_path / "corpus"
    c_dir.mkdir()
    (c_dir / "upper.TXT").write_text(docs.UTF16_TEXT, encoding="utf-8")
    (c_dir / "sub").mkdir()
    (c_dir / "sub" / "inner.txt").write_text(docs.GBK_TEXT, encoding="utf-8")
    (c_dir / "table.xlsx").write_bytes(b"PK\x03\x04")
    (c_dir / ".hidden.txt").write_text(docs.GBK_TEXT, encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("机密:不应被收录的文字,共有三段内容。" * 5, encoding="utf-8")
    os.symlink(secret, c_dir / "link.txt")
    os.symlink(c_dir / "upper.TXT", c_dir / "inside-link.txt")
    (c_dir / "big.txt").write_bytes(b"a" * 2048)
    c = read_corpus(c_dir, gaz, Limits(max_file_bytes=1024))
    st = {r.path: (r.status, r.code) for r in c.reports}
    assert st == {
        "inside-link.txt": ("ok", ""), "upper.TXT": ("duplicate", ""), "sub": ("skipped", "subfolder"),
        "table.xlsx": ("skipped", "unsupported-type"), ".hidden.txt": ("skipped", "hidden"),
        "link.txt": ("skipped", "symlink-outside"), "big.txt": ("skipped", "too-large"),
    }
    assert all("机密" not in n.text for n in c.notices)
    assert all(r.error and r.path in r.error for r in c.reports if r.status == "skipped")


def test_missing_folder_and_no_notice(tmp_path, gaz):
    from assistant.ingest.corpus import load_corpus
    with pytest.raises(CorpusError):
        load_corpus(tmp_path / "nope", gaz)
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    with pytest.raises(CorpusError):
        load_corpus(tmp_path, gaz)


def test_report_counts_what_was_read_and_kept(gaz):
    c = read_corpus(CORPUS, gaz)
    gansu = next(r for r in c.reports if "gansu" in r.path)
    assert gansu.reader == "txt" and gansu.chars_kept < gansu.chars_read
    reasons = {d.reason for d in gansu.dropped}
    assert {"页首信息行(已记入元数据)", "网页杂项(整行)", "重复发布的正文(保留第一份)"} <= reasons
    assert any(d.text == "责任编辑:韩绪光" for d in gansu.dropped)


# ---------------------------------------------------------------- metadata from the document's structure

def test_dates_doc_numbers_and_derived_titles():
    assert date_of_line("二〇一九年四月四日") == "2019-04-04"
    assert date_of_line("二〇二〇年十二月二十一日") == "2020-12-21"
    assert date_of_line("2019年13月4日") is None
    assert date_of_line("2023.09.11") == "2023-09-11" and date_of_line("2023-05-04 08:46:31") == "2023-05-04"
    assert date_of_line("2023.9-11") is None  # mixed separators: no date line
    assert find_doc_number(["甘政办发[2020]12号"]) == ("甘政办发[2020]12号", 0)
    assert find_doc_number(["文 号:达市府办函〔2019〕30号"]) == ("达市府办函〔2019〕30号", 0)
    assert find_doc_number(["国办发【2019】5号"]) == ("国办发【2019】5号", 0)
    t = title_from_first_sentence(["新闻稿", "新华社北京8月16日电 全国易地扶贫搬迁安置区就业帮扶工作会议召开。会议指出…"])
    assert t == ("全国易地扶贫搬迁安置区就业帮扶工作会议召开", 1)


def test_docx_metadata_with_provenance(tmp_path, gaz):
    n, r = ingest_bytes("a.docx", docs.make_docx(tmp_path / "a.docx").read_bytes(), gaz, LIMITS)
    assert (n.title, n.issuer, n.date, n.doc_number) == (
        "关于易地扶贫搬迁后续扶持工作的通知", "青石镇人民政府", "2022-03-15", "青政发〔2022〕7号")
    assert n.provenance["date"].line == "二〇二二年三月十五日" and n.provenance["date"].kind == "signature"
    assert n.provenance["doc_number"].kind == "doc-number-line"
    for src in n.provenance.values():
        assert n.raw_text[src.start:src.end] == src.line
    assert "河湾安置点 | 120户 | 486人" in n.text  # table rows as text
    assert r.reader == "docx"


def test_news_title_is_derived_and_marked(gaz):
    n, _ = ingest_bytes("a.txt", docs.one_line_article().encode("utf-8"), gaz, LIMITS)
    assert n.provenance["title"].derived
    assert n.title.startswith("记者从北川镇获悉") and len(n.title) <= 40
    assert "关于" not in n.title and n.issuer == ""


def test_a_news_item_that_carried_something_out_is_no_rectification_report(gaz):
    """crud-dev's news pages were titled "关于急诊急救知识培训整改情况的通报" and the like: "开展了…。" alone made a
    news item a report on an inspection, and its invented title said so. Only a text that speaks of 巡视, 巡察 or 整改
    gets a title derived that way; others are titled by their first sentence."""
    import opencc
    from assistant.ingest.metadata import reports_on_inspection
    news = "新闻稿\n近日，桃浦镇开展了庆祝“八一”建军节系列宣传教育活动。活动吸引了200余名居民参加。"
    assert not reports_on_inspection(news)
    n, _ = ingest_bytes("n.txt", news.encode("utf-8"), gaz, LIMITS)
    assert n.title == "近日，桃浦镇开展了庆祝“八一”建军节系列宣传教育活动" and n.provenance["title"].derived
    report = "2019年4月，县委巡察组对红石桥乡开展了脱贫攻坚专项巡察。现将巡察整改情况予以公布。"
    assert reports_on_inspection(report)
    assert reports_on_inspection(opencc.OpenCC("s2t").convert(report))  # 開展了…巡察, 現將…予以公布


def test_heading_styles_start_sections():
    from assistant.ingest.chunking import chunk_notice
    text = "工作目标\n" + "到2025年,安置点就业帮扶全覆盖。" * 6 + "\n保障措施\n" + "各乡镇要压实责任,按月调度。" * 6
    plain = chunk_notice("x", text)
    marked = chunk_notice("x", text, headings=(0, text.index("保障措施")))
    assert {p.section for p in plain} == {("导语",)}
    assert [p.section for p in marked] == [("工作目标",), ("保障措施",)]


def test_odd_entries_never_raise(tmp_path, gaz):
    """A name that is not UTF-8, a FIFO, a broken link, a Word file that is not one, a PDF that is not one."""
    d = tmp_path / "c"
    d.mkdir()
    (d / "good.txt").write_text(docs.GBK_TEXT, encoding="utf-8")
    with open(os.path.join(os.fsencode(d), b"bad-\xff.txt"), "wb") as f:
        f.write(docs.UTF16_TEXT.encode("utf-8"))
    os.mkfifo(d / "pipe.txt")
    os.symlink(d / "gone.txt", d / "broken.txt")
    (d / "fake.docx").write_bytes(b"PK\x03\x04" + b"\0" * 200 + b"word/document.xml")
    (d / "fake.pdf").write_bytes(b"%PDF-1.7\n%%EOF")
    c = read_corpus(d, gaz)
    st = {r.path: (r.status, r.code) for r in c.reports}
    assert st["good.txt"] == ("ok", "")
    assert st["bad-\ufffd.txt"] == ("skipped", "bad-name")
    assert st["pipe.txt"] == ("skipped", "not-a-file")
    assert st["broken.txt"] == ("skipped", "broken-symlink")
    assert st["fake.docx"][0] == "error" and st["fake.pdf"][0] == "error"
    assert all(r.error for r in c.reports if r.status != "ok")


def test_a_header_line_that_is_only_a_date_dates_the_notice():
    """A web page prints its date on a line of its own under the title: that line dates the notice."""
    from assistant.ingest.metadata import find_date_field
    lines = ["数据统计", "贵州铜仁:在就业保障上持续发力,筑牢搬迁群众“乐业梦”", "2023.09.11", "从“扶贫工厂”到“企业车间”……"]
    assert find_date_field(lines) == ("2023-09-11", 2)
    assert find_date_field(["日期:2023-05-04 08:46:31 来源:区文旅体局"]) == ("2023-05-04", 0)
    assert find_date_field(["标题", "截至2023年9月底,全省……"]) == (None, None)
