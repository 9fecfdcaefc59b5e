import json

from assistant.evaluate import (ItemResult, aggregate, contains_any, read_set, run_eval, write_report)


def test_jsonl_bad_rows_are_reported_not_fatal(tmp_path):
    f = tmp_path / "s.jsonl"
    f.write_text('{"question": "陕西搬迁了多少户?", "answers": ["24.93万户"], "extra": 1}\n'
                 'not json\n{"answers": ["x"]}\n\n{"id": "b", "question": "q2", "unanswerable": true}\n',
                 encoding="utf-8")
    items, bad = read_set(f)
    assert [i.question for i in items] == ["陕西搬迁了多少户?", "q2"]
    assert [b.line for b in bad] == [2, 3]
    assert items[0].extra == {"extra": 1} and items[1].unanswerable


def test_csv_and_xlsx_with_chinese_headers(tmp_path):
    rows = [["编号", "问题", "答案", "依据", "类型", "无法回答"],
            ["1", "陕西搬迁了多少户?", "24.93万户|24.93 万户", "24.93万户", "number", ""],
            ["2", "北京GDP?", "", "", "unanswerable", "是"], ["3", "", "x", "", "", ""]]
    c = tmp_path / "s.csv"
    c.write_text("\n".join(",".join(r) for r in rows), encoding="gbk")
    items, bad = read_set(c)
    assert len(items) == 2 and items[0].answers == ("24.93万户", "24.93 万户") and items[1].unanswerable
    assert bad and bad[0].line == 4
    from openpyxl import Workbook
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    x = tmp_path / "s.xlsx"
    wb.save(x)
    items2, _ = read_set(x)
    assert [i.question for i in items2] == [i.question for i in items]


def test_broken_file(tmp_path):
    x = tmp_path / "bad.xlsx"
    x.write_bytes(b"not a zip")
    items, bad = read_set(x)
    assert not items and bad[0].line == 0


def test_contains_any_normalises():
    assert contains_any("共 24.93 万户", ["２４.９３万户"])
    assert not contains_any("abc", [""])


def test_metrics():
    def r(rank, ok, cite, abst, un=False, t="n"):
        return ItemResult("i", t, "zh", "q", un, "hybrid", rank, ok, cite, abst, 10.0, "", "", has_evidence=not un)
    res = [r(1, True, True, False), r(3, False, False, False), r(None, False, None, True),
           r(None, None, None, True, un=True), r(None, None, None, False, un=True)]
    a = aggregate(res)
    assert a["hit@1"] == round(1 / 3, 4) and a["hit@5"] == round(2 / 3, 4)
    assert a["mrr@10"] == round((1 + 1 / 3) / 3, 4)
    assert a["answer_accuracy"] == round(1 / 3, 4) and a["citation_precision"] == 0.5
    assert a["abstention_accuracy"] == 0.5 and a["false_abstention"] == round(1 / 3, 4)


def test_runner_and_report(hash_assistant, tmp_path):
    f = tmp_path / "s.jsonl"
    f.write_text(json.dumps({"question": "红石桥乡社会扶贫网注册了多少爱心人士?", "answers": ["2136人"],
                             "evidence": ["爱心人士2136人"], "type": "number"}, ensure_ascii=False) + "\n" +
                 json.dumps({"question": "。", "type": "number"}, ensure_ascii=False) + "\n", encoding="utf-8")
    items, bad = read_set(f)
    res = run_eval(hash_assistant, items, 5, "hybrid")
    assert res[0].answer_correct and res[0].citation_correct and res[0].evidence_rank
    assert res[1].error
    out = write_report(tmp_path / "rep", {"hybrid": res, "bm25": run_eval(hash_assistant, items, 5, "bm25")}, bad)
    for name in ("summary.md", "questions.md", "results.jsonl", "results.csv", "by_type.png", "retrievers.png"):
        assert out[name].stat().st_size > 0
    assert "✗" in (tmp_path / "rep" / "questions.md").read_text().splitlines()[2]  # failures first


def test_eval_cli_json(tmp_path, capsys):
    from assistant.app.cli import main
    from .conftest import CORPUS
    f = tmp_path / "s.jsonl"
    f.write_text('{"question": "红石桥乡社会扶贫网注册了多少爱心人士?", "answers": ["2136人"]}\nbroken\n', encoding="utf-8")
    assert main(["eval", str(f), "--json", "--corpus", str(CORPUS), "--index", str(tmp_path / "i"),
                 "--backend", "hash"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["answer_accuracy"] == 1.0
    assert "第 2 行" in out.err
