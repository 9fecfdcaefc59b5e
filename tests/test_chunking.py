import pytest

from assistant.ingest.chunking import chunk_notice, heading_level, heading_title, split_span

from .conftest import notice_by


@pytest.mark.parametrize("line,level", [
    ("一、总体要求", 1), ("(二)重点任务", 2), ("（三）提升后续扶持的持续性。", 2), ("1.严格政策标准。", 3),
    ("2、规范建设程序", 3), ("(1)部分村整改措施不具体", 4), ("（2）个别村", 4), ("问题1:项目谋划深度不够。", 5),
    ("问题12“2017年省水利厅", 5), ("关于“实际入住整改未到位”的问题", 5), ("整改措施:对于已实际入住的", 6),
    ("整改成效:全省", 6), ("整改完成情况:一是", 6), ("一是持续提高政治站位。厅党组", 7),
    ("2.65万户四类重点对象", None), ("2019年全省各级", None), ("3月7日,习近平总书记", None), ("一是", None),
])
def test_heading_levels(line, level):
    assert heading_level(line) == level


def test_heading_title():
    assert heading_title("整改成效:全省…", 6) == "整改成效"
    assert heading_title("(一)成立领导小组,明确责任分工。接到整改反馈意见后", 2) == "(一)成立领导小组,明确责任分工"


def test_spans_round_trip_and_bounds(notices):
    for n in notices.values():
        ps = chunk_notice(n.id, n.text)
        assert ps
        for p in ps:
            assert n.text[p.start:p.end] == p.text
            assert len(p.text) <= 360 + 60
        # passages are in text order and do not overlap
        for a, b in zip(ps, ps[1:]):
            assert a.end <= b.start


def test_no_passage_crosses_a_top_level_section(notices):
    import re
    for n in notices.values():
        for p in chunk_notice(n.id, n.text):
            tops = [ln for ln in p.text.split("\n")[1:] if re.match(r"^[一二三四五六七八九十]+、", ln)]
            assert not tops, (n.path, p.section, tops)


def test_known_heading_paths(notices):
    n = notice_by(notices, "shaanxi")
    ps = chunk_notice(n.id, n.text)
    p = next(p for p in ps if "24.93万户84.36万搬迁群众" in p.text)
    assert p.section == ("二、问题整改落实情况", "(一)落实巡视、成效考核和各类监督检查问题整改还不够到位方面",
                         "1.关于“实际入住整改未到位”的问题", "整改成效")
    g = notice_by(notices, "gansu")
    gp = next(p for p in chunk_notice(g.id, g.text) if "抽调30多名干部组成11个督导" in p.text)
    assert gp.section[0].startswith("三、瞄准目标靶心")
    assert gp.section[-2].startswith("问题11“易地扶贫搬迁推进缓慢")
    h = notice_by(notices, "hongshiqiao")
    hp = next(p for p in chunk_notice(h.id, h.text) if "社会扶贫网注册爱心人士" in p.text)
    assert hp.section[-1] == "整改完成情况" and hp.section[0] == "二、巡察反馈意见整改落实情况"


def test_ids_are_deterministic(notices):
    n = notice_by(notices, "dazhou")
    assert [p.id for p in chunk_notice(n.id, n.text)] == [p.id for p in chunk_notice(n.id, n.text)]


@pytest.mark.parametrize("text,count", [("", 0), ("。", 0), ("\n\n", 0)])
def test_edge_texts(text, count):
    assert len(chunk_notice("x", text)) == count


def test_one_line_of_5000_characters():
    text = "甲" * 5000
    ps = chunk_notice("x", text)
    assert "".join(p.text for p in ps) == text
    assert all(len(p.text) <= 360 for p in ps)
    text2 = ("这是一个很长的句子,没有句号" * 400)[:5000]
    ps2 = chunk_notice("y", text2)
    assert "".join(p.text for p in ps2) == text2
    assert all(text2[p.start:p.end] == p.text for p in ps2)


def test_split_prefers_sentence_ends():
    text = "".join(f"第{i}句话的内容比较长一些。" for i in range(60))
    pieces = split_span(text, 0, len(text), 60, 360)
    assert all(text[e - 1] == "。" for _, e in pieces)
