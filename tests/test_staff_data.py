"""Staff data and what staff get out of the chat: feedback in SQLite (concurrent writes, evaluation rows that stay
unconfirmed until checked), the conversation kept in the browser, the scope in words, clean copy text and
exports, the evaluation tab's template, messages and report. Pure parts, on real notices where it matters."""
import json
import threading

import pytest

from assistant.app.conversation import Conversation
from assistant.app.eval_report import failures, metrics_html, report_xlsx, template_xlsx
from assistant.app.export import clean_text, conversation_docx, conversation_markdown, md_text
from assistant.app.scope import coverage, date_range, filters_of, region_choices, staff_date, summarise
from assistant.errors import BadFilter
from assistant.evaluate import ItemResult, aggregate_by_type, read_set
from assistant.feedback import FeedbackStore, eval_row, eval_rows_jsonl, eval_rows_xlsx
from assistant.search.retrieve import Filters
from assistant.types import Answer, Citation

Q = "陕西省“十三五”易地扶贫搬迁共搬迁了多少户?"


@pytest.fixture(scope="module")
def answer(hash_assistant):
    return hash_assistant.ask(Q)


def test_feedback_rows_concurrent_writes_and_evaluation_rows(tmp_path, answer):
    store = FeedbackStore.in_folder(tmp_path / "data")
    d = answer.to_dict()
    errors = []

    def mark(i):
        try:
            store.record(f"c{i}:1", "wrong" if i % 2 else "useful", d, ["上一问"], "abc@2024", "正确答案是24.93万户")
        except Exception as e:  # noqa: BLE001 - collected and asserted below
            errors.append(e)
    threads = [threading.Thread(target=mark, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(store.rows()) == 16
    again = store.record("c1:1", "useful", d)  # marking again changes the verdict, keeps the comment
    assert again.verdict == "useful" and again.comment == "正确答案是24.93万户" and len(store.rows()) == 16
    wrong = store.record("c3:1", "wrong", d, comment="24.93万户")
    row = eval_row(wrong)
    assert row["answers"] == ["24.93万户"] and row["confirmed"] is False and row["origin"].startswith("反馈:有误")
    assert row["question"] == answer.question and row["history"] == ["上一问"]
    useful = eval_row(store.record("c0:1", "useful", d))
    assert useful["evidence"] == [c.quote for c in answer.citations] and useful["evidence"]
    # exported rows are skipped by evaluation until confirmed in the 评测 tab
    f = tmp_path / "fb.jsonl"
    f.write_text(eval_rows_jsonl(store.rows()), encoding="utf-8")
    items, bad = read_set(f)
    assert not items and len(bad) == 16 and "尚未确认" in bad[0].reason
    assert store.confirm({wrong.id: ""}) == 1
    x = tmp_path / "fb.xlsx"
    x.write_bytes(eval_rows_xlsx(store.rows()))
    items, bad = read_set(x)
    assert [i.question for i in items] == [answer.question] and items[0].answers == ("24.93万户",)
    assert len(bad) == 15
    assert (tmp_path / "data" / "feedback.sqlite").is_file()


def test_conversation_round_trip_and_damaged_values(answer):
    conv = Conversation.new(Filters((), "陕西省", "2019-01-01", "")).add(Q, answer, "2024-05-01 09:30", "仅在…")
    back = Conversation.from_json(json.loads(json.dumps(conv.to_json(), ensure_ascii=False)))
    assert back.id == conv.id and back.filters == conv.filters and back.turns[0].answer.citations == answer.citations
    assert back.history() == [{"question": Q, "text": answer.text}]
    for damaged in (None, "x", {"v": 99}, {"v": 1, "id": "a", "turns": [{"n": "x"}]}):
        fresh = Conversation.from_json(damaged)
        assert not fresh.turns and fresh.filters == Filters()
    cleared = Conversation.new(conv.filters)  # 清空 keeps the scope, drops every turn (the follow-up context)
    assert cleared.history() == [] and cleared.id != conv.id


def test_dates_as_staff_type_them():
    assert staff_date("2019/5/1") == "2019-05-01" and staff_date("２０１９年5月1日") == "2019-05-01"
    assert staff_date(" ") == ""
    with pytest.raises(BadFilter) as e:
        staff_date("2019-02-30", "起始日期")
    assert "起始日期“2019-02-30”不是有效日期" in e.value.zh
    with pytest.raises(BadFilter) as e:
        date_range("2021-01-01", "2019/1/1")
    assert "起始日期 2021-01-01 晚于截止日期 2019-01-01" in e.value.zh and "通报" not in e.value.zh
    assert filters_of(["n"], " 甘肃省 ", "2019.5.1", "") == Filters(("n",), "甘肃省", "2019-05-01", "")


def test_scope_in_words_counts_undated_notices(hash_assistant):
    notices = hash_assistant.notices()
    undated = sum(1 for n in notices if not n.date)
    assert undated >= 1  # the corpus has a notice without a date
    s = summarise(Filters(date_from="2000-01-01"), notices)
    assert s.undated_left_out == undated and s.in_scope == len(notices) - undated
    assert f"另有 {undated} 份通报未注明日期" in s.text
    g = summarise(Filters(region="甘肃省"), notices)
    assert g.text.startswith("仅在甘肃省的通报中查找") and g.parts == ("地区:甘肃省",)
    assert summarise(Filters(), notices).text == ""
    regions = region_choices(notices)
    assert regions[0] == ("全部地区", "") and all(not label.startswith("✓") for label, _ in regions)
    cov = coverage(notices)
    assert cov.count == len(notices) and cov.undated == undated and cov.issuers and cov.regions


def test_clean_copy_text_and_exports(answer, tmp_path):
    assert answer.citations
    text = clean_text(answer)
    assert "\\" not in text and "&gt;" not in text and "&lt;" not in text and "<" not in text
    c = answer.citations[0]
    assert f"《{c.title}》({c.date})" in text and f"“{c.quote}”" in text and text.startswith(answer.text.split("\n")[0])
    conv = Conversation.new().add(Q, answer, "2024-05-01 09:30")
    md = conversation_markdown(conv.turns, "2024-05-01 09:31")
    assert f"## 问:{md_text(Q)}" in md and c.quote[:10] in md and "&gt;" not in md
    from docx import Document
    p = tmp_path / "a.docx"
    p.write_bytes(conversation_docx(conv.turns, "2024-05-01 09:31"))
    doc = "\n".join(x.text for x in Document(str(p)).paragraphs)
    assert Q in doc and c.quote in doc and f"《{c.title}》" in doc
    assert md_text("24.93万户 <b>[1]") == "24.93万户 \\<b>[1]" and md_text("# 标题") == "\\# 标题"
    assert md_text("![p](http://e/x.png) &gt;") == "![p]\\(http://e/x.png) \\&gt;"


def _result(line, **kw):
    base = dict(id=f"q{line}", type="number", lang="zh", question=f"问题{line}", unanswerable=False,
                retriever="hybrid", evidence_rank=1, answer_correct=True, citation_correct=True, abstained=False,
                latency_ms=10.0, answer="答", top_passage="段")
    return ItemResult(**{**base, **kw})


def test_evaluation_tab_words_template_and_report(tmp_path):
    t = tmp_path / "t.xlsx"
    t.write_bytes(template_xlsx())
    items, bad = read_set(t)
    assert len(items) == 2 and not bad and [i.line for i in items] == [2, 3] and items[1].unanswerable
    wrong = tmp_path / "w.csv"
    wrong.write_text("题目,答案\n陕西搬迁了多少户?,24.93万户\n", encoding="utf-8")
    items2, bad2 = read_set(wrong)
    assert not items2 and bad2[0].line == 1 and "缺少“问题”列" in bad2[0].reason and "题目、答案" in bad2[0].reason
    results = [_result(2), _result(3, answer_correct=False, cited="《甲》一、总体:“搬迁24.93万户。”")]
    fails = failures(items, results)
    assert [f.line for f in fails] == [3] and "回答中没有参考答案" in fails[0].reasons
    html = metrics_html(aggregate_by_type(results)["overall"])
    assert html.index("错误数字") < html.index("命中率@1") and "答案准确率" in html and "拒答正确率" in html
    from openpyxl import load_workbook
    r = tmp_path / "r.xlsx"
    r.write_bytes(report_xlsx(items, results, aggregate_by_type(results), bad2, "hybrid"))
    wb = load_workbook(r)
    assert wb.sheetnames == ["汇总", "逐题", "跳过的行"] and wb["汇总"]["A2"].value == "错误数字"
    rows = list(wb["逐题"].iter_rows(values_only=True))
    assert rows[1][0] == 3 and rows[1][7] == "《甲》一、总体:“搬迁24.93万户。”"


def test_citation_of_a_real_answer_round_trips_through_the_answer_dict(answer):
    from assistant.app.conversation import answer_from_dict
    back = answer_from_dict(answer.to_dict())
    assert back.citations == answer.citations and back.text == answer.text
    assert isinstance(back.citations[0], Citation) and isinstance(back, Answer)


def test_data_dir_must_not_lie_inside_the_index_folder(tmp_path):
    from assistant import Config
    from assistant.errors import BadConfig
    with pytest.raises(BadConfig) as e:
        Config(index_dir=tmp_path / "index", data_dir=tmp_path / "index" / "userdata")
    assert "data_dir 不能放在索引目录里" in e.value.zh
    Config(index_dir=tmp_path / "index", data_dir=tmp_path / "userdata")


def test_browser_state_key_is_made_once_and_kept(tmp_path):
    """A restarted server must read conversations kept before: the key is written once and read back."""
    from assistant.app.ui import state_secret
    first = state_secret(tmp_path / "data")
    assert state_secret(tmp_path / "data") == first and len(first) >= 24
    assert [p.name for p in (tmp_path / "data").iterdir()] == ["browser-state.key"]
