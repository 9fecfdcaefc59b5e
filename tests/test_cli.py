import json

import pytest

from assistant.app.cli import main

from .conftest import CORPUS


@pytest.fixture(scope="module")
def idx(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli-index")
    assert main(["build", "--corpus", str(CORPUS), "--index", str(d), "--backend", "hash"]) == 0
    return d


def _args(idx):
    return ["--corpus", str(CORPUS), "--index", str(idx), "--backend", "hash"]


def test_ask_json_shape(idx, capsys):
    capsys.readouterr()
    assert main(["ask", "红石桥乡社会扶贫网注册了多少爱心人士?", "--json", "--top-k", "3", *_args(idx)]) == 0
    d = json.loads(capsys.readouterr().out)
    assert set(d) >= {"text", "abstained", "rewritten_question", "timings", "citations", "passages"}
    assert len(d["passages"]) == 3


def test_ask_text(idx, capsys):
    assert main(["ask", "红石桥乡社会扶贫网注册了多少爱心人士?", *_args(idx)]) == 0
    assert "[1]" in capsys.readouterr().out


@pytest.mark.parametrize("argv,msg", [
    (["ask", "   "], "请输入一个问题"),
    (["ask", "多少户", "--top-k", "0"], "top_k"),
])
def test_bad_input_exit_1(idx, capsys, argv, msg):
    assert main([*argv, *_args(idx)]) == 1
    err = capsys.readouterr()
    assert msg in err.err and err.out == ""


def test_missing_corpus_exit_1(tmp_path, capsys):
    assert main(["ask", "多少户", "--corpus", str(tmp_path / "none"), "--index", str(tmp_path / "i"),
                 "--backend", "hash"]) == 1
    assert "找不到通报目录" in capsys.readouterr().err


def test_notices(idx, capsys):
    capsys.readouterr()
    assert main(["notices", *_args(idx)]) == 0
    d = json.loads(capsys.readouterr().out)
    assert len(d) == 5 and all({"id", "title", "issuer", "date", "province"} <= set(x) for x in d)


def test_unknown_command_exit_nonzero(capsys):
    assert main(["frobnicate"]) != 0


@pytest.mark.parametrize("message,zh", [
    ("unrecognized arguments: --bogus x", "无法识别的参数:--bogus x"),
    ("the following arguments are required: question", "缺少参数:question"),
    ("argument --top-k: expected one argument", "参数 --top-k 后面缺少它的值"),
    ("argument --port: invalid int value: 'abc'", "参数 --port 的值无效:'abc'(应为 int)"),
    ("argument cmd: invalid choice: 'asj' (choose from 'build', 'ask')", "参数 cmd 的值无效:'asj'(可选 'build', 'ask')"),
    ("argument -h: not allowed with argument -x", "argument -h: not allowed with argument -x"),  # no translation: kept
])
def test_usage_errors_in_chinese(message, zh):
    from assistant.app.cli import usage_error_zh
    assert usage_error_zh(message) == zh


def test_usage_error_is_one_chinese_line_then_the_usage(capsys):
    assert main(["serve", "--port", "abc"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("错误:命令行参数有误,参数 --port 的值无效:'abc'") and "usage:" in err
