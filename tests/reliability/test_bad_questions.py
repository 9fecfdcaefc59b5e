"""Bad questions and parameters through the Python API and the CLI (the /ask endpoint: test_server.py).

Each refused case names the bad value in its Chinese message; each answered case is a question that must still
be answered (limits no lower than before: a 2,000-character question is answered). After every case the
index's passages are what they were.
"""
from __future__ import annotations

import datetime as dt
import json

import pytest

from assistant.app.cli import main

from .conftest import CORPUS, KNOWN_A, KNOWN_Q, cli_outcome, outcome_of, passages_digest

LONG_Q = ("陕西省易地扶贫搬迁" * 250)[:1999] + "?"  # 2,000 characters: the limit, still answered
HISTORY = "陕西省“十三五”易地扶贫搬迁共搬迁了多少户?"


def refused(*names):
    return ("refused", names)


def answered(check=None):
    return ("answered", check)


def _passages(n):
    return lambda ans: len(ans.passages) == n


# (id, keyword arguments of Assistant.ask, expectation): every refusal names the value it refuses
API_CASES = [
    ("question-none", dict(question=None), refused("NoneType")),
    ("question-int", dict(question=123), refused("int", "123")),
    ("question-bytes", dict(question="陕西".encode()), refused("bytes")),
    ("question-list", dict(question=["陕西搬迁"]), refused("list")),
    ("question-dict", dict(question={"q": "陕西"}), refused("dict")),
    ("question-empty", dict(question=""), refused("请输入一个问题")),
    ("question-blank", dict(question=" \n\t\u3000 "), refused("请输入一个问题")),
    ("question-punctuation", dict(question="?？。!…"), refused("请输入一个问题")),
    ("question-nul", dict(question="\x00\x00"), refused("请输入一个问题")),
    ("question-surrogate", dict(question="陕西\ud800搬迁"), refused("U+D800", "第 3 个字符")),
    ("question-surrogate-escape", dict(question="\udced\udca0搬迁"), refused("U+DCED", "0xED")),
    ("question-2001", dict(question="搬" * 2001), refused("2001", "2000")),
    ("question-100k", dict(question="搬迁" * 50000), refused("100000")),
    ("question-2000-answered", dict(question=LONG_Q), answered()),
    ("question-controls", dict(question="红石桥乡\x07社会扶贫网\x1b注册了多少爱心人士?"), answered()),
    ("question-emoji", dict(question="红石桥乡😀社会扶贫网注册了多少爱心人士?"), answered()),
    ("question-zero-width", dict(question="红石桥乡\u200b社会扶贫网\u202e注册了多少爱心人士?"), answered()),
    ("question-html", dict(question="<script>alert(1)</script>红石桥乡爱心人士"), answered()),
    ("question-sql", dict(question="'; DROP TABLE notices; -- 搬迁"), answered()),
    ("question-format", dict(question="{0}{question}%s%d 搬迁了多少户"), answered()),
    ("history-int", dict(question="甘肃呢?", history=12345), refused("int", "12345")),
    ("history-str", dict(question="甘肃呢?", history=HISTORY), refused("列表", "一段文字")),
    ("history-dict", dict(question="甘肃呢?", history={"q": HISTORY}), refused("dict")),
    ("history-item-int", dict(question="甘肃呢?", history=[HISTORY, 3]), refused("第 2 项", "int:3")),
    ("history-item-list", dict(question="甘肃呢?", history=[["陕西"]]), refused("第 1 项", "list")),
    ("history-item-bytes", dict(question="甘肃呢?", history=[b"x"]), refused("第 1 项", "bytes")),
    ("history-item-32000", dict(question="甘肃呢?", history=["搬" * 32000]), refused("32000", "2000")),
    ("history-item-surrogate", dict(question="甘肃呢?", history=["陕西\ud800"]), refused("对话历史第 1 项", "U+D800")),
    ("history-1000-items", dict(question="甘肃呢?", history=[HISTORY] * 1000),
     answered(lambda a: "甘肃" in a.rewritten_question and "搬迁" in a.rewritten_question)),
    ("history-none-items", dict(question="甘肃呢?", history=[None, HISTORY, "  "]),
     answered(lambda a: "甘肃" in a.rewritten_question)),
    ("history-tuple", dict(question="甘肃呢?", history=(HISTORY,)), answered(lambda a: "甘肃" in a.rewritten_question)),
    ("top-k-str", dict(question=KNOWN_Q, top_k="abc"), refused("top_k", "'abc'")),
    ("top-k-digit-str", dict(question=KNOWN_Q, top_k="5"), refused("top_k", "'5'")),
    ("top-k-nan", dict(question=KNOWN_Q, top_k=float("nan")), refused("top_k", "nan")),
    ("top-k-inf", dict(question=KNOWN_Q, top_k=float("inf")), refused("top_k", "inf")),
    ("top-k-minus-inf", dict(question=KNOWN_Q, top_k=float("-inf")), refused("top_k", "-inf")),
    ("top-k-zero", dict(question=KNOWN_Q, top_k=0), refused("top_k", "0")),
    ("top-k-negative", dict(question=KNOWN_Q, top_k=-3), refused("top_k", "-3")),
    ("top-k-10e30", dict(question=KNOWN_Q, top_k=10 ** 30), refused("top_k", str(10 ** 30))),
    ("top-k-101", dict(question=KNOWN_Q, top_k=101), refused("top_k", "101")),
    ("top-k-fraction", dict(question=KNOWN_Q, top_k=2.5), refused("top_k", "2.5")),
    ("top-k-bool", dict(question=KNOWN_Q, top_k=True), refused("top_k", "True")),
    ("top-k-list", dict(question=KNOWN_Q, top_k=[5]), refused("top_k", "[5]")),
    ("top-k-float-integral", dict(question=KNOWN_Q, top_k=3.0), answered(_passages(3))),
    ("top-k-100", dict(question=KNOWN_Q, top_k=100), answered(lambda a: 5 < len(a.passages) <= 100)),
    ("filters-notice-ids-int", dict(question=KNOWN_Q, filters={"notice_ids": 123}), refused("notice_ids", "int:123")),
    ("filters-list", dict(question=KNOWN_Q, filters=["region", "甘肃"]), refused("字典", "list", "'region'")),
    ("filters-str", dict(question=KNOWN_Q, filters="甘肃"), refused("字典", "'甘肃'")),
    ("filters-date-int", dict(question=KNOWN_Q, filters={"date_from": 2019}), refused("date_from", "2019")),
    ("filters-month-13", dict(question=KNOWN_Q, filters={"date_from": "2019-13-45"}), refused("'2019-13-45'")),
    ("filters-feb-30", dict(question=KNOWN_Q, filters={"date_to": "2019-02-30"}), refused("date_to", "'2019-02-30'")),
    ("filters-slashes", dict(question=KNOWN_Q, filters={"date_from": "2019/05/20"}), refused("'2019/05/20'")),
    ("filters-reversed", dict(question=KNOWN_Q, filters={"date_from": "2020-01-01", "date_to": "2019-01-01"}),
     refused("2020-01-01", "2019-01-01")),
    ("filters-unknown-key", dict(question=KNOWN_Q, filters={"regoin": "甘肃"}), refused("'regoin'", "region")),
    ("filters-int-key", dict(question=KNOWN_Q, filters={1: "甘肃"}), refused("1")),
    ("filters-unknown-notice", dict(question=KNOWN_Q, filters={"notice_ids": ["nope"]}), refused("'nope'")),
    ("filters-notice-id-int", dict(question=KNOWN_Q, filters={"notice_ids": [1, 2]}), refused("int:1")),
    ("filters-region-int", dict(question=KNOWN_Q, filters={"region": 5}), refused("region", "int:5")),
    ("filters-region-51", dict(question=KNOWN_Q, filters={"region": "甘" * 51}), refused("51")),
    ("filters-region-surrogate", dict(question=KNOWN_Q, filters={"region": "甘\udfff"}), refused("U+DFFF")),
    ("filters-date-object", dict(question=KNOWN_Q, filters={"date_from": dt.date(2019, 1, 1)}),
     answered(lambda a: KNOWN_A in a.text)),
    ("filters-leap-day", dict(question=KNOWN_Q, filters={"date_to": "2020-02-29"}), answered(lambda a: KNOWN_A in a.text)),
    ("filters-unknown-region", dict(question=KNOWN_Q, filters={"region": "火星"}), answered(lambda a: a.abstained)),
    ("history-item-dict-no-question", dict(question="甘肃呢?", history=[{"text": "x"}]), refused("第 1 项", "question")),
    ("history-item-dict-int-question", dict(question="甘肃呢?", history=[{"question": 5}]), refused("第 1 项", "int:5")),
    ("history-item-answer-too-long", dict(question="甘肃呢?", history=[{"question": HISTORY, "text": "户" * 8001}]),
     refused("第 1 项", "8001", "8000")),
    ("history-turn-dicts", dict(question="甘肃呢?", history=[{"question": HISTORY, "text": "24.93万户。"}]),
     answered(lambda a: "甘肃" in a.rewritten_question)),
    ("mode-foo", dict(question=KNOWN_Q, mode="foo"), refused("'foo'", "extractive")),
    ("mode-int", dict(question=KNOWN_Q, mode=5), refused("回答方式", "5")),
    ("mode-llm-without-server", dict(question=KNOWN_Q, mode="llm"), refused("'llm'", "llm_base_url")),
    ("mode-extractive", dict(question=KNOWN_Q, mode="extractive"), answered(lambda a: KNOWN_A in a.text)),
    ("retriever-foo", dict(question=KNOWN_Q, retriever="foo"), refused("'foo'", "hybrid")),
    ("retriever-int", dict(question=KNOWN_Q, retriever=1), refused("检索方式", "1")),
    ("retriever-upper", dict(question=KNOWN_Q, retriever="BM25"), refused("'BM25'")),
    ("retriever-bm25-surrogate", dict(question="陕西\ud800搬迁", retriever="bm25"), refused("U+D800")),
]


@pytest.fixture(scope="module")
def api(hash_assistant):
    return hash_assistant, passages_digest(hash_assistant.data)


@pytest.mark.parametrize("case,kwargs,expect", API_CASES, ids=[c[0] for c in API_CASES])
def test_api(api, record, case, kwargs, expect):
    a, before = api
    kind, msg, ans = outcome_of(lambda: a.ask(**kwargs))
    lost = passages_digest(a.data) != before
    record("data-lost" if lost else kind, msg)
    assert not lost
    assert kind == expect[0], msg
    if kind == "refused":
        for name in expect[1]:
            assert name in msg, f"{name!r} not named in {msg!r}"
        assert "出错了" not in msg
    elif expect[1] is not None:
        assert expect[1](ans), ans.to_dict() if ans else None


def test_api_case_count():
    assert len(API_CASES) >= 60


# ------------------------------------------------------------------ CLI

@pytest.fixture(scope="module")
def cli_index(tmp_path_factory):
    from assistant.search.index import current_build, load_index
    d = tmp_path_factory.mktemp("cli-rel-index")
    assert main(["build", "--corpus", str(CORPUS), "--index", str(d), "--backend", "hash"]) == 0
    return d, passages_digest(load_index(current_build(d)))


CLI_CASES = [
    ("surrogate-bm25-json", ["ask", "陕西\ud800搬迁", "--retriever", "bm25", "--json"], refused("U+D800")),
    ("surrogate-escape", ["ask", "\udced\udca0\udc80搬迁"], refused("0xED")),
    ("blank", ["ask", "   "], refused("请输入一个问题")),
    ("question-2001", ["ask", "搬" * 2001], refused("2001")),
    ("top-k-abc", ["ask", KNOWN_Q, "--top-k", "abc"], refused("top_k", "'abc'")),
    ("top-k-zero", ["ask", KNOWN_Q, "--top-k", "0"], refused("top_k", "0")),
    ("top-k-huge", ["ask", KNOWN_Q, "--top-k", str(10 ** 30)], refused(str(10 ** 30))),
    ("top-k-nan", ["ask", KNOWN_Q, "--top-k", "nan"], refused("'nan'")),
    ("date-13-45", ["ask", KNOWN_Q, "--date-from", "2019-13-45"], refused("'2019-13-45'")),
    ("date-feb-30", ["ask", KNOWN_Q, "--date-to", "2019-02-30"], refused("'2019-02-30'")),
    ("dates-reversed", ["ask", KNOWN_Q, "--date-from", "2020-01-01", "--date-to", "2019-01-01"], refused("2020-01-01")),
    ("retriever-foo", ["ask", KNOWN_Q, "--retriever", "foo"], refused("'foo'")),
    ("notice-unknown", ["ask", KNOWN_Q, "--notice", "nope"], refused("'nope'")),
    ("region-long", ["ask", KNOWN_Q, "--region", "甘" * 51], refused("51")),
    ("history-2001", ["ask", "甘肃呢?", "--history", "搬" * 2001], refused("2001")),
    ("history-surrogate", ["ask", "甘肃呢?", "--history", "陕西\udc80"], refused("0x80")),
    ("backend-foo", ["ask", KNOWN_Q, "--backend", "foo"], refused("'foo'")),
    ("mode-foo", ["ask", KNOWN_Q, "--mode", "foo"], refused("'foo'")),
    ("unknown-option", ["ask", KNOWN_Q, "--bogus"], refused("无法识别的参数", "--bogus")),
    ("unknown-option-not-utf8", ["ask", KNOWN_Q, "--b\udcff"], refused("无法识别的参数", "--b\\udcff")),
    ("unknown-command", ["asj", KNOWN_Q], refused("'asj'", "ask")),
    ("no-question", ["ask"], refused("缺少参数", "question")),
    ("option-without-value", ["ask", KNOWN_Q, "--retriever"], refused("--retriever", "缺少")),
    ("eval-top-k-abc", ["eval", "x.jsonl", "--top-k", "abc"], refused("--top-k", "'abc'")),
    ("answered-json", ["ask", KNOWN_Q, "--json", "--retriever", "bm25"], answered()),
    ("answered-2000", ["ask", LONG_Q, "--json"], answered()),
]


@pytest.mark.parametrize("case,argv,expect", CLI_CASES, ids=[c[0] for c in CLI_CASES])
def test_cli(cli_index, capfdbinary, record, case, argv, expect):
    from assistant.search.index import current_build, load_index
    idx, before = cli_index
    extra = ["--corpus", str(CORPUS), "--index", str(idx)] + ([] if "--backend" in argv else ["--backend", "hash"])
    code = main([*argv, *extra])
    cap = capfdbinary.readouterr()
    out, err = cap.out.decode("utf-8"), cap.err.decode("utf-8")  # raises if not valid UTF-8
    kind, msg = cli_outcome(code, out, err)
    lost = passages_digest(load_index(current_build(idx))) != before
    record("data-lost" if lost else kind, msg)
    assert not lost
    assert kind == expect[0], (code, err[-500:])
    if kind == "refused":
        assert out == ""
        for name in expect[1]:
            assert name in err, f"{name!r} not named in {err!r}"
    elif "--json" in argv:
        d = json.loads(out)
        assert d["question"] and "text" in d


def test_cli_answer_is_the_known_one(cli_index, capfdbinary):
    idx, _ = cli_index
    assert main(["ask", KNOWN_Q, "--json", "--corpus", str(CORPUS), "--index", str(idx), "--backend", "hash"]) == 0
    assert KNOWN_A in json.loads(capfdbinary.readouterr().out.decode("utf-8"))["text"]
