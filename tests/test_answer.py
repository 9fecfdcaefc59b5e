import pytest

from assistant import BadQuestion
from assistant.answer.cite import answer_problems
from assistant.answer.cite import citations_ok
from assistant.types import Citation


def _cite(n, notice, quote, section="s"):
    i = notice.text.index(quote)
    return Citation(n, notice.id, notice.title, notice.issuer, notice.date, section, quote, i, i + len(quote))


def test_citation_checks_catch_wrong_figures_and_markers(notices):
    n = next(x for x in notices.values() if "shaanxi" in x.path)
    quote = "全省“十三五”易地扶贫搬迁24.93万户84.36万人搬迁对象基本信息"
    c = _cite(1, n, quote)
    assert answer_problems(f"24.93万户。“{quote}”[1]", [c], {n.id: n}) == []
    assert any("25" in p for p in answer_problems("共25万户[1]", [c], {n.id: n}))
    assert any("[0]" in p for p in answer_problems("见[0]", [c], {n.id: n}))
    assert any("[2]" in p for p in answer_problems("见[2]", [c], {n.id: n}))
    bad = Citation(1, n.id, n.title, n.issuer, n.date, "s", quote, c.start + 1, c.end + 1)
    assert answer_problems("x[1]", [bad], {n.id: n})


@pytest.mark.parametrize("q", ["", "   ", "。", "?？", None])
def test_bad_questions(hash_assistant, q):
    with pytest.raises(BadQuestion) as e:
        hash_assistant.ask(q)
    assert "问题" in str(e.value)


def test_too_long_question(hash_assistant):
    with pytest.raises(BadQuestion) as e:
        hash_assistant.ask("搬迁" * 1001)
    assert "2000" in str(e.value)


def test_odd_inputs_do_not_crash(hash_assistant):
    for q in ["<script>alert(1)</script>多少户", "\u200b搬迁\ufeff", "ＧＤＰ是多少？", "a" * 1999, "搬迁\x00户"]:
        ans = hash_assistant.ask(q)
        assert isinstance(ans.text, str) and ans.text


def test_answer_shape_and_checked_citations(hash_assistant):
    ans = hash_assistant.ask("红石桥乡社会扶贫网注册了多少爱心人士?")
    d = ans.to_dict()
    for key in ("text", "abstained", "rewritten_question", "timings", "citations", "passages"):
        assert key in d
    assert not ans.abstained
    assert citations_ok(ans, hash_assistant.data.notices) == []
    for c in d["citations"]:
        assert set(c) >= {"n", "notice_id", "title", "issuer", "date", "section", "quote", "start", "end"}
        assert hash_assistant.data.notices[c["notice_id"]].text[c["start"]:c["end"]] == c["quote"]
    for p in d["passages"]:
        assert set(p) >= {"notice_id", "title", "section", "text", "score"}
    assert [p["rank"] for p in d["passages"]] == sorted(p["rank"] for p in d["passages"])


def test_filters(hash_assistant):
    a = hash_assistant
    ans = a.ask("易地扶贫搬迁", filters={"region": "甘肃"})
    assert ans.passages and all("甘肃" in a.data.notices[p.notice_id].province for p in ans.passages)
    nid = next(n.id for n in a.data.notices.values() if n.city == "达州市")
    ans = a.ask("易地扶贫搬迁", filters={"notice_ids": [nid]})
    assert {p.notice_id for p in ans.passages} == {nid}
    ans = a.ask("易地扶贫搬迁", filters={"date_from": "2021-01-01", "date_to": "2021-12-31"})
    assert {a.data.notices[p.notice_id].date[:4] for p in ans.passages} == {"2021"}
    ans = a.ask("易地扶贫搬迁", filters={"region": "西藏"})
    assert ans.abstained and not ans.passages


def test_deterministic(hash_assistant):
    a = hash_assistant.ask("各地怎么处理旧宅腾退拆除?")
    b = hash_assistant.ask("各地怎么处理旧宅腾退拆除?")
    assert a.text == b.text and [p.text for p in a.passages] == [p.text for p in b.passages]


@pytest.mark.model
@pytest.mark.parametrize("q,figure", [
    ("陕西省“十三五”易地扶贫搬迁共搬迁了多少户?", "24.93万户"),
    ("How many households were relocated in Shaanxi?", "24.93万户"),
    ("红石桥乡社会扶贫网注册了多少爱心人士?", "2136人"),
])
def test_known_figures(real_assistant, q, figure):
    ans = real_assistant.ask(q)
    assert not ans.abstained
    assert figure in ans.text
    assert any(figure in c.quote for c in ans.citations)
    assert citations_ok(ans, real_assistant.data.notices) == []


@pytest.mark.model
@pytest.mark.parametrize("q", ["北京市2023年的GDP是多少?", "上海市的最低工资标准是多少?",
                               "What was Beijing's GDP in 2023?"])
def test_abstains(real_assistant, q):
    ans = real_assistant.ask(q)
    assert ans.abstained
    english = not any("\u4e00" <= ch <= "\u9fff" for ch in q)
    # an English question is refused in English first; the Chinese refusal follows
    assert ans.text.startswith("No answer was found in the notices loaded." if english else "在已收录的通报中没有找到")
    assert "在已收录的通报中没有找到" in ans.text
    assert not ans.citations


@pytest.mark.model
def test_follow_up(real_assistant):
    ans = real_assistant.ask("甘肃呢?", history=["陕西省“十三五”易地扶贫搬迁共搬迁了多少户?"])
    assert "甘肃" in ans.rewritten_question and "搬迁" in ans.rewritten_question
    # the Gansu notice gives no relocation total: never Shaanxi's figure, and no short answer (issue 11)
    assert not ans.short_answer
    assert all("甘肃" in real_assistant.data.notices[c.notice_id].province for c in ans.citations)
    assert "24.93" not in ans.text
