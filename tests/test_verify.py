"""The sentence verifier, a pure function, on Chinese text: figures as notices write them and as a model
rewrites them."""
import pytest

from assistant.answer.verify import (
    SentenceSplitter,
    Source,
    check_sentence,
    cites_of,
    figures_of,
    prepare,
    short_answer_problems,
    strip_markers,
)
from assistant.question import analyse
from assistant.text import Tokenizer


SHAANXI = Source(1, "整改成效:全省“十三五”易地扶贫搬迁24.93万户84.36万人搬迁对象基本信息已全部录入,"
                    "三项协议录入比例均达到98%以上。截至2019年5月,建成集中安置点2116个,总投资约50亿元。",
                 "中共陕西省自然资源厅党组关于脱贫攻坚专项巡视“回头看”整改情况的通报 2021-03-23 2021年3月23日 陕西省 "
                 "二、问题整改落实情况")
DAZHOU = Source(2, "根据《达州市人民政府办公室关于印发达州市易地扶贫搬迁工作方案的通知》(达市府办函〔2019〕30号),"
                   "全市共有三十个乡镇开展旧房拆除,二〇一九年四月十日前完成摸底。",
                "达州市易地扶贫搬迁通报 2019-06-01 2019年6月1日 四川省达州市")
SOURCES = {1: SHAANXI, 2: DAZHOU}


@pytest.fixture(scope="module")
def tok():
    return Tokenizer()


def ok(sentence, tok=None, gaz=None):
    return check_sentence(sentence, SOURCES, tok, gaz)


@pytest.mark.parametrize("sentence", [
    "陕西省共搬迁24.93万户[1]。",
    "陕西省共搬迁２４．９３万户[1]。",  # full-width digits
    "陕西省共搬迁24.93 万户 [1]。",  # spaces
    "陕西省共搬迁249300户[1]。",  # 万 read as a magnitude
    "陕西省共搬迁二十四点九三万户[1]。",  # Chinese numerals
    "三项协议录入比例达到98%以上[1]。",
    "三项协议录入比例达到百分之九十八以上[1]。",
    "截至2019年5月,建成集中安置点2116个[1]。",
    "截至二〇一九年五月,建成安置点两千一百一十六个[1]。",
    "总投资约50亿元[1]。",
    "达州市有30个乡镇开展旧房拆除[2]。",  # 三十个 in the notice
    "依据达市府办函[2019]30号[2]。",  # 〔2019〕 written with other brackets
    "2019年4月10日前完成摸底[2]。",  # the year from the notice's own 二〇一九年
    "陕西省共搬迁24.93万户,达州市有三十个乡镇拆旧[1][2]。",
    "陕西省共搬迁24.93万户【1】。",
    "- 陕西:24.93万户[1]",
    "在已收录的通报中没有找到相关内容。",  # the refusal needs no marker
])
def test_sentences_that_pass(sentence, tok, gaz):
    c = ok(sentence, tok, gaz)
    assert c.ok, c.problems


@pytest.mark.parametrize("sentence, problem", [
    ("陕西省共搬迁25万户[1]。", "数字“25万户”不在所引段落[1]中"),
    ("陕西省共搬迁24.9万户[1]。", "数字“24.9万户”"),
    ("陕西省共搬迁24万户[1]。", "数字“24万户”"),  # 24 is not 24.93
    ("陕西省共搬迁24.93万人[1]。", "数字“24.93万人”"),  # another unit
    ("陕西省共搬迁二十五万户[1]。", "数字“25万户”"),
    ("三项协议录入比例达到99%以上[1]。", "数字“99%”"),
    ("三项协议录入比例达到百分之九十九[1]。", "数字“99%”"),
    ("截至2019年6月,建成安置点2116个[1]。", "日期“2019年6月”"),
    ("截至2018年5月,建成安置点2116个[1]。", "日期“2018年5月”"),
    ("依据达市府办函〔2019〕31号[2]。", "文号“〔2019〕31号”"),
    ("陕西省共搬迁24.93万户[2]。", "数字“24.93万户”不在所引段落[2]中"),  # cited to the wrong passage
    ("陕西省共搬迁24.93万户[9]。", "引用编号[9]不存在"),
    ("陕西省共搬迁24.93万户。", "没有注明出处[n]"),
    ("在已收录的通报中没有找到2020年的数据。", "没有注明出处[n]"),  # a refusal that states a figure
])
def test_sentences_that_fail(sentence, problem, tok, gaz):
    c = ok(sentence, tok, gaz)
    assert not c.ok and any(problem in p for p in c.problems), c.problems


def test_places_and_names_must_be_in_what_is_cited(tok, gaz):
    c = ok("甘肃省共搬迁24.93万户[1]。", tok, gaz)  # a Shaanxi figure under a sentence about Gansu
    assert not c.ok and any("甘肃" in p for p in c.problems)
    assert ok("陕西共搬迁24.93万户[1]。", tok, gaz).ok  # the short name of the notice's province
    c = ok("国家发展改革委要求全部录入[1]。", tok, gaz)
    assert not c.ok and any("国家发展改革委" in p or "发展" in p for p in c.problems), c.problems
    c = ok("农业农村部开展了乡村振兴评估考核[1]。", tok, gaz)  # about something else entirely
    assert not c.ok and any("用语" in p or "名称" in p for p in c.problems), c.problems


def test_prepare_and_figures():
    assert prepare("共 三十个村, 百分之五十, 达市府办函[2019]30号") == "共30个村,50%,达市府办函〔2019〕30号"
    assert prepare("统一部署,一是加强,进一步") == "统一部署,一是加强,进一步"  # words, not figures
    assert prepare("１２,３４５户") == "12345户"
    f = figures_of(prepare("2019年5月搬迁24.93万户"))
    assert [(x.kind, x.surface) for x in f] == [("date", "2019年5月"), ("number", "24.93万户")]
    assert f[1].value == 249300 and f[1].unit == "户"
    assert figures_of(prepare("五千万元"))[0].value == figures_of("5000万元")[0].value


def test_markers():
    assert cites_of("甲[1]乙【2、3】丙[1,4]") == (1, 2, 3, 4)
    assert cites_of("达市府办函[2019]30号") == ()  # a bracketed year is not a marker
    assert strip_markers("1. 甲[1]。") == "甲。" and strip_markers("24.93万户[1]") == "24.93万户"


def test_splitter_waits_for_markers_after_the_end_mark():
    s = SentenceSplitter()
    first = s.feed("简答:24.93万户[1]\n全省共搬迁24.93万")
    assert [(p.text, p.line_end) for p in first] == [("简答:24.93万户[1]", True)]
    assert s.feed("户。") == []  # [n] may still follow
    assert s.feed("[") == []
    assert [p.text for p in s.feed("1]。其中")] == ["全省共搬迁24.93万户。[1]"]  # the stray 。 is no sentence
    assert s.pending
    assert [p.text for p in s.close()] == ["其中"]


def test_splitter_keeps_decimals_and_list_numbers_whole():
    s = SentenceSplitter()
    out = s.feed("1. 陕西搬迁24.93万户[1]。\n2. 甘肃") + s.close()
    assert [p.text for p in out] == ["1. 陕西搬迁24.93万户[1]。", "2. 甘肃"]
    assert out[0].line_end


def test_short_answer_must_answer_the_quantity_asked(tok, gaz):
    q = analyse("陕西搬迁了多少户?", gaz)
    assert short_answer_problems("24.93万户", (1,), SOURCES, q, tok) == []
    assert short_answer_problems("84.36万人", (1,), SOURCES, q, tok)  # the wrong unit
    assert short_answer_problems("25万户", (1,), SOURCES, q, tok)  # not verbatim
    q = analyse("建成了多少个集中安置点?", gaz)
    assert short_answer_problems("2116个", (1,), SOURCES, q, tok) == []
    q = analyse("开展旧房拆除的有多少个村委会?", gaz)
    assert any("村委会" in p for p in short_answer_problems("三十个", (2,), SOURCES, q, tok))
    q = analyse("什么时候完成摸底?", gaz)
    assert short_answer_problems("二〇一九年四月十日", (2,), SOURCES, q, tok) == []
    assert short_answer_problems("三十个", (2,), SOURCES, q, tok)  # not a date
